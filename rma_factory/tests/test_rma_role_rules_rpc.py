import json

from odoo.tests import HttpCase, tagged

from .common import JsonRpcMixin, RmaQualityCommon


@tagged("post_install", "-at_install")
class TestRmaRoleRulesOverRpc(JsonRpcMixin, HttpCase, RmaQualityCommon):
    """The approval and receipt rules of the role issue hold over JSON-RPC as each role, not only
    in the form: the call is refused with a clear message and nothing changes."""

    def _submitted(self):
        order = self._deliver(self.customer, [(self.product, 2)])
        request = self._request_from_order(order)
        request.with_user(self.sales_rep).action_submit()
        return request

    def _step_states(self, request):
        self.env.invalidate_all()
        return [(line.state, line.user_id) for line in request.approval_line_ids]

    def test_only_the_bound_signer_signs_and_nobody_signs_twice(self):
        request = self._submitted()
        before = self._step_states(request)
        _result, error = self._call(self.marketing.login, "rma.request", "action_approve", [request.ids])
        self.assertRegex(error, r"AccessError: .*Business Supervisor.*is signed by")
        self.assertEqual(self._step_states(request), before)

        # Private methods (signing, reassigning) are not reachable over RPC at all.
        _result, error = self._call(self.gm.login, "rma.request", "_action_approve_step", [request.ids, "rpc"])
        self.assertIn("Private methods", error)
        _result, error = self._call(self.sales_rep.login, "rma.request", "_reassign_current_step",
                                    [request.ids, self.sales_rep.id, "I choose"])
        self.assertIn("Private methods", error)
        self.assertEqual(self._step_states(request), before)

        # The supervisor signs through the wizard, then may not sign the next step.
        wizard_id, error = self._call(self.supervisor.login, "rma.approval.wizard", "create", [{
            "request_id": request.id, "decision": "approve", "opinion": "ok",
            "approval_id": request.current_approval_id.id,
        }])
        self.assertFalse(error)
        _result, error = self._call(self.supervisor.login, "rma.approval.wizard", "action_confirm", [[wizard_id]])
        self.assertFalse(error)
        self.assertEqual(self._step_states(request)[0], ("approved", self.supervisor))
        _result, error = self._call(self.supervisor.login, "rma.request", "action_approve", [request.ids])
        self.assertRegex(error, "You already approved")

        # A sales rep can't reassign through the wizard either.
        wizard_id, error = self._call(self.sales_rep.login, "rma.approval.reassign.wizard", "create", [{
            "request_id": request.id, "user_id": self.sales_rep.id, "reason": "me",
        }])
        self.assertRegex(error or "", "AccessError")
        self.assertEqual(request.current_approval_id.signer_id, self.marketing)

    def test_a_call_without_a_context_is_answered_in_the_user_s_language(self):
        request = self._submitted()
        self.sales_rep.lang = "zh_CN"
        _result, error = self._call(self.sales_rep.login, "rma.request", "action_submit", [request.ids])
        self.assertEqual(error, f"odoo.exceptions.UserError: {request.name} 已经提交过了。")
        # The client's own language stands.
        _result, error = self._call(self.sales_rep.login, "rma.request", "action_submit", [request.ids],
                                    {"context": {"lang": "en_US"}})
        self.assertEqual(error, f"odoo.exceptions.UserError: {request.name} was already submitted.")

    def test_receipt_difference_is_the_warehouse_s_or_the_team_s(self):
        _order, request = self._approved([(self.product, 5)])
        self._receive(request.receipt_ids, {self.product: 3}, backorder=False)
        self.assertEqual(request.state, "partially_received")
        # The keeper may not write the request directly...
        _result, error = self._call(self.keeper.login, "rma.request", "write",
                                    [request.ids, {"difference_confirmed": True}])
        self.assertRegex(error, "can't be set directly")
        # ... and a rep of another team may not confirm through the wizard.
        wizard_id, error = self._call(self.sales_rep_west.login, "rma.difference.wizard", "create", [{
            "request_id": request.id, "note": "not mine",
        }])
        if not error:
            _result, error = self._call(self.sales_rep_west.login, "rma.difference.wizard", "action_confirm",
                                        [[wizard_id]])
        self.assertRegex(error, "AccessError")
        self.env.invalidate_all()
        self.assertEqual((request.state, request.difference_confirmed), ("partially_received", False))
        # The keeper confirms through the wizard.
        wizard_id, _error = self._call(self.keeper.login, "rma.difference.wizard", "create", [{
            "request_id": request.id, "note": "客户确认少退2台",
        }])
        _result, error = self._call(self.keeper.login, "rma.difference.wizard", "action_confirm", [[wizard_id]])
        self.assertFalse(error)
        self.env.invalidate_all()
        self.assertEqual(request.state, "received")

    def test_a_reader_opening_a_pdf_gets_no_error_and_changes_nothing(self):
        """The chatter sends back a preview of each PDF it shows; a keeper reading the request
        may not change its file: no 404 (the web client's error dialog), nothing saved. Someone
        who may change the request still saves the preview."""
        request = self._submitted()
        pdf = self.env["ir.attachment"].create({
            "name": "客户退换货申请表单.pdf", "res_model": "rma.request", "res_id": request.id,
            "raw": b"%PDF-1.4\n%%EOF\n", "mimetype": "application/pdf",
        })
        # A 1×1 PNG, as the browser's canvas sends it.
        png = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

        def send_preview(login):
            self.authenticate(login, login)
            response = self.url_open("/mail/attachment/update_thumbnail", data=json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": 1,
                "params": {"attachment_id": pdf.id, "thumbnail": png},
            }), headers={"Content-Type": "application/json"})
            return response.json()

        self.assertFalse(request.with_user(self.keeper).has_access("write"), "the keeper only reads requests")
        answer = send_preview(self.keeper.login)
        self.assertNotIn("error", answer)
        pdf.invalidate_recordset()
        self.assertFalse(pdf.thumbnail)
        answer = send_preview("admin")
        self.assertNotIn("error", answer)
        pdf.invalidate_recordset()
        self.assertTrue(pdf.thumbnail)
