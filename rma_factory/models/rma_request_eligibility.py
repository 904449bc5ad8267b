from odoo import api, fields, models
from odoo.exceptions import UserError

from .rma_request import DRAFT_STATES


class RmaRequest(models.Model):
    """Eligibility (退换货的标准, R-13): A (in warranty) is mandatory, plus one of B, C or D."""

    _inherit = "rma.request"
    _rma_process_fields = ("eligibility_override", "eligibility_override_reason", "eligibility_override_uid")

    in_warranty = fields.Boolean(
        string="A: In Warranty", compute="_compute_eligibility", store=True,
        help="Criterion A, mandatory: every line is within its warranty, counted from delivery.",
    )
    criterion_quality = fields.Boolean(
        string="B: Quality", tracking=True,
        help="The product does not meet the contract's acceptance standard.",
    )
    criterion_finance = fields.Boolean(
        string="C: Finance", tracking=True,
        help="Goods delivered, but the customer cannot pay after repeated contact.",
    )
    criterion_other = fields.Boolean(
        string="D: Other Major Change", tracking=True,
        help="A major change at the customer: wrong model chosen, partnership dissolved, "
        "change of business, bad business condition.",
    )
    criterion_other_reason = fields.Selection(
        [
            ("wrong_model", "Wrong Model Chosen"),
            ("partnership_dissolved", "Partnership Dissolved"),
            ("business_change", "Change of Business"),
            ("bad_condition", "Bad Business Condition"),
            ("other", "Other"),
        ],
        string="Major Change", tracking=True,
    )
    slow_sales = fields.Boolean(
        string="Slow Sales at Customer", tracking=True,
        help="The goods expired or aged at the customer because they sold slowly (滞销): "
        "such returns are the customer's own business and are not accepted.",
    )
    eligibility_state = fields.Selection(
        [("eligible", "Eligible"), ("ineligible", "Not Eligible"), ("overridden", "Overridden")],
        compute="_compute_eligibility", store=True, string="Eligibility", index=True,
    )
    eligibility_problems = fields.Text(compute="_compute_eligibility_problems")
    eligibility_override = fields.Boolean(string="Eligibility Overridden", readonly=True, copy=False,
                                          tracking=True)
    eligibility_override_reason = fields.Text(
        string="Override Reason", readonly=True, copy=False, groups="base.group_user",
    )
    eligibility_override_uid = fields.Many2one("res.users", string="Overridden By", readonly=True,
                                               copy=False)
    can_override_eligibility = fields.Boolean(compute="_compute_can_override_eligibility")

    @api.depends("state", "eligibility_state", "slow_sales")
    @api.depends_context("uid")
    def _compute_can_override_eligibility(self):
        is_manager = self.env.user.has_group("rma_factory.group_rma_manager")
        for request in self:
            request.can_override_eligibility = (
                is_manager and request.state in DRAFT_STATES and request.eligibility_state == "ineligible"
                and not request.slow_sales
            )

    @api.depends(
        "line_ids.in_warranty", "line_ids.warranty_end_date", "criterion_quality", "criterion_finance",
        "criterion_other", "criterion_other_reason", "slow_sales", "eligibility_override",
    )
    def _compute_eligibility(self):
        for request in self:
            problems = request._eligibility_problem_list()
            request.in_warranty = bool(request.line_ids) and all(request.line_ids.mapped("in_warranty"))
            if not problems:
                request.eligibility_state = "eligible"
            elif request.eligibility_override and not request.slow_sales:
                request.eligibility_state = "overridden"
            else:
                request.eligibility_state = "ineligible"

    @api.depends(
        "line_ids.in_warranty", "line_ids.warranty_end_date", "criterion_quality", "criterion_finance",
        "criterion_other", "criterion_other_reason", "slow_sales",
    )
    def _compute_eligibility_problems(self):
        for request in self:
            request.eligibility_problems = "\n".join(request._eligibility_problem_list()) or False

    def _eligibility_problem_list(self):
        self.ensure_one()
        problems = [problem for line in self.line_ids if (problem := line._warranty_problem())]
        if not (self.criterion_quality or self.criterion_finance or self.criterion_other):
            problems.append(self.env._(
                "Tick at least one of B (quality), C (finance) or D (other major change)."
            ))
        if self.criterion_other and not self.criterion_other_reason:
            problems.append(self.env._("Criterion D needs the major change that happened."))
        if self.slow_sales:
            problems.append(self.env._(
                "Goods that expired at the customer because of slow sales are the customer's own "
                "business (滞销): such a return is not accepted."
            ))
        return problems

    def _check_can_submit(self):
        result = super()._check_can_submit()
        self._check_eligibility()
        return result

    def _check_eligibility(self):
        for request in self:
            if request.eligibility_state == "ineligible":
                raise UserError(self.env._(
                    "%(request)s is not eligible for return:\n%(problems)s",
                    request=request.name, problems=request.eligibility_problems,
                ))

    def _override_eligibility(self, reason):
        if not self.env.user.has_group("rma_factory.group_rma_manager"):
            raise UserError(self.env._("Only a Returns manager can override the eligibility rules."))
        if not (reason or "").strip():
            raise UserError(self.env._("Write why the rules are overridden."))
        for request in self:
            if request.slow_sales:
                raise UserError(self.env._(
                    "%(request)s: returns caused by the customer's slow sales are refused; "
                    "this can't be overridden.", request=request.name,
                ))
            request._rma_process().write({
                "eligibility_override": True,
                "eligibility_override_reason": reason,
                "eligibility_override_uid": self.env.user.id,
            })
            request._log_action(self.env._(
                "Eligibility rules overridden by %(user)s. Reason: %(reason)s\nProblems overridden:\n%(problems)s",
                user=self.env.user.name, reason=reason, problems=request._eligibility_problem_list_text(),
            ))

    def _eligibility_problem_list_text(self):
        return "\n".join(self._eligibility_problem_list())

    def action_override_eligibility(self):
        self._check_action_allowed("can_override_eligibility", self.env._("override the eligibility of"))
        return self._open_wizard("rma.eligibility.override.wizard", self.env._("Override Eligibility"))
