from odoo import fields, models


class RmaFinanceBookingWizard(models.TransientModel):
    """Finance signs the booking of a return (财务办理, R-71) with its note."""

    _name = "rma.finance.booking.wizard"
    _description = "Finance Booking of a Return"

    request_id = fields.Many2one("rma.request", required=True, readonly=True)
    note = fields.Text(string="Finance Note")

    def action_confirm(self):
        self.ensure_one()
        self.request_id.action_finance_book(self.note)
        return {"type": "ir.actions.act_window_close"}
