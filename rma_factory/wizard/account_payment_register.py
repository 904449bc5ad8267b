from odoo import api, models


class AccountPaymentRegister(models.TransientModel):
    """Register Payment refuses a carrier's freight bill withheld for an open claim (R-33),
    whichever way the wizard is opened (form, list, server action, JSON-RPC)."""

    _inherit = "account.payment.register"

    @api.model
    def default_get(self, fields):
        result = super().default_get(fields)
        line_commands = result.get("line_ids") or []
        line_ids = [i for command in line_commands if command[0] == 6 for i in command[2]]
        if line_ids:
            self.env["account.move.line"].browse(line_ids).move_id._rma_check_payment_allowed()
        return result

    def _create_payments(self):
        self.line_ids.move_id._rma_check_payment_allowed()
        return super()._create_payments()
