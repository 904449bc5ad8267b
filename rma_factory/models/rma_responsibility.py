from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_list

from .rma_process_guard import check_process_values

COST_BEARERS = [
    ("sales", "Sales Department"),
    ("production", "Production"),
    ("company", "Company Decision"),
    ("customer", "Customer"),
    ("carrier", "Carrier (Claim)"),
]


class RmaResponsibilityCategory(models.Model):
    """Cause category → who bears the cost (R-43); the seeds' rule, kept as a table so that each
    factory can adapt it. The analytic account is where the accounting issue charges the cost."""

    _name = "rma.responsibility.category"
    _description = "Return Responsibility Category"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(string="Cause", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    cost_bearer = fields.Selection(COST_BEARERS, string="Cost Borne By", required=True)
    department = fields.Char(string="Responsible Department", translate=True)
    # No check_company: the default categories are shared by all companies (no company) while
    # analytic accounts usually belong to one; the request only takes an account of its own company.
    analytic_account_id = fields.Many2one(
        "account.analytic.account", string="Department Analytic Account",
        domain="[('company_id', 'in', [company_id or current_company_id, False])]",
        help="The cost of scrap and rework is charged to this account.",
    )
    description = fields.Text(translate=True)


class RmaAssessment(models.Model):
    """Assessment of a responsible person (考核明细): the person is told and records their own
    opinion (个人意见); nobody else can write it, and they can write nothing else (R-43)."""

    _name = "rma.assessment"
    _description = "Return Responsibility Assessment"
    _inherit = ["mail.thread", "rma.activity.mixin", "rma.request.document"]
    _rma_process_fields = ("opinion_date",)
    _rma_fixed_fields = ("request_id",)
    _order = "request_id, id"
    _check_company_auto = True

    request_id = fields.Many2one(
        "rma.request", string="Return Request", required=True, ondelete="cascade", index=True, check_company=True,
    )
    request_name = fields.Char(related="request_id.name", string="Request")
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="request_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Person", required=True, index=True, domain="[('share', '=', False)]",
    )
    department = fields.Char()
    points = fields.Float()
    amount = fields.Monetary()
    reason = fields.Text(required=True)
    opinion = fields.Text(string="Personal Opinion", tracking=True, help="个人意见: written by the person only.")
    opinion_date = fields.Datetime(string="Opinion Recorded On", readonly=True)
    is_mine = fields.Boolean(compute="_compute_is_mine")
    can_assess = fields.Boolean(compute="_compute_is_mine")

    # Fields a manager sets when assessing; the opinion belongs to the assessed person.
    _ASSESSOR_FIELDS = {"request_id", "user_id", "department", "points", "amount", "reason"}

    def _compute_display_name(self):
        for assessment in self:
            # request_name is read as superuser: the assessed person may not see the request.
            assessment.display_name = f"{assessment.request_name} - {assessment.user_id.name}"

    def _compute_is_mine(self):
        can_assess = self.env.user.has_group("rma_factory.group_rma_quality")
        for assessment in self:
            assessment.is_mine = assessment.user_id == self.env.user
            assessment.can_assess = can_assess

    @api.model_create_multi
    def create(self, vals_list):
        self._check_assessor()
        assessments = super().create(vals_list)
        assessments._check_not_approved_by_gm()
        assessments._notify_assessed_person()
        return assessments

    def write(self, vals):
        check_process_values(self, vals)
        if vals.keys() & self._ASSESSOR_FIELDS:
            self._check_assessor()
            self._check_not_approved_by_gm()
        if "opinion" in vals:
            others = self.filtered(lambda a: a.user_id != self.env.user)
            if others and not self.env.su:
                raise AccessError(self.env._(
                    "Only %(people)s can record their own opinion.",
                    people=format_list(self.env, others.user_id.mapped("name")),
                ))
            vals = dict(vals, opinion_date=fields.Datetime.now())
        # The client's values are checked above; the opinion's date is the process's.
        result = super(RmaAssessment, self._rma_process()).write(vals)
        if "user_id" in vals:
            self.activity_unlink(["mail.mail_activity_data_todo"])
            self._notify_assessed_person()
        if "opinion" in vals:
            self.activity_feedback(["mail.mail_activity_data_todo"])
        return result

    def unlink(self):
        self._check_assessor()
        self._check_not_approved_by_gm()
        return super().unlink()

    def _check_not_approved_by_gm(self):
        """The GM approved the internal disposition with its responsibility and these points and
        amounts (R-71): they stay as approved; the assessed person's opinion is still theirs."""
        approved = self.sudo().request_id.filtered(lambda request: request.state == "gm_approved")
        if approved and not self.env.su:
            raise UserError(self.env._(
                "%(requests)s: the general manager approved the responsibility and its assessments; "
                "they no longer change.", requests=format_list(self.env, approved.mapped("name")),
            ))

    def _check_assessor(self):
        if not self.env.su and not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise AccessError(self.env._("Only QA and management assess responsibility."))

    def _notify_assessed_person(self):
        for assessment in self:
            assessment.message_subscribe(partner_ids=assessment.user_id.partner_id.ids)
            assessment.activity_schedule(
                "mail.mail_activity_data_todo", user_id=assessment.user_id.id,
                summary=self.env._("You are assessed on %(request)s: record your opinion",
                                   request=assessment.request_id.name),
                note=assessment.reason,
            )
