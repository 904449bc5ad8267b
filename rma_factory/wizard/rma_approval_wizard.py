from odoo import api, fields, models


class RmaApprovalWizard(models.TransientModel):
    """Sign the current approval step: approve or reject, with an opinion (审批意见)."""

    _name = "rma.approval.wizard"
    _description = "Approve or Reject a Return Request"

    request_id = fields.Many2one("rma.request", required=True, readonly=True)
    step_name = fields.Char(related="request_id.current_approval_id.name", string="Step")
    decision = fields.Selection([("approve", "Approve"), ("reject", "Reject")], required=True,
                                default="approve")
    opinion = fields.Text(string="Opinion")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "rma.request" and "request_id" in fields_list:
            values.setdefault("request_id", self.env.context.get("active_id"))
        return values

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "approve":
            self.request_id._action_approve_step(self.opinion)
        else:
            self.request_id._action_reject(self.opinion)
        return {"type": "ir.actions.act_window_close"}
