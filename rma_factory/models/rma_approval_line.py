from odoo import fields, models


class RmaApprovalLine(models.Model):
    """A step of a request's approval, with its signature (签字 / 签字时间) once decided."""

    _name = "rma.approval.line"
    _description = "Return Approval"
    _order = "request_id, sequence, id"

    request_id = fields.Many2one("rma.request", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    # Steps in use can be archived, not deleted: the line shows the step's name in the
    # reader's language.
    step_id = fields.Many2one("rma.approval.step", string="Configured Step", required=True, ondelete="restrict")
    name = fields.Char(related="step_id.name", string="Step")
    sequence = fields.Integer(required=True)
    group_id = fields.Many2one("res.groups", string="Approvers", required=True)
    state = fields.Selection(
        [("pending", "Pending"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="pending", required=True,
    )
    user_id = fields.Many2one("res.users", string="Signed By", readonly=True)
    date = fields.Datetime(string="Signed On", readonly=True)
    opinion = fields.Text(readonly=True)
