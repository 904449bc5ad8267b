from odoo import api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    """A return receipt of a request: paperwork checklist and hold (R-31), and the request
    follows the receipt's validation."""

    _inherit = "stock.picking"

    # Copied: a backorder of a return receipt still belongs to the request.
    rma_request_id = fields.Many2one(
        "rma.request", string="Return Request", index="btree_not_null", readonly=True,
    )
    rma_doc_return_list = fields.Boolean(string="Customer's Return List", copy=False)
    rma_doc_waybill = fields.Boolean(string="Waybill", copy=False)
    rma_doc_request_approved = fields.Boolean(
        string="Approved Request", compute="_compute_rma_doc_request_approved",
    )
    rma_paperwork_complete = fields.Boolean(string="Paperwork Complete", compute="_compute_rma_doc_request_approved")
    rma_on_hold = fields.Boolean(string="On Hold", copy=False, tracking=True)
    rma_hold_reason = fields.Text(string="Hold Reason", copy=False)

    @api.depends("rma_request_id.state", "rma_doc_return_list", "rma_doc_waybill")
    def _compute_rma_doc_request_approved(self):
        for picking in self:
            picking.rma_doc_request_approved = picking.rma_request_id.state in (
                "approved", "partially_received", "received",
            )
            picking.rma_paperwork_complete = (
                picking.rma_doc_return_list and picking.rma_doc_waybill and picking.rma_doc_request_approved
            )

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
        action = self.env["ir.actions.act_window"]._for_xml_id("rma_factory.action_rma_receipt_scanner")
        action["context"] = {"default_picking_id": self.id}
        return action

    def action_rma_release_hold(self):
        self.write({"rma_on_hold": False})
        for picking in self:
            picking.message_post(body=self.env._("Hold released: the paperwork is complete."))

    def _check_rma_paperwork(self):
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
                    receipt=picking.name, missing=", ".join(missing),
                ))

    def button_validate(self):
        self._check_rma_paperwork()
        return super().button_validate()

    def _action_done(self):
        result = super()._action_done()
        self.rma_request_id.sudo()._update_receipt_state()
        return result

    def action_cancel(self):
        result = super().action_cancel()
        self.rma_request_id.sudo()._update_receipt_state()
        return result
