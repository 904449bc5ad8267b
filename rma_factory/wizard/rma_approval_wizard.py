from odoo import api, fields, models


class RmaApprovalWizard(models.TransientModel):
    """Sign the current approval step: approve or reject, with an opinion (审批意见)."""

    _name = "rma.approval.wizard"
    _description = "Approve or Reject a Return Request"

    request_id = fields.Many2one("rma.request", required=True, readonly=True)
    approval_id = fields.Many2one("rma.approval.line", string="Step", readonly=True)
    step_name = fields.Char(related="approval_id.name", string="Step Name")
    decision = fields.Selection([("approve", "Approve"), ("reject", "Reject")], required=True,
                                default="approve")
    opinion = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # Remember the step shown to the user: if someone signs it meanwhile, this one won't
        # silently sign the next step.
        request = self.env["rma.request"].browse(values.get("request_id"))
        if request and "approval_id" in fields_list:
            values.setdefault("approval_id", request.current_approval_id.id)
        return values

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "approve":
            self.request_id._action_approve_step(self.opinion, self.approval_id)
        else:
            self.request_id._action_reject(self.opinion, self.approval_id)
        return {"type": "ir.actions.act_window_close"}
