from odoo import fields, models


class RmaDifferenceWizard(models.TransientModel):
    """Confirm, with a note, the difference between requested and received quantities (差异数)."""

    _name = "rma.difference.wizard"
    _description = "Confirm Receipt Difference"

    request_id = fields.Many2one("rma.request", required=True, readonly=True)
    line_ids = fields.One2many(related="request_id.line_ids")
    note = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.request_id._confirm_receipt_difference(self.note)
        return {"type": "ir.actions.act_window_close"}
