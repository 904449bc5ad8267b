from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import ACCESS_REFUSED, RmaQualityCommon


@tagged("post_install", "-at_install")
class TestRmaDisposition(RmaQualityCommon):
    """Every disposition moves real stock out of quarantine, valued, through Odoo's own documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls._user("rma_prod", "rma_factory.group_rma_user,stock.group_stock_user")
        cls.rework_location = cls.warehouse._rma_rework_location()
        cls.customer_location = cls.env.ref("stock.stock_location_customers")

    def _plan(self, request, line, disposition_type, quantity, lot=None):
        """What QA does on the request's Disposition tab: a new row, then Start on it."""
        with Form(request.with_user(self.inspector)) as form, form.disposition_ids.new() as row:
            row.request_line_id = line
            row.disposition_type = disposition_type
            row.quantity = quantity
            if lot:
                row.lot_id = lot
        return request.with_env(self.env).disposition_ids.filtered(lambda d: d.state == "draft")[-1:]

    def _start(self, request, line, disposition_type, quantity, lot=None):
        disposition = self._plan(request, line, disposition_type, quantity, lot)
        disposition.with_user(self.inspector).action_start()
        return disposition

    def _qty(self, product, location, lot=None):
        return self.env["stock.quant"]._get_available_quantity(
            product, location, lot_id=lot, strict=True, allow_negative=True)

    def _stock_value(self, product):
        product.invalidate_recordset(["total_value", "qty_available"])
        return product.with_company(self.company).total_value

    def _validate(self, picking, user=None):
        picking = picking.with_user(user or self.keeper)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        return picking.button_validate()

    # ------------------------------------------------------------------ each kind of disposition

    def test_scrap_is_a_real_scrap_out_of_quarantine(self):
        _order, request = self._inspected([(self.product, 5)], scrap={self.product: 3})
        value_before = self._stock_value(self.product)
        scrap_location = self.env["stock.scrap"].new({"company_id": self.company.id}).scrap_location_id
        scrapped_before = self._qty(self.product, scrap_location)
        disposition = self._start(request, request.line_ids, "scrap", 3)
        self.assertEqual(disposition.state, "done")
        self.assertEqual((disposition.scrap_id.state, disposition.scrap_id.location_id), ("done", self.quarantine))
        self.assertEqual(self._quarantine_qty(self.product), 2)
        self.assertEqual(self._qty(self.product, scrap_location) - scrapped_before, 3)
        move = disposition.scrap_id.move_ids
        self.assertTrue(move.is_out, "scrapping takes the goods out of the valuation")
        self.assertAlmostEqual(move.value, 3 * self.product.standard_price)
        self.assertAlmostEqual(value_before - self._stock_value(self.product), 3 * self.product.standard_price)
        self.assertEqual(request.state, "processing")

    def test_rework_is_an_odoo_repair_ending_in_returned_rework_stock(self):
        _order, request = self._inspected([(self.product, 4)])
        value_before = self._stock_value(self.product)
        disposition = self._start(request, request.line_ids, "rework", 4)
        repair = disposition.repair_id
        self.assertEqual(repair.state, "confirmed")
        self.assertEqual((repair.product_id, repair.product_qty, repair.partner_id),
                         (self.product, 4.0, request.partner_id))
        self.assertEqual(repair.product_location_src_id, self.quarantine)
        self.assertEqual(repair.product_location_dest_id, self.rework_location)
        self.assertEqual(repair.rma_request_id, request)
        self.assertEqual(self.rework_location.location_id, self.warehouse.lot_stock_id,
                         "reworked returns are saleable stock, recognisable by their location")
        # Production starts and ends the rework order in the Repair app.
        repair = repair.with_user(self.production)
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(disposition.state, "done")
        self.assertEqual(self._quarantine_qty(self.product), 0)
        self.assertEqual(self._qty(self.product, self.rework_location), 4)
        self.assertFalse(repair.move_id.is_in or repair.move_id.is_out, "an internal move: value unchanged")
        self.assertAlmostEqual(self._stock_value(self.product), value_before)

    def test_return_unchanged_waits_for_outgoing_qc_then_ships(self):
        _order, request = self._inspected([(self.product, 2)], verdict="not_confirmed")
        value_before = self._stock_value(self.product)
        disposition = self._start(request, request.line_ids, "return_customer", 2)
        picking = disposition.picking_id
        self.assertEqual((picking.picking_type_id, picking.location_id, picking.partner_id),
                         (self.warehouse.out_type_id, self.quarantine, request.partner_id))
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(disposition.oqc_state, "todo")
        with self.assertRefused(UserError, "outgoing quality check must pass"):
            self._validate(picking)
        with self.assertRefused(UserError, "Only QA"):
            disposition.with_user(self.sales_rep).action_oqc_pass()
        with self.assertRefused(UserError, "what must be repacked"):
            disposition.with_user(self.inspector).action_oqc_fail()
        disposition.oqc_note = "Carton torn, repacked"
        disposition.with_user(self.inspector).action_oqc_fail()
        with self.assertRefused(UserError, "outgoing quality check must pass"):
            self._validate(picking)
        disposition.with_user(self.inspector).action_oqc_pass()
        self._validate(picking)
        self.assertEqual((picking.state, disposition.state), ("done", "done"))
        self.assertEqual(self._quarantine_qty(self.product), 0)
        self.assertTrue(picking.move_ids.is_out)
        self.assertAlmostEqual(value_before - self._stock_value(self.product), 2 * self.product.standard_price)

    def test_replacement_is_a_new_delivery_of_the_same_product(self):
        order, request = self._inspected([(self.product, 3)], scrap={self.product: 3})
        stock_before = self._qty(self.product, self.stock_location)
        disposition = self._start(request, request.line_ids, "replace", 3)
        picking = disposition.picking_id
        self.assertEqual((picking.location_id, picking.partner_id, picking.origin),
                         (self.stock_location, request.partner_id, request.name))
        self.assertEqual(picking.move_ids.product_id, self.product)
        self.assertFalse(picking.move_ids.sale_line_id, "the replacement is not sold again")
        self.assertEqual(picking.rma_disposition_id.request_id, request)
        self._validate(picking)
        self.assertEqual(disposition.state, "done")
        self.assertEqual(stock_before - self._qty(self.product, self.stock_location), 3)
        self.assertEqual(self._quarantine_qty(self.product), 3, "the defective units wait for their own disposition")
        self.assertTrue(picking.move_ids.is_out)
        self.assertEqual(order.order_line.qty_invoiced, 0)
        self.assertNotIn(picking, order.picking_ids)

    def test_refund_marks_the_quantity_for_a_credit_note(self):
        order, request = self._inspected([(self.product, 4)], scrap={self.product: 4})
        order.order_line.qty_delivered = 4  # invoice what was delivered before the return
        disposition = self._start(request, request.line_ids, "refund", 4)
        self.assertEqual(disposition.state, "done")
        self.assertAlmostEqual(disposition.refund_amount, 4 * request.line_ids.price_unit)
        self.assertAlmostEqual(request.refund_amount_total, disposition.refund_amount)
        self.assertFalse(disposition.picking_id or disposition.scrap_id or disposition.repair_id)
        self.assertEqual(self._quarantine_qty(self.product), 4, "a refund moves no goods")

    def test_refund_points_at_the_invoice_to_credit(self):
        order = self._deliver(self.customer, [(self.product, 2)])
        invoice = order._create_invoices()
        invoice.action_post()
        request = self._request_from_order(order)
        request.action_submit()
        self._approve_all(request)
        self._receive(request.receipt_ids)
        self._inspect(request.inspection_ids, scrap={self.product: 2})
        disposition = self._start(request, request.line_ids, "refund", 2)
        self.assertEqual(disposition.refund_invoice_id, invoice)

    def test_back_to_stock_is_a_transfer_to_returned_rework_stock(self):
        _order, request = self._inspected([(self.product, 6)], verdict="not_confirmed")
        value_before = self._stock_value(self.product)
        disposition = self._start(request, request.line_ids, "restock", 6)
        picking = disposition.picking_id
        self.assertEqual((picking.picking_type_id, picking.location_dest_id),
                         (self.warehouse.int_type_id, self.rework_location))
        self._validate(picking)
        self.assertEqual(disposition.state, "done")
        self.assertEqual(self._quarantine_qty(self.product), 0)
        self.assertEqual(self._qty(self.product, self.rework_location), 6)
        self.assertAlmostEqual(self._stock_value(self.product), value_before)

    # ------------------------------------------------------------------ quantities

    def test_one_line_split_across_dispositions(self):
        _order, request = self._inspected([(self.product, 10)], failures=2, scrap={self.product: 3})
        line = request.line_ids
        scrap = self._start(request, line, "scrap", 3)
        rework = self._start(request, line, "rework", 2)
        restock = self._start(request, line, "restock", 4)
        back = self._start(request, line, "return_customer", 1)
        self.assertEqual(line.qty_disposed, 10)
        with self.assertRefused(ValidationError, "11 planned for the returned goods, but only 10"):
            self._plan(request, line, "scrap", 1)
        replace = self._start(request, line, "replace", 6)
        refund = self._start(request, line, "refund", 4)
        with self.assertRefused(ValidationError, "11 replaced or refunded, more than the 10 received"):
            self._plan(request, line, "refund", 1)
        on_hand = sum(self.env["stock.quant"]._gather(self.product, self.quarantine, strict=True).mapped("quantity"))
        self.assertEqual(on_hand, 7, "3 scrapped; the rest leaves when its documents are done")
        self._validate(restock.picking_id)
        rework.repair_id.with_user(self.production).action_repair_start()
        rework.repair_id.with_user(self.production).action_repair_end()
        back.with_user(self.inspector).action_oqc_pass()
        self._validate(back.picking_id)
        self._validate(replace.picking_id)
        self.assertEqual(self._quarantine_qty(self.product), 0)
        self.assertEqual(self._qty(self.product, self.rework_location), 6)
        self.assertEqual(set((scrap | rework | restock | back | replace | refund).mapped("state")), {"done"})
        self.assertEqual(request.disposition_count, 6)

    def test_never_more_than_what_is_in_quarantine(self):
        _order, request = self._inspected([(self.product, 5)])
        # Someone moved 3 units out of quarantine by hand: only 2 are left there.
        self.env["stock.quant"]._update_available_quantity(self.product, self.quarantine, -3)
        disposition = self._plan(request, request.line_ids, "scrap", 4)
        with self.assertRefused(UserError, r"only 2 Units available in .*Returns Quarantine, 4 needed"):
            disposition.with_user(self.inspector).action_start()
        self.assertEqual((disposition.state, disposition.scrap_id.id), ("draft", False))
        self.assertEqual(self._quarantine_qty(self.product), 2)

    def test_lots_are_the_returned_ones(self):
        _order, request = self._inspected([(self.product_lot, 2)], scrap={self.product_lot: 1})
        returned_lot = request.receipt_ids.move_line_ids.lot_id
        other_lot = self._stock(self.product_lot, 1, lot_name="LOT-NEVER-SOLD")
        with self.assertRefused(ValidationError, "LOT-NEVER-SOLD was not returned"):
            self.env["rma.disposition"].create({
                "request_id": request.id, "request_line_id": request.line_ids.id,
                "disposition_type": "scrap", "quantity": 1, "lot_id": other_lot.id,
            })
        scrap = self._start(request, request.line_ids, "scrap", 1, lot=returned_lot)
        self.assertEqual(scrap.scrap_id.lot_id, returned_lot)
        back = self._start(request, request.line_ids, "return_customer", 1, lot=returned_lot)
        self.assertEqual(back.picking_id.move_line_ids.lot_id, returned_lot)
        self.assertEqual(self._quarantine_qty(self.product_lot, returned_lot), 0)

    def test_finance_without_inventory_rights_reads_the_dispositions(self):
        """Finance (Invoicing only) opens the request form, whose dispositions list the returned
        lots QA chooses from: lots Finance may not read (the form failed with an AccessError)."""
        finance = self._user("rma_fin_lots", "account.group_account_invoice")
        _order, request = self._inspected([(self.product_lot, 2)], scrap={self.product_lot: 1})
        returned_lot = request.receipt_ids.move_line_ids.lot_id
        self._start(request, request.line_ids, "scrap", 1, lot=returned_lot)
        self.assertFalse(self.env["stock.lot"].with_user(finance).has_access("read"))
        values = request.with_user(finance).web_read({"disposition_ids": {"fields": {
            "allowed_lot_ids": {}, "lot_id": {"fields": {"display_name": {}}}, "state": {},
        }}})[0]["disposition_ids"]
        self.assertEqual(values[0]["allowed_lot_ids"], returned_lot.ids)
        self.assertEqual(values[0]["lot_id"]["display_name"], returned_lot.display_name)

    def test_goods_are_disposed_of_only_after_inspection(self):
        _order, request = self._received([(self.product, 2)])
        disposition = self.env["rma.disposition"].create({
            "request_id": request.id, "request_line_id": request.line_ids.id,
            "disposition_type": "scrap", "quantity": 1,
        })
        with self.assertRefused(UserError, "must be inspected"):
            disposition.with_user(self.inspector).action_start()
        with self.assertRefused(UserError, "Only QA"):
            disposition.with_user(self.sales_rep).action_start()

    def test_plan_from_the_inspection(self):
        _order, request = self._inspected([(self.product, 10), (self.product_b, 20)], scrap={self.product: 4},
                                          customer_wish="exchange")
        request.with_user(self.inspector).action_propose_dispositions()
        planned = {(d.product_id, d.disposition_type): d.quantity for d in request.disposition_ids}
        self.assertEqual(planned, {
            (self.product, "scrap"): 4, (self.product, "rework"): 6, (self.product, "replace"): 10,
            (self.product_b, "rework"): 20, (self.product_b, "replace"): 20,
        })
        self.assertEqual(set(request.disposition_ids.mapped("state")), {"draft"})
        request.with_user(self.inspector).action_start_dispositions()
        self.assertEqual(set(request.disposition_ids.mapped("state")), {"done", "confirmed"})

    def test_cancelling_the_transfer_frees_the_quantity(self):
        _order, request = self._inspected([(self.product, 2)])
        disposition = self._start(request, request.line_ids, "restock", 2)
        disposition.picking_id.with_user(self.keeper).action_cancel()
        self.assertEqual(disposition.state, "cancel")
        self.assertEqual(request.line_ids.qty_disposed, 0)
        # QA, who planned it, is asked to plan it again.
        task = request.activity_ids.filtered(lambda a: a.summary and a.summary.startswith("Plan again"))
        self.assertEqual(task.user_id, self.inspector)
        self.assertIn(disposition.picking_id.name, task.summary)
        again = self._start(request, request.line_ids, "scrap", 2)
        self.assertEqual(again.state, "done")

    def test_quality_documents_stay_in_their_company(self):
        _order, request = self._inspected([(self.product, 2)], scrap={self.product: 2})
        self._start(request, request.line_ids, "scrap", 2)
        review = self.env["rma.review"].create({"request_id": request.id})
        other_company = self.env["res.company"].create({"name": "RMA Second Company"})
        other_qa = new_test_user(
            self.env, login="rma_qa_other", groups="base.group_user,rma_factory.group_rma_manager",
            company_id=other_company.id, company_ids=[Command.set(other_company.ids)],
        )
        for model, records in (("rma.inspection", request.inspection_ids), ("rma.disposition", request.disposition_ids),
                               ("rma.review", review), ("rma.inspection.sample", request.inspection_ids.sample_ids)):
            self.assertFalse(self.env[model].with_user(other_qa).search([("id", "in", records.ids)]), model)
            with self.assertRefused(AccessError, ACCESS_REFUSED):
                records.with_user(other_qa).read(["request_id"])
