import json
import re
import subprocess
import unicodedata
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from ..report.rmb import rmb_in_capitals
from .common import RmaQualityCommon

REQUEST_FORM = "rma_factory.action_report_rma_request_form"
APPROVAL_SHEET = "rma_factory.action_report_rma_approval_sheet"
DETAIL_LIST = "rma_factory.action_report_rma_detail_list"
SHORTAGE = "rma_factory.action_report_rma_shortage"
REWORK_ORDER = "rma_factory.action_report_rma_rework_order"
CAPA_SHEET = "rma_factory.action_report_rma_capa"
FEEDBACK_LOG = "rma_factory.action_report_rma_feedback_log"
REQUEST_FEEDBACK_LOG = "rma_factory.action_report_rma_request_feedback_log"


# Noto Sans CJK draws some ideographs with the glyph of a radical, and the PDF's text layer then
# names the radical (客⼾ for 客户): read them as the ideographs the template wrote.
RADICALS = str.maketrans({
    "⼾": "户", "⻔": "门", "⻅": "见", "⻓": "长", "⻋": "车", "⻚": "页", "⻛": "风", "⻝": "食",
})


def pdf_text(content):
    """The text of a real PDF, as poppler reads it (whitespace collapsed)."""
    assert content.startswith(b"%PDF"), "a PDF, not the HTML Odoo's tests render by default"
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True).stdout
    text = " ".join(unicodedata.normalize("NFKC", text.decode().translate(RADICALS)).split())
    # Chinese has no spaces: one between two ideographs is where a cell's line wrapped.
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", text)


class PrintedTextMixin:
    """Reading a printed form's text: its signatures as the Shanghai reader sees them."""

    @staticmethod
    def _shanghai(value):
        """A recorded time as the Shanghai reader sees it on the form."""
        return (value + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")

    def assertPrinted(self, text, *expected):
        for value in expected:
            self.assertIn(" ".join(str(value).split()), text)


@tagged("post_install", "-at_install")
class TestRmaForms(PrintedTextMixin, RmaQualityCommon):
    """The paper forms (R-80) print from their records as real PDFs, every block signed with who
    did it and when, and the closed request's file holds its final forms (R-71)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls._user("rma_prod_forms", "rma_factory.group_rma_user,stock.group_stock_user")
        cls.finance = cls._user("rma_fin_forms", "account.group_account_invoice")
        (cls.sales_rep | cls.inspector | cls.gm | cls.production | cls.keeper).tz = "Asia/Shanghai"
        cls.request = cls._closed_request()

    @classmethod
    def _closed_request(cls):
        """Two products back: the pumps reworked by production, the seals scrapped; reviewed with
        one corrective action, responsibility assessed, verified, GM-approved, closed."""
        _order, request = cls._inspected([(cls.product, 4), (cls.product_b, 10)], failures=1,
                                         scrap={cls.product_b: 10})
        request = request.with_env(cls.env)
        action = request.with_user(cls.inspector).action_organise_review()
        review = cls.env["rma.review"].with_user(cls.inspector).browse(action["res_id"])
        with Form(review) as form:
            form.participant_ids.add(cls.production)
            form.decision = "return"
            form.cause_analysis = "<p>Impeller casting porosity from mould 7</p>"
            with form.capa_ids.new() as capa:
                capa.action_type = "corrective"
                capa.description = "Replace mould 7 and check the next 3 batches"
                capa.owner_id = cls.production
                capa.date_due = fields.Date.today() + timedelta(days=7)
        review.action_conclude()
        capa = review.capa_ids.with_user(cls.production)
        capa.result = "Mould 7 replaced and three batches passed"
        capa.action_mark_done()
        review.capa_ids.with_user(cls.inspector).write({"verification_note": "Checked the batch records"})
        review.capa_ids.with_user(cls.inspector).action_verify()
        for line, disposition_type in ((request.line_ids[0], "rework"), (request.line_ids[1], "scrap")):
            with Form(request.with_user(cls.inspector)) as form, form.disposition_ids.new() as row:
                row.request_line_id = line
                row.disposition_type = disposition_type
                row.quantity = line.quantity
                row.executor_id = cls.production
            request.disposition_ids.filtered(lambda d: d.state == "draft").with_user(cls.inspector).action_start()
        rework = request.disposition_ids.filtered(lambda d: d.disposition_type == "rework")
        repair = rework.repair_id.with_user(cls.production)
        repair.action_repair_start()
        repair.action_repair_end()
        rework.with_user(cls.production).write({
            "execution_result": "4 pumps re-cast and tested", "execution_cost": 120.0,
            "executing_department": "Casting",
        })
        request.with_user(cls.inspector).write({
            "qa_verification_note": "Rework tested, scrap witnessed",
            "responsibility_category_id": cls.env.ref("rma_factory.responsibility_product_quality").id,
        })
        request.with_user(cls.gm).write({"assessment_ids": [(0, 0, {
            "user_id": cls.production.id, "department": "Casting", "points": 2, "amount": 200,
            "reason": "Mould not checked",
        })]})
        request.assessment_ids.with_user(cls.production).write({"opinion": "Agreed"})
        request.with_user(cls.inspector).action_qa_verify()
        request.with_user(cls.gm).write({"gm_opinion": "Approved, production bears the cost"})
        request.with_user(cls.gm).action_gm_approve()
        if request.needs_finance_booking:
            request.with_user(cls.finance).action_finance_book("Scrap cost checked")
        request.with_user(cls.inspector).write({"archive_note": "Filed with the inspection report"})
        cls._accepted_customer_report(request)
        request.with_user(cls.inspector).action_close()
        cls._check_state(request, "done")
        return request

    # ------------------------------------------------------------------ helpers

    def _print(self, xmlid, records, user=None, lang="en_US"):
        report = self.env["ir.actions.report"].with_user(user or self.gm).with_context(
            force_report_rendering=True, lang=lang,
        )
        # Without a running server wkhtmltopdf can't fetch the CSS and warns; the text is complete.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            content, report_format = report._render_qweb_pdf(xmlid, records.ids)
        self.assertEqual(report_format, "pdf")
        return pdf_text(content)

    # ------------------------------------------------------------------ 客户退/换货申请表单

    def test_request_form_has_every_section_and_signature(self):
        request = self.request
        review = request.review_ids
        text = self._print(REQUEST_FORM, request, user=self.sales_rep)
        self.assertPrinted(
            text, "Customer Return / Exchange Request Form", f"Form No.: {request.name}",
            "Initiating Department", request.team_id.name, request.user_id.name,
            "Returning Party", self.customer.name, "Returned Products", "RMA Pump", "RMA Seal",
            "Return Reason", "Customer's Opinion", "☑ Return ☐ Exchange ☐ Claim ☐ Other",
            "Joint Review by Quality", "Impeller casting porosity from mould 7",
            "Replace mould 7 and check the next 3 batches",
            "Disposition after Return", "☑ Repair ☑ Scrap ☐ Other",
            "Execution by the Department", "4 pumps re-cast and tested", "Casting",
            "Verification and Final Handling by Quality", "Rework tested, scrap witnessed",
            "Mould not checked", "GM Approval", "Approved, production bears the cost",
            "Finance Booking", "Notice to the Assessed", "Agreed", "The File", "Filed with the inspection report",
            "Closing", "☑ Closed",
            rmb_in_capitals(request.amount_total),
        )
        # Each block is signed by who did it, at the time the system recorded.
        for signer, signed_on in (
            (review.concluded_by_id, review.concluded_date),
            (request.qa_verified_by_id, request.qa_verified_date),
            (request.gm_approved_by_id, request.gm_approved_date),
            (request.closed_by_id, request.closed_date),
            (request.assessment_ids.user_id, request.assessment_ids.opinion_date),
            (self.production, request.disposition_ids.filtered("execution_recorded_date").execution_recorded_date),
        ):
            self.assertTrue(signer and signed_on)
            self.assertPrinted(text, f"Signature: {signer.name} Signed On: {self._shanghai(signed_on)}")
        self.assertTrue(text.endswith("1 / 1"), "the page number is drawn on the page")

    def test_the_warehouse_prints_the_form_without_the_assessments(self):
        text = self._print(REQUEST_FORM, self.request, user=self.keeper)
        self.assertPrinted(text, "Impeller casting porosity from mould 7", "4 pumps re-cast and tested",
                           "Responsibility and Assessment Details")
        self.assertNotIn("Mould not checked", text, "the assessed people's points and amounts are not the keeper's")
        self.assertNotIn("Agreed", text)

    def test_a_new_request_prints_empty_signature_boxes(self):
        _order, request = self._approved([(self.product_b, 2)])
        text = self._print(REQUEST_FORM, request)
        self.assertPrinted(text, "Joint Review by Quality", "☐ Return ☐ Exchange ☐ Claim ☐ Other",
                           "☐ Repair ☐ Scrap ☐ Other", "☐ Closed")
        self.assertNotIn(self.inspector.name, text)
        self.assertEqual(text.count("Signature: Signed On:"), 8, "every signature block of the form, empty")

    def test_the_form_prints_in_chinese_for_a_chinese_reader(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        text = self._print(REQUEST_FORM, self.request, lang="zh_CN")
        self.assertPrinted(text, "客户退/换货申请表单", "表单编号", "发起部门", "具体信息描述", "退货单位信息",
                           "退货产品信息", "退货原因", "客户意见", "品质部组织会审", "回厂后的处置", "实施部门执行",
                           "品质部验证及最终处理", "总经理审核", "财务办理", "告知被考核人", "综合备案", "结案",
                           "签字", "签字时间", "☑ 退货 ☐ 换货 ☐ 索赔 ☐ 其他")

    def test_several_requests_print_as_one_pdf_with_one_form_each(self):
        _order, other = self._approved([(self.product_b, 1)])
        records = self.request | other
        text = self._print(REQUEST_FORM, records)
        self.assertEqual(text.count("Customer Return / Exchange Request Form"), 2)
        self.assertLess(text.index(f"Form No.: {self.request.name}"), text.index(f"Form No.: {other.name}"))
        self.assertEqual(text.count("1 / 1"), 2, "each form numbers its own pages")

    # ------------------------------------------------------------------ 客户退换货处理

    def test_approval_sheet(self):
        request = self.request
        text = self._print(APPROVAL_SHEET, request, user=self.keeper)
        approvals = request.approval_line_ids.filtered(lambda a: a.state == "approved")
        self.assertTrue(approvals)
        self.assertPrinted(
            text, "Customer Return Handling", "☑ Customer Usage Failure", "☐ Wrong Shipment",
            "☑ Our Product ☐ Not Our Product", "Returned Batches", "Sales Rep's Confirmation",
            f"Total in capitals (RMB): {rmb_in_capitals(request.amount_total)}",
            "Warehouse Receipt Check", "Quality's Analysis of the Return", "GM's Approval",
            "copied four times", request.origin_picking_ids.name,
        )
        for approval in approvals:
            self.assertPrinted(text, f"{approval.name} {approval.user_id.name} {self._shanghai(approval.date)}")
        receipt = request.receipt_ids
        self.assertEqual(receipt.rma_received_by_id, self.keeper)
        self.assertPrinted(text, f"Signature: {self.keeper.name} Signed On: {self._shanghai(receipt.date_done)}")
        self.assertIn("A total over", text, "the footnote gives the configured GM threshold")
        gm_step = approvals.filtered(lambda a: a.step_id.group_id == self.env.ref("rma_factory.group_rma_manager"))
        self.assertEqual(gm_step.user_id, self.gm)
        self.assertPrinted(text.split("GM's Approval of the Request")[1],
                           f"Signature: {self.gm.name} Signed On: {self._shanghai(gm_step.date)}")

    def test_amount_in_chinese_capitals(self):
        for amount, capitals in (
            (0, "零元整"), (0.5, "伍角"), (20, "贰拾元整"), (143.75, "壹佰肆拾叁元柒角伍分"),
            (1001, "壹仟零壹元整"), (10010.05, "壹万零壹拾元零伍分"), (100000, "壹拾万元整"),
            (100010000, "壹亿零壹万元整"), (1000000.01, "壹佰万元零壹分"), (-35.2, "负叁拾伍元贰角"),
        ):
            self.assertEqual(rmb_in_capitals(amount), capitals, amount)

    # ------------------------------------------------------------------ the other forms

    def test_detail_list(self):
        text = self._print(DETAIL_LIST, self.request, user=self.sales_rep)
        line = self.request.line_ids[0]
        self.assertPrinted(text, "Return Detail List", "Production Date / Lot", "Reason for Return or Exchange",
                           line.product_id.display_name, "Sales Manager's Approval",
                           f"Signature: {self.sales_rep.name} Signed On: {self._shanghai(self.request.submitted_date)}")

    def test_rework_order_from_the_repair(self):
        repair = self.request.disposition_ids.repair_id
        text = self._print(REWORK_ORDER, repair, user=self.production)
        self.assertPrinted(text, "Returned Product Rework Order", "Returned Product for Rework", repair.name,
                           self.request.name, "Impeller casting porosity from mould 7",
                           "Replace mould 7 and check the next 3 batches", "4 pumps re-cast and tested")
        plain = self.env["repair.order"].create({"product_id": self.product.id, "partner_id": self.customer.id})
        with self.assertRefused(UserError, "did not come from a return"):
            self._print(REWORK_ORDER, plain)

    def test_capa_sheet(self):
        review = self.request.review_ids
        text = self._print(CAPA_SHEET, review, user=self.inspector)
        capa = review.capa_ids
        self.assertPrinted(text, "Corrective and Preventive Action Sheet", "Cause Analysis", "Owner", "Due Date",
                           capa.description, self.production.name, capa.result, "Checked the batch records",
                           "Verified",
                           f"Signature: {self.inspector.name} Signed On: {self._shanghai(review.concluded_date)}")

    def test_shortage_report_with_the_warehouse_check_and_the_sign_off(self):
        order = self._deliver(self.customer, [(self.product_b, 20)])
        logistics = self._warehouse_user("rma_forms_logistics", "stock.group_stock_manager")
        logistics.tz = "Asia/Shanghai"
        with Form(self.env["rma.carrier.incident"].with_user(self.keeper)) as form:
            form.incident_type = "shortage"
            form.picking_id = order.picking_ids
            form.arrival_datetime = fields.Datetime.now() - timedelta(hours=3)
            form.carrier_name = "德邦物流"
            with form.line_ids.edit(0) as line:
                line.received_qty = 17
        incident = form.record
        incident.action_check()
        incident.with_user(logistics).action_confirm()
        text = self._print(SHORTAGE, incident, user=self.keeper)
        self.assertPrinted(text, "Shortage Report", incident.name, "德邦物流", "Warehouse Check",
                           "Logistics Manager's Sign-off", "20 17 3",
                           f"Signature: {self.keeper.name} Signed On: {self._shanghai(incident.checked_date)}",
                           f"Signature: {logistics.name} Signed On: {self._shanghai(incident.signed_date)}",
                           incident.replenishment_picking_id.name)

    def test_feedback_log_for_a_request_and_for_a_list(self):
        Feedback = self.env["rma.feedback"].with_user(self.sales_rep)
        first = Feedback.create({"request_id": self.request.id, "content": "Pumps noisy after rework",
                                 "measure": "Engineer sent on site", "state": "done"})
        _order, other = self._approved([(self.product_b, 1)])
        second = Feedback.create({"request_id": other.id, "content": "When is the credit note due?"})
        text = self._print(REQUEST_FEEDBACK_LOG, self.request, user=self.sales_rep)
        self.assertPrinted(text, "Customer Feedback Log", "Pumps noisy after rework", "Engineer sent on site",
                           self.sales_rep.name, "Resolved")
        self.assertNotIn("credit note due", text)
        text = self._print(FEEDBACK_LOG, first | second, user=self.sales_rep)
        self.assertPrinted(text, "Pumps noisy after rework", "When is the credit note due?", other.name, "Open")
        self.assertEqual(text.count("Customer Feedback Log"), 1, "one log for the selected entries")

    # ------------------------------------------------------------------ the file (综合备案)

    def test_closing_files_the_final_forms(self):
        names = self.env["ir.attachment"].search([
            ("res_model", "=", "rma.request"), ("res_id", "=", self.request.id),
        ]).mapped("name")
        safe = self.request.name.replace("/", "-")
        self.assertIn(f"{safe} Return - Exchange Request Form.pdf", names)
        self.assertIn(f"{safe} Return Handling Sheet.pdf", names)
        self.assertIn(f"{self.request.inspection_ids.name.replace('/', '-')}.pdf", names)

    def test_a_withdrawn_request_files_its_forms_too(self):
        _order, request = self._approved([(self.product_b, 2)])
        request.with_user(self.supervisor)._record_withdrawal("The customer found the missing seals")
        self.assertEqual(request.state, "done")
        names = self.env["ir.attachment"].search([
            ("res_model", "=", "rma.request"), ("res_id", "=", request.id),
        ]).mapped("name")
        safe = request.name.replace("/", "-")
        self.assertEqual(sorted(names), [f"{safe} Return - Exchange Request Form.pdf",
                                         f"{safe} Return Handling Sheet.pdf"])

    def test_every_form_is_in_its_records_print_menu(self):
        for xmlid, model in ((REQUEST_FORM, "rma.request"), (APPROVAL_SHEET, "rma.request"),
                             (DETAIL_LIST, "rma.request"), (REQUEST_FEEDBACK_LOG, "rma.request"),
                             (SHORTAGE, "rma.carrier.incident"), (REWORK_ORDER, "repair.order"),
                             (CAPA_SHEET, "rma.review"), (FEEDBACK_LOG, "rma.feedback")):
            report = self.env.ref(xmlid)
            self.assertEqual((report.binding_model_id.model, report.binding_type, report.model),
                             (model, "report", model), xmlid)
            self.assertEqual(report.paperformat_id.format, "A4")


@tagged("post_install", "-at_install")
class TestRmaFormsOverHttp(HttpCase, RmaQualityCommon):
    """Printing is the Print menu's URL: whoever may read the record gets its form as a PDF, the
    others get no form."""

    def _download(self, login, report_name, records):
        self.authenticate(login, login)
        context = json.dumps({"force_report_rendering": True, "lang": "en_US"})
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            return self.url_open(f"/report/pdf/{report_name}/{','.join(map(str, records.ids))}?context={context}")

    def test_each_role_prints_what_it_may_read(self):
        _order, request = self._approved([(self.product_b, 2)])
        finance = self._user("rma_fin_http", "account.group_account_invoice")
        for user in (self.sales_rep, self.supervisor, self.gm, finance, self.keeper):
            with self.subTest(user=user.login):
                response = self._download(user.login, "rma_factory.report_rma_request_form", request)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers["Content-Type"], "application/pdf")
                self.assertIn(request.name, pdf_text(response.content))
        # A sales rep of another team reads neither the request nor its form.
        response = self._download(self.sales_rep_west.login, "rma_factory.report_rma_request_form", request)
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(response.content.startswith(b"%PDF"))
        self.assertNotIn(request.name.encode(), response.content)
