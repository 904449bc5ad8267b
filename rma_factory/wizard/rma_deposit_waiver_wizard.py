from odoo import fields, models


class RmaDepositWaiverWizard(models.TransientModel):
    """A manager lets an advance replacement ship before the deposit is received (R-51)."""

    _name = "rma.deposit.waiver.wizard"
    _description = "Ship a Replacement Without Deposit"

    request_id = fields.Many2one("rma.request", required=True, readonly=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.request_id.action_waive_deposit(self.reason)
        return {"type": "ir.actions.act_window_close"}
