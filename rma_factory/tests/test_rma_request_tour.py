from odoo.tests import HttpCase, tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaRequestTour(HttpCase, RmaCommon):
    def test_sales_rep_creates_and_supervisor_approves(self):
        order = self._deliver(self.customer, [(self.product, 3)])
        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}", "rma_factory_request_from_sale_order",
            login=self.sales_rep.login,
        )
        request = self.env["rma.request"].search([("sale_order_ids", "=", order.id)])
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.user_id, self.sales_rep)
        self.assertEqual(request.line_ids.quantity, 3)
        self.start_tour(
            "/odoo/action-rma_factory.rma_request_action_to_approve", "rma_factory_supervisor_approves",
            login=self.supervisor.login,
        )
        first = request.approval_line_ids.sorted("sequence")[0]
        self.assertEqual((first.state, first.user_id, first.opinion), ("approved", self.supervisor, "属实，同意退货"))
        self.assertEqual(request.current_approval_id.name, "Marketing Manager")
