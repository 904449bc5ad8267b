from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .rma_inspection import MAIL_FIELD_PREFIXES
from .rma_process_guard import changed_field_names, is_process_env

# The warehouse's check fixes the facts of the incident; the claim's terms wait for the signature.
CHECKED_INCIDENT_FIELDS = {
    "incident_type", "picking_id", "arrival_datetime", "reported_date", "counted_with_carrier",
    "carrier_ack_ids", "line_ids", "late_override_reason",
}
ALWAYS_EDITABLE_INCIDENT_FIELDS = {"notes"}

# Once the warehouse checked it and until the logistics manager signs it off, an incident can be
# refused (by that manager): the steps go in order, none is skipped.
REFUSABLE_STATES = ("checked",)


class RmaCarrierIncident(models.Model):
    """What went wrong when the customer received a delivery (客户收货异常, R-33): damaged
    packaging counted with the carrier, or goods missing without package damage (货品缺少反馈表)."""

    _name = "rma.carrier.incident"
    _description = "Customer Receipt Incident"
    _inherit = ["mail.thread", "rma.activity.mixin", "rma.process.guard"]
    _order = "id desc"
    _check_company_auto = True
    _rma_process_fields = (
        "name", "state", "checked_uid", "checked_date", "signed_uid", "signed_date", "replenishment_picking_id",
    )
    _rma_char_limits = {"carrier_name": 60, "waybill": 40}

    name = fields.Char(string="Number", required=True, readonly=True, copy=False,
                       default=lambda self: self.env._("New"))
    incident_type = fields.Selection(
        [("damage", "Damaged Packaging"), ("shortage", "Shortage without Damage")],
        string="Incident", required=True, default="damage", tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("checked", "Checked by Warehouse"),
            ("confirmed", "Confirmed"),
            ("done", "Closed"),
            ("refused", "Refused"),
        ],
        default="draft", required=True, readonly=True, copy=False, tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", required=True, check_company=True,
        domain="[('picking_type_code', '=', 'outgoing'), ('state', '=', 'done')]",
    )
    # The delivery's customer, from our own link only (a picking's write never searches incidents).
    partner_id = fields.Many2one("res.partner", compute="_compute_partner_id", store=True, string="Customer")
    request_id = fields.Many2one("rma.request", string="Return Request", check_company=True)
    carrier_name = fields.Char(string="Carrier")
    waybill = fields.Char(string="Waybill Number")
    arrival_datetime = fields.Datetime(
        string="Received by Customer", required=True, default=fields.Datetime.now, tracking=True,
    )
    reported_date = fields.Date(string="Reported On", required=True, default=fields.Date.context_today)
    line_ids = fields.One2many("rma.carrier.incident.line", "incident_id", string="Lines", copy=True)
    notes = fields.Text()

    # Damaged packaging
    counted_with_carrier = fields.Boolean(string="Counted with the Carrier", tracking=True)
    carrier_ack_ids = fields.Many2many(
        "ir.attachment", "rma_carrier_incident_ack_rel", "incident_id", "attachment_id",
        string="Carrier's Signed Acknowledgement",
    )
    freight_withheld = fields.Boolean(
        string="Freight Payment Withheld", default=True, tracking=True,
        help="Accounting does not pay the carrier's freight while the claim is open.",
    )
    claim_deadline = fields.Datetime(compute="_compute_claim_deadline", store=True)
    claim_amount = fields.Monetary(currency_field="currency_id", tracking=True)
    # The claim in the books: a receivable against the carrier, its freight bills withheld.
    carrier_partner_id = fields.Many2one(
        "res.partner", string="Carrier (Partner)", check_company=True, tracking=True,
        help="The carrier as a partner of the books: the claim is a receivable against it.",
    )
    freight_bill_ids = fields.Many2many(
        "account.move", "rma_carrier_incident_freight_bill_rel", "incident_id", "move_id",
        string="Withheld Freight Bills", check_company=True,
        domain="[('move_type', '=', 'in_invoice'), ('partner_id', '=', carrier_partner_id), ('state', '=', 'posted')]",
        help="The carrier's freight bills for this shipment: blocked from payment until the claim is settled.",
    )
    claim_move_id = fields.Many2one("account.move", string="Claim Entry", compute="_compute_claim_move_id")
    currency_id = fields.Many2one(related="company_id.currency_id")

    # Shortage
    late_override_reason = fields.Text(
        string="Late Report Accepted Because", copy=False, tracking=True,
        help="Only a manager may accept a shortage reported later after the customer's receipt than "
        "Settings → Returns allows.",
    )
    checked_uid = fields.Many2one("res.users", string="Checked By", readonly=True, copy=False)
    checked_date = fields.Datetime(string="Checked On", readonly=True, copy=False)
    signed_uid = fields.Many2one("res.users", string="Signed Off By", readonly=True, copy=False)
    signed_date = fields.Datetime(string="Signed Off On", readonly=True, copy=False)
    replenishment_picking_id = fields.Many2one("stock.picking", string="Replenishment", readonly=True, copy=False)
    can_refuse = fields.Boolean(compute="_compute_can_refuse")
    can_close = fields.Boolean(compute="_compute_can_refuse")
    can_check = fields.Boolean(compute="_compute_can_refuse")
    can_confirm = fields.Boolean(compute="_compute_can_refuse")

    @api.depends("picking_id")
    def _compute_partner_id(self):
        for incident in self:
            incident.partner_id = incident.picking_id.partner_id

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_refuse(self):
        is_logistics_manager = self.env.user.has_group("stock.group_stock_manager")
        is_warehouse = self.env.user.has_group("stock.group_stock_user")
        for incident in self:
            incident.can_refuse = is_logistics_manager and incident.state in REFUSABLE_STATES
            incident.can_close = is_logistics_manager and incident.state == "confirmed"
            incident.can_confirm = is_logistics_manager and incident.state == "checked"
            # The warehouse checks the shipping records (an incident reported by sales, too).
            incident.can_check = is_warehouse and incident.state == "draft"

    def _compute_claim_move_id(self):
        keys = {f"carrier_claim:{incident.id}": incident for incident in self if isinstance(incident.id, int)}
        claims = self.env["account.move"]._rma_search_live(keys) if keys else self.env["account.move"]
        by_key = {claim.rma_entry_key: claim for claim in claims}
        for incident in self:
            incident.claim_move_id = by_key.get(f"carrier_claim:{incident.id}", False)

    @api.depends("arrival_datetime", "incident_type", "company_id.rma_claim_hours")
    def _compute_claim_deadline(self):
        for incident in self:
            incident.claim_deadline = (
                incident.arrival_datetime + timedelta(hours=incident.company_id.rma_claim_hours)
                if incident.incident_type == "damage" and incident.arrival_datetime else False
            )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("late_override_reason") for vals in vals_list):
            self._check_can_accept_late()
        incidents = super().create(vals_list)
        incidents.filtered(lambda i: i.incident_type == "damage")._schedule_claim()
        return incidents

    def _rma_fill_process_values(self, vals_list):
        result = super()._rma_fill_process_values(vals_list)
        for vals in vals_list:
            self._rma_next_number("rma.carrier.incident", vals)
        return result

    @api.onchange("picking_id")
    def _onchange_picking_id(self):
        if self.picking_id and not self.line_ids:
            self.line_ids = [Command.create({
                "product_id": move.product_id.id, "delivered_qty": move.quantity, "received_qty": move.quantity,
            }) for move in self.picking_id.move_ids.filtered(lambda m: m.state == "done")]

    @api.constrains("claim_amount")
    def _check_claim_amount(self):
        for incident in self:
            if incident.claim_amount < 0:
                raise ValidationError(self.env._("%s: the claim amount can't be negative.", incident.name))

    @api.constrains("incident_type", "arrival_datetime", "reported_date", "late_override_reason")
    def _check_shortage_reported_in_time(self):
        for incident in self.filtered(lambda i: i.incident_type == "shortage" and not i.late_override_reason):
            days = incident.company_id.rma_shortage_days
            limit = incident.arrival_datetime.date() + timedelta(days=days)
            if incident.reported_date > limit:
                raise ValidationError(self.env._(
                    "A shortage must be reported within %(days)s days of the customer's receipt "
                    "(received %(received)s, so by %(limit)s). A manager can accept it late with a reason.",
                    days=days, received=incident.arrival_datetime.date(), limit=limit,
                ))

    def _schedule_claim(self):
        for incident in self:
            incident.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.to_date(incident.claim_deadline),
                summary=self.env._("Claim against the carrier within %(hours)s hours",
                                   hours=incident.company_id.rma_claim_hours),
                user_id=self.env.user.id,
            )

    def write(self, vals):
        if vals.get("late_override_reason"):
            self._check_can_accept_late()
        return super().write(vals)

    def _rma_check_still_writable(self, vals):
        """What the warehouse checked no longer changes; once confirmed (the claim is posted),
        only the notes and the chatter do — the form's read-only rules, for every path."""
        result = super()._rma_check_still_writable(vals)
        for incident in self.filtered(lambda i: i.state != "draft"):
            frozen = {name for name in vals if name not in ALWAYS_EDITABLE_INCIDENT_FIELDS
                      and not name.startswith(MAIL_FIELD_PREFIXES) and name in self._fields}
            if incident.state == "checked":
                frozen &= CHECKED_INCIDENT_FIELDS
            changed = changed_field_names(incident, vals, frozen)
            if changed:
                raise UserError(self.env._(
                    "%(incident)s is %(state)s: %(fields)s can no longer change.",
                    incident=incident.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[incident.state],
                    fields=", ".join(self._fields[name]._description_string(self.env) for name in sorted(changed)),
                ))
        return result

    def _check_lines_open(self):
        checked = self.filtered(lambda incident: incident.state != "draft")
        if checked and not is_process_env(self.env):
            raise UserError(self.env._(
                "%(incident)s was checked by the warehouse: its quantities can no longer change.",
                incident=checked[0].name,
            ))

    def _check_can_accept_late(self):
        if not (self.env.user.has_group("rma_factory.group_rma_manager")
                or self.env.user.has_group("stock.group_stock_manager")):
            raise AccessError(self.env._("Only a manager can accept a shortage reported late."))

    # ------------------------------------------------------------------ actions

    def action_check(self):
        """The warehouse checked the shipping records against the customer's report."""
        for incident in self:
            if incident.state != "draft":
                raise UserError(self.env._("%s was already checked.", incident.name))
            if incident.incident_type == "damage":
                if not incident.counted_with_carrier:
                    raise UserError(self.env._("Count the goods with the carrier first."))
                if not incident.carrier_ack_ids:
                    raise UserError(self.env._(
                        "Attach the carrier's signed acknowledgement of the damage before going on."
                    ))
            elif not incident.line_ids.filtered("missing_qty"):
                raise UserError(self.env._("No missing quantity: there is no shortage to report."))
        self._check_action_allowed("can_check", self.env._("check"))
        self._rma_process().write({
            "state": "checked", "checked_uid": self.env.user.id, "checked_date": fields.Datetime.now(),
        })

    def action_confirm(self):
        """The logistics manager signs the report off; a confirmed shortage is replenished."""
        self._check_logistics_manager()
        for incident in self:
            if incident.state != "checked":
                raise UserError(self.env._("%s must be checked by the warehouse first.", incident.name))
        for incident in self.filtered(lambda i: i.incident_type == "damage" and i.claim_amount > 0):
            if not incident.carrier_partner_id:
                raise UserError(self.env._(
                    "%s: choose the carrier (partner) the claim is made against.", incident.name,
                ))
        self._check_action_allowed("can_confirm", self.env._("sign off"))
        self._rma_process().write({
            "state": "confirmed", "signed_uid": self.env.user.id, "signed_date": fields.Datetime.now(),
        })
        self.filtered(lambda i: i.incident_type == "shortage")._create_replenishment()

    def action_close(self):
        """The claim is settled: the logistics manager closes the signed-off incident."""
        self._check_logistics_manager()
        for incident in self:
            if incident.state != "confirmed":
                raise UserError(self.env._("%s must be signed off before it is closed.", incident.name))
        self._check_action_allowed("can_close", self.env._("close"))
        self._rma_process().write({"state": "done"})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    # ------------------------------------------------------------------ the claim in the books

    def _rma_post_claim(self):
        """Automated action: a signed-off damage claim is a receivable against the carrier
        (其他应收款), the return's cost account credited; the carrier's freight bills for the
        shipment are withheld from payment."""
        for incident in self.filtered(lambda i: i.incident_type == "damage" and i.state == "confirmed"):
            incident._lock_for_posting()
            key = f"carrier_claim:{incident.id}"
            if incident.claim_amount > 0 and not self.env["account.move"]._rma_search_live([key]):
                self.env["account.move"]._rma_create_entry(
                    incident._rma_claim_values(), incident.request_id, key, "carrier_claim", incident,
                )
            incident._rma_withhold_freight_bills()

    def _lock_for_posting(self):
        self.env.cr.execute(SQL(
            "SELECT id FROM rma_carrier_incident WHERE id IN %s FOR UPDATE NOWAIT", tuple(self.ids),
        ))

    def _rma_claim_values(self):
        company = self.company_id
        receivable = company._rma_setting("rma_claim_account_id")
        cost = company._rma_setting("rma_cost_account_id")
        label = self.env._("Carrier claim %(incident)s (%(carrier)s, waybill %(waybill)s)",
                           incident=self.name, carrier=self.carrier_partner_id.name, waybill=self.waybill or "-")
        journal = company._rma_journal_of_type("general", required=True)
        distribution = self.request_id._rma_department_distribution() if self.request_id else False
        return {
            "move_type": "entry",
            "journal_id": journal.id,
            "ref": label,
            "line_ids": [
                Command.create({"name": label, "account_id": receivable.id,
                                "partner_id": self.carrier_partner_id.id, "debit": self.claim_amount}),
                Command.create({"name": label, "account_id": cost.id, "partner_id": self.carrier_partner_id.id,
                                "credit": self.claim_amount, "analytic_distribution": distribution}),
            ],
        }

    def _rma_withhold_freight_bills(self):
        bills = self.sudo().freight_bill_ids
        if self.request_id and self.carrier_partner_id:
            bills |= self.sudo().request_id.move_ids.filtered(
                lambda m: m.rma_entry_purpose == "freight_bill" and m.partner_id == self.carrier_partner_id
                and not m.rma_reversed
            )
        if bills != self.sudo().freight_bill_ids:
            self.sudo().write({"freight_bill_ids": [Command.set(bills.ids)]})
        for bill in bills.filtered(lambda b: b.payment_state in ("not_paid", "partial")):
            bill.action_toggle_block_payment()
            bill.message_post(body=self.env._("Payment withheld until the carrier's claim %s is settled.", self.name))

    def _rma_release_freight_bills(self):
        """Automated action: the claim is settled (incident closed), the freight bills are paid again."""
        for incident in self.filtered(lambda i: i.state in ("done", "refused")):
            for bill in incident.sudo().freight_bill_ids.filtered(lambda b: b.payment_state == "blocked"):
                bill.with_context(rma_claim_settled=True).action_toggle_block_payment()
                bill.message_post(body=self.env._("Claim %s settled: the payment is released.", incident.name))

    def action_refuse(self):
        self._check_logistics_manager()
        for incident in self:
            if incident.state not in REFUSABLE_STATES:
                raise UserError(self.env._(
                    "%s can be refused once the warehouse checked it, before it is signed off.", incident.name,
                ))
        self._rma_process().write({"state": "refused"})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def _check_logistics_manager(self):
        if not self.env.user.has_group("stock.group_stock_manager"):
            raise AccessError(self.env._("The logistics manager (Inventory administrator) decides on incidents."))

    def action_view_replenishment(self):
        self.ensure_one()
        return self.env["rma.request"]._open_records(self.replenishment_picking_id, self.env._("Replenishment"))

    def _create_replenishment(self):
        for incident in self:
            delivery = incident.picking_id
            warehouse = delivery.picking_type_id.warehouse_id
            missing = incident.line_ids.filtered("missing_qty")
            picking = self.env["stock.picking"].create({
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": delivery.partner_id.id,
                "origin": self.env._("%(incident)s (shortage on %(delivery)s)",
                                     incident=incident.name, delivery=delivery.name),
                "location_id": warehouse.out_type_id.default_location_src_id.id,
                "location_dest_id": delivery.location_dest_id.id,
                "move_ids": [Command.create({
                    "product_id": line.product_id.id,
                    "product_uom_qty": line.missing_qty,
                    "product_uom": line.product_id.uom_id.id,
                    "location_id": warehouse.out_type_id.default_location_src_id.id,
                    "location_dest_id": delivery.location_dest_id.id,
                }) for line in missing],
            })
            picking.action_confirm()
            picking.action_assign()
            incident._rma_process().replenishment_picking_id = picking
            incident.message_post(body=self.env._("Replenishment %s created for the missing goods.", picking.name))


class RmaCarrierIncidentLine(models.Model):
    _name = "rma.carrier.incident.line"
    _description = "Customer Receipt Incident Line"

    incident_id = fields.Many2one("rma.carrier.incident", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one("product.product", required=True)
    delivered_qty = fields.Float(string="Shipped", digits="Product Unit")
    received_qty = fields.Float(string="Quantity Received by Customer", digits="Product Unit")
    missing_qty = fields.Float(string="Missing", compute="_compute_missing_qty", store=True, digits="Product Unit")

    @api.depends("delivered_qty", "received_qty")
    def _compute_missing_qty(self):
        for line in self:
            line.missing_qty = max(line.delivered_qty - line.received_qty, 0.0)

    # The quantities are what the warehouse checked against the customer's report: they change
    # only while the incident is a draft.
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.incident_id._check_lines_open()
        return lines

    def write(self, vals):
        self.incident_id._check_lines_open()
        result = super().write(vals)
        if "incident_id" in vals:
            self.incident_id._check_lines_open()
        return result

    def unlink(self):
        self.incident_id._check_lines_open()
        return super().unlink()
