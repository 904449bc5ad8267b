from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date


class RmaFeedback(models.Model):
    """Customer feedback and how it was handled (顾客反馈及处理记录, R-72)."""

    _name = "rma.feedback"
    _description = "Customer Feedback"
    # The guard bounds the dates (no year 9999); no field of a feedback is the process's.
    _inherit = ["mail.thread", "rma.process.guard"]
    _order = "date desc, id desc"
    _check_company_auto = True

    request_id = fields.Many2one("rma.request", string="Return Request", index=True, check_company=True,
                                 ondelete="cascade")
    # Computed, not defaulted: a default company would keep the web client's form from computing
    # the customer of a new entry from its request (one compute fills both).
    company_id = fields.Many2one("res.company", required=True,
                                 compute="_compute_from_request", store=True, readonly=False,
                                 precompute=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, check_company=True,
                                 compute="_compute_from_request", store=True, readonly=False,
                                 precompute=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    content = fields.Text(string="Feedback", required=True)
    measure = fields.Text(string="Measure Taken")
    handler_id = fields.Many2one("res.users", string="Handled By", default=lambda self: self.env.user,
                                 domain="[('share', '=', False)]", tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("in_progress", "In Progress"), ("done", "Resolved")],
        default="open", required=True, tracking=True, string="Status",
    )

    @api.depends("request_id")
    def _compute_from_request(self):
        for feedback in self:
            if feedback.request_id:
                feedback.company_id = feedback.request_id.company_id
                feedback.partner_id = feedback.request_id.commercial_partner_id
            else:
                feedback.company_id = feedback.company_id or self.env.company
                feedback.partner_id = feedback.partner_id

    @api.constrains("date", "partner_id", "request_id", "state", "measure")
    def _check_feedback(self):
        today = fields.Date.context_today(self)
        for feedback in self:
            if feedback.date > today:
                raise ValidationError(self.env._(
                    "Feedback of %(date)s: the date is in the future.", date=format_date(self.env, feedback.date)))
            request = feedback.request_id.sudo()
            if request and feedback.partner_id.commercial_partner_id != request.commercial_partner_id:
                raise ValidationError(self.env._(
                    "The feedback on %(request)s is %(customer)s's: it can't name another customer.",
                    request=request.name, customer=request.partner_id.display_name,
                ))
            if feedback.state == "done" and not (feedback.measure or "").strip():
                raise ValidationError(self.env._(
                    "Write the measure taken before marking the feedback resolved."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_request_worked_on(
            self.env["rma.request"].browse({vals["request_id"] for vals in vals_list if vals.get("request_id")})
        )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("request_id"):
            self._check_request_worked_on(self.env["rma.request"].browse(vals["request_id"]))
        if "state" in vals and vals["state"] != "done":
            self._check_may_reopen()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_resolved(self):
        # The feedback log (顾客反馈及处理记录, R-72) keeps what was resolved and how.
        if any(feedback.state == "done" for feedback in self):
            raise UserError(self.env._(
                "A resolved feedback stays in the customer feedback log: it can't be deleted."))

    def _check_request_worked_on(self, requests):
        """Feedback goes on a request the user works on (they read it): the handler's rule would
        otherwise show them another team's request. A closed request takes feedback too: a
        customer's word after the closing (the reworked pumps are noisy) is logged on it."""
        if self.env.su or not requests:
            return
        try:
            requests.check_access("read")
        except AccessError:
            raise AccessError(self.env._(
                "You can only log feedback on the return requests you work on.")) from None

    def _check_may_reopen(self):
        """A resolved feedback is reopened by its handler or a returns approver, not by anyone."""
        if self.env.su or self.env.user.has_group("rma_factory.group_rma_approver"):
            return
        others = self.filtered(lambda f: f.state == "done" and f.handler_id != self.env.user)
        if others:
            raise AccessError(self.env._(
                "Only its handler or a returns approver reopens a resolved feedback."))
