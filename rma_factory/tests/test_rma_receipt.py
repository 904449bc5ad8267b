from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import RmaQualityCommon


@tagged("post_install", "-at_install")
class TestRmaReceipt(RmaQualityCommon):
    def test_warehouses_have_a_quarantine_and_a_returns_operation(self):
        self.assertTrue(self.quarantine)
        self.assertEqual(self.quarantine.usage, "internal")
        self.assertFalse(self.quarantine._child_of(self.warehouse.lot_stock_id), "not inside saleable stock")
        returns_type = self.warehouse.rma_return_type_id
        self.assertEqual((returns_type.code, returns_type.default_location_dest_id), ("incoming", self.quarantine))
        new_warehouse = self.env["stock.warehouse"].create({"name": "RMA North", "code": "RMAN"})
        self.assertEqual(new_warehouse.rma_quarantine_location_id.location_id, new_warehouse.view_location_id)
        self.assertEqual(new_warehouse.rma_return_type_id.default_location_dest_id,
                         new_warehouse.rma_quarantine_location_id)

    def test_approval_creates_one_return_per_delivery_through_odoos_return(self):
        first = self._deliver(self.customer, [(self.product, 4)])
        second = self._deliver(self.customer, [(self.product_b, 10)])
        request = self._request_from_order(first)
        request.line_ids = [Command.create({"origin_move_id": second.picking_ids.move_ids.id, "quantity": 6})]
        request.action_submit()
        self._approve_all(request)
        self.assertEqual(len(request.receipt_ids), 2)
        deliveries = (first | second).picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(request.receipt_ids.return_id, deliveries)
        for move in request.receipt_ids.move_ids:
            self.assertTrue(move.origin_returned_move_id)
            self.assertTrue(move.to_refund)
            self.assertEqual(move.location_dest_id, self.quarantine)
            self.assertEqual(move.rma_request_line_id.origin_move_id, move.origin_returned_move_id)
        self.assertEqual(request.receipt_ids.picking_type_id, self.warehouse.rma_return_type_id)
        self.assertEqual(sorted(request.receipt_ids.move_ids.mapped("product_uom_qty")), [4.0, 6.0])

    def test_full_receipt_into_quarantine_lowers_delivered_quantity(self):
        order, request = self._approved([(self.product, 5)])
        receipt = request.receipt_ids
        self.assertEqual(receipt.rma_request_id, request)
        before_stock = self.env["stock.quant"]._get_available_quantity(self.product, self.stock_location)
        with self.assertRefused(UserError, "paperwork is incomplete, missing the customer's return list"):
            receipt.with_user(self.keeper).button_validate()
        self._receive(receipt)
        self.assertEqual(receipt.state, "done")
        self.assertEqual(self._quarantine_qty(self.product), 5)
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(self.product, self.stock_location),
                         before_stock, "nothing went back to saleable stock")
        self.assertEqual(order.order_line.qty_delivered, 0)
        self.assertEqual((request.state, request.line_ids.qty_received, request.line_ids.qty_difference),
                         ("received", 5.0, 0.0))
        # stock_account: the return is an incoming, valued move at the product's cost.
        return_move = receipt.move_ids
        self.assertTrue(return_move.is_in)
        self.assertAlmostEqual(return_move.value, 5 * self.product.standard_price)

    def test_lot_received_is_the_delivered_one(self):
        _order, request = self._approved([(self.product_lot, 2)])
        receipt = request.receipt_ids
        self.assertEqual(request.line_ids.lot_id.name, "LOT-A")
        self._receive(receipt)
        self.assertEqual(receipt.move_line_ids.lot_id.name, "LOT-A")
        lot_quant = self.env["stock.quant"].search([
            ("location_id", "=", self.quarantine.id), ("product_id", "=", self.product_lot.id)])
        self.assertEqual((lot_quant.lot_id.name, lot_quant.quantity), ("LOT-A", 2.0))

    def test_partial_receipt_backorder_and_difference(self):
        order, request = self._approved([(self.product, 5)])
        self._receive(request.receipt_ids, {self.product: 3})
        self.assertEqual(len(request.receipt_ids), 2, "the backorder keeps the rest expected")
        self.assertEqual(request.state, "partially_received")
        self.assertEqual((request.line_ids.qty_received, request.line_ids.qty_difference), (3.0, 2.0))
        self.assertEqual(order.order_line.qty_delivered, 2)
        backorder = request.receipt_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        with self.assertRefused(UserError, "still expects goods"):
            request._confirm_receipt_difference("客户确认少退2台")
        backorder.with_user(self.keeper).action_cancel()
        self.assertEqual(request.state, "partially_received", "an unconfirmed difference keeps it open")
        difference_type = self.env.ref("rma_factory.mail_activity_receipt_difference")
        task = request.activity_ids.filtered(lambda a: a.activity_type_id == difference_type)
        self.assertEqual(task.user_id, request.user_id, "the sales rep is asked to agree it with the customer")
        with self.assertRefused(UserError, "Write what was agreed"):
            request._confirm_receipt_difference(" ")
        action = request.with_user(self.sales_rep).action_confirm_difference()
        form = Form(self.env[action["res_model"]].with_user(self.sales_rep).with_context(**action["context"]))
        form.note = "客户确认另2台留用，不再退回"
        form.save().action_confirm()
        self.assertEqual(request.state, "received")
        self.assertTrue(request.difference_confirmed)
        self.assertFalse(task.exists() and task.active, "the confirmation ends the task")

    def test_paperwork_hold_blocks_the_receipt(self):
        _order, request = self._approved([(self.product_b, 4)])
        receipt = request.receipt_ids.with_user(self.keeper)
        form = Form(self.env["rma.hold.wizard"].with_user(self.keeper).with_context(default_picking_id=receipt.id))
        form.reason = "无运单，客户退货清单未随货"
        form.save().action_confirm()
        self.assertTrue(receipt.rma_on_hold)
        self.assertTrue(self._messages(request).filtered(lambda m: "无运单" in m.body), "the hold is on the request")
        receipt.write({"rma_doc_return_list": True, "rma_doc_waybill": True})
        with self.assertRefused(UserError, "is on hold"):
            receipt.button_validate()
        receipt.action_rma_release_hold()
        self._receive(receipt)
        self.assertEqual(request.state, "received")

    def test_warehouse_keeper_without_sales_rights(self):
        self.assertFalse(self.keeper.has_group("sales_team.group_sale_salesman"))
        _order, request = self._approved([(self.product, 2)])
        receipts = self.env["stock.picking"].with_user(self.keeper).search([("rma_request_id", "=", request.id)])
        self.assertEqual(receipts, request.receipt_ids)
        self.assertEqual(receipts.rma_request_id.with_user(self.keeper).name, request.name)
        self._receive(receipts, user=self.keeper)
        self.assertEqual(request.state, "received")

    def test_repair_returns_do_not_lower_the_delivered_quantity(self):
        order, request = self._approved([(self.product, 2)], customer_wish="repair")
        self.assertFalse(request.receipt_ids.move_ids.to_refund)
        self._receive(request.receipt_ids)
        self.assertEqual(order.order_line.qty_delivered, 2)

    def test_cancelling_the_request_cancels_its_open_receipts(self):
        _order, request = self._approved([(self.product, 1)])
        request.action_cancel()
        self.assertEqual(request.receipt_ids.state, "cancel")

    def test_the_keeper_confirms_the_difference_from_the_request(self):
        """Inventory → Return Requests → the request → Confirm Difference, as the warehouse keeper."""
        _order, request = self._approved([(self.product, 5)])
        self._receive(request.receipt_ids, {self.product: 3}, backorder=False)
        as_keeper = request.with_user(self.keeper)
        self.assertEqual(as_keeper.state, "partially_received")
        self.assertTrue(as_keeper.can_confirm_difference)
        self.assertFalse(request.with_user(self.sales_rep_west).can_confirm_difference, "another team's rep")
        action = as_keeper.action_confirm_difference()
        form = Form(self.env[action["res_model"]].with_user(self.keeper).with_context(**action["context"]))
        form.note = "客户电话确认少退2台"
        form.save().action_confirm()
        self.assertEqual(request.state, "received")
        note = self._messages(request).filtered(lambda message: "客户电话确认少退2台" in (message.body or ""))
        self.assertEqual(note.author_id, self.keeper.partner_id, "logged in the request's chatter as the keeper")
