from odoo import api, fields, models
from odoo.exceptions import UserError

# Decided by QA and management only.
RESPONSIBILITY_FIELDS = {"responsibility_category_id", "responsible_analytic_account_id", "responsibility_note"}


class RmaRequest(models.Model):
    """Responsibility decision on the request (责任判定)."""

    _inherit = "rma.request"

    responsibility_category_id = fields.Many2one(
        "rma.responsibility.category", string="Cause Category", tracking=True, check_company=True,
        groups="base.group_user",
    )
    responsibility_bearer = fields.Selection(
        related="responsibility_category_id.cost_bearer", string="Cost Borne By (Responsibility)", store=True,
        groups="base.group_user",
    )
    responsible_department = fields.Char(related="responsibility_category_id.department", groups="base.group_user")
    responsible_analytic_account_id = fields.Many2one(
        "account.analytic.account", string="Charged Analytic Account", tracking=True, check_company=True,
        compute="_compute_responsible_analytic_account", store=True, readonly=False,
        help="Taken from the cause category; the accounting of scrap and rework costs uses it.",
        groups="base.group_user",
    )
    responsibility_note = fields.Text(string="Responsibility Decision", groups="base.group_user")
    assessment_ids = fields.One2many("rma.assessment", "request_id", string="Assessments", groups="base.group_user")

    @api.depends("responsibility_category_id")
    def _compute_responsible_analytic_account(self):
        Account = self.env["account.analytic.account"]
        for request in self:
            account = request.responsibility_category_id.analytic_account_id
            request.responsible_analytic_account_id = account.filtered_domain(
                Account._check_company_domain(request.company_id))

    def _check_editable(self, vals):
        result = super()._check_editable(vals)
        if vals.keys() & RESPONSIBILITY_FIELDS and not self.env.su \
                and not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise UserError(self.env._("Only QA and management decide who is responsible."))
        return result
