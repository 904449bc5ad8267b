from odoo import fields, models


class RmaApprovalReassignWizard(models.TransientModel):
    """A manager gives the waiting approval step to another signer, with the reason (logged)."""

    _name = "rma.approval.reassign.wizard"
    _description = "Reassign an Approval Step"

    request_id = fields.Many2one("rma.request", required=True, readonly=True)
    approval_id = fields.Many2one(related="request_id.current_approval_id", string="Step")
    current_signer = fields.Char(related="approval_id.signer_display", string="Now Signed By")
    user_id = fields.Many2one(
        "res.users", string="New Signer", required=True,
        domain="[('share', '=', False)]",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.request_id._reassign_current_step(self.user_id, self.reason)
        return {"type": "ir.actions.act_window_close"}
