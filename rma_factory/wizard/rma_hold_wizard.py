from odoo import fields, models


class RmaHoldWizard(models.TransientModel):
    """Put a return receipt on hold because its paperwork is incomplete (手续不齐全，暂缓办理)."""

    _name = "rma.hold.wizard"
    _description = "Put a Return Receipt on Hold"

    picking_id = fields.Many2one("stock.picking", required=True, readonly=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.picking_id.action_rma_put_on_hold(self.reason)
        return {"type": "ir.actions.act_window_close"}
