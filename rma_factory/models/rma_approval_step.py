from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount

SIGNER_TYPES = [
    ("team_leader", "Sales Team Leader"),
    ("user", "User"),
    ("group", "Group"),
]


class RmaApprovalStep(models.Model):
    """One configurable step of the approval chain (R-20)."""

    _name = "rma.approval.step"
    _description = "Return Approval Step"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True,
        help="Leave empty for a step that applies to every company.",
    )
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id",
        help="Amounts are in the currency of the request's company.",
    )
    signer_type = fields.Selection(
        SIGNER_TYPES, string="Signed By", required=True, default="group",
        help="Who signs this step: one user, the leader of the request's sales team (the group's "
        "members when the team has no leader), or any member of a group.",
    )
    user_id = fields.Many2one(
        "res.users", string="Signer", domain="[('share', '=', False)]", ondelete="restrict",
        help="The person who signs this step.",
    )
    group_id = fields.Many2one(
        "res.groups", string="Approvers", ondelete="restrict",
        help="Members of this group approve or reject at this step (for a team leader step: when "
        "the request's team has no leader).",
    )
    min_amount = fields.Monetary(
        string="Applies Over (0: no limit)", help="The step applies only when the request total is over this amount "
        "(0: no lower limit).",
    )
    max_amount = fields.Monetary(
        string="Applies Up To (0: no limit)", help="The step applies only when the request total is at most this "
        "amount (0: no upper limit).",
    )

    amount_range = fields.Char(
        string="Applies To", compute="_compute_amount_range",
        help="The request totals this step applies to.",
    )

    _amounts_positive = models.Constraint(
        "CHECK (min_amount >= 0 AND max_amount >= 0)", "Approval amounts can't be negative."
    )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for step in self:
            step.currency_id = (step.company_id or self.env.company).currency_id

    @api.depends("min_amount", "max_amount", "currency_id")
    def _compute_amount_range(self):
        for step in self:
            low = format_amount(self.env, step.min_amount, step.currency_id) if step.min_amount else False
            high = format_amount(self.env, step.max_amount, step.currency_id) if step.max_amount else False
            if low and high:
                step.amount_range = self.env._("Over %(low)s, up to %(high)s", low=low, high=high)
            elif low:
                step.amount_range = self.env._("Over %(low)s", low=low)
            elif high:
                step.amount_range = self.env._("Up to %(high)s", high=high)
            else:
                step.amount_range = self.env._("Any amount")

    @api.constrains("min_amount", "max_amount")
    def _check_amount_range(self):
        for step in self:
            if step.max_amount and step.min_amount >= step.max_amount:
                raise ValidationError(self.env._(
                    "Step %(step)s: 'Applies Over' must be below 'Applies Up To'.", step=step.name
                ))

    @api.constrains("signer_type", "user_id", "group_id")
    def _check_signer(self):
        for step in self:
            if step.signer_type == "user" and not step.user_id:
                raise ValidationError(self.env._("Step %(step)s: choose the user who signs it.", step=step.name))
            if step.signer_type in ("group", "team_leader") and not step.group_id:
                raise ValidationError(self.env._(
                    "Step %(step)s: choose the group whose members sign it.", step=step.name))

    def _signer_values(self, request):
        """Who signs this step of `request`: a user, or the members of a group."""
        self.ensure_one()
        user = self.user_id if self.signer_type == "user" else (
            request.team_id.user_id if self.signer_type == "team_leader" else self.env["res.users"]
        )
        return {"signer_id": user.id, "group_id": False if user else self.group_id.id}

    def _applies_to(self, request):
        self.ensure_one()
        if self.company_id and self.company_id != request.company_id:
            return False
        total = request.amount_total
        if self.min_amount and not total > self.min_amount:
            return False
        return not (self.max_amount and total > self.max_amount)
