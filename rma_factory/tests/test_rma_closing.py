from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import RmaQualityCommon

# The inspector's photo of the failed sample (a 1×1 PNG).
PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


@tagged("post_install", "-at_install")
class TestRmaClosing(RmaQualityCommon):
    """Execution recorded, verified by QA, approved by the GM, closed (结案) and filed (R-52, R-71)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Shared by the tests (each one rolls back what it does to it).
        cls.disposed = cls._disposed()

    @classmethod
    def _disposed(cls):
        """A request whose 3 returned units were all scrapped and refunded, the samples with a photo."""
        _order, request = cls._received([(cls.product, 3)])
        inspection = request.inspection_ids
        cls._inspect(inspection, failures=1, scrap={cls.product: 3}, photo=PNG_1PX)
        request = request.with_env(cls.env)
        for disposition_type in ("scrap", "refund"):
            disposition = cls.env["rma.disposition"].create({
                "request_id": request.id, "request_line_id": request.line_ids.id,
                "disposition_type": disposition_type, "quantity": 3,
                "executing_department": "Warehouse", "execution_cost": 30.0,
                "execution_result": "Scrapped with the supervisor present",
            })
            disposition.with_user(cls.inspector).action_start()
        # The refund posted a credit note: Finance books it (财务办理), as closing requires.
        finance = cls._user("rma_fin_close", "account.group_account_invoice")
        request.with_user(finance).action_finance_book("Credit note checked")
        return request

    def test_verify_approve_close_and_archive(self):
        request = self.disposed
        self.assertEqual(request.state, "processing")
        self.assertEqual(request.execution_cost_total, 60.0)
        with self.assertRefused(UserError, "Write QA's verification"):
            request.with_user(self.inspector).action_qa_verify()
        with Form(request.with_user(self.inspector)) as form:
            form.qa_verification_note = "Scrap witnessed, refund amount checked"
        with self.assertRefused(UserError, "Only QA"):
            request.with_user(self.sales_rep).action_qa_verify()
        request.with_user(self.inspector).action_qa_verify()
        self.assertEqual((request.state, request.qa_verified_by_id), ("verified", self.inspector))
        # The GM who signed the request gets the GM approval as an activity.
        final_type = self.env.ref("rma_factory.mail_activity_final_approval")
        activity = request.activity_ids.filtered(lambda a: a.activity_type_id == final_type)
        self.assertEqual(activity.user_id, self.gm)

        with self.assertRefused(UserError, "Only the general manager"):
            request.with_user(self.inspector).action_gm_approve()
        with self.assertRefused(UserError, "Decide the responsibility"):
            request.with_user(self.gm).action_gm_approve()
        with Form(request.with_user(self.gm)) as form:
            form.responsibility_category_id = self.env.ref("rma_factory.responsibility_product_quality")
            form.gm_opinion = "Agreed; production to bear the cost"
        request.with_user(self.gm).action_gm_approve()
        self.assertEqual((request.state, request.gm_approved_by_id), ("gm_approved", self.gm))
        self.assertFalse(request.activity_ids.filtered(lambda a: a.activity_type_id == final_type))

        with self.assertRefused(UserError, "Only closed or cancelled"):
            request.with_user(self.gm).action_archive()
        # The goods were analysed: the customer's answer to the RMA report comes first.
        with self.assertRefused(UserError, "closes once the customer accepted its RMA report"):
            request.with_user(self.inspector).action_close()
        self._accepted_customer_report(request)
        request.with_user(self.inspector).action_close()
        self.assertEqual((request.state, request.outcome, request.closed_by_id), ("done", "returned", self.inspector))
        self.assertTrue(request.closed_date)

        # The file: the inspection report and the sample photo are on the request itself.
        attachments = self.env["ir.attachment"].search([("res_model", "=", "rma.request"), ("res_id", "=", request.id)])
        names = attachments.mapped("name")
        inspection_name = request.inspection_ids.name.replace("/", "-")
        self.assertIn(f"{inspection_name}.pdf", names)
        self.assertIn(f"{inspection_name}-1.png", names)
        file = self.env["ir.attachment"].search(request.action_view_file()["domain"])
        self.assertLessEqual(attachments, file)
        self.assertEqual(request.file_count, len(file))

        request.with_user(self.inspector).action_archive()
        self.assertFalse(request.active)
        self.assertEqual(self.env["rma.request"].search([("id", "=", request.id)]).ids, [])

    def test_a_closed_request_is_read_only(self):
        request = self.disposed
        request.qa_verification_note = "OK"
        request.with_user(self.inspector).action_qa_verify()
        request.responsibility_category_id = self.env.ref("rma_factory.responsibility_product_quality")
        request.with_user(self.gm).action_gm_approve()
        # The customer disagrees with the RMA report: no closing until a new version is accepted.
        report = self._sent_customer_report(request)
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            report._customer_answer(request.partner_id, False, "Not convinced by the analysis")
        with self.assertRefused(UserError, "disagrees with"):
            request.with_user(self.gm).action_close()
        report.reopened_review_id.with_user(self.inspector).write({
            "decision": "exchange", "cause_analysis": "<p>Seal lot out of tolerance</p>",
        })
        report.reopened_review_id.with_user(self.inspector).action_conclude()
        self.assertEqual(self._accepted_customer_report(request).version, 2)
        request.with_user(self.gm).action_close()
        closed = "is closed: its file can no longer change"
        form = Form(request.with_user(self.gm))
        for field in ("remarks", "description", "responsibility_note", "gm_opinion", "qa_verification_note"):
            with self.assertRefused(AssertionError, "readonly"):
                setattr(form, field, "late change")
        with self.assertRefused(UserError, closed):
            request.with_user(self.gm).write({"remarks": "late change"})
        with self.assertRefused(UserError, closed):
            request.line_ids.write({"reason": "late change"})
        with self.assertRefused(UserError, closed):
            request.disposition_ids[:1].write({"execution_cost": 1.0})
        with self.assertRefused(UserError, closed):
            self.env["rma.disposition"].create({
                "request_id": request.id, "request_line_id": request.line_ids.id,
                "disposition_type": "refund", "quantity": 1,
            })
        with self.assertRefused(UserError, closed):
            request.inspection_ids.write({"conclusion": "late change"})
        with self.assertRefused(UserError, closed):
            self.env["rma.review"].create({"request_id": request.id})
        # Its chatter stays open: a note can still be logged.
        request.with_user(self.gm).message_post(body="Filed in cabinet 3")
        self.assertEqual(self._messages(request)[0].body, "<p>Filed in cabinet 3</p>")

    def test_nothing_to_verify_while_units_wait_for_a_disposition(self):
        _order, request = self._inspected([(self.product, 5)], scrap={self.product: 2})
        request = request.with_env(self.env)
        scrap = self.env["rma.disposition"].create({
            "request_id": request.id, "request_line_id": request.line_ids.id,
            "disposition_type": "scrap", "quantity": 2,
        })
        restock = self.env["rma.disposition"].create({
            "request_id": request.id, "request_line_id": request.line_ids.id,
            "disposition_type": "restock", "quantity": 2,
        })
        (scrap | restock).with_user(self.inspector).action_start()
        request.qa_verification_note = "Checked"
        with self.assertRefused(UserError, "dispositions are not finished"):
            request.with_user(self.inspector).action_qa_verify()
        picking = restock.picking_id.with_user(self.keeper)
        picking.move_ids.write({"quantity": 2, "picked": True})
        picking.button_validate()
        with self.assertRefused(UserError, r"Every returned unit needs a disposition: RMA Pump 4 of 5"):
            request.with_user(self.inspector).action_qa_verify()
        self.assertEqual(request.state, "processing")

    def test_gm_sends_back_and_open_corrective_actions_block_closing(self):
        request = self.disposed
        review = self.env["rma.review"].create({
            "request_id": request.id, "decision": "return", "cause_analysis": "<p>Seal hardness</p>",
        })
        capa = self.env["rma.capa"].create({
            "review_id": review.id, "description": "Change seal supplier", "owner_id": self.gm.id,
            "date_due": "2026-12-31",
        })
        request.qa_verification_note = "OK"
        request.with_user(self.inspector).action_qa_verify()
        with self.assertRefused(UserError, "Write in the GM's opinion"):
            request.with_user(self.gm).action_gm_send_back()
        request.gm_opinion = "Check the refund amount again"
        request.with_user(self.gm).action_gm_send_back()
        self.assertEqual((request.state, request.qa_verified_by_id.id), ("processing", False))
        request.with_user(self.inspector).action_qa_verify()
        request.responsibility_category_id = self.env.ref("rma_factory.responsibility_customer_fault")
        request.with_user(self.gm).action_gm_approve()
        with self.assertRefused(UserError, "Corrective actions are still waiting"):
            request.with_user(self.inspector).action_close()
        self._accepted_customer_report(request)
        capa.result = "New supplier qualified"
        capa.with_user(self.gm).action_mark_done()
        capa.with_user(self.inspector).action_verify()
        request.with_user(self.inspector).action_close()
        self.assertEqual(request.state, "done")
