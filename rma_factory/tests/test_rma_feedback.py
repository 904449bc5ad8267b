from odoo import Command
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
            "partner_id": self.customer.id, "content": "包装破损", "measure": "已补发包装", "state": "done",
        })
        found = self.env["rma.feedback"].with_user(self.sales_rep).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(found, entry | loose)
        action = request.action_view_feedback()
        self.assertEqual(self.env["rma.feedback"].search(action["domain"]), entry)

    def test_new_feedback_takes_the_customer_of_its_request_in_the_web_client(self):
        """What the browser does for Feedback → New from the request's smart button and for a new
        row of the request's Customer Feedback tab: an onchange, then a save with its values."""
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        Feedback = self.env["rma.feedback"].with_user(self.sales_rep).with_context(default_request_id=request.id)
        spec = {"partner_id": {"fields": {"display_name": {}}}, "company_id": {"fields": {}},
                "request_id": {"fields": {}}, "content": {}, "date": {}, "state": {}}
        values = Feedback.onchange({}, [], spec)["value"]
        self.assertEqual(values["partner_id"]["id"], self.customer.id, "the customer is shown, read-only")
        self.assertEqual(values["company_id"]["id"], request.company_id.id)
        request.with_user(self.sales_rep).write({"feedback_ids": [Command.create({
            "content": "客户要求提供检测报告", "date": values["date"], "state": values["state"],
            "partner_id": values["partner_id"]["id"], "company_id": values["company_id"]["id"],
        })]})
        self.assertEqual(request.feedback_ids.partner_id, self.customer)
