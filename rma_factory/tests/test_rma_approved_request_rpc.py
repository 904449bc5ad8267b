"""What was approved, signed or recorded holds over JSON-RPC, as each role (the probe of #15):
an approved request keeps its customer and terms, a line keeps the customer's own sale line,
an executor's result does not carry other fields, a verification is recorded once, feedback
stays on the requests its author works on, and a portal customer reads none of our notes."""
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import JsonRpcMixin, RmaQualityCommon


@tagged("post_install", "-at_install")
class TestRmaApprovedRequestOverRpc(JsonRpcMixin, HttpCase, RmaQualityCommon):

    def _submitted(self, lines=None):
        order = self._deliver(self.customer, lines or [(self.product, 2)])
        request = self._request_from_order(order)
        request.with_user(self.sales_rep).action_submit()
        return request

    def _fresh(self, records, *names):
        self.env.invalidate_all()
        return [records[name] for name in names]

    # ------------------------------------------------------------------ the request's header

    def test_an_approved_request_keeps_its_customer_and_terms(self):
        _order, request = self._approved([(self.product, 2)])
        rep = self.sales_rep.login
        for vals in ({"partner_id": self.other_customer.id}, {"cost_bearer": "customer"},
                     {"customer_wish": "claim", "request_type": "wrong_shipment"},
                     {"freight_budget": 5000}, {"own_product": False}):
            _result, error = self._call(rep, "rma.request", "write", [request.ids, vals])
            self.assertRegex(error, r"^odoo.exceptions.UserError: .* is Approved: .*can no longer change\. "
                                    r"Reset it to draft")
        self.assertEqual(self._fresh(request, "partner_id", "cost_bearer", "customer_wish"),
                         [self.customer, "company", "return"])
        # Rewriting the same value (a re-imported export) and the logistics fields stay open.
        _result, error = self._call(rep, "rma.request", "write", [request.ids, {
            "cost_bearer": "company", "expected_arrival_place": "上海仓库",
        }])
        self.assertFalse(error)
        self.assertEqual(self._fresh(request, "expected_arrival_place"), ["上海仓库"])

    def test_a_changed_term_while_waiting_restarts_the_approval(self):
        request = self._submitted()
        first = request.approval_line_ids.sorted("sequence")[0]
        request.with_user(self.supervisor)._action_approve_step("OK")
        self.assertEqual(first.state, "approved")
        _result, error = self._call(self.sales_rep.login, "rma.request", "write",
                                    [request.ids, {"cost_bearer": "customer"}])
        self.assertFalse(error)
        self.env.invalidate_all()
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(request.approval_line_ids.filtered(lambda line: line.state == "approved"),
                         "the supervisor signs again what changed")
        self.assertIn("The request changed after approval by rma_sup", self._messages(request)[0].body)

    def test_another_customer_can_not_take_over_a_request_with_deliveries(self):
        request = self._request_from_order(self._deliver(self.customer, [(self.product, 1)]))
        _result, error = self._call(self.sales_rep.login, "rma.request", "write",
                                    [request.ids, {"partner_id": self.other_customer.id}])
        self.assertRegex(error, r"^odoo.exceptions.ValidationError: .*went to RMA Customer Co, not to Other Customer")
        self.assertEqual(self._fresh(request, "partner_id"), [self.customer])

    # ------------------------------------------------------------------ the lines' sale lines

    def test_a_line_keeps_the_customer_s_own_sale_line(self):
        foreign = self._deliver(self.other_customer, [(self.product, 1)]).order_line
        draft = self._request_from_order(self._deliver(self.customer, [(self.product, 2)]))
        line = draft.line_ids
        _result, error = self._call(self.sales_rep.login, "rma.request.line", "write",
                                    [line.ids, {"sale_line_id": foreign.id}])
        self.assertRegex(error, r"^odoo.exceptions.ValidationError: .*the delivery line comes from S\d+")
        # Without a delivery line either: only the customer's own orders price a line.
        free = self.env["rma.request"].with_user(self.sales_rep).create({
            "partner_id": self.customer.id,
            "line_ids": [Command.create({"product_id": self.product.id, "quantity": 1})],
        })
        _result, error = self._call(self.sales_rep.login, "rma.request.line", "write",
                                    [free.line_ids.ids, {"sale_line_id": foreign.id}])
        self.assertRegex(error, r"^odoo.exceptions.ValidationError: .*is not an order of RMA Customer Co")
        self.assertFalse(self._fresh(free.line_ids, "sale_line_id")[0])

        # Approved: the sale line, like the price it brings, no longer changes.
        order, approved = self._approved([(self.product, 2)])
        other_line = self._deliver(self.customer, [(self.product, 1)]).order_line
        _result, error = self._call(self.sales_rep.login, "rma.request.line", "write",
                                    [approved.line_ids.ids, {"sale_line_id": other_line.id}])
        self.assertRegex(error, r"is approved: its products and quantities can no longer change")
        self.assertEqual(self._fresh(approved.line_ids, "sale_line_id"), [order.order_line])

    # ------------------------------------------------------------------ the executor's result

    def test_a_recorded_result_carries_no_process_field(self):
        _order, request = self._inspected([(self.product, 2)], failures=1)
        disposition = self.env["rma.disposition"].with_user(self.inspector).create({
            "request_id": request.id, "request_line_id": request.line_ids.id,
            "disposition_type": "scrap", "quantity": 1, "executor_id": self.sales_rep.id,
        })
        for login in (self.inspector.login, self.sales_rep.login):
            _result, error = self._call(login, "rma.disposition", "write", [disposition.ids, {
                "execution_result": "报废完成", "state": "done", "oqc_state": "passed",
            }])
            self.assertRegex(error, r"can't be set directly|AccessError")
        self.assertEqual(self._fresh(disposition, "state", "execution_result", "execution_recorded_by_id"),
                         ["draft", False, self.env["res.users"]])
        # The result alone is recorded and signed by its executor.
        _result, error = self._call(self.sales_rep.login, "rma.disposition", "write", [disposition.ids, {
            "execution_result": "报废完成", "execution_cost": 20,
        }])
        self.assertFalse(error)
        self.assertEqual(self._fresh(disposition, "execution_result", "execution_recorded_by_id", "state"),
                         ["报废完成", self.sales_rep, "draft"])

    # ------------------------------------------------------------------ on-site verification

    def test_an_on_site_verification_is_recorded_once_with_its_own_photos(self):
        request = self._submitted()
        other = self._submitted([(self.product_b, 1)])
        others_photo = self.env["ir.attachment"].create({
            "name": "other.png", "res_model": "rma.request", "res_id": other.id, "raw": b"\x89PNG",
        })
        login = self.sales_rep.login
        wizard_id, error = self._call(login, "rma.verification.wizard", "create", [{
            "request_id": request.id, "result": "confirmed", "note": "叶轮裂纹",
            "photo_ids": [Command.set(others_photo.ids)],
        }])
        self.assertFalse(error)
        _result, error = self._call(login, "rma.verification.wizard", "action_confirm", [[wizard_id]])
        self.assertRegex(error, r"^odoo.exceptions.UserError: other.png: only photos uploaded in this window")
        self.assertEqual((others_photo.res_id, self._fresh(request, "verification_result")[0]), (other.id, False))

        future = fields.Date.to_string(fields.Date.today() + timedelta(days=3))
        wizard_id, _error = self._call(login, "rma.verification.wizard", "create", [{
            "request_id": request.id, "result": "confirmed", "note": "叶轮裂纹", "date": future,
        }])
        _result, error = self._call(login, "rma.verification.wizard", "action_confirm", [[wizard_id]])
        self.assertRegex(error, r"^odoo.exceptions.UserError: The verification date .* is in the future")

        wizard_id, _error = self._call(login, "rma.verification.wizard", "create", [{
            "request_id": request.id, "result": "confirmed", "note": "叶轮裂纹",
        }])
        _result, error = self._call(login, "rma.verification.wizard", "action_confirm", [[wizard_id]])
        self.assertFalse(error)
        # Recorded: neither a second wizard nor a direct write changes it.
        wizard_id, _error = self._call(login, "rma.verification.wizard", "create", [{
            "request_id": request.id, "result": "not_confirmed", "note": "改口",
        }])
        _result, error = self._call(login, "rma.verification.wizard", "action_confirm", [[wizard_id]])
        self.assertRegex(error, r"^odoo.exceptions.UserError: .*can't record the on-site verification of")
        _result, error = self._call(login, "rma.request", "write", [request.ids, {"verification_note": "改口"}])
        self.assertRegex(error, r"can't be set directly")
        self.assertEqual(self._fresh(request, "verification_result", "verification_note"), ["confirmed", "叶轮裂纹"])

    # ------------------------------------------------------------------ customer feedback

    def test_feedback_stays_on_the_requests_its_author_works_on(self):
        request = self._submitted()
        west = self.sales_rep_west.login
        _result, error = self._call(west, "rma.feedback", "create", [{
            "request_id": request.id, "content": "偷看", "handler_id": self.sales_rep_west.id,
        }])
        self.assertRegex(error, r"^odoo.exceptions.AccessError: You can only log feedback on the return requests")
        self.assertFalse(request.sudo().feedback_ids)

        rep = self.sales_rep.login
        future = fields.Date.to_string(fields.Date.today() + timedelta(days=5))
        for vals, pattern in (
            ({"date": future}, "the date is in the future"),
            ({"date": "9999-01-01"}, "outside the years"),
            ({"partner_id": self.other_customer.id}, "can't name another customer"),
            ({"state": "done"}, "Write the measure taken"),
        ):
            _result, error = self._call(rep, "rma.feedback", "create", [dict(
                {"request_id": request.id, "content": "客户催促"}, **vals)])
            self.assertRegex(error, pattern)
        feedback_id, error = self._call(rep, "rma.feedback", "create", [{
            "request_id": request.id, "content": "客户催促", "measure": "已回电", "state": "done",
        }])
        self.assertFalse(error)
        self.assertEqual(request.sudo().feedback_ids.partner_id, self.customer)
        # Resolved: its handler or an approver reopens it, not another user of the team.
        colleague = self._user("rma_rep_2", "rma_factory.group_rma_user,sales_team.group_sale_salesman",
                               self.team_east)
        _result, error = self._call(colleague.login, "rma.feedback", "write", [[feedback_id], {"state": "open"}])
        self.assertRegex(error, r"^odoo.exceptions.AccessError: Only its handler or a returns approver reopens")
        _result, error = self._call(self.supervisor.login, "rma.feedback", "write", [[feedback_id], {"state": "open"}])
        self.assertFalse(error)


    # ------------------------------------------------------------------ the portal customer

    def test_a_portal_customer_reads_none_of_our_internal_notes(self):
        request = self._submitted()
        request.sudo().write({"remarks": "客户难缠，压价"})
        portal = new_test_user(self.env, login="rma_portal_notes", groups="base.group_portal",
                               partner_id=self.contact.id)
        rows, error = self._call(portal.login, "rma.request", "read", [request.ids, ["name", "state"]])
        self.assertFalse(error)
        self.assertEqual(rows[0]["name"], request.name)
        for name in ("remarks", "responsibility_note", "settlement_note", "gm_opinion", "finance_booking_note",
                     "eligibility_override_reason", "execution_cost_total", "verification_note",
                     "qa_verification_note", "freight_budget"):
            _result, error = self._call(portal.login, "rma.request", "read", [request.ids, [name]])
            self.assertRegex(error or "", r"AccessError", name)
        # Their page still shows the request.
        self.authenticate(portal.login, portal.login)
        response = self.url_open(f"/my/returns/{request.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(request.name, response.text)
        self.assertNotIn("客户难缠", response.text)

    # ------------------------------------------------------------------ messages

    def test_bad_types_on_guarded_fields_are_refused_clearly(self):
        request = self._submitted()
        for vals in ({"submitted_date": "garbage"}, {"closed_date": 12345}, {"discount_amount": "lots"}):
            _result, error = self._call(self.sales_rep.login, "rma.request", "write", [request.ids, vals])
            self.assertRegex(error, r"^odoo.exceptions.UserError: .*can't be set directly", vals)

    def test_a_back_dated_request_is_numbered_in_its_own_year(self):
        last_year = fields.Date.today().replace(month=6, day=1) - timedelta(days=365)
        Request = self.env["rma.request"].with_user(self.sales_rep)
        values = {"partner_id": self.customer.id, "request_date": last_year,
                  "line_ids": [Command.create({"product_id": self.product.id, "quantity": 1})]}
        first, second = Request.create([dict(values), dict(values)])
        this_year = Request.create(dict(values, request_date=fields.Date.today()))
        self.assertTrue(first.name.startswith(f"RMA/{last_year.year}/"), first.name)
        self.assertTrue(this_year.name.startswith(f"RMA/{fields.Date.today().year}/"), this_year.name)
        self.assertEqual(len({first.name, second.name, this_year.name}), 3)
        copy = first.copy()
        self.assertTrue(copy.name.startswith(f"RMA/{last_year.year}/"), copy.name)

    def test_a_portal_customer_can_not_submit_a_draft_over_rpc(self):
        draft = self._request_from_order(self._deliver(self.customer, [(self.product, 1)]))
        portal = new_test_user(self.env, login="rma_portal_submit", groups="base.group_portal",
                               partner_id=self.contact.id)
        _result, error = self._call(portal.login, "rma.request", "action_submit", [draft.ids])
        self.assertRegex(error, rf"^odoo.exceptions.UserError: rma_portal_submit.* can.t submit {draft.name}")
        self.assertEqual(self._fresh(draft, "state"), ["draft"])

    def test_values_of_the_wrong_kind_are_refused_in_the_user_s_language(self):
        draft = self._request_from_order(self._deliver(self.customer, [(self.product, 1)]))
        self.sales_rep.lang = "zh_CN"
        rep = self.sales_rep.login
        for method, args in (
            ("read", [["abc"], ["name"]]),
            ("write", [draft.ids, {"cost_bearer": "nobody"}]),
            ("write", [draft.ids, {"freight_budget": 1e308}]),
            ("write", [draft.ids, {"contact_id": "王经理"}]),
        ):
            _result, error = self._call(rep, "rma.request", method, args)
            self.assertRegex(error, r"^odoo.exceptions.ValidationError: 发送的部分值对.*无效", (method, args))
        self.assertEqual(self._fresh(draft, "cost_bearer", "freight_budget", "contact_id"),
                         ["company", 0.0, draft.contact_id])
        # The session goes on: the next call works.
        rows, error = self._call(rep, "rma.request", "read", [draft.ids, ["name"]])
        self.assertEqual((rows[0]["name"], error), (draft.name, None))
