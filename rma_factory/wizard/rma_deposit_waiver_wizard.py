from odoo import fields, models


class RmaDepositWaiverWizard(models.TransientModel):
    """A manager lets an advance replacement ship before the deposit is received, or keeps a
    deposit whose goods never came back (R-51): either way with a reason."""

    _name = "rma.deposit.waiver.wizard"
    _description = "Ship a Replacement Without Deposit"

    request_id = fields.Many2one("rma.request", required=True, readonly=True)
    reason = fields.Text(required=True)
    keep_deposit = fields.Boolean(default=lambda self: bool(self.env.context.get("rma_keep_deposit")))

    def action_confirm(self):
        self.ensure_one()
        if self.keep_deposit:
            self.request_id.action_keep_deposit(self.reason)
        else:
            self.request_id.action_waive_deposit(self.reason)
        return {"type": "ir.actions.act_window_close"}
