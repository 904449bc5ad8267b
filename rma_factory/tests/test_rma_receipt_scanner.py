from odoo.tests import Form, HttpCase, tagged

from .common import RmaCommon


class RmaScannerCommon(RmaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.barcode = "6921234599990"
        cls.product_b.barcode = "6921234599907"
        cls.product_lot.barcode = "6921234599914"
        cls.keeper = cls._warehouse_user("rma_scan_keeper")

    def _scanner(self):
        return Form(self.env["rma.receipt.scanner"].with_user(self.keeper))

    def _scanned(self, form):
        """Scanned quantity per product id, as the screen shows it."""
        return {values["product_id"]: values["scanned_qty"] for values in form.line_ids._records}

    def _scan(self, form, *codes):
        for code in codes:
            form._barcode_scanned = code
        return form


@tagged("post_install", "-at_install")
class TestRmaReceiptScanner(RmaScannerCommon):
    def test_scan_request_then_products_and_validate(self):
        order, request = self._approved([(self.product, 2), (self.product_b, 3)])
        form = self._scan(self._scanner(), request.name)
        self.assertEqual(form.picking_id, request.receipt_ids)
        self.assertEqual(form.message_type, "info")
        self._scan(form, "6921234599990", "6921234599990", "6921234599907")
        self.assertEqual(self._scanned(form), {self.product.id: 2.0, self.product_b.id: 1.0})
        self.assertEqual(form.message_type, "success")
        form.doc_return_list = True
        form.doc_waybill = True
        result = form.save().action_validate()
        # 1 of 3 seals: Odoo asks about the backorder; the keeper keeps one.
        self.assertEqual(result["res_model"], "stock.backorder.confirmation")
        answer = Form(self.env[result["res_model"]].with_user(self.keeper).with_context(**result["context"])) \
            .save().process()
        self.assertEqual(request.state, "partially_received")
        # Then the scanner again, ready for the next parcel, saying the receipt was validated.
        self.assertEqual(answer["res_model"], "rma.receipt.scanner")
        validated = request.receipt_ids.filtered(lambda p: p.state == "done")
        self.assertEqual(answer["context"]["default_message"], f"{validated.name} validated.")
        self.assertEqual(sorted(request.line_ids.mapped("qty_received")), [1.0, 2.0])
        self.assertEqual(order.order_line.filtered(lambda line: line.product_id == self.product).qty_delivered, 0)

    def test_receipt_reference_opens_it_too(self):
        _order, request = self._approved([(self.product, 1)])
        form = self._scan(self._scanner(), request.receipt_ids.name)
        self.assertEqual(form.picking_id, request.receipt_ids)

    def test_scan_button_on_the_receipt_opens_the_screen_on_it(self):
        _order, request = self._approved([(self.product, 2)])
        action = request.receipt_ids.with_user(self.keeper).action_rma_open_scanner()
        form = Form(self.env[action["res_model"]].with_user(self.keeper).with_context(**action["context"]))
        self.assertEqual(form.picking_id, request.receipt_ids)
        self.assertEqual(len(form.line_ids), 1)
        self._scan(form, "6921234599990")
        self.assertEqual(self._scanned(form), {self.product.id: 1.0})

    def test_typing_a_code_in_the_field(self):
        _order, request = self._approved([(self.product, 1)])
        form = self._scanner()
        form.typed_barcode = request.name
        self.assertEqual(form.picking_id, request.receipt_ids)
        form.typed_barcode = "6921234599990"
        self.assertEqual(self._scanned(form), {self.product.id: 1.0})
        self.assertFalse(form.typed_barcode, "the field is cleared for the next code")

    def test_wrong_scans_warn_and_change_nothing(self):
        _order, request = self._approved([(self.product, 1)])
        form = self._scan(self._scanner(), "NOT-A-REQUEST")
        self.assertEqual(form.message_type, "danger")
        self.assertFalse(form.picking_id)
        self._scan(form, request.name, "NO-SUCH-CODE-42")
        self.assertEqual((form.message_type, next(iter(self._scanned(form).values()))), ("danger", 0.0))
        self.assertIn("Unknown barcode", form.message)
        self._scan(form, "6921234599907")  # a product that is not on this return
        self.assertIn("is not on", form.message)
        self._scan(form, "6921234599990", "6921234599990")  # one over the requested quantity
        self.assertIn("would exceed", form.message)
        self.assertEqual(next(iter(self._scanned(form).values())), 1.0)

    def test_lots_and_gs1(self):
        _order, request = self._approved([(self.product_lot, 3)])
        self.env["stock.lot"].create({"name": "LOT-Z", "product_id": self.product_lot.id})
        form = self._scan(self._scanner(), request.name, "LOT-A")
        self.assertEqual(next(iter(self._scanned(form).values())), 1.0)
        self._scan(form, "LOT-Z")
        self.assertIn("was not delivered", form.message)
        self.assertEqual(next(iter(self._scanned(form).values())), 1.0)
        # GS1: (01) GTIN, (30) quantity, FNC1, (10) lot.
        self.company.nomenclature_id = self.env.ref("barcodes_gs1_nomenclature.default_gs1_nomenclature")
        self._scan(form, "0106921234599914" + "302" + "\x1d" + "10LOT-A")
        self.assertEqual(next(iter(self._scanned(form).values())), 3.0, form.message)
        form.doc_return_list = form.doc_waybill = True
        form.save().action_validate()
        self.assertEqual(request.state, "received")
        self.assertEqual(request.receipt_ids.move_line_ids.lot_id.name, "LOT-A")

    def test_a_scan_costs_a_bounded_number_of_queries(self):
        products = self.env["product.product"].create([
            {"name": f"Scan part {i}", "type": "consu", "is_storable": True, "categ_id": self.category.id,
             "barcode": f"69299{i:08d}"} for i in range(50)
        ])
        for product in products:
            self.env["stock.quant"]._update_available_quantity(product, self.stock_location, 10)
        _order, request = self._approved([(p, 2) for p in products])
        form = self._scan(self._scanner(), request.name)
        self._scan(form, products[0].barcode)  # warm-up
        with self.assertQueryCount(20):
            self._scan(form, products[30].barcode)
        with self.assertQueryCount(20):
            self._scan(form, products[49].barcode)


@tagged("post_install", "-at_install")
class TestRmaReceiptScannerTour(HttpCase, RmaScannerCommon):
    def test_keeper_scans_like_a_wedge_scanner(self):
        _order, request = self._approved([(self.product, 2)])
        request._rma_process().name = "RMA/TOUR/00001"  # what the tour scans
        self.start_tour(
            "/odoo/action-rma_factory.rma_receipt_scanner_action",
            "rma_factory_scan_receipt", login=self.keeper.login,
        )
        self.assertEqual(request.state, "received")
        self.assertEqual(request.line_ids.qty_received, 2)
