from odoo.tests import Form, tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaFeedback(RmaCommon):
    def test_feedback_on_the_request_and_across_requests(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        with Form(request.with_user(self.sales_rep)) as form, form.feedback_ids.new() as feedback:
            feedback.content = "客户反映新泵噪音大"
            feedback.measure = "安排技术员上门调试"
        entry = request.feedback_ids
        self.assertEqual(entry.partner_id, self.customer)
        self.assertEqual(entry.handler_id, self.sales_rep)
        self.assertEqual(entry.state, "open")
        self.assertEqual(request.feedback_count, 1)
        # The log across requests, with one entry not tied to any request.
        loose = self.env["rma.feedback"].with_user(self.sales_rep).create({
            "partner_id": self.customer.id, "content": "包装破损", "state": "done",
        })
        found = self.env["rma.feedback"].with_user(self.sales_rep).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(found, entry | loose)
        action = request.action_view_feedback()
        self.assertEqual(self.env["rma.feedback"].search(action["domain"]), entry)
