from odoo import api, fields, models
from odoo.exceptions import UserError


class RmaApprovalLine(models.Model):
    """A step of a request's approval, with its signer and, once decided, its signature
    (签字 / 签字时间)."""

    _name = "rma.approval.line"
    _description = "Return Approval"
    _order = "request_id, sequence, id"
    # Append-only: a signature is created and signed by the process, never edited or deleted.
    _inherit = ["rma.process.guard"]
    _rma_process_fields = "__all__"

    request_id = fields.Many2one("rma.request", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    # Steps in use can be archived, not deleted: the line shows the step's name in the
    # reader's language.
    step_id = fields.Many2one("rma.approval.step", string="Configured Step", required=True, ondelete="restrict")
    name = fields.Char(related="step_id.name", string="Step")
    sequence = fields.Integer(required=True)
    # Who may sign: one person (a user step, the team leader, or after a reassignment), or any
    # member of the group.
    signer_id = fields.Many2one("res.users", readonly=True)
    group_id = fields.Many2one("res.groups", string="Approvers", readonly=True)
    signer_display = fields.Char(string="To Be Signed By", compute="_compute_signer_display")
    state = fields.Selection(
        [("pending", "Pending"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="pending", required=True,
    )
    user_id = fields.Many2one("res.users", string="Signed By", readonly=True)
    date = fields.Datetime(string="Signed On", readonly=True)
    opinion = fields.Text(readonly=True)
    reassign_note = fields.Text(string="Reassigned", readonly=True,
                                help="Who moved the step to another signer, and why.")
    # A reset or a change of the lines starts the approval again: the old steps stay in the
    # history, superseded, with their signatures.
    active = fields.Boolean(default=True, readonly=True, string="Current",
                            help="Unticked once the approval started again: the step is history.")
    superseded_date = fields.Datetime(string="Superseded On", readonly=True)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._(
            "Approval steps are the request's signed history: they can't be deleted. A reset keeps "
            "them as superseded."
        ))

    @api.depends("signer_id", "group_id")
    def _compute_signer_display(self):
        for approval in self:
            approval.signer_display = approval.signer_id.name or approval.group_id.display_name or False

    def _signers(self):
        """The users who may sign this step."""
        self.ensure_one()
        if self.signer_id:
            return self.signer_id
        return self.group_id.all_user_ids.filtered(lambda user: not user.share)
