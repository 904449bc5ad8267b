"""The RMA report (顾客退换货答复报告, R-70, #14 parts 3–6): QA prepares it from the analysis and
sends it; the customer accepts or disagrees; unanswered for the company's days it counts as
accepted; a disagreement reopens the review and a new version follows; closing waits for an
accepted report, which is filed."""
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields, http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import JsonRpcMixin, RmaQualityCommon

MUTED = "odoo.addons.base.models.ir_actions_report"


@tagged("post_install", "-at_install")
class TestRmaCustomerReport(RmaQualityCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _order, cls.request = cls._inspected([(cls.product, 4)], failures=1, contact_id=cls.contact)
        cls.review = cls.env["rma.review"].with_user(cls.inspector).create({
            "request_id": cls.request.id,
            "participant_ids": [Command.set((cls.sales_rep | cls.gm).ids)],
            "decision": "exchange",
            "cause_analysis": "<p>Porosity in the pump body casting.</p>",
            "capa_ids": [
                Command.create({"action_type": "corrective", "owner_id": cls.gm.id,
                                "description": "Longer holding time in die casting",
                                "date_due": fields.Date.today() + timedelta(days=5)}),
                Command.create({"action_type": "preventive", "owner_id": cls.gm.id,
                                "description": "Leak test at incoming inspection",
                                "date_due": fields.Date.today() + timedelta(days=20)}),
            ],
        })
        cls.review.with_user(cls.inspector).action_conclude()
        cls.env["rma.assessment"].with_user(cls.gm).create({
            "request_id": cls.request.id, "user_id": cls.gm.id, "department": "Die casting",
            "points": 2, "amount": 321, "reason": "Internal: holding time not followed",
        })
        cls.request.with_user(cls.gm).write({
            "responsibility_category_id": cls.env.ref("rma_factory.responsibility_product_quality").id,
        })

    def _prepare(self, request=None):
        action = (request or self.request).with_user(self.inspector).action_prepare_customer_report()
        return self.env["rma.customer.report"].browse(action["res_id"]).with_user(self.inspector)

    def _send(self, report):
        with mute_logger(MUTED):
            report.action_send()

    def _answer(self, report, accept, comment=""):
        with mute_logger(MUTED):
            return report._customer_answer(self.contact, accept, comment)

    def test_prepared_from_the_analysis_without_internal_assessment(self):
        report = self._prepare()
        self.assertEqual((report.version, report.state, report.review_id), (1, "draft", self.review))
        self.assertIn("Porosity", report.cause_analysis)
        self.assertIn("Longer holding time", report.corrective_actions)
        self.assertIn("Leak test", report.preventive_actions)
        self.assertIn("1 failed", report.inspection_summary)
        self.assertEqual(report.responsibility, self.env.ref("rma_factory.responsibility_product_quality").name)
        self.assertNotIn("321", " ".join(str(report[name] or "") for name in report._fields))
        self.assertEqual(self.request.customer_report_id, report)
        # The button opens the same draft, it does not add a version.
        self.assertEqual(self._prepare(), report)

    def test_only_qa_prepares_and_sends(self):
        with self.assertRefused(UserError, "QA writes and sends"):
            self.request.with_user(self.sales_rep).action_prepare_customer_report()
        report = self._prepare()
        self.assertFalse(report.with_user(self.sales_rep).can_send)
        with self.assertRefused(AccessError, "QA writes and sends"):
            report.with_user(self.sales_rep).action_send()
        with self.assertRefused(AccessError, "QA writes and sends"):
            report.with_user(self.sales_rep).write({"cause_analysis": "<p>changed</p>"})

    def test_send_needs_the_offer_and_keeps_the_pdf(self):
        report = self._prepare()
        with self.assertRefused(UserError, "option 1, 2 or 3", report):
            report.action_send()
        report.disposition_offer = "replaced"
        with mute_logger(MUTED):
            report.with_context(force_report_rendering=True).action_send()
        self.assertEqual((report.state, report.issued_by_id), ("sent", self.inspector))
        self.assertEqual(report.pdf_id.mimetype, "application/pdf")
        self.assertTrue(report.pdf_id.raw.startswith(b"%PDF"), "the PDF the customer got is kept")
        # 45 days counted from the sending date (day 0): the last is day 44.
        self.assertEqual(report.answer_deadline, report._company_date(report.sent_date) + timedelta(days=44))
        # What was sent does not change; only the process writes its state and answer.
        with self.assertRefused(UserError, "does not change", report):
            report.write({"cause_analysis": "<p>Rewritten after the fact</p>"})
        with self.assertRefused(UserError, "can't be set directly", report):
            report.write({"state": "accepted"})
        with self.assertRefused(AccessError, r"\w", report):
            report.unlink()
        # Nor its PDF: an attachment is written with its report's rights.
        with self.assertRefused(AccessError, r"\w", report.pdf_id):
            report.pdf_id.with_user(self.inspector).write({"raw": b"%PDF forged"})
        with self.assertRefused(AccessError, r"\w", report.pdf_id):
            report.pdf_id.with_user(self.inspector).unlink()

    def test_the_customer_gets_the_pdf_and_a_link_with_the_token_in_chinese(self):
        self.contact.lang = "zh_CN"
        report = self._prepare()
        report.disposition_offer = "repaired"
        self._send(report)
        message = self.request.message_ids.filtered(lambda m: report.pdf_id in m.attachment_ids)
        self.assertEqual(len(message), 1, "one message for the sending")
        self.assertEqual(message.message_type, "comment")
        self.assertIn(self.contact, message.partner_ids)
        self.assertIn("答复报告", message.subject)
        self.assertIn(f"access_token={self.request.access_token}", message.body)
        self.assertIn("#rma_report", message.body)
        self.assertIn("请在", message.body)
        # On the portal, the PDF is listed once, among the request's documents, not again as a
        # file of the message that mailed it; it is still served through the request's link.
        self.assertNotIn(report.pdf_id, self.request._portal_photos())
        self.assertIn(report.pdf_id, self.request._portal_files())
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertTrue(mail, "e-mailed to the customer")
        self.assertIn(self.contact, mail.recipient_ids)

    def test_accepted_report_is_filed_and_qa_told(self):
        report = self._prepare()
        report.disposition_offer = "replaced"
        self._send(report)
        self._answer(report, True)
        self.assertEqual((report.state, report.answer_partner_id), ("accepted", self.contact))
        self.assertEqual(report.accepted_pdf_id.res_model, "rma.customer.report")
        self.assertIn("Confirmation", report.accepted_pdf_id.raw.decode())
        self.assertIn(report.accepted_pdf_id, self.env["ir.attachment"].search(self.request._file_domain()))
        activity = self.request.activity_ids.filtered(lambda a: a.user_id == self.inspector)
        self.assertIn("accepted", activity.summary)
        with self.assertRefused(UserError, "not waiting for your answer", report):
            self._answer(report, False, "Changed my mind")
        with self.assertRefused(UserError, "The customer accepted"):
            self.request.with_user(self.inspector).action_prepare_customer_report()

    def test_disagreement_reopens_the_review_and_a_new_version_follows(self):
        report = self._prepare()
        report.disposition_offer = "replaced"
        self._send(report)
        with self.assertRefused(UserError, "tell us in a comment", report):
            self._answer(report, False, "  ")
        messages_before = len(self.request.message_ids)
        self._answer(report, False, "The same lot fails at our other plant too")
        self.assertEqual(report.state, "disagreed")
        self.assertEqual(len(self.request.message_ids), messages_before + 1, "one message for the answer")
        review = report.reopened_review_id
        self.assertEqual((review.state, review.request_id), ("draft", self.request))
        self.assertEqual(review.customer_comment, "The same lot fails at our other plant too")
        self.assertEqual(review.host_id, self.inspector)
        activity = self.request.activity_ids.filtered(lambda a: "disagrees" in (a.summary or ""))
        self.assertEqual(activity.user_id, self.inspector)
        # The next version waits for the new round's conclusion.
        with self.assertRefused(UserError, "Conclude the joint review"):
            self.request.with_user(self.inspector).action_prepare_customer_report()
        review.with_user(self.inspector).write({"cause_analysis": "<p>The whole lot of castings is porous.</p>"})
        review.with_user(self.inspector).action_conclude()
        second = self._prepare()
        self.assertEqual((second.version, self.request.customer_report_id), (2, second))
        self.assertIn("whole lot", second.cause_analysis)
        self.assertIn("Longer holding time", second.corrective_actions, "the first round's actions stay")
        second.disposition_offer = "replaced"
        self._send(second)
        disagreed_type = self.env.ref("rma_factory.mail_activity_rma_report_disagreed")
        self.assertFalse(self.request.activity_ids.filtered(lambda a: a.activity_type_id == disagreed_type),
                         "answered by the new version")
        self.assertEqual(self.request.customer_report_count, 2)
        self.assertFalse(report.is_current)

    def test_sales_record_an_answer_that_came_on_paper(self):
        report = self._prepare()
        report.disposition_offer = "replaced"
        self._send(report)
        with self.assertRefused(AccessError, "top-secret", report):
            report.with_user(self.sales_rep_west).action_record_customer_answer()
        action = report.with_user(self.sales_rep).action_record_customer_answer()
        wizard = self.env[action["res_model"]].with_user(self.sales_rep).with_context(**action["context"]).create({
            "answer": "disagree", "comment": "Signed report: cause not accepted",
        })
        self.assertEqual(wizard.partner_id, self.contact)
        wizard.action_confirm()
        self.assertEqual((report.state, report.answer_partner_id), ("disagreed", self.contact))
        self.assertEqual(report.reopened_review_id.customer_comment, "Signed report: cause not accepted")
        note = self.request.message_ids[0]
        self.assertIn(f"recorded by {self.sales_rep.name}", note.body)
        self.assertEqual(note.author_id, self.sales_rep.partner_id)

    def test_unanswered_reports_are_accepted_after_the_configured_days(self):
        self.company._rma_working_calendar().tz = "Asia/Shanghai"
        report = self._prepare()
        report.disposition_offer = "replaced"
        # Sent on 1 October at 17:00 in Shanghai (day 0): 45 days, the last on 14 November.
        with freeze_time(datetime(2026, 10, 1, 9, 0)):
            self._send(report)
        self.assertEqual(report.answer_deadline, fields.Date.to_date("2026-11-14"))
        cron = self.env.ref("rma_factory.ir_cron_accept_unanswered_reports")
        self.assertEqual((cron.code, cron.active), ("model._cron_accept_unanswered()", True))
        with freeze_time(datetime(2026, 11, 14, 15, 30)), mute_logger(MUTED):  # day 44, 23:30 in Shanghai
            self.env["rma.customer.report"]._cron_accept_unanswered()
        self.assertEqual(report.state, "sent", "day 44: still waiting")
        with freeze_time(datetime(2026, 11, 14, 16, 30)), mute_logger(MUTED):  # day 45, 00:30 in Shanghai
            self.env["rma.customer.report"]._cron_accept_unanswered()
        self.assertEqual((report.state, report.accepted_silently), ("accepted", True))
        self.assertTrue(report.accepted_pdf_id)
        note = self.request.message_ids.filtered(lambda m: "45" in (m.body or "") and report.name in m.body)
        self.assertTrue(note, "logged on the request")
        self.assertTrue(self.request.activity_ids.filtered(lambda a: a.user_id == self.inspector))

    def test_the_answer_days_are_the_company_setting(self):
        self.company.rma_report_answer_days = 10
        report = self._prepare()
        report.disposition_offer = "replaced"
        sent_on = datetime(2026, 10, 1, 9, 0)
        with freeze_time(sent_on):
            self._send(report)
        with freeze_time(sent_on + timedelta(days=10)), mute_logger(MUTED):
            self.env["rma.customer.report"]._cron_accept_unanswered()
        self.assertEqual(report.state, "accepted")

    def test_customer_layout_preference(self):
        self.customer.rma_report_layout = "8d"
        self.assertEqual(self._prepare().layout, "8d")


@tagged("post_install", "-at_install")
class TestRmaCustomerReportPortal(HttpCase, JsonRpcMixin, RmaQualityCommon):
    """The customer answers the RMA report on the portal, logged in or through the e-mailed link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="rma_portal_answer", groups="base.group_portal", partner_id=cls.contact.id,
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)], lang="en_US",
        )
        other_contact = cls.env["res.partner"].create({
            "name": "Other Buyer", "parent_id": cls.other_customer.id, "email": "other@rma-other.example.com",
        })
        new_test_user(
            cls.env, login="rma_portal_answer_other", groups="base.group_portal", partner_id=other_contact.id,
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)], lang="en_US",
        )
        _order, cls.request = cls._inspected([(cls.product, 2)], contact_id=cls.contact)
        cls.report = cls._sent_customer_report(cls.request)

    def _page(self, token=True):
        query = f"?access_token={self.request.access_token}" if token else ""
        return self.url_open(f"/my/returns/{self.request.id}{query}", allow_redirects=False)

    def _post_answer(self, answer, comment="", token=True, csrf=True, report_id=None):
        data = {"report_id": report_id or self.report.id, "answer": answer, "comment": comment}
        if token:
            data["access_token"] = self.request.access_token
        if csrf:
            if not self.session:
                self.authenticate(None, None)
            data["csrf_token"] = http.Request.csrf_token(self)
        with mute_logger(MUTED):
            return self.url_open(f"/my/returns/{self.request.id}/report/answer", data=data, allow_redirects=False)

    def test_the_page_shows_the_report_and_its_answer_form(self):
        response = self._page()
        self.assertEqual(response.status_code, 200)
        for marker in ('id="rma_report"', "o_rma_report_answer_form", "o_rma_step_report_sent",
                       f"o_rma_document_customer_report_{self.report.id}", "Casting porosity"):
            self.assertIn(marker, response.text)
        pdf = self.url_open(f"/my/returns/{self.request.id}/files/{self.report.pdf_id.id}"
                            f"?access_token={self.request.access_token}")
        self.assertEqual((pdf.status_code, pdf.headers["Content-Type"]), (200, "application/pdf"))
        self.assertEqual(pdf.content, self.report.pdf_id.raw)

    def test_the_emailed_link_opens_in_the_customer_s_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.contact.lang = "zh_CN"
        self.authenticate(None, None)
        self.opener.cookies.pop("frontend_lang", None)
        response = self._page()
        self.assertIn(response.status_code, (302, 303))
        location = response.headers["Location"]
        self.assertIn(f"/zh_CN/my/returns/{self.request.id}?access_token={self.request.access_token}", location)
        page = self.url_open(location)
        self.assertEqual(page.status_code, 200)
        self.assertIn("答复报告", page.text)

    def test_accept_through_the_emailed_link_without_login(self):
        response = self._post_answer("accept")
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("#rma_report", response.headers["Location"])
        self.assertEqual((self.report.state, self.report.answer_partner_id), ("accepted", self.contact))
        page = self._page()
        self.assertIn("o_rma_report_state_accepted", page.text)
        self.assertNotIn("o_rma_report_answer_form", page.text)
        steps = {step["key"]: step for step in self.request._portal_timeline()}
        self.assertTrue(steps["answered"]["done"])

    def test_disagree_logged_in_needs_a_comment(self):
        self.authenticate("rma_portal_answer", "rma_portal_answer")
        response = self._post_answer("disagree", "", token=False)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_rma_answer_error", response.text)
        self.assertEqual(self.report.state, "sent")
        response = self._post_answer("disagree", "Our lab finds a different cause", token=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual((self.report.state, self.report.answer_partner_id), ("disagreed", self.contact))
        self.assertEqual(self.report.reopened_review_id.customer_comment, "Our lab finds a different cause")

    def test_no_answer_for_someone_else_without_csrf_or_as_staff(self):
        self.authenticate("rma_portal_answer_other", "rma_portal_answer_other")
        self.assertEqual(self._post_answer("accept", token=False).status_code, 403)
        self.authenticate(None, None)
        self.assertEqual(self._post_answer("accept", token=False).status_code, 303, "to the login page")
        self.assertEqual(self._post_answer("accept", csrf=False).status_code, 400)
        self.authenticate("rma_rep", "rma_rep")
        self.assertEqual(self._post_answer("accept", token=False).status_code, 403, "staff record it in the back end")
        self.assertEqual(self.report.state, "sent")
        # Only the current version is answered.
        self.authenticate(None, None)
        self.assertEqual(self._post_answer("accept", report_id=self.report.id + 1000).status_code, 404)

    def test_a_forwarded_link_answers_as_the_request_s_customer(self):
        self.authenticate("rma_portal_answer_other", "rma_portal_answer_other")
        response = self._post_answer("accept")
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual((self.report.state, self.report.answer_partner_id), ("accepted", self.contact))

    def test_portal_user_reads_but_never_writes_the_report(self):
        report = self.report.with_user(self.portal_user)
        self.assertEqual(report.read(["state"])[0]["state"], "sent")
        for values in ({"state": "accepted"}, {"answer_comment": "x"}, {"cause_analysis": "<p>x</p>"}):
            _result, error = self._call("rma_portal_answer", "rma.customer.report", "write", [self.report.ids, values])
            self.assertTrue(error, values)
        # QA neither: what was sent and the customer's answer are the process's.
        for values in ({"state": "accepted"}, {"answer_comment": "x"}, {"answer_partner_id": self.contact.id},
                       {"issued_by_id": self.gm.id}, {"sent_date": "2026-01-01 00:00:00"},
                       {"cause_analysis": "<p>x</p>"}, {"request_id": self.request.id}):
            _result, error = self._call("rma_qc", "rma.customer.report", "write", [self.report.ids, values])
            self.assertRegex(error or "", r"(UserError|AccessError): ", values)
        _result, error = self._call("rma_qc", "rma.customer.report", "create", [{
            "request_id": self.request.id, "name": "forged", "version": 9, "state": "accepted"}])
        self.assertRegex(error or "", r"UserError: ")
        self.assertEqual(self.report.state, "sent")

    def test_tour_customer_answers_the_report(self):
        self.start_tour(f"/my/returns/{self.request.id}", "rma_factory_portal_answer", login="rma_portal_answer")
        self.assertEqual(self.report.state, "disagreed")
        self.assertEqual(self.report.answer_comment, "同批次在我方另一工厂也失效")
