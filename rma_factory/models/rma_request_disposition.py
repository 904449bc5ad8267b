from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .rma_disposition import GOODS_TYPES
from .rma_request import (
    AFTER_RECEIPT_STATES,
    BEFORE_RETURN_STATES,
    DISPOSITION_STATES,
    ENDED_STATES,
    GOODS_EXPECTED_STATES,
)

# The deposit of an advance replacement is asked for before the goods are inspected.
DEPOSIT_REQUEST_STATES = ("draft", "to_approve", "approved", "partially_received", "received")


class RmaRequest(models.Model):
    """Dispositions of the returned goods (R-50) and the advance replacement against a deposit (R-51)."""

    _inherit = "rma.request"
    _rma_process_fields = ("deposit_state", "deposit_override_reason", "deposit_override_user_id")

    disposition_ids = fields.One2many("rma.disposition", "request_id", string="Dispositions")
    disposition_count = fields.Integer(compute="_compute_disposition_count")
    has_draft_disposition = fields.Boolean(compute="_compute_disposition_count")
    has_open_disposition = fields.Boolean(compute="_compute_disposition_count")
    execution_cost_total = fields.Monetary(
        string="Execution Cost", compute="_compute_disposition_stats", store=True,
        help="Sum of the executing departments' costs (执行费用).", groups="base.group_user",
    )
    refund_amount_total = fields.Monetary(
        string="To Refund", compute="_compute_disposition_stats", store=True,
    )

    advance_replacement = fields.Boolean(
        string="Replacement Before Return", tracking=True,
        help="The customer wants the replacement before sending the defective goods back: a deposit "
        "(押金) is invoiced and received first, and offset when the return is verified.",
    )
    deposit_amount = fields.Monetary(string="Deposit", tracking=True)
    deposit_override_reason = fields.Text(
        string="Shipped Without Deposit Because", readonly=True, copy=False,
    )
    deposit_override_user_id = fields.Many2one("res.users", string="Deposit Waived By", readonly=True, copy=False)

    show_dispositions = fields.Boolean(compute="_compute_disposition_buttons")
    can_propose_dispositions = fields.Boolean(compute="_compute_disposition_buttons")
    can_start_dispositions = fields.Boolean(compute="_compute_disposition_buttons")
    can_request_deposit = fields.Boolean(compute="_compute_disposition_buttons")
    can_confirm_deposit = fields.Boolean(compute="_compute_disposition_buttons")
    can_waive_deposit = fields.Boolean(compute="_compute_disposition_buttons")
    can_ship_advance_replacement = fields.Boolean(compute="_compute_disposition_buttons")

    def _check_editable(self, vals):
        result = super()._check_editable(vals)
        # What the deposit invoice was made of, and whether one is due, stay as they were asked.
        self._check_field_rule(
            vals, {"advance_replacement"}, lambda request: request.state in BEFORE_RETURN_STATES,
            self.env._("the goods are already on their way back or received."),
        )
        self._check_field_rule(
            vals, {"deposit_amount", "advance_replacement"}, lambda request: request.deposit_state == "none",
            self.env._("the deposit was already asked for (its invoice is posted)."),
        )
        return result

    @api.constrains("deposit_amount")
    def _check_deposit_amount(self):
        for request in self:
            if request.deposit_amount < 0:
                raise ValidationError(self.env._(
                    "%(request)s: the deposit can't be negative.", request=request.name
                ))

    @api.depends("state", "disposition_ids.state", "advance_replacement", "deposit_state", "deposit_override_reason")
    @api.depends_context("uid")
    def _compute_disposition_buttons(self):
        user = self.env.user
        is_quality = user.has_group("rma_factory.group_rma_quality")
        is_manager = user.has_group("rma_factory.group_rma_manager")
        # Deposit Received is Odoo's payment of the deposit invoice: Invoicing rights.
        is_finance = user.has_group("account.group_account_invoice")
        writable = self._sales_side_requests()
        for request in self:
            state = request.state
            in_disposition = state in DISPOSITION_STATES
            advance = request.advance_replacement
            request.show_dispositions = state in AFTER_RECEIPT_STATES or (advance and state == "approved")
            request.can_propose_dispositions = is_quality and in_disposition and not request.disposition_count
            request.can_start_dispositions = is_quality and in_disposition and request.has_draft_disposition
            request.can_request_deposit = (
                request in writable and advance and request.deposit_state == "none"
                and state in DEPOSIT_REQUEST_STATES
            )
            request.can_confirm_deposit = is_finance and request.deposit_state == "requested"
            request.can_waive_deposit = (
                is_manager and advance and request.deposit_state not in ("received", "offset", "kept")
                and not request.deposit_override_reason and state not in ENDED_STATES
            )
            request.can_ship_advance_replacement = (
                is_quality and advance and state in GOODS_EXPECTED_STATES and not request.disposition_count
                and (request.deposit_state != "none" or bool(request.deposit_override_reason))
            )

    @api.depends("disposition_ids.state", "disposition_ids.execution_cost", "disposition_ids.refund_amount")
    def _compute_disposition_stats(self):
        for request in self:
            live = request.disposition_ids.filtered(lambda d: d.state != "cancel")
            request.execution_cost_total = sum(live.mapped("execution_cost"))
            request.refund_amount_total = sum(live.mapped("refund_amount"))

    @api.depends("disposition_ids.state")
    def _compute_disposition_count(self):
        for request in self:
            live = request.disposition_ids.filtered(lambda d: d.state != "cancel")
            request.disposition_count = len(live)
            request.has_draft_disposition = any(d.state == "draft" for d in live)
            request.has_open_disposition = any(d.state in ("draft", "confirmed") for d in live)

    # ------------------------------------------------------------------ proposal

    def action_propose_dispositions(self):
        """Plan dispositions from the inspection outcome: scrapped units are scrapped; usable units
        are reworked when the problem is confirmed and sent back unchanged when it is not; the
        customer gets a replacement or a refund following the joint review (or their wish).
        Several requests at once (the list's action): one create for all their dispositions."""
        not_ready = self.filtered(lambda r: r.state not in DISPOSITION_STATES)
        if not_ready:
            raise UserError(self.env._(
                "%(request)s: dispositions are planned once the returned goods are inspected.",
                request=not_ready[0].name,
            ))
        self._check_action_allowed("can_propose_dispositions", self.env._("plan the dispositions of"))
        values = []
        for request in self:
            planned = request._planned_disposition_values()
            if not planned:
                raise UserError(self.env._(
                    "%(request)s: every inspected line already has its dispositions.", request=request.name,
                ))
            values += planned
        # One note on each request says what was planned (no "created" note per disposition).
        dispositions = self.env["rma.disposition"].with_context(mail_create_nolog=True).create(values)
        for request in self:
            planned = dispositions.filtered(lambda d, request=request: d.request_id == request)
            request._log_action(self.env._("Dispositions planned: %(summary)s.", summary=planned._kind_summary()))
        return True

    def _planned_disposition_values(self):
        self.ensure_one()
        values = []
        decision = self.review_ids.filtered(lambda r: r.state == "done")[:1].decision or self.customer_wish
        for line in self.line_ids.filtered(lambda line: line.qty_inspected > 0):
            if line.disposition_ids.filtered(lambda d: d.state != "cancel"):
                continue
            confirmed = line.quality_verdict == "confirmed"
            if line.qty_scrap:
                values.append({"request_line_id": line.id, "disposition_type": "scrap", "quantity": line.qty_scrap})
            if line.qty_usable:
                values.append({
                    "request_line_id": line.id, "quantity": line.qty_usable,
                    "disposition_type": "rework" if confirmed else "return_customer",
                })
            if confirmed and decision in ("exchange", "return"):
                values.append({
                    "request_line_id": line.id, "quantity": line.qty_inspected,
                    "disposition_type": "replace" if decision == "exchange" else "refund",
                })
        return [dict(v, request_id=self.id) for v in values]

    def action_start_dispositions(self):
        self._check_action_allowed("can_start_dispositions", self.env._("start the dispositions of"))
        self.disposition_ids.filtered(lambda d: d.state == "draft").action_start()

    def action_view_dispositions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rma_factory.rma_disposition_action")
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {"default_request_id": self.id}
        return action

    # ------------------------------------------------------------------ advance replacement

    def action_ship_advance_replacement(self):
        """Plan and start the replacement of every line before the goods come back."""
        self.ensure_one()
        if not self.advance_replacement:
            raise UserError(self.env._("Tick 'Replacement Before Return' first: the customer must agree to a deposit."))
        if self.deposit_state == "none" and not self.deposit_override_reason:
            raise UserError(self.env._("Request the deposit from the customer first."))
        self._check_action_allowed("can_ship_advance_replacement", self.env._("ship the advance replacement of"))
        values = []
        for line in self.line_ids:
            planned = sum(line.disposition_ids.filtered(
                lambda d: d.state != "cancel" and d.disposition_type in ("replace", "refund")).mapped("quantity"))
            if line.uom_id.compare(line.quantity, planned) > 0:
                values.append({"request_id": self.id, "request_line_id": line.id,
                               "disposition_type": "replace", "quantity": line.quantity - planned})
        if not values:
            raise UserError(self.env._("Every line is already replaced or refunded."))
        self.env["rma.disposition"].create(values).action_start()
        return True

    def action_waive_deposit(self, reason):
        """A manager lets the replacement ship before the deposit is received."""
        if not self.env.user.has_group("rma_factory.group_rma_manager"):
            raise UserError(self.env._("Only a manager lets a replacement ship without its deposit."))
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the replacement may ship without the deposit."))
        self._check_action_allowed("can_waive_deposit", self.env._("let ship without its deposit"))
        self._rma_process().write({"deposit_override_reason": reason, "deposit_override_user_id": self.env.user.id})
        for request in self:
            request._log_action(self.env._(
                "%(user)s lets the replacement ship before the deposit is received: %(reason)s",
                user=self.env.user.name, reason=reason,
            ))

    def action_open_waive_deposit(self):
        self._check_action_allowed("can_waive_deposit", self.env._("let ship without its deposit"))
        return self._open_wizard("rma.deposit.waiver.wizard", self.env._("Ship Without Deposit"))

    def _check_deposit_before_shipping(self, picking):
        self.ensure_one()
        if not self.advance_replacement or self.state not in GOODS_EXPECTED_STATES:
            return
        if self.deposit_state in ("received", "offset") or self.deposit_override_reason:
            return
        raise UserError(self.env._(
            "%(picking)s ships a replacement before the goods are back, but the deposit of %(request)s is "
            "not received yet (%(state)s). Finance confirms it, or a manager lets it ship with a reason.",
            picking=picking.name, request=self.name,
            state=dict(self._fields["deposit_state"]._description_selection(self.env))[self.deposit_state],
        ))


class RmaRequestLine(models.Model):
    _inherit = "rma.request.line"

    disposition_ids = fields.One2many("rma.disposition", "request_line_id", string="Dispositions")
    qty_disposed = fields.Float(
        string="Disposed", compute="_compute_qty_disposed", digits="Product Unit",
        help="Returned units with a disposition that is not cancelled.",
    )

    @api.depends("disposition_ids.state", "disposition_ids.quantity", "disposition_ids.disposition_type")
    def _compute_qty_disposed(self):
        for line in self:
            line.qty_disposed = sum(line.disposition_ids.filtered(
                lambda d: d.state != "cancel" and d.disposition_type in GOODS_TYPES).mapped("quantity"))
