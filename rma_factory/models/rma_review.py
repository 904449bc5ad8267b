from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_list, html2plaintext

from .rma_inspection import MAIL_FIELD_PREFIXES
from .rma_process_guard import changed_field_names, is_process_env

REVIEW_DECISIONS = [
    ("return", "Return"),
    ("exchange", "Exchange"),
    ("claim", "Claim"),
    ("other", "Other"),
]


class RmaReview(models.Model):
    """Joint review (会审) organised by QA once the goods are inspected (R-42)."""

    _name = "rma.review"
    _description = "Return Joint Review"
    _inherit = ["mail.thread", "rma.activity.mixin", "rma.request.document"]
    _rma_process_fields = ("state", "concluded_by_id", "concluded_date", "customer_comment", "reopened_from_report_id")
    _rma_fixed_fields = ("request_id",)
    _order = "review_date desc, id desc"
    _check_company_auto = True

    request_id = fields.Many2one(
        "rma.request", string="Return Request", required=True, ondelete="cascade", index=True, check_company=True,
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="request_id.currency_id")
    partner_id = fields.Many2one(related="request_id.partner_id", string="Customer")
    state = fields.Selection(
        [("draft", "In Preparation"), ("done", "Concluded")], default="draft", required=True,
        readonly=True, copy=False, tracking=True,
    )
    host_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, tracking=True,
        domain="[('share', '=', False)]",
    )
    participant_ids = fields.Many2many(
        "res.users", string="Participants", domain="[('share', '=', False)]",
    )
    review_date = fields.Datetime(string="Date", required=True, default=fields.Datetime.now)
    decision = fields.Selection(REVIEW_DECISIONS, tracking=True, help="对申请的判定")
    decision_note = fields.Char(string="Other Decision")
    cause_analysis = fields.Html()
    technical_analysis = fields.Html(help="The technical department's analysis.")
    cost_estimate = fields.Monetary(help="The technical department's cost estimate.")
    # The signature of the review's block on the paper forms (签字 / 签字时间).
    concluded_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    concluded_date = fields.Datetime(string="Concluded On", readonly=True, copy=False)
    # A round the customer's disagreement with the RMA report opened (seed 4.10).
    customer_comment = fields.Text(string="Customer's Disagreement", readonly=True, copy=False)
    reopened_from_report_id = fields.Many2one("rma.customer.report", string="Reopened by RMA Report",
                                              readonly=True, copy=False)
    can_conclude = fields.Boolean(compute="_compute_can_conclude")
    can_reopen = fields.Boolean(compute="_compute_can_conclude")

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_conclude(self):
        is_quality = self.env.user.has_group("rma_factory.group_rma_quality")
        for review in self:
            review.can_conclude = is_quality and review.state == "draft"
            review.can_reopen = is_quality and review.state == "done"
    capa_ids = fields.One2many("rma.capa", "review_id", string="Corrective & Preventive Actions")
    capa_open_count = fields.Integer(compute="_compute_capa_open_count", string="Open Actions")

    @api.depends("capa_ids.state")
    def _compute_capa_open_count(self):
        for review in self:
            review.capa_open_count = len(review.capa_ids.filtered(lambda c: c.state in ("open", "done")))

    def _compute_display_name(self):
        for review in self:
            # sudo: a participant (the technical department) may not read the request itself.
            review.display_name = self.env._("Joint Review of %(request)s", request=review.sudo().request_id.name)

    @api.model_create_multi
    def create(self, vals_list):
        reviews = super().create(vals_list)
        for review in reviews:
            review.message_subscribe(partner_ids=review.participant_ids.partner_id.ids)
            if review.reopened_from_report_id:
                # The customer's answer is the request's message for this round.
                continue
            review.request_id._log_action(self.env._(
                "Joint review %(review)s organised by %(host)s.",
                review=review._get_html_link(), host=review.host_id.name,
            ))
        return reviews

    # The technical department (RMA users) contributes its analysis and estimate; QA runs the rest.
    _TECHNICAL_FIELDS = {"technical_analysis", "cost_estimate"}

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group("rma_factory.group_rma_quality") \
                and set(vals) - self._TECHNICAL_FIELDS:
            raise AccessError(self.env._(
                "Only QA changes a joint review; the technical department writes its analysis and estimate."
            ))
        result = super().write(vals)
        if "participant_ids" in vals:
            for review in self:
                review.message_subscribe(partner_ids=review.participant_ids.partner_id.ids)
        return result

    def _rma_check_still_writable(self, vals):
        # What was concluded is what the participants signed: QA reopens the review to change it.
        # (Its corrective actions go on, as their own records, and so do its chatter and tasks.)
        result = super()._rma_check_still_writable(vals)
        concluded = self.filtered(lambda review: review.state != "draft")
        if concluded and changed_field_names(concluded, vals, {
                name for name in vals
                if name in self._fields and not name.startswith(MAIL_FIELD_PREFIXES) and name != "capa_ids"}):
            raise UserError(self.env._(
                "The joint review is concluded: its analysis can no longer change. QA reopens it first."
            ))
        return result

    def unlink(self):
        # Through the ORM: a cascade in the database would leave their owners' tasks pointing at
        # nothing (the activity menu then fails for them). A concluded review is refused first.
        self._unlink_only_in_preparation()
        self.capa_ids.unlink()
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_preparation(self):
        concluded = self.filtered(lambda review: review.state != "draft")
        if concluded and not is_process_env(self.env):
            raise UserError(self.env._(
                "%(reviews)s is concluded: it stays in the request's file and can't be deleted.",
                reviews=format_list(self.env, concluded.mapped("display_name")),
            ))

    @api.constrains("cost_estimate")
    def _check_cost_estimate(self):
        for review in self:
            if review.cost_estimate < 0:
                raise ValidationError(self.env._("The cost estimate of a joint review can't be negative."))

    def action_conclude(self):
        self._check_quality()
        for review in self:
            if review.state != "draft":
                raise UserError(self.env._("%(review)s is already concluded.", review=review.display_name))
            if not review.decision:
                raise UserError(self.env._("Record the joint review's decision before concluding it."))
            if review.decision == "other" and not review.decision_note:
                raise UserError(self.env._("Say what the other decision is."))
            if not review._html_has_text(review.cause_analysis):
                raise UserError(self.env._("Write the cause analysis before concluding the joint review."))
        self._check_action_allowed("can_conclude", self.env._("conclude"))
        self._rma_process().write({
            "state": "done", "concluded_by_id": self.env.user.id, "concluded_date": fields.Datetime.now(),
        })
        for review in self:
            review.request_id._log_action(self.env._(
                "Joint review concluded: %(decision)s.",
                decision=dict(self._fields["decision"]._description_selection(self.env))[review.decision],
            ))

    def action_reopen(self):
        self._check_quality()
        for review in self:
            if review.state != "done":
                raise UserError(self.env._("%(review)s is not concluded.", review=review.display_name))
        self._check_action_allowed("can_reopen", self.env._("reopen"))
        self._rma_process().write({"state": "draft", "concluded_by_id": False, "concluded_date": False})

    def _check_quality(self):
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise AccessError(self.env._("Only QA concludes or reopens a joint review."))

    @staticmethod
    def _html_has_text(html):
        return bool((html2plaintext(html or "") or "").strip())


class RmaCapa(models.Model):
    """A corrective or preventive action (纠正预防措施) decided in a joint review: its owner does it,
    QA verifies it (R-42)."""

    _name = "rma.capa"
    _description = "Corrective / Preventive Action"
    _inherit = ["mail.thread", "rma.activity.mixin", "rma.request.document"]
    _rma_process_fields = ("state", "verified_by_id", "verified_date")
    _rma_fixed_fields = ("review_id",)
    _order = "date_due, id"
    _check_company_auto = True

    review_id = fields.Many2one("rma.review", string="Joint Review", required=True, ondelete="cascade", index=True)
    request_id = fields.Many2one(related="review_id.request_id", store=True, index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    action_type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")], string="Type", required=True,
        default="corrective",
    )
    description = fields.Text(string="Action", required=True)
    owner_id = fields.Many2one(
        "res.users", required=True, tracking=True, domain="[('share', '=', False)]",
    )
    date_due = fields.Date(string="Due Date", required=True, tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("verified", "Verified"), ("cancel", "Cancelled")],
        default="open", required=True, readonly=True, copy=False, tracking=True, index=True,
    )
    result = fields.Text(help="What the owner did, with the evidence.")
    verification_note = fields.Text(string="QA Verification")
    verified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    verified_date = fields.Date(string="Verified On", readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue", string="Overdue")
    # For the form: QA edits the action, its owner only the result (see write()).
    can_manage = fields.Boolean(compute="_compute_user_rights")
    is_mine = fields.Boolean(compute="_compute_user_rights")
    can_cancel = fields.Boolean(compute="_compute_user_rights")
    can_mark_done = fields.Boolean(compute="_compute_user_rights")
    can_verify = fields.Boolean(compute="_compute_user_rights")

    @api.depends("state", "owner_id")
    @api.depends_context("uid")
    def _compute_user_rights(self):
        can_manage = self.env.user.has_group("rma_factory.group_rma_quality")
        for capa in self:
            capa.can_manage = can_manage
            capa.is_mine = capa.owner_id == self.env.user
            capa.can_cancel = can_manage and capa.state in ("open", "done")
            capa.can_mark_done = (can_manage or capa.is_mine) and capa.state == "open"
            capa.can_verify = can_manage and capa.state == "done"

    def _compute_display_name(self):
        for capa in self:
            capa.display_name = (capa.description or "").split("\n")[0][:60]

    @api.depends("state", "date_due")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for capa in self:
            capa.is_overdue = capa.state == "open" and capa.date_due and capa.date_due < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue actions."))
        overdue = [("state", "=", "open"), ("date_due", "<", fields.Date.context_today(self))]
        if (operator == "=") == value:
            return overdue
        return ["!", "&", *overdue]

    @api.model_create_multi
    def create(self, vals_list):
        capas = super().create(vals_list)
        capas._schedule_owner_activity()
        return capas

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open(self):
        # Done or verified, an action is part of the review's record; a wrong one is cancelled.
        recorded = self.filtered(lambda capa: capa.state != "open")
        if recorded and not is_process_env(self.env):
            raise UserError(self.env._(
                "%(actions)s is already done, verified or cancelled: it stays in the review's record.",
                actions=format_list(self.env, recorded.mapped("display_name")),
            ))

    # What the owner writes; the rest of the action (owner, due date, state, verification) is QA's.
    _OWNER_FIELDS = {"result"}

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group("rma_factory.group_rma_quality"):
            if vals.keys() - self._OWNER_FIELDS:
                raise AccessError(self.env._("Only QA changes a corrective action; its owner records the result."))
            others = self.filtered(lambda c: c.owner_id != self.env.user)
            if others:
                raise AccessError(self.env._(
                    "Only %(owners)s can record the result of their action.",
                    owners=format_list(self.env, others.owner_id.mapped("name")),
                ))
        result = super().write(vals)
        if "owner_id" in vals or "date_due" in vals:
            open_capas = self.filtered(lambda c: c.state == "open")
            open_capas.activity_unlink(["mail.mail_activity_data_todo"])
            open_capas._schedule_owner_activity()
        return result

    def _schedule_owner_activity(self):
        for capa in self:
            capa.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=capa.date_due, user_id=capa.owner_id.id,
                summary=self.env._("Corrective action for %(request)s", request=capa.request_id.sudo().name),
                note=capa.description,
            )

    def action_mark_done(self):
        is_quality = self.env.user.has_group("rma_factory.group_rma_quality")
        for capa in self:
            if capa.owner_id != self.env.user and not is_quality:
                raise UserError(self.env._("Only the owner of the action or QA marks it done."))
            if capa.state != "open":
                raise UserError(self.env._("Only open actions can be marked done."))
            if not (capa.result or "").strip():
                raise UserError(self.env._("Write the result of the action before marking it done."))
        self._check_action_allowed("can_mark_done", self.env._("mark done"))
        # The owner may not write the state directly (see write()); this button is their way.
        self.sudo()._rma_process().write({"state": "done"})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def action_verify(self):
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise UserError(self.env._("Only QA verifies corrective actions."))
        for capa in self:
            if capa.state != "done":
                raise UserError(self.env._("Only actions marked done can be verified."))
        self._check_action_allowed("can_verify", self.env._("verify"))
        self._rma_process().write({"state": "verified", "verified_by_id": self.env.user.id,
                    "verified_date": fields.Date.context_today(self)})

    def action_reject_verification(self):
        """QA is not satisfied: the action goes back to its owner."""
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise UserError(self.env._("Only QA verifies corrective actions."))
        if not all((capa.verification_note or "").strip() for capa in self):
            raise UserError(self.env._("Say in the QA verification why the action is not accepted."))
        self._check_action_allowed("can_verify", self.env._("refuse the verification of"))
        self._rma_process().write({"state": "open"})
        self._schedule_owner_activity()

    def action_cancel(self):
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise UserError(self.env._("Only QA cancels corrective actions."))
        self._check_action_allowed("can_cancel", self.env._("cancel"))
        self._rma_process().write({"state": "cancel"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
