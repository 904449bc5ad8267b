from datetime import timedelta

from odoo import fields
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import RmaQualityCommon
from .test_rma_forms import PrintedTextMixin, pdf_text

CUSTOMER_REPORT = "rma_factory.action_report_rma_customer_report"
CAUSE = "Impeller casting porosity from mould 7"
OFFERS = "☐ Option 1: Not Accepted, Goods Returned Unchanged ☑ Option 2: Repaired and Sent Back ☐ Option 3: Replaced"


@tagged("post_install", "-at_install")
class TestRmaCustomerReportPdf(PrintedTextMixin, RmaQualityCommon):
    """The RMA report (顾客退换货答复报告, R-70) prints as the seed's form or as an 8D report, with
    the customer's confirmation of the corrective action, and nothing internal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls._user("rma_prod_crpdf", "rma_factory.group_rma_user,stock.group_stock_user")
        (cls.inspector | cls.production | cls.gm).tz = "Asia/Shanghai"
        _order, request = cls._inspected([(cls.product, 4)], failures=1, client_reference="CUST-RMA-0815")
        cls.request = request.with_env(cls.env)
        action = cls.request.with_user(cls.inspector).action_organise_review()
        review = cls.env["rma.review"].with_user(cls.inspector).browse(action["res_id"])
        with Form(review) as form:
            form.participant_ids.add(cls.production)
            form.decision = "return"
            form.cause_analysis = f"<p>{CAUSE}</p>"
            with form.capa_ids.new() as capa:
                capa.action_type = "corrective"
                capa.description = "Replace mould 7 and check the next 3 batches"
                capa.owner_id = cls.production
                capa.date_due = fields.Date.today() + timedelta(days=7)
        review.action_conclude()
        cls.review = review
        # Internal: the assessed person's points and amount never reach the customer.
        cls.request.with_user(cls.inspector).write({
            "responsibility_category_id": cls.env.ref("rma_factory.responsibility_product_quality").id,
        })
        cls.request.with_user(cls.gm).write({"assessment_ids": [(0, 0, {
            "user_id": cls.production.id, "department": "Casting", "points": 3, "amount": 4321.5,
            "reason": "Mould maintenance skipped",
        })]})
        action = cls.request.with_user(cls.inspector).action_prepare_customer_report()
        cls.report = cls.env["rma.customer.report"].with_user(cls.inspector).browse(action["res_id"])
        cls.report.write({
            "cause_analysis": f"<p>{CAUSE}: the pores open under pressure.</p>",
            "disposition_offer": "repaired",
            "disposition_note": "The pumps come back re-cast and pressure-tested.",
        })

    # ------------------------------------------------------------------ helpers

    def _print(self, reports, user=None, lang="en_US"):
        action = self.env.ref(CUSTOMER_REPORT).with_user(user or self.inspector).with_context(
            force_report_rendering=True, lang=lang,
        )
        # Without a running server wkhtmltopdf can't fetch the CSS and warns; the text is complete.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            content, report_format = action._render_qweb_pdf("rma_factory.report_rma_customer_report", reports.ids)
        self.assertEqual(report_format, "pdf")
        return pdf_text(content)

    def assertInOrder(self, text, *expected):
        positions = [text.index(value) for value in expected]
        self.assertEqual(positions, sorted(positions), f"in this order: {expected}")

    def _send(self):
        self.report.action_send()
        self.assertEqual(self.report.state, "sent")
        return self.request.contact_id or self.request.partner_id

    # ------------------------------------------------------------------ the seed's RMA report

    def test_standard_layout_prints_the_analysis_and_the_chosen_handling(self):
        report, request = self.report, self.request
        self.assertEqual(report.layout, "standard")
        inspection_line = request.inspection_ids.line_ids
        text = self._print(report)
        self.assertPrinted(
            text, "RMA Report", f"Form No.: {report.name}", "Customer", self.customer.name,
            "Return Request", request.name, "Customer's Reference CUST-RMA-0815", "Report Version V1",
            "Returned Products", "RMA Pump", "Inspection Results",
            f"1 RMA Pump {inspection_line.qty_received:g} {inspection_line.sample_count} 1",
            "Cause Analysis", f"{CAUSE}: the pores open under pressure.",
            "Responsibility", "Corrective Actions", "Replace mould 7 and check the next 3 batches",
            "Preventive Actions", "Verification of the Actions",
            "Handling of the Goods", OFFERS, "The pumps come back re-cast and pressure-tested.",
            "Confirmation of the Corrective Action", "☐ Accepted ☐ Disagreed", "Customer's Comment:",
        )
        self.assertInOrder(text, "Returned Products", "Inspection Results", "Cause Analysis", "Corrective Actions",
                           "Handling of the Goods", "Confirmation of the Corrective Action")
        # Not sent, not answered: QA's and the customer's signatures are blank lines.
        self.assertEqual(text.count("Signature: Signed On:"), 2)
        self.assertNotIn("8D Report", text)
        self.assertNotIn("D1 Team", text)
        self.assertTrue(text.endswith("1 / 1"), "the page number is drawn on the page")

    def test_the_customer_answer_is_printed_in_the_confirmation(self):
        customer = self._send()
        report = self.report.sudo()
        report._customer_answer(customer, False, "The porosity is also in our lot 12.")
        self.assertEqual(report.state, "disagreed")
        text = self._print(self.report)
        self.assertPrinted(
            text, "☐ Accepted ☑ Disagreed", "Customer's Comment: The porosity is also in our lot 12.",
            f"Sent On {self._shanghai(report.sent_date)}",
            f"Signature: {self.inspector.name} Signed On: {self._shanghai(report.sent_date)}",
            f"Signature: {customer.name} Signed On: {self._shanghai(report.answer_date)}",
            OFFERS,
        )
        self.assertNotIn("Signature: Signed On:", text)
        self.assertNotIn("deemed agreed", text)

    def test_a_report_left_unanswered_prints_as_accepted_without_answer(self):
        self._send()
        days = self.company.rma_report_answer_days
        self.report.sudo()._rma_process().write({
            "sent_date": fields.Datetime.now() - timedelta(days=days + 1),
        })
        self.env["rma.customer.report"]._cron_accept_unanswered()
        self.assertTrue(self.report.accepted_silently)
        text = self._print(self.report)
        self.assertPrinted(
            text, "☑ Accepted ☐ Disagreed",
            f"No answer was received within {days} days of the sending: the report is deemed agreed and "
            "confirmed by the customer.",
        )

    # ------------------------------------------------------------------ 8D

    def test_8d_layout_prints_the_eight_disciplines(self):
        self.report.layout = "8d"
        text = self._print(self.report)
        headings = ("D1 Team", "D2 Problem Description", "D3 Containment", "D4 Root Cause",
                    "D5 Corrective Actions", "D6 Verification", "D7 Preventive Actions", "D8 Closure")
        self.assertPrinted(text, "8D Report", f"Form No.: {self.report.name}", *headings)
        self.assertInOrder(text, *headings)
        self.assertPrinted(
            text, f"Host: {self.review.host_id.name}", f"Participants: {self.production.name}",
            "RMA Pump", "Inspection Results", "The returned goods were received into quarantine and inspected.",
            f"{CAUSE}: the pores open under pressure.", "Replace mould 7 and check the next 3 batches",
            OFFERS, "Confirmation of the Corrective Action", "☐ Accepted ☐ Disagreed",
        )
        self.assertInOrder(text, "D8 Closure", "Handling of the Goods", "Confirmation of the Corrective Action")
        self.assertNotIn("Return Request Closed On", text, "the request is not closed")

    def test_reports_of_both_layouts_print_in_one_pdf(self):
        _order, other_request = self._inspected([(self.product_b, 6)])
        action = other_request.with_user(self.inspector).action_prepare_customer_report()
        other = self.env["rma.customer.report"].with_user(self.inspector).browse(action["res_id"])
        other.layout = "8d"
        text = self._print(self.report | other)
        self.assertInOrder(text, f"Form No.: {self.report.name}", "Confirmation of the Corrective Action",
                           "8D Report", f"Form No.: {other.name}", "D8 Closure")
        self.assertEqual(text.count("1 / 1"), 2, "each report numbers its own pages")

    # ------------------------------------------------------------------ nothing internal

    def test_no_internal_assessment_or_cost_is_printed(self):
        self.assertTrue(self.request.assessment_ids)
        for layout in ("standard", "8d"):
            self.report.layout = layout
            # Printed by the GM, who may read the assessments on the request's own form.
            text = self._print(self.report, user=self.gm)
            for internal in ("Mould maintenance skipped", "4,321", "4321", "Casting", self.company.currency_id.symbol):
                self.assertNotIn(internal, text, f"{layout}: nothing internal in the customer's report")
