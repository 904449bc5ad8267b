from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_list

from .rma_process_guard import check_process_values, is_process_env
from .rma_request import DISPOSITION_STATES, GOODS_EXPECTED_STATES

DISPOSITION_TYPES = [
    ("rework", "Rework / Repair"),
    ("scrap", "Scrap"),
    ("return_customer", "Return Unchanged to Customer"),
    ("restock", "Back to Stock"),
    ("replace", "Replace"),
    ("refund", "Refund"),
]
# What happens to the returned units themselves: bounded by what came back into quarantine.
GOODS_TYPES = ("rework", "scrap", "return_customer", "restock")
# What the customer gets: bounded by the received quantity (the requested one for an advance
# replacement); a unit is either replaced or refunded, never both.
CUSTOMER_TYPES = ("replace", "refund")


class RmaDisposition(models.Model):
    """Disposition of part of a request line after its return (回厂后的处置, R-50). A line can split
    its quantity across several dispositions; each one moves real stock through Odoo's own
    documents (repair order, scrap, delivery, internal transfer)."""

    _name = "rma.disposition"
    _description = "Return Disposition"
    _inherit = ["mail.thread", "rma.request.document"]
    _order = "request_id, request_line_id, id"
    _check_company_auto = True
    _rma_process_fields = (
        "state", "repair_id", "scrap_id", "picking_id", "oqc_state", "oqc_user_id", "refund_invoice_id",
        "credit_note_id", "execution_recorded_by_id", "execution_recorded_date",
    )
    _rma_fixed_fields = ("request_id", "request_line_id")
    _rma_char_limits = {"executing_department": 60}

    request_id = fields.Many2one(
        "rma.request", string="Return Request", required=True, ondelete="cascade", index=True, check_company=True,
    )
    request_line_id = fields.Many2one(
        "rma.request.line", string="Returned Product", required=True, ondelete="cascade", index=True,
        domain="[('request_id', '=', request_id)]", check_company=True,
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="request_id.currency_id")
    partner_id = fields.Many2one(related="request_id.partner_id", string="Customer")
    disposition_type = fields.Selection(DISPOSITION_TYPES, string="Disposition", required=True, tracking=True)
    product_id = fields.Many2one(related="request_line_id.product_id", store=True)
    uom_id = fields.Many2one(related="request_line_id.uom_id", string="Unit")
    tracking = fields.Selection(related="product_id.tracking")
    allowed_lot_ids = fields.Many2many("stock.lot", compute="_compute_allowed_lot_ids")
    lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial", domain="[('id', 'in', allowed_lot_ids)]", check_company=True,
        help="The returned lot this disposition handles; empty for any lot of the line.",
    )
    quantity = fields.Float(required=True, digits="Product Unit", tracking=True)
    state = fields.Selection(
        [("draft", "Planned"), ("confirmed", "In Progress"), ("done", "Done"), ("cancel", "Cancelled")],
        default="draft", required=True, readonly=True, copy=False, tracking=True, index=True,
    )
    repair_id = fields.Many2one("repair.order", string="Rework Order", readonly=True, copy=False)
    scrap_id = fields.Many2one("stock.scrap", string="Scrap Order", readonly=True, copy=False)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True, copy=False)
    # Outgoing quality check before returned goods ship back (品保部OQC检验).
    oqc_state = fields.Selection(
        [("todo", "To Check"), ("passed", "Passed"), ("failed", "Failed")], string="Outgoing QC",
        readonly=True, copy=False, tracking=True,
    )
    oqc_note = fields.Text(string="Outgoing QC Note")
    oqc_user_id = fields.Many2one("res.users", string="Checked By", readonly=True, copy=False)
    # Refund: what the credit note needs (the accounting issue posts it).
    price_unit = fields.Monetary(related="request_line_id.price_unit", string="Unit Price")
    refund_amount = fields.Monetary(compute="_compute_refund_amount", store=True)
    refund_invoice_id = fields.Many2one(
        "account.move", string="Invoice to Credit", readonly=True, copy=False,
        help="The posted customer invoice of the returned sale line, which the credit note reverses.",
    )
    credit_note_id = fields.Many2one("account.move", readonly=True, copy=False)
    # Execution (实施部门执行, R-52): QA assigns it; the executor writes its result and cost.
    executor_id = fields.Many2one(
        "res.users", string="Executed By", tracking=True, domain="[('share', '=', False)]",
        help="The person of the executing department who carries the disposition out and records its result.",
    )
    executing_department = fields.Char()
    execution_result = fields.Text()
    execution_cost = fields.Monetary(help="执行费用")
    # Who wrote the execution result, and when: the executing department's signature on the forms.
    execution_recorded_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    execution_recorded_date = fields.Datetime(string="Execution Recorded On", readonly=True, copy=False)

    can_cancel = fields.Boolean(compute="_compute_can_cancel")
    can_plan = fields.Boolean(compute="_compute_can_cancel", help="QA plans and changes the disposition.")
    can_start = fields.Boolean(compute="_compute_can_cancel")
    can_check_oqc = fields.Boolean(compute="_compute_can_cancel")
    can_record_execution = fields.Boolean(compute="_compute_can_cancel")

    # What the executing department writes on a disposition assigned to it; the rest is QA's.
    EXECUTION_FIELDS = frozenset({"execution_result", "execution_cost", "executing_department"})

    _quantity_positive = models.Constraint("CHECK (quantity > 0)", "A disposition's quantity must be positive.")

    @api.depends("request_line_id.return_move_ids.move_line_ids.lot_id", "request_line_id.lot_id")
    def _compute_allowed_lot_ids(self):
        for disposition in self:
            line = disposition.request_line_id
            # sudo: computed for every reader of the request's dispositions, Finance included, who
            # reads no lots (only QA, who may, chooses one); Odoo checks the lots' access on assignment.
            disposition.sudo().allowed_lot_ids = line.return_move_ids.move_line_ids.lot_id | line.lot_id

    @api.depends("disposition_type", "quantity", "price_unit")
    def _compute_refund_amount(self):
        for disposition in self:
            disposition.refund_amount = (
                disposition.quantity * disposition.price_unit if disposition.disposition_type == "refund" else 0.0
            )

    @api.depends("state", "executor_id", "disposition_type", "oqc_state")
    @api.depends_context("uid")
    def _compute_can_cancel(self):
        is_quality = self.env.user.has_group("rma_factory.group_rma_quality")
        for disposition in self:
            # A refund is done when started (its credit note posted): cancelling reverses it.
            refund_reversible = (
                disposition.disposition_type == "refund" and disposition.state == "done"
                and disposition.request_id.state in DISPOSITION_STATES
            )
            disposition.can_cancel = is_quality and (disposition.state in ("draft", "confirmed") or refund_reversible)
            disposition.can_plan = is_quality
            disposition.can_start = is_quality and disposition.state == "draft"
            disposition.can_check_oqc = (
                is_quality and disposition.disposition_type == "return_customer" and disposition.state == "confirmed"
                and disposition.oqc_state != "passed"
            )
            disposition.can_record_execution = is_quality or disposition.executor_id == self.env.user

    @api.constrains("execution_cost")
    def _check_execution_cost(self):
        for disposition in self:
            if disposition.execution_cost < 0:
                raise ValidationError(self.env._(
                    "%(disposition)s: the execution cost can't be negative.", disposition=disposition.display_name,
                ))

    def write(self, vals):
        self._check_may_write(vals)
        if vals.get("execution_result") and not is_process_env(self.env):
            # The user's own values meet the guard first: only the signature below is the process's.
            check_process_values(self, vals)
            # Signed in the same write: the signature is the process's, not the user's to change.
            vals = dict(vals, execution_recorded_by_id=self.env.user.id,
                        execution_recorded_date=fields.Datetime.now())
            return super(RmaDisposition, self._rma_process()).write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_planned(self):
        # A started disposition has its transfer, scrap, repair or credit note: it is cancelled,
        # which undoes them, and stays in the request's history.
        started = self.filtered(lambda d: d.state != "draft")
        if started and not is_process_env(self.env):
            raise UserError(self.env._(
                "%(dispositions)s was started: it can't be deleted, only cancelled (by QA).",
                dispositions=format_list(self.env, started.mapped("display_name")),
            ))

    def _check_may_write(self, vals):
        """Dispositions are QA's (R-50); the executor records the execution of their own."""
        if self.env.su or self.env.user.has_group("rma_factory.group_rma_quality") \
                or is_process_env(self.env):
            return
        if set(vals) - self.EXECUTION_FIELDS:
            raise AccessError(self.env._(
                "Only QA plans and changes dispositions; the executing department records their result, "
                "cost and department."
            ))
        others = self.filtered(lambda d: d.executor_id != self.env.user)
        if others:
            raise AccessError(self.env._(
                "%(dispositions)s: only their executor records the execution.",
                dispositions=format_list(self.env, others.mapped("display_name")),
            ))

    def _compute_display_name(self):
        labels = dict(self._fields["disposition_type"]._description_selection(self.env))
        for disposition in self:
            disposition.display_name = (
                f"{labels.get(disposition.disposition_type, '')} {disposition.quantity:g} "
                f"{disposition.product_id.display_name or ''}"
            )

    # ------------------------------------------------------------------ quantities

    @api.constrains("quantity", "disposition_type", "state", "request_line_id")
    def _check_quantities(self):
        for line in self.request_line_id:
            live = line.disposition_ids.filtered(lambda d: d.state != "cancel")
            goods = sum(live.filtered(lambda d: d.disposition_type in GOODS_TYPES).mapped("quantity"))
            if line.uom_id.compare(goods, line.qty_received) > 0:
                raise ValidationError(self.env._(
                    "%(product)s: %(planned)s planned for the returned goods, but only %(received)s were received.",
                    product=line.product_id.display_name, planned=f"{goods:g}", received=f"{line.qty_received:g}",
                ))
            customer = sum(live.filtered(lambda d: d.disposition_type in CUSTOMER_TYPES).mapped("quantity"))
            limit = line.quantity if line.request_id.advance_replacement else line.qty_received
            if line.uom_id.compare(customer, limit) > 0:
                raise ValidationError(self.env._(
                    "%(product)s: %(planned)s replaced or refunded, more than the %(limit)s %(what)s.",
                    product=line.product_id.display_name, planned=f"{customer:g}", limit=f"{limit:g}",
                    what=self.env._("requested") if line.request_id.advance_replacement else self.env._("received"),
                ))

    @api.constrains("lot_id", "request_line_id")
    def _check_lot(self):
        for disposition in self.filtered("lot_id"):
            if disposition.lot_id not in disposition.allowed_lot_ids:
                raise ValidationError(self.env._(
                    "Lot %(lot)s was not returned on this line.", lot=disposition.lot_id.name,
                ))

    # ------------------------------------------------------------------ locations

    def _warehouse(self):
        line = self.request_line_id
        warehouse = (
            line.return_move_ids.picking_type_id.warehouse_id[:1]
            or line.origin_move_id.picking_type_id.warehouse_id[:1]
        )
        return warehouse or self.env["stock.warehouse"].search([("company_id", "=", self.company_id.id)], limit=1)

    def _quarantine_location(self):
        done = self.request_line_id.return_move_ids.filtered(lambda m: m.state == "done")
        return done.location_dest_id[:1] or self._warehouse().rma_quarantine_location_id

    def _customer_location(self):
        return self.partner_id.property_stock_customer or self.env.ref("stock.stock_location_customers")

    def _check_quarantine_stock(self):
        """Quantities can never exceed what is really in quarantine: the rows started together
        share the stock of their product (and lot), read in one query for all of them."""
        if not self:
            return
        needed = {}
        for disposition in self:
            key = (disposition.product_id, disposition.lot_id, disposition._quarantine_location())
            needed[key] = needed.get(key, 0.0) + disposition.uom_id._compute_quantity(
                disposition.quantity, disposition.product_id.uom_id)
        quants = self.env["stock.quant"].sudo().search_fetch([
            ("product_id", "in", self.product_id.ids),
            ("location_id", "child_of", list({key[2].id for key in needed})),
        ], ["product_id", "lot_id", "location_id", "quantity", "reserved_quantity"])
        quants_by_product = quants.grouped("product_id")
        for (product, lot, location), quantity in needed.items():
            available = self._available_in(quants_by_product.get(product, quants.browse()), product, lot, location)
            if product.uom_id.compare(available, quantity) < 0:
                raise UserError(self.env._(
                    "%(product)s: only %(available)s %(uom)s available in %(location)s, %(needed)s needed.",
                    product=product.display_name, available=f"{available:g}",
                    uom=product.uom_id.name, location=location.display_name, needed=f"{quantity:g}",
                ))

    @staticmethod
    def _available_in(quants, product, lot, location):
        """Odoo's available quantity (on hand minus reserved, lots in deficit not counted) of a
        product, or of one of its lots, in a location and its children, from its quants read already."""
        by_lot = {}
        for quant in quants:
            if not quant.location_id._child_of(location):
                continue
            if lot and quant.lot_id != lot:
                continue
            by_lot[quant.lot_id] = by_lot.get(quant.lot_id, 0.0) + quant.quantity - quant.reserved_quantity
        if product.tracking == "none":
            return max(sum(by_lot.values()), 0.0)
        return sum(qty for qty in by_lot.values() if product.uom_id.compare(qty, 0) > 0)

    def _kind_summary(self):
        """"2 Rework, 1 Scrap": what a note says of the dispositions an action planned or started."""
        labels = dict(self._fields["disposition_type"]._description_selection(self.env))
        return format_list(self.env, [
            f"{len(self.filtered(lambda d, kind=kind: d.disposition_type == kind))} {labels[kind]}"
            for kind in dict.fromkeys(self.mapped("disposition_type"))
        ])

    # ------------------------------------------------------------------ execution

    def action_start(self):
        """Create the stock document that carries out the disposition."""
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise UserError(self.env._("Only QA starts dispositions."))
        for disposition in self:
            if disposition.state != "draft":
                raise UserError(self.env._("%(disposition)s is already started.",
                                           disposition=disposition.display_name))
            disposition._check_request_stage()
            disposition._check_action_allowed("can_start", self.env._("start"))
        refunds = self.filtered(lambda d: d.disposition_type == "refund")
        others = self - refunds
        others.filtered(lambda d: d.disposition_type in GOODS_TYPES)._check_quarantine_stock()
        # One call per kind: the scraps, repair orders or transfers of all the rows together.
        for kind in dict.fromkeys(others.mapped("disposition_type")):
            # sudo: QA decides; the documents belong to the warehouse and production.
            getattr(others.filtered(lambda d, kind=kind: d.disposition_type == kind).sudo()._rma_process(),
                    f"_start_{kind}")()
        for request in others.request_id:
            started = others.filtered(lambda d, request=request: d.request_id == request)
            request._log_action(self.env._("Dispositions started: %(summary)s.", summary=started._kind_summary()))
        if refunds:
            # Together: one credit note per invoice for all the refunds started at once.
            refunds.sudo()._rma_process()._start_refunds()
        self.request_id.filtered(lambda r: r.state == "inspected")._transition("process")
        return True

    def _check_request_stage(self):
        request = self.request_id
        if request.state in DISPOSITION_STATES:
            return
        advance = (
            self.disposition_type == "replace" and request.advance_replacement
            and request.state in GOODS_EXPECTED_STATES
        )
        if not advance:
            raise UserError(self.env._(
                "%(request)s must be inspected before its goods are disposed of "
                "(only an agreed advance replacement ships earlier).",
                request=request.name,
            ))

    def _start_scrap(self):
        scraps = self.env["stock.scrap"].create([{
            "product_id": disposition.product_id.id,
            "scrap_qty": disposition.quantity,
            "product_uom_id": disposition.uom_id.id,
            "lot_id": disposition.lot_id.id,
            "location_id": disposition._quarantine_location().id,
            "company_id": disposition.company_id.id,
            "origin": disposition.request_id.name,
            "rma_disposition_id": disposition.id,
        } for disposition in self])
        scraps.do_scrap()
        for disposition, scrap in zip(self, scraps, strict=True):
            disposition.write({"scrap_id": scrap.id, "state": "done"})

    def _start_rework(self):
        repairs = self.env["repair.order"].create([disposition._repair_values() for disposition in self])
        repairs._action_repair_confirm()
        for disposition, repair in zip(self, repairs, strict=True):
            disposition.write({"repair_id": repair.id, "state": "confirmed"})

    def _repair_values(self):
        warehouse = self._warehouse()
        return {
            "product_id": self.product_id.id,
            "product_qty": self.quantity,
            "product_uom": self.uom_id.id,
            "lot_id": self.lot_id.id,
            "partner_id": self.partner_id.id,
            "picking_type_id": warehouse.repair_type_id.id,
            "product_location_src_id": self._quarantine_location().id,
            "product_location_dest_id": warehouse._rma_rework_location().id,
            "under_warranty": self.request_line_id.in_warranty,
            "internal_notes": self.request_id.name,
            "rma_disposition_id": self.id,
        }

    def _start_return_customer(self):
        for disposition in self:
            warehouse = disposition._warehouse()
            picking = disposition._create_picking(
                warehouse.out_type_id, disposition._quarantine_location(), disposition._customer_location(),
            )
            disposition.write({"picking_id": picking.id, "state": "confirmed", "oqc_state": "todo"})

    def _start_restock(self):
        for disposition in self:
            warehouse = disposition._warehouse()
            picking = disposition._create_picking(
                warehouse.int_type_id, disposition._quarantine_location(), warehouse._rma_rework_location(),
            )
            disposition.write({"picking_id": picking.id, "state": "confirmed"})

    def _start_replace(self):
        for disposition in self:
            warehouse = disposition._warehouse()
            picking = disposition._create_picking(
                warehouse.out_type_id, warehouse.lot_stock_id, disposition._customer_location(), use_lot=False,
            )
            disposition.write({"picking_id": picking.id, "state": "confirmed"})

    def _start_refunds(self):
        """A refund is done once started: the automated action posts its credit note."""
        by_invoice = {}
        for disposition in self:
            invoice_lines = disposition.request_line_id.sale_line_id.invoice_lines.filtered(
                lambda aml: aml.move_id.state == "posted" and aml.move_id.move_type == "out_invoice"
            )
            invoice = invoice_lines.move_id.sorted("id")[-1:]
            by_invoice[invoice] = by_invoice.get(invoice, self.browse()) | disposition
        # One write per invoice (not per line), the state with it: the automated action then
        # credits them all at once.
        for invoice, dispositions in by_invoice.items():
            dispositions.write({"refund_invoice_id": invoice.id, "state": "done"})

    def _create_picking(self, picking_type, source, destination, use_lot=True):
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": self.partner_id.id,
            "origin": self.request_id.name,
            "company_id": self.company_id.id,
            "rma_disposition_id": self.id,
            "move_ids": [Command.create({
                "product_id": self.product_id.id,
                "product_uom_qty": self.quantity,
                "product_uom": self.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
            })],
        })
        picking.action_confirm()
        if use_lot and self.lot_id:
            # Reserve the very lot this disposition is about, not whatever Odoo finds first.
            move = picking.move_ids
            move.move_line_ids.unlink()
            move.write({"move_line_ids": [Command.create({
                "product_id": self.product_id.id,
                "lot_id": self.lot_id.id,
                "quantity": self.quantity,
                "product_uom_id": self.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "picking_id": picking.id,
            })]})
        else:
            picking.action_assign()
        return picking

    def _mark_done(self):
        for disposition in self._rma_process().filtered(lambda d: d.state == "confirmed"):
            disposition.state = "done"
            disposition.request_id._log_action(self.env._(
                "Disposition done: %(disposition)s.", disposition=disposition.display_name,
            ))

    def _mark_cancelled(self, document):
        """The warehouse or production cancelled the disposition's own document: the quantity is
        free again, and QA, who planned it, is asked to plan it again."""
        for disposition in self._rma_process().filtered(lambda d: d.state == "confirmed"):
            disposition.state = "cancel"
            disposition.request_id._log_action(self.env._(
                "Disposition cancelled with %(document)s: %(disposition)s.",
                document=document, disposition=disposition.display_name,
            ))
            planner = disposition.create_uid
            if not planner.active or not planner.has_group("rma_factory.group_rma_quality"):
                planner = disposition.company_id.rma_inspector_id
            if planner:
                disposition.request_id.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=planner.id,
                    summary=disposition.with_context(lang=planner.lang or self.env.lang).env._(
                        "Plan again: %(disposition)s was cancelled with %(document)s",
                        disposition=disposition.display_name, document=document,
                    ),
                )

    def action_cancel(self):
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise AccessError(self.env._("Only QA cancels a disposition."))
        for disposition in self:
            if disposition.state == "done" and disposition.disposition_type != "refund":
                raise UserError(self.env._("%(disposition)s is done and can't be cancelled.",
                                           disposition=disposition.display_name))
        self._check_action_allowed("can_cancel", self.env._("cancel"))
        started = self.filtered(lambda d: d.state == "confirmed")
        # Cancelled first: its documents' cancellation below then finds nothing to follow (no
        # "plan again" task for QA's own decision).
        self._rma_process().write({"state": "cancel"})
        started.sudo().picking_id.filtered(lambda p: p.state not in ("done", "cancel")).action_cancel()
        started.sudo().repair_id.filtered(lambda r: r.state not in ("done", "cancel")).action_repair_cancel()

    # ------------------------------------------------------------------ outgoing QC

    def action_oqc_pass(self):
        self._check_oqc()
        self._check_action_allowed("can_check_oqc", self.env._("pass the outgoing QC of"))
        self._rma_process().write({"oqc_state": "passed", "oqc_user_id": self.env.user.id})
        self.picking_id.message_post(body=self.env._("Outgoing QC passed by %(user)s.", user=self.env.user.name))

    def action_oqc_fail(self):
        self._check_oqc()
        if not all((d.oqc_note or "").strip() for d in self):
            raise UserError(self.env._("Say in the outgoing QC note what must be repacked or redone."))
        self._check_action_allowed("can_check_oqc", self.env._("fail the outgoing QC of"))
        self._rma_process().write({"oqc_state": "failed", "oqc_user_id": self.env.user.id})

    def _check_oqc(self):
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise UserError(self.env._("Only QA performs the outgoing quality check."))
        if any(d.disposition_type != "return_customer" or d.state != "confirmed" for d in self):
            raise UserError(self.env._("Only goods on their way back to the customer get an outgoing check."))

    # ------------------------------------------------------------------ shipping checks

    def _check_can_ship(self, picking):
        """Called when `picking`, this disposition's transfer, is validated."""
        self.ensure_one()
        if self.disposition_type == "return_customer" and self.oqc_state != "passed":
            raise UserError(self.env._(
                "%(picking)s returns goods to the customer: the outgoing quality check must pass first.",
                picking=picking.name,
            ))
        if self.disposition_type == "replace":
            self.request_id._check_deposit_before_shipping(picking)

    def action_view_document(self):
        self.ensure_one()
        document = self.repair_id or self.scrap_id or self.picking_id or self.credit_note_id
        return self.request_id._open_records(document, document._description) if document else False
