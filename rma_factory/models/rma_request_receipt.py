from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_is_zero, format_list

from .rma_request import RECEIVING_STATES

# Wishes for which the customer keeps no claim on the goods: the return lowers the delivered
# quantity on the sale order (to_refund). A repair comes back to the customer, so it does not.
WISHES_NOT_REFUNDED = ("repair",)


class RmaRequest(models.Model):
    """Receipt of the returned goods in the warehouse (R-30, R-31)."""

    _inherit = "rma.request"
    _rma_process_fields = ("difference_confirmed", "difference_note")

    receipt_ids = fields.One2many("stock.picking", "rma_request_id", string="Return Receipts")
    receipt_count = fields.Integer(compute="_compute_receipt_count")
    qty_received_total = fields.Float(
        string="Received Quantity", compute="_compute_qty_received_total", digits="Product Unit"
    )
    has_receipt_difference = fields.Boolean(compute="_compute_qty_received_total", string="Receipt Difference")
    difference_confirmed = fields.Boolean(readonly=True, copy=False, tracking=True)
    difference_note = fields.Text(string="Difference Confirmed With Customer", readonly=True, copy=False)
    can_confirm_difference = fields.Boolean(compute="_compute_qty_received_total")

    @api.depends("receipt_ids")
    def _compute_receipt_count(self):
        for request in self:
            request.receipt_count = len(request.receipt_ids)

    @api.depends("line_ids.qty_received", "line_ids.quantity", "state", "difference_confirmed")
    @api.depends_context("uid")
    def _compute_qty_received_total(self):
        for request in self:
            request.qty_received_total = sum(request.line_ids.mapped("qty_received"))
            request.has_receipt_difference = any(
                not float_is_zero(line.qty_difference, precision_rounding=line.uom_id.rounding or 0.01)
                for line in request.line_ids
            )
            request.can_confirm_difference = (
                request.state == "partially_received" and request.has_receipt_difference
                and not request.difference_confirmed and request._may_confirm_difference()
            )

    # ------------------------------------------------------------------ lifecycle hooks

    def _on_approved(self):
        result = super()._on_approved()
        self._create_return_receipts()
        return result

    def _on_withdrawn(self):
        result = super()._on_withdrawn()
        self._cancel_open_receipts()
        return result

    # ------------------------------------------------------------------ receipts

    def _create_return_receipts(self):
        """One return per original delivery, made by Odoo's return wizard so that each return
        move keeps origin_returned_move_id and to_refund (the sale order's delivered quantity
        goes down when the return is validated)."""
        for request in self:
            lines = request.line_ids.filtered("origin_move_id")
            by_picking = defaultdict(lambda: self.env["rma.request.line"])
            for line in lines:
                by_picking[line.origin_move_id.picking_id] |= line
            for picking, picking_lines in by_picking.items():
                request._create_return_receipt(picking, picking_lines)

    def _create_return_receipt(self, picking, lines):
        self.ensure_one()
        quantity_by_move = defaultdict(float)
        for line in lines:
            quantity_by_move[line.origin_move_id] += line.quantity
        Wizard = self.env["stock.return.picking"].sudo().with_context(
            active_id=picking.id, active_model="stock.picking",
            rma_request_id=self.id, rma_line_by_move={line.origin_move_id.id: line.id for line in lines},
        )
        wizard = Wizard.create({"picking_id": picking.id})
        to_refund = self.customer_wish not in WISHES_NOT_REFUNDED
        for return_line in wizard.product_return_moves:
            return_line.write({
                "quantity": quantity_by_move.get(return_line.move_id, 0.0),
                "to_refund": to_refund,
            })
        # Odoo's wizard already logs the origin on the receipt; the request is its own field.
        return wizard._create_return()

    def _cancel_open_receipts(self):
        """The goods are no longer expected: their receipts that are not done are cancelled."""
        self.sudo().receipt_ids.filtered(lambda p: p.state not in ("done", "cancel"))._rma_process().action_cancel()

    def _update_receipt_state(self):
        """Follow the receipts: partially received while something is still expected or an
        unconfirmed difference remains, received when everything is in."""
        for request in self.filtered(lambda r: r.state in RECEIVING_STATES):
            receipts = request.receipt_ids
            done = receipts.filtered(lambda p: p.state == "done")
            open_receipts = receipts.filtered(lambda p: p.state not in ("done", "cancel"))
            if not done:
                continue
            unconfirmed = request.has_receipt_difference and not request.difference_confirmed
            if open_receipts or unconfirmed:
                if request.state != "partially_received":
                    request._transition("receive_partially")
                if unconfirmed and not open_receipts:
                    request._ask_to_confirm_difference()
            else:
                request._transition("receive")

    def _ask_to_confirm_difference(self):
        """Nothing more is expected and less came back: the request waits for its sales rep to
        agree the difference with the customer (R-31)."""
        xmlid = "rma_factory.mail_activity_receipt_difference"
        for request in self.filtered(lambda r: r.user_id and not r._rma_tasks(xmlid)):
            request.activity_schedule(
                xmlid, user_id=request.user_id.id,
                summary=request.with_context(lang=request.user_id.lang or self.env.lang).env._(
                    "Agree the receipt difference with the customer and confirm it"),
            )

    def _confirm_receipt_difference(self, note):
        """The keeper (or the request's team) records what was agreed about the difference."""
        if not self._may_confirm_difference():
            raise AccessError(self.env._(
                "Only the warehouse or the request's sales team confirms a receipt difference."))
        if not (note or "").strip():
            raise UserError(self.env._("Write what was agreed with the customer about the difference."))
        for request in self:
            if request.receipt_ids.filtered(lambda p: p.state not in ("done", "cancel")):
                raise UserError(self.env._(
                    "%(request)s still expects goods on %(receipts)s: validate or cancel them first.",
                    request=request.name,
                    receipts=format_list(self.env, request.receipt_ids.filtered(
                        lambda p: p.state not in ("done", "cancel")).mapped("name")),
                ))
            # sudo: the warehouse keeper reads the request but does not edit it otherwise.
            request.sudo()._rma_process().write({"difference_confirmed": True, "difference_note": note})
            request.sudo().activity_feedback(["rma_factory.mail_activity_receipt_difference"])
            request.sudo()._log_action(self.env._(
                "Receipt difference confirmed with the customer by %(user)s: %(note)s",
                user=self.env.user.name, note=note,
            ))
        self.sudo()._update_receipt_state()

    def _may_confirm_difference(self):
        return self.env.user.has_group("stock.group_stock_user") or self._writable_requests() == self

    def action_view_receipts(self):
        self.ensure_one()
        return self._open_records(self.receipt_ids, self.env._("Return Receipts"))

    def action_confirm_difference(self):
        self._check_action_allowed("can_confirm_difference", self.env._("confirm the receipt difference of"))
        return self._open_wizard("rma.difference.wizard", self.env._("Confirm Receipt Difference"))


class RmaRequestLine(models.Model):
    _inherit = "rma.request.line"

    return_move_ids = fields.One2many("stock.move", "rma_request_line_id", string="Return Moves")
    qty_received = fields.Float(
        string="Received", compute="_compute_qty_received", store=True, digits="Product Unit"
    )
    qty_difference = fields.Float(
        string="Difference", compute="_compute_qty_received", store=True, digits="Product Unit",
        help="Requested minus received (差异数).",
    )

    @api.depends("return_move_ids.state", "return_move_ids.quantity", "quantity")
    def _compute_qty_received(self):
        for line in self:
            moves = line.return_move_ids.filtered(lambda m: m.state == "done")
            received = sum(m.product_uom._compute_quantity(m.quantity, line.uom_id) for m in moves)
            line.qty_received = received
            line.qty_difference = line.quantity - received
