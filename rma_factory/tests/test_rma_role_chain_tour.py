"""One return through every role's screens (#15): a chain of browser tours over one request, each
step as that role's own login, from the sale order to the closing. After each tour, what that
step must have changed is checked here (rma_factory/static/tests/tours/rma_role_chain_tour.js)."""
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import RmaQualityCommon

PRODUCT_BARCODE = "6921234599990"  # what the keeper's tour scans
# Rendering the PDFs of a test run (the RMA report, the filed forms) logs that no PDF is made.
REPORT_LOGGER = "odoo.addons.base.models.ir_actions_report"


@tagged("post_install", "-at_install")
class TestRmaRoleChainTour(HttpCase, RmaQualityCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.barcode = PRODUCT_BARCODE
        cls.qa = cls._user("rma_chain_qa", "rma_factory.group_rma_quality,stock.group_stock_user")
        # The executing department (production), who records the result of what QA assigns it.
        cls.production = cls._user("rma_chain_prod", "rma_factory.group_rma_user,stock.group_stock_user")
        cls.production.name = "Zhang Wei"
        cls.finance = cls._user("rma_chain_fin", "account.group_account_invoice")
        cls.company.rma_finance_user_id = cls.finance
        cls.portal_user = new_test_user(
            cls.env, login="rma_chain_portal", name="Buyer Wang", groups="base.group_portal", partner_id=cls.contact.id,
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)], lang="en_US",
        )
        # Three pumps delivered, invoiced and paid by the customer: the refund's credit note stays
        # open for Finance to pay back (reconcile).
        cls.order = cls._deliver(cls.customer, [(cls.product, 3)])
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=cls.invoice.ids,
        ).create({})._create_payments()

    def _tour(self, tour, user, url="/odoo"):
        self.start_tour(url, tour, login=user.login)
        self.env.invalidate_all()

    def _activity(self, request, xmlid):
        kind = self.env.ref(xmlid)
        return request.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def test_one_return_through_every_role(self):
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))

        # 1. The sales rep, from the sale order.
        self._tour("rma_factory_chain_sales_rep", self.sales_rep)
        request = self.env["rma.request"].search([("sale_order_ids", "=", self.order.id)])
        self.assertEqual(len(request), 1)
        self.assertEqual((request.state, request.user_id, request.contact_id),
                         ("to_approve", self.sales_rep, self.contact))
        self.assertEqual((request.line_ids.product_id, request.line_ids.quantity, request.line_ids.reason),
                         (self.product, 3, "运行一周后漏水"))
        self.assertTrue(request.criterion_quality)

        # 2–4. Supervisor, marketing manager, GM: each from their own approval activity.
        approvals = request.approval_line_ids.sorted("sequence")
        self.assertEqual(len(approvals), 3)
        for approval, signer in zip(approvals, (self.supervisor, self.marketing, self.gm), strict=True):
            self.assertEqual(self._activity(request, "rma_factory.mail_activity_approval").user_id, signer)
            self._tour("rma_factory_chain_approve_from_activity", signer)
            self.assertEqual((approval.state, approval.user_id, approval.opinion),
                             ("approved", signer, "属实，同意退货"))
        self.assertEqual(request.state, "approved")
        self.assertFalse(self._activity(request, "rma_factory.mail_activity_approval"))
        receipt = request.receipt_ids
        self.assertEqual(receipt.state, "assigned")

        # 5. The warehouse keeper scans the receipt.
        self._tour("rma_factory_chain_keeper", self.keeper)
        self.assertEqual((receipt.state, request.state), ("done", "received"))
        self.assertEqual(request.line_ids.qty_received, 3)
        self.assertTrue(receipt.rma_doc_return_list and receipt.rma_doc_waybill)
        self.assertEqual(self._quarantine_qty(self.product), 3)

        # 6. QC records the sample and the outcome.
        inspection = request.inspection_ids
        self.assertEqual((inspection.state, inspection.line_ids.sample_required), ("draft", 1))
        self._tour("rma_factory_chain_inspector", self.inspector)
        self.assertEqual((inspection.state, inspection.inspector_id), ("done", self.inspector))
        sample = inspection.sample_ids
        self.assertEqual((sample.result, sample.defect_type_id, sample.note),
                         ("fail", self.env.ref("rma_factory.defect_leakage"), "泵体铸件气孔渗漏"))
        self.assertEqual((inspection.sample_count, inspection.fail_count), (1, 1))
        line = request.line_ids
        self.assertEqual((line.quality_verdict, line.qty_scrap, line.qty_usable), ("confirmed", 3.0, 0.0))
        self.assertEqual(request.state, "inspected")

        # 7. QA: the joint review, the responsibility, the dispositions started.
        self._tour("rma_factory_chain_qa_review", self.qa)
        review = request.review_ids
        self.assertEqual((review.state, review.decision, review.host_id, review.concluded_by_id),
                         ("done", "return", self.qa, self.qa))
        self.assertIn("泵体铸件气孔", review.cause_analysis)
        self.assertEqual(request.responsibility_category_id, self.env.ref("rma_factory.responsibility_product_quality"))
        self.assertEqual(request.responsibility_note, "铸造工序责任，生产部承担")
        scrap = request.disposition_ids.filtered(lambda d: d.disposition_type == "scrap")
        refund = request.disposition_ids.filtered(lambda d: d.disposition_type == "refund")
        self.assertEqual(len(request.disposition_ids), 2)
        self.assertEqual((scrap.quantity, scrap.state, scrap.executor_id), (3, "done", self.production))
        self.assertEqual(scrap.scrap_id.state, "done")
        self.assertEqual((refund.quantity, refund.state), (3, "done"))
        self.assertEqual(self._quarantine_qty(self.product), 0)
        self.assertEqual(request.state, "processing")
        credit_note = request.sudo().move_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual((credit_note.state, credit_note.reversed_entry_id), ("posted", self.invoice))
        self.assertEqual(credit_note.payment_state, "not_paid", "the invoice was paid: the credit note stays open")

        # 8. The executing department records its result.
        self._tour("rma_factory_chain_executor", self.production)
        self.assertEqual((scrap.executing_department, scrap.execution_result, scrap.execution_cost),
                         ("铸造车间", "3台已在主管见证下报废", 30.0))
        self.assertEqual(scrap.execution_recorded_by_id, self.production)

        # 9. QA verifies the execution, from Returns → Requests: it has no activity here.
        self.assertFalse(request.activity_ids.filtered(lambda a: a.user_id == self.qa))
        self._tour("rma_factory_chain_qa_verify", self.qa)
        self.assertEqual((request.state, request.qa_verified_by_id), ("verified", self.qa))
        self.assertEqual(request.qa_verification_note, "报废已见证，退款金额已核对")
        self.assertEqual(self._activity(request, "rma_factory.mail_activity_final_approval").user_id, self.gm)

        # 10. The GM approves the internal disposition from that activity, which hands the
        # booking to Finance as an activity.
        self._tour("rma_factory_chain_gm_approve", self.gm)
        self.assertEqual((request.state, request.gm_approved_by_id), ("gm_approved", self.gm))
        self.assertEqual(request.gm_opinion, "同意，费用由生产部承担")
        self.assertFalse(self._activity(request, "rma_factory.mail_activity_final_approval"))
        self.assertEqual(self._activity(request, "rma_factory.mail_activity_finance_booking").user_id, self.finance)

        # 11. Finance: checks the credit note, pays it back (reconciled), signs the booking.
        self._tour("rma_factory_chain_finance", self.finance)
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))
        receivable = credit_note.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        self.assertTrue(receivable.reconciled)
        self.assertEqual((request.finance_booked_by_id, request.finance_booking_note),
                         (self.finance, "红字发票已核对并退款核销"))
        self.assertFalse(request.needs_finance_booking)
        self.assertFalse(self._activity(request, "rma_factory.mail_activity_finance_booking"))

        # 12. QA prepares the RMA report and sends it (what the customer answers).
        with mute_logger(REPORT_LOGGER):
            self._tour("rma_factory_chain_qa_report", self.qa)
        report = request.customer_report_id
        self.assertEqual((report.state, report.issued_by_id, report.disposition_offer), ("sent", self.qa, "replaced"))
        self.assertTrue(report.pdf_id)

        # 13. The customer answers on the portal.
        with mute_logger(REPORT_LOGGER):
            self._tour("rma_factory_chain_customer", self.portal_user, url=f"/my/returns/{request.id}")
        self.assertEqual((report.state, report.answer_partner_id), ("accepted", self.contact))
        self.assertEqual(self._activity(request, "rma_factory.mail_activity_rma_report_accepted").user_id, self.qa)

        # 14. QA closes, from the accepted report's activity.
        with mute_logger(REPORT_LOGGER):
            self._tour("rma_factory_chain_qa_close", self.qa)
        self.assertEqual((request.state, request.outcome, request.closed_by_id), ("done", "returned", self.qa))
        self.assertTrue(request.closed_date)
        self.assertFalse(self._activity(request, "rma_factory.mail_activity_rma_report_accepted"))
