from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_list

from .rma_process_guard import is_process_env, speaking_env
from .rma_request import GOODS_EXPECTED_STATES


class StockPicking(models.Model):
    """Transfers and returns: deliveries open return requests (R-12); a request's return receipt
    carries its paperwork checklist and hold (R-31) and, once validated, hands the goods to QC
    (R-40); a disposition's transfer waits for the outgoing QC or the deposit (R-50, R-51)."""

    _name = "stock.picking"
    _inherit = ["stock.picking", "rma.process.guard"]
    # A receipt belongs to the request whose approval created it, a transfer to its disposition:
    # nobody re-links them by hand (the backorder of a receipt is made inside the validation).
    _rma_process_fields = ("rma_request_id", "rma_disposition_id", "rma_received_by_id")
    _rma_bounded = False

    # ------------------------------------------------------------------ delivery → request
    rma_request_ids = fields.Many2many(
        "rma.request", string="Return Requests", compute="_compute_rma_requests",
    )
    rma_request_count = fields.Integer(string="Return Request Count", compute="_compute_rma_requests")
    rma_can_request = fields.Boolean(compute="_compute_rma_can_request")

    # ------------------------------------------------------------------ return receipt of a request
    # Not copied (a duplicate or a return of a receipt is not a receipt of the request); its
    # backorder and its split keep it (_create_backorder_picking).
    rma_request_id = fields.Many2one(
        "rma.request", string="Return Request", index="btree_not_null", readonly=True, copy=False,
    )
    rma_doc_return_list = fields.Boolean(string="Customer's Return List", copy=False)
    rma_doc_waybill = fields.Boolean(string="Waybill", copy=False)
    rma_doc_request_approved = fields.Boolean(
        string="Approved Request", compute="_compute_rma_doc_request_approved",
    )
    rma_paperwork_complete = fields.Boolean(string="Paperwork Complete", compute="_compute_rma_doc_request_approved")
    # 经办人 of the warehouse block on the approval sheet: who validated the return receipt.
    rma_received_by_id = fields.Many2one("res.users", string="Received By", readonly=True, copy=False)
    rma_on_hold = fields.Boolean(string="On Hold", copy=False, tracking=True)
    rma_hold_reason = fields.Text(string="Hold Reason", copy=False)
    rma_can_hold = fields.Boolean(compute="_compute_rma_receipt_buttons")
    rma_can_scan = fields.Boolean(compute="_compute_rma_receipt_buttons")
    rma_can_release_hold = fields.Boolean(compute="_compute_rma_receipt_buttons")
    # The return freight (运费, R-61): the keeper records what the carrier charges; validation
    # posts the company's and the customer's shares.
    rma_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    rma_freight_amount = fields.Monetary(
        string="Return Freight", currency_field="rma_currency_id", copy=False,
        help="What the carrier charges for bringing the goods back; on validation the company's share "
        "is billed by the carrier and the customer's share invoiced (Settings → Returns → Freight Rules).",
    )
    rma_carrier_id = fields.Many2one(
        "res.partner", string="Return Carrier", copy=False, check_company=True,
        help="The carrier (a vendor) that bills the return freight.",
    )

    # ------------------------------------------------------------------ transfer of a disposition
    rma_disposition_id = fields.Many2one(
        "rma.disposition", string="Return Disposition", index="btree_not_null", readonly=True, copy=False,
    )
    rma_disposition_request_id = fields.Many2one(
        related="rma_disposition_id.request_id", string="Disposition of Request",
    )

    @api.depends("state")
    def _compute_rma_requests(self):
        groups = self.env["rma.request"].sudo()._read_group(
            [("origin_picking_ids", "in", self.ids)], ["origin_picking_ids"], ["id:array_agg"]
        )
        by_picking = {picking.id: ids for picking, ids in groups}
        for picking in self:
            visible = self.env["rma.request"].browse(by_picking.get(picking.id, []))._filtered_access("read")
            picking.rma_request_ids = visible
            picking.rma_request_count = len(visible)

    @api.depends("state", "picking_type_code", "location_dest_id.usage")
    def _compute_rma_can_request(self):
        for picking in self:
            picking.rma_can_request = (
                picking.state == "done" and picking.picking_type_code == "outgoing"
                and picking.location_dest_id.usage == "customer"
            )

    @api.depends("rma_request_id.state", "rma_doc_return_list", "rma_doc_waybill")
    def _compute_rma_doc_request_approved(self):
        for picking in self:
            picking.rma_doc_request_approved = picking.rma_request_id.state in GOODS_EXPECTED_STATES
            picking.rma_paperwork_complete = (
                picking.rma_doc_return_list and picking.rma_doc_waybill and picking.rma_doc_request_approved
            )

    @api.depends("state", "rma_request_id", "rma_on_hold")
    def _compute_rma_receipt_buttons(self):
        for picking in self:
            is_open = picking.state not in ("done", "cancel")
            picking.rma_can_hold = bool(picking.rma_request_id) and not picking.rma_on_hold and is_open
            picking.rma_can_scan = picking.rma_can_hold and picking.state != "draft"
            picking.rma_can_release_hold = picking.rma_on_hold and is_open

    # ------------------------------------------------------------------ Odoo's validation and cancel

    @api.constrains("rma_freight_amount")
    def _check_rma_freight_amount(self):
        for picking in self:
            if picking.rma_freight_amount < 0:
                raise ValidationError(self.env._("%(picking)s: the return freight can't be negative.",
                                                 picking=picking.name))

    def write(self, vals):
        if {"rma_freight_amount", "rma_carrier_id"} & set(vals):
            posted = self.filtered(lambda p: p.rma_request_id and p.state == "done")
            if posted and not is_process_env(self.env):
                raise UserError(self.env._(
                    "%(picking)s is validated: its freight is posted and can't change any more.",
                    picking=posted[0].name,
                ))
        return super().write(vals)

    def _pre_action_done_hook(self):
        # Before Odoo asks about backorders: a receipt without its paperwork, or goods that may
        # not leave yet, are refused whatever the path to validation.
        for picking in self.filtered(lambda p: p.rma_request_id and p.rma_freight_amount > 0 and not p.rma_carrier_id):
            raise UserError(self.env._("%(picking)s: enter the carrier that bills its return freight.",
                                       picking=picking.name))
        self._rma_check_receiver()
        self._rma_check_paperwork()
        self._rma_check_received_quantities()
        self._rma_check_into_quarantine()
        self._rma_check_disposition_can_ship()
        return super()._pre_action_done_hook()

    def _action_done(self):
        # The validation is the process: the backorder of a return receipt keeps its request.
        result = super(StockPicking, self._rma_process())._action_done()
        done = self.filtered(lambda p: p.state == "done")
        # sudo: the warehouse keeper who validates reads requests but does not manage them.
        receipts = done._rma_receipts()
        receipts.sudo()._rma_process().write({"rma_received_by_id": self.env.uid})
        self.rma_request_id.sudo()._update_receipt_state()
        receipts.sudo()._rma_process()._rma_create_inspections()
        done.rma_disposition_id.sudo()._mark_done()
        return result

    def _create_backorder_picking(self):
        # The rest of a return receipt (a backorder, a split) is still a receipt of its request.
        backorder = super()._create_backorder_picking()
        if self.rma_request_id:
            backorder._rma_process().rma_request_id = self.rma_request_id
        return backorder

    def action_cancel(self):
        self._rma_check_receipt_cancel()
        result = super().action_cancel()
        self.rma_request_id.sudo()._update_receipt_state()
        cancelled = self.filtered(lambda p: p.state == "cancel" and p.rma_disposition_id)
        for picking in cancelled:
            picking.rma_disposition_id.with_env(speaking_env(self)).sudo()._mark_cancelled(picking.name)
        return result

    # ------------------------------------------------------------------ delivery → request

    def action_create_rma_request(self):
        """Open a new return request with this delivery's lines (R-12)."""
        self.ensure_one()
        if not self.rma_can_request:
            raise UserError(self.env._(
                "%(picking)s is not a done delivery to a customer: nothing to return from it.",
                picking=self.name,
            ))
        moves = self.move_ids.filtered(lambda m: m.state == "done")
        return self.env["rma.request"]._action_new_from_moves(
            moves, self.partner_id, self.sale_id.team_id
        )

    def action_view_rma_requests(self):
        self.ensure_one()
        return self.env["rma.request"]._open_records(self.rma_request_ids, self.env._("Return Requests"))

    # ------------------------------------------------------------------ return receipt: paperwork and hold

    def action_rma_put_on_hold(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the receipt is put on hold."))
        self.write({"rma_on_hold": True, "rma_hold_reason": reason})
        for picking in self:
            picking.message_post(body=self.env._("Receipt put on hold: %s", reason))
            # sudo: the warehouse reads requests but does not edit them; the note is still theirs.
            picking.rma_request_id.sudo().message_post(body=self.env._(
                "Receipt %(receipt)s put on hold by the warehouse: %(reason)s",
                receipt=picking.name, reason=reason,
            ))

    def action_rma_open_scanner(self):
        """Open the scanning screen on this receipt."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rma_factory.rma_receipt_scanner_action")
        action["context"] = {"default_picking_id": self.id}
        return action

    def action_rma_release_hold(self):
        self.write({"rma_on_hold": False})
        for picking in self:
            picking.message_post(body=self.env._("Hold released: the paperwork is complete."))

    def _rma_check_paperwork(self):
        for picking in self.filtered("rma_request_id"):
            if picking.rma_on_hold:
                raise UserError(self.env._(
                    "%(receipt)s is on hold (%(reason)s): release the hold before receiving the goods.",
                    receipt=picking.name, reason=picking.rma_hold_reason or "-",
                ))
            missing = [label for done, label in (
                (picking.rma_doc_return_list, self.env._("the customer's return list")),
                (picking.rma_doc_waybill, self.env._("the waybill")),
                (picking.rma_doc_request_approved, self.env._("the approved request")),
            ) if not done]
            if missing:
                raise UserError(self.env._(
                    "%(receipt)s: the paperwork is incomplete, missing %(missing)s. Check it, or put the "
                    "receipt on hold with the reason.",
                    receipt=picking.name, missing=format_list(self.env, missing),
                ))

    def _rma_check_receiver(self):
        """The warehouse receives returned goods (R-30): a sales rep, who may write transfers for
        their sales, does not validate a return receipt."""
        if self._rma_receipts() and not self.env.su and not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(self.env._("Only the warehouse receives returned goods."))

    def _rma_check_received_quantities(self):
        """A return receipt takes in what the request returns, no more: extra units would enter the
        quarantine and the inspection as if they had been approved (R-30). Counted per request
        line, in its unit, with what earlier receipts brought: editing a move's demand or adding
        a move does not raise what the request returns."""
        for picking in self._rma_receipts():
            incoming = defaultdict(float)
            for move in picking.move_ids.filtered(lambda m: m.state != "cancel"):
                line = move.rma_request_line_id
                if not line:
                    if move.product_uom.compare(move.quantity, 0) > 0:
                        raise UserError(self.env._(
                            "%(receipt)s: %(product)s is not on request %(request)s; receive it on another "
                            "receipt, or add it to the request first.",
                            receipt=picking.name, product=move.product_id.display_name,
                            request=picking.rma_request_id.name,
                        ))
                    continue
                incoming[line] += move.product_uom._compute_quantity(move.quantity, line.uom_id)
            for line, quantity in incoming.items():
                if line.uom_id.compare(line.qty_received + quantity, line.quantity) > 0:
                    raise UserError(self.env._(
                        "%(receipt)s: %(received)s %(uom)s of %(product)s received, but request %(request)s "
                        "returns %(expected)s. Receive only what the request returns; record a difference "
                        "with the customer instead.",
                        receipt=picking.name, received=f"{line.qty_received + quantity:g}", uom=line.uom_id.name,
                        product=line.product_id.display_name, request=picking.rma_request_id.name,
                        expected=f"{line.quantity:g}",
                    ))

    def _rma_check_into_quarantine(self):
        """Returned goods enter the warehouse's quarantine (R-30), never saleable stock: only the
        inspection and its dispositions release them."""
        for picking in self._rma_receipts():
            quarantine = picking.picking_type_id.warehouse_id.rma_quarantine_location_id
            if not quarantine:
                continue
            # The lines that receive something (Odoo drops the empty ones at validation).
            elsewhere = picking.move_line_ids.filtered(
                lambda line, quarantine=quarantine: line.quantity and not line.location_dest_id._child_of(quarantine)
            )
            if elsewhere:
                raise UserError(speaking_env(self)._(
                    "%(receipt)s: returned goods go into %(quarantine)s until they are inspected, not "
                    "into %(location)s.",
                    receipt=picking.name, quarantine=quarantine.display_name,
                    location=elsewhere[0].location_dest_id.display_name,
                ))

    def _rma_check_receipt_cancel(self):
        """The goods of a request are expected until the request says otherwise: the warehouse
        cancels the rest of a partial receipt (the rep then records the difference), not a
        receipt of which nothing came yet — the sales rep cancels or withdraws the request."""
        if is_process_env(self.env):
            return
        for picking in self._rma_receipts().filtered(lambda p: p.state not in ("done", "cancel")):
            request = picking.rma_request_id.sudo()
            if not request.receipt_ids.filtered(lambda p: p.state == "done" and p.picking_type_code == "incoming"):
                raise UserError(speaking_env(self)._(
                    "%(receipt)s: nothing of %(request)s was received yet, so its receipt stays open. If the "
                    "customer does not send the goods, the sales rep cancels the request or records the "
                    "withdrawal.",
                    receipt=picking.name, request=request.name,
                ))

    # ------------------------------------------------------------------ return receipt → inspection

    def _rma_receipts(self):
        return self.filtered(lambda p: p.rma_request_id and p.picking_type_code == "incoming")

    def _rma_create_inspections(self):
        """Validating a return receipt hands the goods to QC: an inspection of what it brought."""
        # The request's note says the inspection is there; its own "created" note and the
        # keeper as its follower would only add queries (the inspector follows by the activity).
        Inspection = self.env["rma.inspection"].with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        for picking in self:
            request = picking.rma_request_id
            quantities = defaultdict(float)
            lots = defaultdict(lambda: self.env["stock.lot"])
            for move in picking.move_ids.filtered(lambda m: m.state == "done" and m.rma_request_line_id):
                line = move.rma_request_line_id
                quantities[line] += move.product_uom._compute_quantity(move.quantity, line.uom_id)
                lots[line] |= move.move_line_ids.lot_id
            line_values = [
                {"request_line_id": line.id, "qty_received": qty, "lot_ids": [(6, 0, lots[line].ids)]}
                for line, qty in quantities.items() if qty > 0
            ]
            if not line_values:
                continue
            company = request.company_id
            inspection = Inspection.create({
                "request_id": request.id,
                "picking_id": picking.id,
                "sample_percent": company.rma_sample_percent,
                "inspector_id": company.rma_inspector_id.id,
                "line_ids": [(0, 0, values) for values in line_values],
            })
            if company.rma_inspector_id:
                inspection.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=company.rma_inspector_id.id,
                    # In the inspector's language: the task is theirs, whoever validated the receipt.
                    summary=self.with_context(lang=company.rma_inspector_id.lang or self.env.lang).env._(
                        "Inspect the returned goods of %(receipt)s", receipt=picking.name),
                )
            request._log_action(self.env._(
                "%(receipt)s received: inspection %(inspection)s waits for QC.",
                receipt=picking.name, inspection=inspection._get_html_link(),
            ))

    # ------------------------------------------------------------------ transfer of a disposition

    def _rma_check_disposition_can_ship(self):
        for picking in self.filtered("rma_disposition_id"):
            picking.rma_disposition_id._check_can_ship(picking)
