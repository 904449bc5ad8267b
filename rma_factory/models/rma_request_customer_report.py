"""The RMA report stage of the request (R-70, R-71; seed 4.7–4.11): QA prepares the answer to the
customer from the analysis, the customer answers it, and a request whose goods were analysed
closes only once its current report is accepted."""
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, plaintext2html

from .rma_customer_report import OFFER_OF_DISPOSITION, REPORT_STATES
from .rma_request import INSPECTED_STATES

# The goods were analysed and the request still moves: the report may be prepared and sent.
REPORTABLE_STATES = tuple(state for state in INSPECTED_STATES if state != "done")


class RmaRequest(models.Model):
    """The RMA report (顾客退换货答复报告) of the request and its versions."""

    _inherit = "rma.request"

    customer_report_ids = fields.One2many("rma.customer.report", "request_id", string="RMA Reports")
    customer_report_id = fields.Many2one(
        "rma.customer.report", string="RMA Report", compute="_compute_customer_report",
        help="The newest version of the RMA report: the one the customer answers.",
    )
    customer_report_state = fields.Selection(REPORT_STATES, string="RMA Report Status",
                                             compute="_compute_customer_report")
    customer_report_count = fields.Integer(compute="_compute_customer_report")
    can_prepare_customer_report = fields.Boolean(compute="_compute_can_prepare_customer_report")

    @api.depends("customer_report_ids.version", "customer_report_ids.state")
    def _compute_customer_report(self):
        for request in self:
            # sudo: counted for everyone who opens the request (the warehouse reads no reports).
            reports = request.sudo().customer_report_ids
            current = reports.sorted("version")[-1:]
            request.customer_report_id = current
            request.customer_report_state = current.state
            request.customer_report_count = len(reports)

    @api.depends("state", "customer_report_ids.state")
    @api.depends_context("uid")
    def _compute_can_prepare_customer_report(self):
        is_quality = self.env.user.has_group("rma_factory.group_rma_quality")
        for request in self:
            # A draft to complete, the first version, or the next one after a disagreement.
            request.can_prepare_customer_report = (
                is_quality and request.state in REPORTABLE_STATES
                and request.customer_report_state not in ("sent", "accepted")
            )

    # ------------------------------------------------------------------ QA prepares a version

    def action_prepare_customer_report(self):
        """Open the report's draft, or prepare the first version (or the next one, after the
        customer disagreed) from the analysis."""
        self.ensure_one()
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise UserError(self.env._("QA writes and sends the RMA report to the customer."))
        current = self.customer_report_id
        if current.state == "draft":
            self._check_action_allowed("can_prepare_customer_report", self.env._("prepare the RMA report of"))
            return self._open_records(current, self.env._("RMA Report"))
        if current.state == "sent":
            raise UserError(self.env._(
                "%(report)s is waiting for the customer's answer: a new version follows only if they disagree.",
                report=current.name,
            ))
        if current.state == "accepted":
            raise UserError(self.env._("The customer accepted %(report)s.", report=current.name))
        if current.reopened_review_id.state == "draft":
            raise UserError(self.env._(
                "Conclude the joint review the customer's disagreement reopened before a new version of the "
                "RMA report is sent.",
            ))
        self._check_action_allowed("can_prepare_customer_report", self.env._("prepare the RMA report of"))
        version = current.version + 1 if current else 1
        # Written to the customer: in their language.
        request = self.with_context(lang=self._customer_report_lang())
        report = self.env["rma.customer.report"]._rma_process().create({
            "request_id": self.id,
            "version": version,
            "name": request.env._("%(request)s RMA Report V%(version)s", request=self.name, version=version),
            **request._customer_report_defaults(),
        })
        return self._open_records(report, self.env._("RMA Report"))

    def _customer_report_defaults(self):
        """The report's text as the analysis gives it; QA edits it before sending. Only what the
        customer may read: no assessment of people, no internal cost."""
        self.ensure_one()
        request = self.sudo()
        concluded = request.review_ids.filtered(lambda r: r.state == "done").sorted(lambda r: (r.concluded_date, r.id))
        review = concluded[-1:]
        # Every round's actions: a round reopened by the customer adds to the earlier ones.
        capas = concluded.capa_ids.filtered(lambda c: c.state != "cancel")
        inspection_lines = request.inspection_ids.filtered(lambda i: i.state == "done").line_ids
        dispositions = request.disposition_ids.filtered(lambda d: d.state != "cancel")
        offer = next((offer for kind, offer in OFFER_OF_DISPOSITION
                      if kind in dispositions.mapped("disposition_type")), False)
        containment = [self.env._("The returned goods were received into quarantine and inspected.")]
        if request.advance_replacement:
            containment.append(self.env._("Replacement goods were shipped to you in advance."))
        partner = request.partner_id.commercial_partner_id
        return {
            "layout": partner.rma_report_layout or "standard",
            "review_id": review.id,
            "problem_description": "\n".join(
                self.env._("%(product)s × %(quantity)s %(uom)s: %(reason)s", product=line.product_id.display_name,
                           quantity=f"{line.quantity:g}", uom=line.uom_id.name, reason=line.reason or "-")
                for line in request.line_ids
            ),
            "inspection_summary": "\n".join(
                self.env._("%(product)s: %(received)s received, %(sampled)s sampled, %(failed)s failed",
                           product=line.product_id.display_name, received=f"{line.qty_received:g}",
                           sampled=line.sample_count, failed=line.fail_count)
                for line in inspection_lines
            ),
            "cause_analysis": review.cause_analysis,
            "responsibility": request.responsibility_category_id.name or False,
            "containment": "\n".join(containment),
            "corrective_actions": "\n".join(
                capas.filtered(lambda c: c.action_type == "corrective").mapped("description")),
            "preventive_actions": "\n".join(
                capas.filtered(lambda c: c.action_type == "preventive").mapped("description")),
            "verification": "\n".join(filter(None, capas.mapped(lambda c: c.verification_note or c.result))),
            "disposition_offer": offer,
        }

    def _customer_report_lang(self):
        """The language the RMA report is written in: the customer contact's, else the company's."""
        self.ensure_one()
        return (self.contact_id or self.partner_id).lang or self.company_id.partner_id.lang or self.env.lang

    def action_view_customer_reports(self):
        self.ensure_one()
        return self._open_records(self.customer_report_ids, self.env._("RMA Reports"))

    # ------------------------------------------------------------------ the customer is told, answers

    def _notify_customer_report_sent(self, report):
        """One message on the request: the e-mail to the customer with the PDF and the portal
        link to answer it (the request's chatter is what the customer follows)."""
        self.ensure_one()
        # The new version answers the disagreement: QA's activity for it is done.
        self.activity_feedback(["rma_factory.mail_activity_rma_report_disagreed"])
        customer = self.contact_id or self.partner_id
        self.message_subscribe(partner_ids=customer.ids)
        # sudo: QA may not read mail templates.
        template = self.env.ref("rma_factory.mail_template_rma_customer_report").sudo()
        self.message_post_with_source(
            template, message_type="comment", subtype_xmlid="mail.mt_comment",
            partner_ids=customer.ids, attachment_ids=report.pdf_id.ids,
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _on_customer_report_answered(self, report):
        """The customer answered `report` (or left it unanswered: accepted silently): one note on
        the request, and QA's next step as an activity."""
        self.ensure_one()
        qa = report.issued_by_id or self.env.user
        # Written for QA, in QA's language (the customer, or the scheduled job, triggered it).
        request = self.with_context(lang=qa.lang or self.env.lang)
        report = report.with_context(lang=request.env.lang)
        summary = report._answer_summary()
        recorded_by = self.env["res.users"].browse(self.env.context.get("rma_answer_recorded_by") or [])
        body = request.env._("RMA report %(report)s: %(answer)s", report=report.name, answer=summary)
        if recorded_by:
            body = request.env._("%(body)s (recorded by %(user)s)", body=body, user=recorded_by.name)
        author = recorded_by.partner_id or report.answer_partner_id or self.env.ref("base.partner_root")
        request.message_post(body=plaintext2html(body), message_type="comment", subtype_xmlid="mail.mt_note",
                             author_id=author.id)
        if report.state == "accepted":
            request.activity_schedule(
                "rma_factory.mail_activity_rma_report_accepted", user_id=qa.id,
                summary=request.env._("RMA report accepted: close the request when it is ready"),
                note=plaintext2html(summary),
            )
        else:
            request.activity_schedule(
                "rma_factory.mail_activity_rma_report_disagreed", user_id=qa.id,
                summary=request.env._("The customer disagrees with the RMA report: review again, send a new version"),
                note=plaintext2html(report.answer_comment or ""),
            )

    # ------------------------------------------------------------------ closing

    def _request_activity_xmlids(self):
        return [*super()._request_activity_xmlids(), "rma_factory.mail_activity_rma_report_accepted",
                "rma_factory.mail_activity_rma_report_disagreed"]

    def _check_before_closing(self):
        result = super()._check_before_closing()
        for request in self.filtered("inspection_ids"):
            report = request.customer_report_id
            if report.state == "accepted":
                continue
            if report.state == "disagreed":
                raise UserError(self.env._(
                    "The customer disagrees with %(report)s: review again and send a new version before closing "
                    "%(request)s.", report=report.name, request=request.name,
                ))
            raise UserError(self.env._(
                "%(request)s closes once the customer accepted its RMA report (or left it unanswered for %(days)s "
                "days): %(status)s",
                request=request.name, days=request.company_id.rma_report_answer_days,
                status=report._answer_summary() if report else self.env._("no report was sent yet."),
            ))
        return result

    # ------------------------------------------------------------------ what the customer sees

    def _portal_timeline_answer_steps(self):
        steps = super()._portal_timeline_answer_steps()
        request = self.sudo()
        sent = request.customer_report_ids.filtered("sent_date").sorted("version")
        if not sent:
            return [*steps, {"key": "answered", "label": self.env._("RMA report answered"), "date": False,
                             "done": False, "details": []}]
        current = sent[-1]
        steps.append({
            "key": "report_sent", "label": self.env._("RMA report sent"), "date": current.sent_date, "done": True,
            "details": [self.env._("Version %(version)s", version=current.version)] + (
                [self.env._("Please answer by %(deadline)s.", deadline=format_date(self.env, current.answer_deadline))]
                if current.state == "sent" else []),
        })
        steps.append({
            "key": "answered", "label": self.env._("RMA report answered"),
            "date": current.answer_date if current.state in ("accepted", "disagreed") else False,
            "done": current.state == "accepted",
            "details": [current._answer_summary()] if current.state in ("accepted", "disagreed") else [],
        })
        return steps

    def _portal_customer_reports(self):
        """The versions the customer got, the newest first."""
        self.ensure_one()
        return self.sudo().customer_report_ids.filtered("pdf_id").sorted("version", reverse=True)

    def _portal_documents(self):
        documents = super()._portal_documents()
        for report in self._portal_customer_reports():
            pdf = report.accepted_pdf_id or report.pdf_id
            documents.append({
                "key": f"customer_report_{report.id}",
                "name": self.env._("RMA report %(version)s (PDF)", version=f"V{report.version}"),
                "url": f"{self.access_url}/files/{pdf.id}?access_token={self._portal_ensure_token()}&download=1",
                "current": report.is_current,
            })
        return documents

    def _portal_photos(self):
        # Mailed with their messages, the reports' PDFs are listed once: among the documents.
        reports = self._portal_customer_reports()
        return super()._portal_photos() - reports.pdf_id - reports.accepted_pdf_id

    def _portal_files(self):
        """The report PDFs are served through the request's link too (as PDFs: see the
        controller)."""
        files = super()._portal_files()
        reports = self._portal_customer_reports()
        return files | reports.pdf_id | reports.accepted_pdf_id

    def _file_domain(self):
        domain = super()._file_domain()
        reports = self.sudo().customer_report_ids
        if not reports or not self.env["rma.customer.report"].has_access("read"):
            return domain
        return ["|", *domain, "&", ("res_model", "=", "rma.customer.report"), ("res_id", "in", reports.ids)]
