"""The RMA report (顾客退换货答复报告, R-70, #14; seed 产品退换RMA处理程序 4.7–4.10).

QA writes it from the analysis (the inspections, the joint review and its corrective actions),
sends it to the customer (e-mail with the PDF, and the portal), and the customer answers it:
accepts the corrective action or disagrees with a comment. Unanswered for the company's number
of days after its sending, it counts as accepted (``_cron_accept_unanswered``). A disagreement
opens a new joint review round; the next report is a new version of the same request's report,
the earlier ones stay as its history.

Its content is QA's text until it is sent; from then on only the process writes it: the PDF the
customer got is kept (``pdf_id``), and the accepted one, with the customer's answer, is filed on
the request (综合备案)."""
import logging
from datetime import timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date, html2plaintext

from .res_partner import REPORT_LAYOUTS

_logger = logging.getLogger(__name__)

REPORT_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent, Awaiting the Answer"),
    ("accepted", "Accepted"),
    ("disagreed", "Disagreed"),
]
# 4.8 方式一/二/三: what happens to the customer's goods.
DISPOSITION_OFFERS = [
    ("returned_unchanged", "Option 1: Not Accepted, Goods Returned Unchanged"),
    ("repaired", "Option 2: Repaired and Sent Back"),
    ("replaced", "Option 3: Replaced"),
]
# The offer a disposition type suggests, the strongest first.
OFFER_OF_DISPOSITION = (("replace", "replaced"), ("refund", "replaced"), ("rework", "repaired"),
                        ("return_customer", "returned_unchanged"))
# QA's text, written while the report is a draft.
CONTENT_FIELDS = (
    "layout", "review_id", "problem_description", "inspection_summary", "cause_analysis", "responsibility",
    "containment", "corrective_actions", "verification", "preventive_actions", "disposition_offer",
    "disposition_note",
)


class RmaCustomerReport(models.Model):
    """One version of a request's RMA report (顾客退换货答复报告) and the customer's answer to it."""

    _name = "rma.customer.report"
    _description = "RMA Report to the Customer"
    _inherit = ["rma.request.document"]
    _order = "request_id, version desc"
    _check_company_auto = True
    _rma_process_fields = (
        "name", "version", "state", "issued_by_id", "sent_date", "answer_date", "answer_partner_id",
        "answer_comment", "accepted_silently", "pdf_id", "accepted_pdf_id", "reopened_review_id",
    )
    _rma_fixed_fields = ("request_id",)

    name = fields.Char(string="Number", required=True, readonly=True, copy=False)
    request_id = fields.Many2one(
        "rma.request", string="Return Request", required=True, ondelete="cascade", index=True, check_company=True,
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="request_id.partner_id", string="Customer")
    version = fields.Integer(required=True, readonly=True, default=1)
    state = fields.Selection(REPORT_STATES, default="draft", required=True, readonly=True, copy=False, index=True)
    layout = fields.Selection(
        REPORT_LAYOUTS, required=True, default="standard",
        help="The customer's preferred layout (the customer's setting): the seed's RMA report or an 8D report.",
    )
    # ---- the content (QA's text while a draft; filled from the analysis when prepared)
    review_id = fields.Many2one(
        "rma.review", string="Joint Review", domain="[('request_id', '=', request_id)]",
        help="The joint review whose conclusion the report answers with (8D: D1 the team).",
    )
    problem_description = fields.Text(string="Problem", help="8D D2: the products returned and their defects.")
    inspection_summary = fields.Text(string="Inspection Results", help="The samples taken and failed.")
    cause_analysis = fields.Html(help="8D D4: the root cause.")
    responsibility = fields.Text(
        help="As the customer may read it: the internal assessment of people stays out.",
    )
    containment = fields.Text(help="8D D3: quarantine of the returned goods, replacement.")
    corrective_actions = fields.Text(help="8D D5.")
    verification = fields.Text(string="Verification of the Actions", help="8D D6.")
    preventive_actions = fields.Text(help="8D D7.")
    disposition_offer = fields.Selection(DISPOSITION_OFFERS, string="Handling of the Goods")
    disposition_note = fields.Text(string="Handling Details")
    # ---- the process's record
    issued_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    sent_date = fields.Datetime(string="Sent On", readonly=True, copy=False, index=True)
    answer_deadline = fields.Date(string="Answer Expected By", compute="_compute_answer_deadline")
    answer_date = fields.Datetime(string="Answered On", readonly=True, copy=False)
    answer_partner_id = fields.Many2one("res.partner", string="Answered By", readonly=True, copy=False)
    answer_comment = fields.Text(string="Customer's Comment", readonly=True, copy=False)
    accepted_silently = fields.Boolean(
        string="Accepted Without Answer", readonly=True, copy=False,
        help="No answer within the configured days after the sending: taken as accepted (视为顾客同意并确认).",
    )
    pdf_id = fields.Many2one("ir.attachment", string="Sent PDF", readonly=True, copy=False)
    accepted_pdf_id = fields.Many2one("ir.attachment", string="Accepted PDF", readonly=True, copy=False)
    reopened_review_id = fields.Many2one(
        "rma.review", string="Review Reopened", readonly=True, copy=False,
        help="The joint review round the customer's disagreement opened.",
    )
    is_current = fields.Boolean(compute="_compute_is_current", string="Current Version")
    can_edit = fields.Boolean(compute="_compute_buttons")
    can_send = fields.Boolean(compute="_compute_buttons")
    can_record_answer = fields.Boolean(compute="_compute_buttons")

    _version_unique = models.Constraint(
        "UNIQUE (request_id, version)", "A request has one RMA report of each version.",
    )

    @api.depends("sent_date", "company_id.rma_report_answer_days")
    def _compute_answer_deadline(self):
        for report in self:
            report.answer_deadline = report._last_answer_day() if report.sent_date else False

    def _company_date(self, moment):
        """The date of `moment` where the company works (its working calendar's time zone), the
        same for the customer, QA and the scheduled job."""
        calendar = self.company_id._rma_working_calendar()
        tz = pytz.timezone((calendar and calendar.tz) or self.company_id.partner_id.tz or "UTC")
        return pytz.utc.localize(moment).astimezone(tz).date()

    def _last_answer_day(self):
        """Seed 4.9: the customer answers within the company's days counted from the sending date
        (day 0): the last of them is the deadline; the next day the report counts as accepted."""
        self.ensure_one()
        return self._company_date(self.sent_date) + timedelta(days=self.company_id.rma_report_answer_days - 1)

    @api.constrains("review_id", "request_id")
    def _check_review_of_the_request(self):
        for report in self:
            if report.review_id and report.review_id.request_id != report.request_id:
                raise ValidationError(self.env._(
                    "The RMA report of %(request)s answers with a joint review of that request.",
                    request=report.request_id.name,
                ))

    @api.depends("request_id.customer_report_ids.version")
    def _compute_is_current(self):
        for report in self:
            report.is_current = report == report.request_id.customer_report_ids.sorted("version")[-1:]

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_buttons(self):
        is_quality = self.env.user.has_group("rma_factory.group_rma_quality")
        # Sales (and QA) record an answer that came on paper; the request's own team only: the
        # write rights on the requests of the reports waiting for an answer, checked at once.
        waiting = self.filtered(lambda r: r.state == "sent" and r.is_current)
        writable = waiting.request_id._filtered_access("write")
        for report in self:
            report.can_edit = is_quality and report.state == "draft"
            report.can_send = report.can_edit and report.request_id.state not in ("done", "cancel")
            report.can_record_answer = report in waiting and report.request_id in writable

    @api.model_create_multi
    def create(self, vals_list):
        self._check_quality()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_quality()
        if set(vals) & set(CONTENT_FIELDS) and any(report.state != "draft" for report in self):
            raise UserError(self.env._(
                "An RMA report that was sent does not change: prepare a new version for the customer."
            ))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(report.state != "draft" for report in self):
            raise UserError(self.env._("A sent RMA report stays in the request's history: it can't be deleted."))
        if not self.env.su:
            self._check_quality()

    def _check_quality(self):
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise AccessError(self.env._("QA writes and sends the RMA report to the customer."))

    # ------------------------------------------------------------------ sending

    def action_send(self):
        """QA issues the report: the PDF is made once, e-mailed to the customer with its portal
        link and kept as the version the customer answers."""
        self._check_quality()
        for report in self:
            report._check_ready_to_send()
        self._check_action_allowed("can_send", self.env._("send"))
        for report in self:
            report._rma_process().write({
                "state": "sent", "issued_by_id": self.env.user.id, "sent_date": fields.Datetime.now(),
            })
            # sudo: a sent report is no longer QA's to write (the record rules), only the process's.
            report.sudo()._rma_process().write({"pdf_id": report._render_pdf(report._pdf_name()).id})
            report.request_id._notify_customer_report_sent(report)
        return True

    def _check_ready_to_send(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("%(report)s was already sent.", report=self.name))
        if not self.is_current:
            raise UserError(self.env._("Only the newest version of the RMA report is sent."))
        if self.request_id.state in ("done", "cancel"):
            raise UserError(self.env._("%(request)s is closed: no report is sent any more.",
                                       request=self.request_id.name))
        if not (html2plaintext(self.cause_analysis or "") or "").strip():
            raise UserError(self.env._("Write the cause analysis of the RMA report before sending it."))
        if not self.disposition_offer:
            raise UserError(self.env._("Choose how the customer's goods are handled (option 1, 2 or 3) before "
                                       "sending the RMA report."))
        if not (self.request_id.contact_id or self.request_id.partner_id).email:
            raise UserError(self.env._("The customer has no e-mail address: add it before sending the RMA report."))

    def _pdf_name(self):
        return f"{self.name.replace('/', '-')}.pdf"

    def _render_pdf(self, name):
        """The PDF of this version as it is now, kept as an attachment of the report."""
        self.ensure_one()
        report_action = self.env.ref("rma_factory.action_report_rma_customer_report").sudo()
        # Printed for the customer: no internal assessment in it.
        # In the customer's language: the report is written to them.
        lang = self.request_id._customer_report_lang()
        content, _fmt = report_action.with_context(rma_portal_report=True, lang=lang)._render_qweb_pdf(
            report_action.report_name, self.ids)
        return self.env["ir.attachment"].sudo().create({
            "name": name, "raw": content, "mimetype": "application/pdf",
            "res_model": self._name, "res_id": self.id,
        })

    # ------------------------------------------------------------------ the customer's answer

    def _customer_answer(self, partner, accept, comment="", recorded_by=None):
        """`partner` (the customer, on the portal or through the e-mailed link) accepts the
        corrective action or disagrees with `comment`. Run as the process: the customer writes
        nothing else."""
        self.ensure_one()
        report = self.sudo()
        comment = (comment or "").strip()
        if report.state != "sent" or not report.is_current:
            raise UserError(self.env._("This RMA report is not waiting for your answer any more."))
        if not accept and not comment:
            raise UserError(self.env._("Please tell us in a comment why you disagree with the report."))
        report._rma_process().write({
            "state": "accepted" if accept else "disagreed", "answer_date": fields.Datetime.now(),
            "answer_partner_id": partner.id, "answer_comment": comment[:2000] or False,
        })
        report = report.with_context(rma_answer_recorded_by=recorded_by.id if recorded_by else False)
        if accept:
            report._on_accepted()
        else:
            report._on_disagreed()
        return report

    def _on_accepted(self):
        """The accepted version, with the answer, goes into the request's file (综合备案); QA
        hears it and can close the request."""
        for report in self:
            pdf = report._render_pdf(self.env._("%(name)s accepted.pdf", name=report.name.replace("/", "-")))
            report._rma_process().write({"accepted_pdf_id": pdf.id})
            report.request_id._on_customer_report_answered(report)

    def _on_disagreed(self):
        """Seed 4.10: the analysis is taken up again in a new joint review round, with the
        customer's comment, and QA is asked for a new version."""
        for report in self:
            previous = report.review_id or report.request_id.review_ids.sorted("review_date")[-1:]
            host = report.issued_by_id or previous.host_id
            review = self.env["rma.review"].with_user(host or self.env.user).sudo()._rma_process().create({
                "request_id": report.request_id.id,
                "host_id": host.id,
                "participant_ids": [Command.set((previous.participant_ids | previous.host_id).ids)],
                "decision": previous.decision,
                "decision_note": previous.decision_note,
                "customer_comment": report.answer_comment,
                "reopened_from_report_id": report.id,
            })
            report._rma_process().write({"reopened_review_id": review.id})
            report.request_id._on_customer_report_answered(report)

    def action_record_customer_answer(self):
        self.ensure_one()
        self._check_action_allowed("can_record_answer", self.env._("record the customer's answer to"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record the Customer's Answer"),
            "res_model": "rma.customer.answer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_report_id": self.id,
                        "default_partner_id": (self.request_id.contact_id or self.request_id.partner_id).id},
        }

    def _record_customer_answer(self, partner, accept, comment):
        """Staff enter the answer the customer gave outside the portal, as the customer's."""
        self.ensure_one()
        self._check_action_allowed("can_record_answer", self.env._("record the customer's answer to"))
        if partner.commercial_partner_id != self.request_id.commercial_partner_id:
            raise UserError(self.env._("The answer comes from the customer of %(request)s.",
                                       request=self.request_id.name))
        return self._customer_answer(partner, accept, comment, recorded_by=self.env.user)

    # ------------------------------------------------------------------ silent acceptance

    @api.model
    def _cron_accept_unanswered(self):
        """Seed 4.9: a report the customer left unanswered for the company's number of days after
        its sending counts as accepted (视为顾客同意并确认)."""
        now = fields.Datetime.now()
        waiting = self.sudo().search([("state", "=", "sent")])
        unanswered = waiting.filtered(lambda r: r.is_current and r._company_date(now) > r._last_answer_day())
        for report in unanswered:
            # One report that fails (its PDF) does not hold back the others.
            try:
                with self.env.cr.savepoint():
                    report._rma_process().write({"state": "accepted", "accepted_silently": True, "answer_date": now})
                    report._on_accepted()
            except Exception:
                _logger.exception("The RMA report %s could not be accepted without answer", report.name)

    @staticmethod
    def _portal_text(html):
        return (html2plaintext(html or "") or "").strip()

    def _answer_request(self):
        """What the customer is asked, on the report and the portal (seed 4.9)."""
        self.ensure_one()
        days = self.company_id.rma_report_answer_days
        if not self.answer_deadline:
            return self.env._(
                "Without an answer within %(days)s days of the sending, the report is deemed agreed and confirmed "
                "by the customer.", days=days,
            )
        return self.env._(
            "Please answer by %(deadline)s. Without an answer within %(days)s days of the sending, the report is "
            "deemed agreed and confirmed by the customer.",
            deadline=format_date(self.env, self.answer_deadline), days=days,
        )

    def _answer_summary(self):
        """The customer's answer in one sentence, for the request and the portal."""
        self.ensure_one()
        if self.state == "accepted" and self.accepted_silently:
            return self.env._(
                "No answer was received within %(days)s days of the sending: the report is deemed agreed and "
                "confirmed by the customer.", days=self.company_id.rma_report_answer_days,
            )
        if self.state == "accepted":
            return self.env._("Accepted by %(customer)s on %(date)s.", customer=self.answer_partner_id.name,
                              date=format_date(self.env, self.answer_date))
        if self.state == "disagreed":
            return self.env._("%(customer)s disagrees (%(date)s): %(comment)s", customer=self.answer_partner_id.name,
                              date=format_date(self.env, self.answer_date), comment=self.answer_comment)
        if self.state == "sent":
            return self.env._("Sent on %(date)s; the answer is expected by %(deadline)s.",
                              date=format_date(self.env, self.sent_date),
                              deadline=format_date(self.env, self.answer_deadline))
        return self.env._("Draft")
