from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ACCESS_REFUSED, RmaCommon


@tagged("post_install", "-at_install")
class TestRmaRequestSettlement(RmaCommon):
    def _wizard(self, request, user, method):
        action = getattr(request.with_user(user), method)()
        return Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))

    def test_discount_settlement_closes_without_goods(self):
        order = self._deliver(self.customer, [(self.product, 2)])
        order._create_invoices().action_post()
        request = self._request_from_order(order)
        request.action_submit()
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            request.with_user(self.sales_rep).action_settle_by_discount()
        form = self._wizard(request, self.supervisor, "action_settle_by_discount")
        self.assertEqual(form.invoice_id, order.invoice_ids, "the order's invoice is proposed for the credit")
        form.amount = 300
        form.note = "客户同意打九折处理"
        form.save().action_confirm()
        self.assertEqual((request.state, request.outcome), ("done", "discount"))
        self.assertEqual(request.discount_amount, 300)
        self.assertEqual(request.discount_invoice_id, order.invoice_ids)
        self.assertFalse(request.approval_line_ids)
        # The goods stay with the customer: their quantity is free for another request.
        self.assertEqual(self._request_from_order(order).line_ids.quantity, 2)

    def test_discount_must_be_positive_and_not_above_the_goods(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        with self.assertRefused(UserError, "positive"):
            request.with_user(self.supervisor)._settle_by_discount(0, "x")
        with self.assertRefused(UserError, "more than the goods are worth"):
            request.with_user(self.supervisor)._settle_by_discount(5000, "x")
        self.assertEqual(request.state, "draft")

    def test_customer_withdrawal(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        request.action_submit()
        self._approve_all(request)
        form = self._wizard(request, self.supervisor, "action_record_withdrawal")
        form.note = "客户自行修复，放弃退货"
        form.save().action_confirm()
        self.assertEqual((request.state, request.outcome), ("done", "withdrawn"))
        self.assertIn("放弃退货", self._messages(request)[0].body)
        with self.assertRefused(UserError, "no longer be settled"):
            request.with_user(self.supervisor)._record_withdrawal("again")
