from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
    group_id = fields.Many2one(
        "res.groups", string="Approvers", required=True, ondelete="restrict",
        help="Members of this group approve or reject at this step.",
    )
    min_amount = fields.Monetary(
        string="Applies Over", help="The step applies only when the request total is over this amount "
        "(0: no lower limit).",
    )
    max_amount = fields.Monetary(
        string="Applies Up To", help="The step applies only when the request total is at most this "
        "amount (0: no upper limit).",
    )

    _amounts_positive = models.Constraint(
        "CHECK (min_amount >= 0 AND max_amount >= 0)", "Approval amounts can't be negative."
    )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for step in self:
            step.currency_id = (step.company_id or self.env.company).currency_id

    @api.constrains("min_amount", "max_amount")
    def _check_amount_range(self):
        for step in self:
            if step.max_amount and step.min_amount >= step.max_amount:
                raise ValidationError(self.env._(
                    "Step %(step)s: 'Applies Over' must be below 'Applies Up To'.", step=step.name
                ))

    def _applies_to(self, request):
        self.ensure_one()
        if self.company_id and self.company_id != request.company_id:
            return False
        total = request.amount_total
        if self.min_amount and not total > self.min_amount:
            return False
        return not (self.max_amount and total > self.max_amount)
