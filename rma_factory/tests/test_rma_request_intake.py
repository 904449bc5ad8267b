from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaRequestIntake(RmaCommon):
    def test_from_sale_order_prefills_delivered_lines(self):
        order = self._deliver(self.customer, [(self.product, 10), (self.product_b, 40)])
        request = self._request_from_order(order)
        self.assertTrue(request.name.startswith("RMA/"))
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.user_id, self.sales_rep)
        self.assertEqual(request.team_id, self.team_east)
        self.assertEqual(request.sale_order_ids, order)
        self.assertEqual(request.origin_picking_ids, order.picking_ids)
        self.assertEqual(
            sorted(request.line_ids.mapped(lambda line: (line.product_id, line.quantity))),
            sorted([(self.product, 10.0), (self.product_b, 40.0)]),
        )
        pump_line = request.line_ids.filtered(lambda line: line.product_id == self.product)
        pump_sale_line = order.order_line.filtered(lambda line: line.product_id == self.product)
        self.assertEqual(pump_line.sale_line_id, pump_sale_line)
        self.assertEqual(pump_line.price_unit, 1000.0)
        self.assertEqual(request.amount_total, 10 * 1000 + 40 * 50)
        # Smart buttons both ways.
        self.assertEqual(order.rma_request_ids, request)
        self.assertEqual(order.picking_ids.rma_request_ids, request)
        self.assertEqual(request.action_view_sale_orders()["res_id"], order.id)

    def test_from_delivery_with_lots(self):
        order = self._deliver(self.customer, [(self.product_lot, 5)])
        picking = order.picking_ids
        self.assertTrue(picking.rma_can_request)
        action = picking.with_user(self.sales_rep).action_create_rma_request()
        form = Form(self.env["rma.request"].with_user(self.sales_rep).with_context(**action["context"]))
        form.criterion_quality = True
        request = form.save()
        self.assertEqual(request.line_ids.lot_id.name, "LOT-A")
        self.assertEqual(request.line_ids.origin_move_id, picking.move_ids)

    def test_second_request_only_gets_what_is_left(self):
        order = self._deliver(self.customer, [(self.product, 10)])
        self._request_from_order(order, quantities=[4]).with_user(self.sales_rep).action_submit()
        second = self._request_from_order(order)
        self.assertEqual(second.line_ids.quantity, 6)
        second.with_user(self.sales_rep).action_submit()
        with self.assertRefused(UserError, "already returned or on a return request"):
            order.with_user(self.sales_rep).action_create_rma_request()

    def test_only_submitted_requests_hold_quantities(self):
        """A draft nobody sends, or a rejected request, does not block the next request; whichever
        is submitted first takes the goods, the other is refused at submission."""
        order = self._deliver(self.customer, [(self.product, 10)])
        forgotten = self._request_from_order(order)
        self.assertEqual(forgotten.line_ids.quantity, 10)
        second = self._request_from_order(order)
        self.assertEqual(second.line_ids.quantity, 10, "the draft holds nothing")
        second.with_user(self.sales_rep).action_submit()
        with self.assertRefused(ValidationError, r"10.0 .* requested, but only 0.0 .* on other requests 10.0",
                                forgotten):
            forgotten.with_user(self.sales_rep).action_submit()
        self.assertEqual(forgotten.state, "draft")
        # The first one is rejected: its goods are free again.
        self._approve_first_and_reject(second)
        third = self._request_from_order(order, quantities=[7])
        third.with_user(self.sales_rep).action_submit()
        self.assertEqual(third.state, "to_approve")

    def _approve_first_and_reject(self, request):
        request.with_user(self.supervisor)._action_approve_step("ok")
        request.with_user(self.marketing)._action_reject("客户自行选型错误")
        self.assertEqual(request.state, "rejected")

    def test_quantity_limits_give_clear_errors(self):
        order = self._deliver(self.customer, [(self.product, 10)])
        request = self._request_from_order(order, quantities=[10])
        line = request.line_ids
        with self.assertRefused(ValidationError, r"11.0 .* requested, but only 10.0 .* can still be returned"), \
                self.cr.savepoint():
            line.quantity = 11
        with self.assertRefused(ValidationError, "must be positive"), self.cr.savepoint():
            line.quantity = 0
        with self.assertRefused(ValidationError, "must be positive"), self.cr.savepoint():
            line.quantity = -1
        # A plain Odoo return of 3 units (outside any request) lowers what can be requested.
        other = self._deliver(self.customer, [(self.product, 5)])
        wizard = self.env["stock.return.picking"].with_context(
            active_id=other.picking_ids.id, active_model="stock.picking").create({})
        wizard.product_return_moves.write({"quantity": 3})
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        for move in returned.move_ids:
            move.quantity = 3
            move.picked = True
        returned.button_validate()
        with self.assertRefused(ValidationError, "already returned 3.0"):
            self._request_from_order(other, quantities=[3])

    def test_another_customers_delivery_is_refused(self):
        theirs = self._deliver(self.other_customer, [(self.product, 5)])
        form = Form(self.env["rma.request"].with_user(self.sales_rep))
        form.partner_id = self.customer
        form.criterion_quality = True
        with form.line_ids.new() as line:
            line.product_id = self.product
            line.quantity = 1
        request = form.save()
        with self.assertRefused(ValidationError, "went to Other Customer Co, not to RMA Customer Co"):
            request.line_ids.origin_move_id = theirs.picking_ids.move_ids

    def test_a_new_request_offers_submit_but_nothing_to_cancel(self):
        form = Form(self.env["rma.request"].with_user(self.sales_rep))
        form.partner_id = self.customer
        self.assertTrue(form.can_submit)
        self.assertFalse(form.can_cancel, "an unsaved request is discarded, not cancelled")
        form.criterion_quality = True
        with form.line_ids.new() as line:
            line.product_id = self.product
            line.quantity = 1
        request = form.save()
        self.assertTrue(request.can_cancel)
        with Form(request) as edited:
            self.assertTrue(edited.can_cancel, "a saved request being edited may be cancelled")

    def test_another_companys_delivery_is_refused(self):
        other_company = self.env["res.company"].create({"name": "RMA Other Company"})
        self.env.user.company_ids = [Command.link(other_company.id)]
        product = self.product.with_company(other_company)
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", other_company.id)], limit=1)
        self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
        order = self.env["sale.order"].with_company(other_company).create({
            "partner_id": self.customer.id, "company_id": other_company.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2})],
        })
        order.action_confirm()
        order.picking_ids.move_ids.write({"quantity": 2, "picked": True})
        order.picking_ids.button_validate()
        request = self.env["rma.request"].create({
            "partner_id": self.customer.id, "criterion_quality": True,
            "line_ids": [Command.create({"product_id": self.product.id, "quantity": 1})],
        })
        with self.assertRefused(UserError, "company"):
            request.line_ids.origin_move_id = order.picking_ids.move_ids

    def test_menu_intake_product_picks_the_customers_delivery(self):
        order = self._deliver(self.customer, [(self.product, 7)])
        form = Form(self.env["rma.request"].with_user(self.sales_rep))
        form.partner_id = self.customer
        self.assertEqual(form.contact_id, self.contact, "the customer's contact is proposed")
        form.criterion_quality = True
        with form.line_ids.new() as line:
            line.product_id = self.product
            self.assertEqual(line.origin_move_id, order.picking_ids.move_ids)
            line.quantity = 2
        request = form.save()
        self.assertEqual(request.sale_order_ids, order)
        self.assertEqual(request.line_ids.quantity, 2)

    def test_delivery_that_is_not_done_cannot_start_a_request(self):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
        })
        order.action_confirm()
        self.assertFalse(order.picking_ids.rma_can_request)
        with self.assertRefused(UserError, "not a done delivery"):
            order.picking_ids.action_create_rma_request()
        with self.assertRefused(UserError, "no delivered goods"):
            order.action_create_rma_request()

    def test_request_spanning_two_deliveries(self):
        first = self._deliver(self.customer, [(self.product, 3)])
        second = self._deliver(self.customer, [(self.product_b, 6)])
        request = self._request_from_order(first)
        request.write({"line_ids": [Command.create({
            "origin_move_id": second.picking_ids.move_ids.id, "quantity": 2,
        })]})
        self.assertEqual(request.sale_order_ids, first | second)
        self.assertEqual(request.origin_picking_count, 2)

    def test_the_sale_order_offers_a_return_only_once_something_was_delivered(self):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id, "user_id": self.sales_rep.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
        })
        order.action_confirm()
        self.assertFalse(order.with_user(self.sales_rep).rma_can_request, "nothing delivered yet")
        delivered = self._deliver(self.customer, [(self.product, 1)])
        self.assertTrue(delivered.with_user(self.sales_rep).rma_can_request)

    def test_the_contact_address_is_written_in_the_customer_s_language(self):
        """Stored with the request and printed on its forms: a Chinese customer's country reads
        中国 even when the request was typed in English (a portal visitor, a script)."""
        (self.customer | self.contact).write({"lang": "zh_CN", "country_id": self.env.ref("base.cn").id,
                                              "city": "杭州"})
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        self.assertNotEqual(request.env.lang, "zh_CN", "typed in English")
        self.assertIn("中国", request.contact_address)
        self.assertNotIn("China", request.contact_address)
