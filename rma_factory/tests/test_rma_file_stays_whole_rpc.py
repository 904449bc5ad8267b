"""What a request's file records stays as it was recorded, over JSON-RPC, as each role (the
probe of stop 27): a completed inspection, a started disposition, a concluded review, a
validated receipt, a checked incident, the signers' own words and a closed request's files are
neither rewritten nor deleted; the internal forms are not the customer's."""
import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import JsonRpcMixin, RmaQualityCommon


@tagged("post_install", "-at_install")
class TestRmaFileStaysWholeOverRpc(JsonRpcMixin, HttpCase, RmaQualityCommon):

    def _fresh(self, records, *names):
        self.env.invalidate_all()
        return [records[name] for name in names]

    def _plan(self, request, disposition_type, quantity):
        return self.env["rma.disposition"].with_user(self.inspector).create({
            "request_id": request.id, "request_line_id": request.line_ids[:1].id,
            "disposition_type": disposition_type, "quantity": quantity,
        })

    # ------------------------------------------------------------------ inspection

    def test_a_completed_inspection_keeps_its_signer_its_lines_and_itself(self):
        _order, request = self._inspected([(self.product, 2)])
        inspection = request.inspection_ids
        qc, gm = self.inspector.login, self.gm.login
        _result, error = self._call(qc, "rma.inspection", "write", [inspection.ids, {
            "inspector_id": self.gm.id, "conclusion": "changed after signing"}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* is completed: its samples and results")
        self.assertEqual(self._fresh(inspection, "inspector_id"), [self.inspector])
        _result, error = self._call(qc, "rma.inspection.line", "unlink", [inspection.line_ids.ids])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .*an inspected product comes from the receipt")
        _result, error = self._call(gm, "rma.inspection", "unlink", [inspection.ids])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* can't be deleted: it belongs to the request's file")
        self.assertTrue(inspection.exists() and inspection.line_ids.exists())
        # Its chatter goes on.
        _result, error = self._call(qc, "rma.inspection", "message_post", [inspection.ids],
                                    {"body": "复检照片已归档", "message_type": "comment"})
        self.assertFalse(error)

    def test_an_open_inspection_needs_its_received_products_and_a_colleague_of_the_company(self):
        _order, request = self._received([(self.product, 2)])
        inspection = request.inspection_ids
        qc = self.inspector.login
        _result, error = self._call(qc, "rma.inspection.line", "unlink", [inspection.line_ids.ids])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .*an inspected product comes from the receipt")
        outsider = new_test_user(self.env, login="rma_qc_elsewhere", groups="base.group_user",
                                 company_id=self.env["res.company"].create({"name": "RMA Other Works"}).id)
        _result, error = self._call(qc, "rma.inspection", "write", [inspection.ids, {"inspector_id": outsider.id}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: (?s:.*)(?i:compan)")
        self.assertNotEqual(self._fresh(inspection, "inspector_id"), [outsider])
        # An inspection without a product to inspect (none can be taken away, but one could be
        # opened empty) is not completed with no sample at all.
        empty = self.env["rma.inspection"]._rma_process().create({"request_id": request.id})
        _result, error = self._call(qc, "rma.inspection", "action_complete", [empty.ids])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* has no received product to inspect")
        self.assertEqual(self._fresh(empty, "state"), ["draft"])

    # ------------------------------------------------------------------ dispositions and review

    def test_started_dispositions_and_a_concluded_review_stay_in_the_file(self):
        _order, request = self._inspected([(self.product, 4)], scrap={self.product: 2})
        qc = self.inspector.login
        started = self._plan(request, "scrap", 2)
        started.with_user(self.inspector).action_start()
        planned = self._plan(request, "restock", 2)
        _result, error = self._call(qc, "rma.disposition", "unlink", [started.ids])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* was started: it can't be deleted, only cancelled")
        self.assertTrue(started.exists())
        _result, error = self._call(qc, "rma.disposition", "unlink", [planned.ids])
        self.assertFalse(error, "a planned disposition is QA's draft")
        self.assertFalse(planned.exists())

        review = self.env["rma.review"].with_user(self.inspector).create({
            "request_id": request.id, "decision": "claim", "cause_analysis": "<p>铸件气孔</p>",
        })
        capa = self.env["rma.capa"].with_user(self.inspector).create({
            "review_id": review.id, "action_type": "corrective", "description": "更换铸件供应商",
            "owner_id": self.inspector.id, "date_due": fields.Date.today() + timedelta(days=7),
            "result": "已换供应商，首批检验合格",
        })
        capa.with_user(self.inspector).action_mark_done()
        review.with_user(self.inspector).action_conclude()
        _result, error = self._call(qc, "rma.review", "write", [review.ids, {"decision": "exchange"}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: The joint review is concluded: .* QA reopens it first")
        self.assertEqual(self._fresh(review, "decision"), ["claim"])
        _result, error = self._call(qc, "rma.review", "unlink", [review.ids])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* is concluded: it stays in the request's file")
        _result, error = self._call(qc, "rma.capa", "unlink", [capa.ids])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* is already done, verified or cancelled")
        self.assertTrue(review.exists() and capa.exists())
        # Reopened, QA changes it again.
        review.with_user(self.inspector).action_reopen()
        _result, error = self._call(qc, "rma.review", "write", [review.ids, {"decision": "exchange"}])
        self.assertFalse(error)

    # ------------------------------------------------------------------ receipt

    def test_a_receipt_takes_the_goods_into_quarantine_and_keeps_what_it_received(self):
        keeper = self.keeper.login
        _order, request = self._approved([(self.product, 2)])
        receipt = request.receipt_ids
        _result, error = self._call(keeper, "stock.picking", "action_cancel", [receipt.ids])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .*nothing of .* was received yet.*the sales rep "
                                r"cancels the request or records the withdrawal")
        self.assertEqual(self._fresh(receipt, "state"), ["assigned"])
        # Into saleable stock instead of the quarantine: refused at validation, whatever the path.
        _result, error = self._call(keeper, "stock.picking", "write", [receipt.ids, {
            "location_dest_id": self.stock_location.id, "rma_doc_return_list": True, "rma_doc_waybill": True}])
        self.assertFalse(error)
        for move in receipt.move_ids:
            move.with_user(self.keeper).write({"quantity": move.product_uom_qty, "picked": True})
        _result, error = self._call(keeper, "stock.picking", "button_validate", [receipt.ids])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .*returned goods go into .* until they are inspected")
        self.assertEqual(self._fresh(receipt, "state"), ["assigned"])
        self.assertEqual(self._fresh(request, "state"), ["approved"])

        receipt.with_user(self.keeper).location_dest_id = self.quarantine
        receipt.move_line_ids.location_dest_id = self.quarantine
        self._receive(receipt)
        self.assertEqual(self._fresh(request, "state"), ["received"])
        line = receipt.move_line_ids
        _result, error = self._call(keeper, "stock.move.line", "write", [line.ids, {"quantity": 5}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* is validated: what it received can no longer "
                                r"change\. Record a difference")
        _result, error = self._call(keeper, "stock.move.line", "unlink", [line.ids])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* is validated: what it received")
        self.assertEqual(self._fresh(request.line_ids, "qty_received"), [2.0])
        self.assertEqual(self._quarantine_qty(self.product), 2.0)

    # ------------------------------------------------------------------ the signers' words, agreed terms

    def test_the_signers_notes_and_the_agreed_terms_are_written_by_their_owners_at_their_step(self):
        _order, request = self._inspected([(self.product, 2)])
        started = self._plan(request, "restock", 2)
        started.with_user(self.inspector).action_start()
        self.assertEqual(request.state, "processing")
        rep, qc = self.sales_rep.login, self.inspector.login
        _result, error = self._call(rep, "rma.request", "write", [request.ids, {
            "qa_verification_note": "业务员代写的验证"}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .*QA Verification of the Execution can't change: "
                                r"QA writes it")
        _result, error = self._call(qc, "rma.request", "write", [request.ids, {"gm_opinion": "同意"}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .*GM's Opinion can't change: the general manager")
        _result, error = self._call(rep, "rma.request", "write", [request.ids, {"freight_cause": "customer"}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .*can't change: goods were already received")
        self.assertEqual(self._fresh(request, "qa_verification_note", "gm_opinion", "freight_cause"),
                         [False, False, "quality"])
        _result, error = self._call(qc, "rma.request", "write", [request.ids, {
            "qa_verification_note": "翻新入库已核对"}])
        self.assertFalse(error, "QA writes its own verification while the dispositions run")

        order = self._deliver(self.customer, [(self.product, 2)])
        advance = self._request_from_order(order, customer_wish="exchange", advance_replacement=True,
                                           deposit_amount=2000.0)
        advance.action_submit()
        self._approve_all(advance)
        _result, error = self._call(rep, "rma.request", "write", [advance.ids, {"freight_cause": "customer"}])
        self.assertFalse(error, "who pays the freight is still open until the goods come back")
        advance.with_user(self.sales_rep).action_request_deposit()
        _result, error = self._call(rep, "rma.request", "write", [advance.ids, {"deposit_amount": 1.0}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .*Deposit can't change: the deposit was already asked")
        self._receive(advance.receipt_ids)
        _result, error = self._call(rep, "rma.request", "write", [advance.ids, {"advance_replacement": False}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .*can't change: the goods are already")
        self.assertEqual(self._fresh(advance, "deposit_amount", "advance_replacement"), [2000.0, True])

    # ------------------------------------------------------------------ incident

    def test_a_checked_incident_keeps_the_facts_the_warehouse_checked(self):
        keeper = self._warehouse_user("rma_inc_keeper_rpc")
        delivery = self._deliver(self.customer, [(self.product_b, 20)]).picking_ids
        form = Form(self.env["rma.carrier.incident"].with_user(keeper))
        form.incident_type = "shortage"
        form.picking_id = delivery
        form.arrival_datetime = fields.Datetime.now() - timedelta(hours=5)
        form.carrier_name = "德邦物流"
        with form.line_ids.edit(0) as line:
            line.received_qty = 17
        incident = form.save()
        incident.with_user(keeper).action_check()
        login = keeper.login
        _result, error = self._call(login, "rma.carrier.incident.line", "write",
                                    [incident.line_ids.ids, {"received_qty": 20}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* was checked by the warehouse: its quantities")
        _result, error = self._call(login, "rma.carrier.incident.line", "create", [{
            "incident_id": incident.id, "product_id": self.product.id, "delivered_qty": 1}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* was checked by the warehouse: its quantities")
        _result, error = self._call(login, "rma.carrier.incident.line", "unlink", [incident.line_ids.ids])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* was checked by the warehouse: its quantities")
        _result, error = self._call(login, "rma.carrier.incident", "write", [incident.ids, {
            "line_ids": [Command.create({"product_id": self.product.id, "delivered_qty": 1})]}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* is Checked by Warehouse: Lines can no longer change")
        self.assertEqual(len(incident.line_ids), 1)
        _result, error = self._call(login, "rma.carrier.incident", "write", [incident.ids, {
            "arrival_datetime": fields.Datetime.to_string(fields.Datetime.now() - timedelta(days=1))}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* is Checked by Warehouse: .* can no longer change")
        _result, error = self._call(login, "rma.carrier.incident", "write", [incident.ids, {
            "waybill": "DB20261201", "notes": "承运人已确认"}])
        self.assertFalse(error, "the claim's details are completed until the sign-off")
        self.assertEqual(self._fresh(incident.line_ids, "missing_qty"), [3.0])

    # ------------------------------------------------------------------ closed request, forms

    def test_a_closed_request_s_files_are_final_and_the_internal_forms_are_not_the_customer_s(self):
        _order, request = self._approved([(self.product, 2)])
        photo = self.env["ir.attachment"].with_user(self.sales_rep).create({
            "name": "现场照片.png", "raw": b"photo", "res_model": "rma.request", "res_id": request.id,
        })
        request.with_user(self.supervisor)._record_withdrawal("客户来电撤回")
        self.assertEqual(request.state, "done")
        rep = self.sales_rep.login
        _result, error = self._call(rep, "ir.attachment", "write", [photo.ids, {
            "datas": base64.b64encode(b"forged").decode(), "name": "forged.png"}])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* is closed: its file can no longer change")
        _result, error = self._call(rep, "ir.attachment", "unlink", [photo.ids])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .* is closed")
        self.assertEqual(self._fresh(photo, "raw", "name"), [b"photo", "现场照片.png"])
        # Shared on the portal as before (its access token is not its content), and rewritten
        # with the same bytes (a storage migration).
        _result, error = self._call(rep, "ir.attachment", "generate_access_token", [photo.ids])
        self.assertFalse(error)
        photo.with_user(self.sales_rep).write({"raw": b"photo", "mimetype": "image/png"})
        # The chatter still takes new files: an upload, then the message that carries it.
        upload, error = self._call(rep, "ir.attachment", "create", [{
            "name": "客户来信.png", "datas": base64.b64encode(b"letter").decode(),
            "res_model": "mail.compose.message", "res_id": 0}])
        self.assertFalse(error)
        _result, error = self._call(rep, "rma.request", "message_post", [request.ids], {
            "body": "客户来信附后", "message_type": "comment", "attachment_ids": [upload]})
        self.assertFalse(error)
        self.assertEqual(self.env["ir.attachment"].browse(upload).res_id, request.id)

        portal = new_test_user(self.env, login="rma_portal_forms", groups="base.group_portal",
                               partner_id=self.customer.id)
        request.message_subscribe(partner_ids=portal.partner_id.ids)
        self.authenticate(portal.login, portal.login)
        for report in ("report_rma_approval_sheet", "report_rma_detail_list", "report_rma_request_feedback_log"):
            response = self.url_open(f"/report/html/rma_factory.{report}/{request.id}")
            self.assertEqual(response.status_code, 403, report)
            self.assertNotIn(self.supervisor.name, response.text, report)
        # Their own request form still prints (the record's rules let them read it).
        response = self.url_open(f"/report/html/rma_factory.report_rma_request_form/{request.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(request.name, response.text)
