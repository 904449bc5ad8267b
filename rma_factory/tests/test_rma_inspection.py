
from lxml import html
from psycopg2.errors import CheckViolation

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..models.rma_inspection import required_sample_size
from .common import ACCESS_REFUSED, RmaQualityCommon


@tagged("post_install", "-at_install")
class TestRmaInspection(RmaQualityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.valve = cls._create_product("RMA Valve", 80.0)
        cls.gasket = cls._create_product("RMA Gasket", 5.0)
        cls.impeller = cls._create_product("RMA Impeller", 120.0)
        for product in (cls.valve, cls.gasket, cls.impeller):
            cls._stock(product, 100)
        # A lot-tracked controller in stock in two lots of 15: 30 delivered = 15 + 15.
        cls.controller = cls._create_product("RMA Controller", 200.0, tracking="lot")
        cls.lot_c1 = cls._stock(cls.controller, 15, lot_name="LOT-C1")
        cls.lot_c2 = cls._stock(cls.controller, 15, lot_name="LOT-C2")
        cls.defect_leak = cls.env.ref("rma_factory.defect_leakage")

    # ------------------------------------------------------------------ helpers

    def _line(self, inspection, product):
        return inspection.line_ids.filtered(lambda line: line.product_id == product)

    def _add_samples(self, inspection, samples):
        """The inspector adds rows in the Samples list; samples: [(product, result, lot, defect), ...]."""
        inspection = inspection.with_user(self.inspector)
        with Form(inspection) as form:
            for product, result, lot, defect in samples:
                with form.sample_ids.new() as sample:
                    sample.inspection_line_id = self._line(inspection, product)
                    if lot:
                        sample.lot_id = lot
                    sample.result = result
                    if defect:
                        sample.defect_type_id = defect
        return inspection

    def _set_outcome(self, inspection, outcomes):
        """The Outcome per Product list; outcomes: {product: (verdict, scrap, usable)}."""
        inspection = inspection.with_user(self.inspector)
        with Form(inspection) as form:
            for index, line in enumerate(inspection.line_ids):
                if line.product_id not in outcomes:
                    continue
                verdict, scrap, usable = outcomes[line.product_id]
                with form.line_ids.edit(index) as line_form:
                    line_form.quality_verdict = verdict
                    line_form.qty_scrap = scrap
                    if usable is not None:
                        line_form.qty_usable = usable
        return inspection

    # ------------------------------------------------------------------ 1. sample size

    def test_required_samples_are_rounded_up_per_line(self):
        _order, request = self._received([
            (self.valve, 1), (self.gasket, 9), (self.impeller, 10), (self.product, 11), (self.product_b, 101),
        ])
        inspection = request.inspection_ids
        self.assertEqual(len(inspection), 1)
        self.assertEqual(inspection.sample_percent, 10.0)
        self.assertEqual(inspection.picking_id, request.receipt_ids)
        required = {line.product_id: (line.qty_received, line.sample_required) for line in inspection.line_ids}
        self.assertEqual(required, {
            self.valve: (1.0, 1), self.gasket: (9.0, 1), self.impeller: (10.0, 1),
            self.product: (11.0, 2), self.product_b: (101.0, 11),
        })
        self.assertEqual(inspection.sample_required, 16)
        self.assertEqual((inspection.state, inspection.sample_count), ("draft", 0))

        # The company raises its rate to 20 %: new receipts use it, the open inspection keeps its rate.
        with Form(self.env["res.config.settings"]) as settings:
            settings.rma_sample_percent = 20
        _order, request_20 = self._received([(self.product, 11)])
        self.assertEqual(request_20.inspection_ids.sample_percent, 20.0)
        self.assertEqual(request_20.inspection_ids.line_ids.sample_required, 3)
        self.assertEqual(self._line(inspection, self.product).sample_required, 2)

        # The rule itself, including float noise (10 % of 10 is 1, not 2) and nothing received.
        self.assertEqual(
            [required_sample_size(qty, 10) for qty in (0, 0.5, 1, 9, 10, 11, 30, 101)], [0, 1, 1, 1, 1, 2, 3, 11],
        )
        self.assertEqual([required_sample_size(qty, 100) for qty in (1, 7)], [1, 7])

    def test_company_sample_rate_is_between_10_and_100_percent(self):
        for rate in (0, 5, 9.99, 100.5):
            with (
                self.subTest(rate=rate),
                self.assertRefused(CheckViolation, "rma_sample_percent_floor"),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self.company.rma_sample_percent = rate
                self.env.flush_all()
            self.env.invalidate_all()
            self.assertEqual(self.company.rma_sample_percent, 10.0, "the refused rate is not stored")
        for rate in (10, 35.5, 100):
            self.company.rma_sample_percent = rate
            self.env.flush_all()
            self.env.invalidate_all()
            self.assertEqual(self.company.rma_sample_percent, rate)

    # ------------------------------------------------------------------ 2. lots

    def test_lot_tracked_return_samples_received_lots(self):
        _order, request = self._received([(self.controller, 30)])
        self.assertEqual(sorted(request.receipt_ids.move_line_ids.lot_id.mapped("name")), ["LOT-C1", "LOT-C2"])
        inspection = request.inspection_ids
        line = inspection.line_ids
        self.assertEqual(line.lot_ids, self.lot_c1 | self.lot_c2)
        self.assertEqual((line.qty_received, line.sample_required), (30.0, 3), "10 % of the line total, not per lot")

        # A sample without its lot (as an import or an RPC call would send it) is refused.
        Sample = self.env["rma.inspection.sample"].with_user(self.inspector)
        with self.assertRefused(ValidationError, "is tracked: give the lot or serial number"):
            Sample.create({"inspection_line_id": line.id, "result": "pass"})
        # A lot of the same product that was not on this return is refused.
        lot_other = self.env["stock.lot"].create({
            "name": "LOT-C9", "product_id": self.controller.id, "company_id": self.company.id,
        })
        with self.assertRefused(ValidationError, r"LOT-C9 was not received on this return \(received: LOT-C1"):
            self._add_samples(inspection, [(self.controller, "pass", lot_other, None)])
        # A lot of another product neither.
        lot_a = self.env["stock.lot"].search([("name", "=", "LOT-A"), ("product_id", "=", self.product_lot.id)])
        with self.assertRefused(ValidationError, "was not received on this return"):
            self._add_samples(inspection, [(self.controller, "pass", lot_a, None)])
        self.assertFalse(inspection.sample_ids)

        # Three samples taken from one lot are enough: the rule counts the line, not each lot.
        self._add_samples(inspection, [
            (self.controller, "pass", self.lot_c1, None),
            (self.controller, "fail", self.lot_c1, self.defect_leak),
            (self.controller, "pass", self.lot_c1, None),
        ])
        self.assertEqual(inspection.sample_ids.lot_id, self.lot_c1)
        self._set_outcome(inspection, {self.controller: ("confirmed", 10, None)})
        self.assertEqual(line.qty_usable, 20, "the usable quantity follows the scrapped one")
        inspection.with_user(self.inspector).action_complete()
        self.assertEqual(inspection.state, "done")
        self.assertEqual(request.state, "inspected")

    def test_serial_sampled_once(self):
        pump_sn = self._create_product("RMA Pump SN", 900.0, tracking="serial")
        serials = self._stock(pump_sn, 1, lot_name="SN-001") | self._stock(pump_sn, 1, lot_name="SN-002")
        _order, request = self._received([(pump_sn, 2)])
        inspection = request.inspection_ids
        self.assertEqual((inspection.line_ids.lot_ids, inspection.line_ids.sample_required), (serials, 1))
        self._add_samples(inspection, [(pump_sn, "pass", serials[0], None)])
        with self.assertRefused(ValidationError, "Serial number SN-001 is sampled twice"):
            self._add_samples(inspection, [(pump_sn, "fail", serials[0], self.defect)])
        self._add_samples(inspection, [(pump_sn, "fail", serials[1], self.defect)])
        self.assertEqual(inspection.sample_ids.lot_id, serials)

    # ------------------------------------------------------------------ 3. sample size enforced

    def test_fewer_samples_than_required_is_refused(self):
        _order, request = self._received([(self.product, 25), (self.product_b, 8)])
        inspection = request.inspection_ids
        self.assertEqual(
            {line.product_id: line.sample_required for line in inspection.line_ids},
            {self.product: 3, self.product_b: 1},
        )
        self._add_samples(inspection, [
            (self.product, "pass", None, None), (self.product, "pass", None, None),
            (self.product_b, "pass", None, None),
        ])
        self._set_outcome(inspection, {
            self.product: ("not_confirmed", 0, None), self.product_b: ("not_confirmed", 0, None),
        })
        with self.assertRefused(UserError, "fewer samples than required", inspection, request) as refused:
            inspection.with_user(self.inspector).action_complete()
        message = str(refused.exception)
        self.assertIn("fewer samples than required", message)
        self.assertIn("RMA Pump: 2 sampled, 3 required (10 % of 25, rounded up)", message)
        self.assertNotIn("RMA Seal", message, "only the short lines are listed")
        self.assertEqual((inspection.state, inspection.date_done, request.state), ("draft", False, "received"))
        self.assertEqual((inspection.sample_count, request.line_ids.mapped("qty_inspected")), (3, [0.0, 0.0]))
        self.assertFalse(request.quality_verdict)

        # One more sample and it goes through.
        self._add_samples(inspection, [(self.product, "pass", None, None)])
        inspection.with_user(self.inspector).action_complete()
        self.assertEqual((inspection.state, request.state), ("done", "inspected"))
        self.assertEqual(request.quality_verdict, "not_confirmed")

    # ------------------------------------------------------------------ 4. outcome

    def test_verdict_and_scrap_plus_usable_equal_to_received(self):
        _order, request = self._received([(self.product, 10)])
        inspection = self._add_samples(request.inspection_ids, [(self.product, "pass", None, None)])
        line = inspection.line_ids
        with self.assertRefused(UserError, "RMA Pump: say whether a quality problem is confirmed"):
            inspection.action_complete()

        self._set_outcome(inspection, {self.product: ("confirmed", 3, 5)})
        self.assertEqual((line.qty_scrap, line.qty_usable), (3.0, 5.0))
        with self.assertRefused(UserError, "3 to scrap \\+ 5 usable must equal the 10 received"):
            inspection.action_complete()
        # More than received: the usable quantity is not touched by the onchange, still refused.
        self._set_outcome(inspection, {self.product: ("confirmed", 12, None)})
        self.assertEqual((line.qty_scrap, line.qty_usable), (12.0, 5.0))
        with self.assertRefused(UserError, "12 to scrap \\+ 5 usable must equal the 10 received"):
            inspection.action_complete()
        # Negative quantities are refused, naming the product.
        with self.assertRefused(ValidationError, "RMA Pump: the quantities to scrap and usable can't be negative"):
            line.with_user(self.inspector).write({"qty_scrap": -1, "qty_usable": 11})
        self.env.invalidate_all()
        self.assertEqual((inspection.state, request.state), ("draft", "received"))

        self._set_outcome(inspection, {self.product: ("confirmed", 4, None)})
        self.assertEqual(line.qty_usable, 6.0)
        inspection.action_complete()
        self.assertEqual((inspection.state, request.state), ("done", "inspected"))
        self.assertEqual(inspection.inspector_id, self.inspector, "the one who completes it signs it")

    # ------------------------------------------------------------------ 5. failures, summary, outcome

    def test_failed_sample_needs_a_defect_type(self):
        _order, request = self._received([(self.product, 10)])
        line = request.inspection_ids.line_ids
        Sample = self.env["rma.inspection.sample"].with_user(self.inspector)
        with self.assertRefused(ValidationError, "A failed sample of RMA Pump needs its defect type"):
            Sample.create({"inspection_line_id": line.id, "result": "fail"})
        sample = Sample.create({"inspection_line_id": line.id, "result": "pass"})
        self.assertEqual(sample.inspection_id, request.inspection_ids, "the inspection follows the line")
        with self.assertRefused(ValidationError, "needs its defect type"):
            sample.result = "fail"
        sample.write({"result": "fail", "defect_type_id": self.defect.id})
        self.assertEqual(line.fail_count, 1)

    def test_summary_outcome_and_completed_inspection(self):
        self.company.rma_inspector_id = self.inspector
        _order, request = self._received([(self.product, 10), (self.product_b, 20)])
        inspection = request.inspection_ids
        # The default inspector gets a To-Do on the new inspection.
        self.assertEqual(inspection.inspector_id, self.inspector)
        activity = inspection.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.inspector)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertIn(request.receipt_ids.name, activity.summary)
        self.assertIn(inspection.name, self._messages(request)[0].body)

        self._add_samples(inspection, [
            (self.product, "fail", None, self.defect),
            (self.product_b, "pass", None, None),
            (self.product_b, "fail", None, self.defect_leak),
        ])
        pump, seal = self._line(inspection, self.product), self._line(inspection, self.product_b)
        # What the inspector types in a sample's "Inspected Product" finds the product's line.
        found = self.env["rma.inspection.line"].with_user(self.inspector).name_search(
            "Seal", domain=[("inspection_id", "=", inspection.id)],
        )
        self.assertEqual(found, [(seal.id, "RMA Seal")])
        self.assertEqual((pump.sample_count, pump.fail_count, pump.failure_rate), (1, 1, 100.0))
        self.assertEqual((seal.sample_count, seal.fail_count, seal.failure_rate), (2, 1, 50.0))
        self.assertEqual((inspection.sample_required, inspection.sample_count, inspection.fail_count), (3, 3, 2))
        self.assertAlmostEqual(inspection.failure_rate, 66.7, places=1)

        self._set_outcome(inspection, {
            self.product: ("confirmed", 4, None), self.product_b: ("not_confirmed", 0, None),
        })
        self.assertEqual(inspection.verdict, "confirmed", "one confirmed problem makes the judgement")
        self.assertEqual(set(request.line_ids.mapped("quality_verdict")), {False}, "nothing counts before completion")
        inspection.with_user(self.inspector).action_complete()

        self.assertEqual(inspection.state, "done")
        self.assertTrue(inspection.date_done)
        self.assertEqual(request.state, "inspected")
        self.assertEqual(request.quality_verdict, "confirmed")
        self.assertFalse(inspection.activity_ids, "the To-Do is done")
        self.assertIn("3 samples, 2 failed (66.7 %)", self._messages(request)[0].body)
        outcome = {
            line.product_id: (line.qty_inspected, line.qty_scrap, line.qty_usable, line.quality_verdict)
            for line in request.line_ids
        }
        self.assertEqual(outcome, {
            self.product: (10.0, 4.0, 6.0, "confirmed"), self.product_b: (20.0, 0.0, 20.0, "not_confirmed"),
        })

        # A completed inspection is a record: no new sample, no change, no second completion.
        Sample = self.env["rma.inspection.sample"].with_user(self.inspector)
        with self.assertRefused(UserError, "is completed: its samples and results can no longer change"):
            Sample.create({"inspection_line_id": pump.id, "result": "pass"})
        with self.assertRefused(UserError, "can no longer change"):
            inspection.sample_ids[0].with_user(self.inspector).note = "changed afterwards"
        with self.assertRefused(UserError, "can no longer change"):
            inspection.sample_ids[0].with_user(self.inspector).unlink()
        with self.assertRefused(UserError, "can no longer change"):
            pump.with_user(self.inspector).qty_scrap = 10
        with self.assertRefused(UserError, "is already completed"):
            inspection.with_user(self.inspector).action_complete()
        self.assertEqual(inspection.sample_count, 3)
        form = Form(inspection.with_user(self.inspector))
        with self.assertRaises(AssertionError, msg="the Samples list is read-only once completed"):
            form.sample_ids.new()

    # ------------------------------------------------------------------ 6. partial receipts

    def test_backorder_inspected_after_first_inspection_done(self):
        _order, request = self._approved([(self.product, 5)])
        self._receive(request.receipt_ids, {self.product: 3})
        self.assertEqual(request.state, "partially_received")
        first = request.inspection_ids
        self.assertEqual((len(first), first.line_ids.qty_received), (1, 3.0))
        self._inspect(first)
        self.assertEqual((first.state, request.state), ("done", "partially_received"))
        self.assertEqual(request.line_ids.qty_inspected, 3.0)

        backorder = request.receipt_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self._receive(backorder)
        second = request.inspection_ids - first
        self.assertEqual((len(second), second.picking_id, second.line_ids.qty_received), (1, backorder, 2.0))
        self.assertEqual(request.state, "received", "the second inspection is still to do")
        self._inspect(second, scrap={self.product: 1})
        self.assertEqual(request.state, "inspected")
        line = request.line_ids
        self.assertEqual((line.qty_inspected, line.qty_scrap, line.qty_usable), (5.0, 1.0, 4.0))

    def test_backorder_received_before_inspection(self):
        _order, request = self._approved([(self.product, 5)])
        self._receive(request.receipt_ids, {self.product: 3})
        backorder = request.receipt_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self._receive(backorder)
        self.assertEqual(request.state, "received")
        inspections = request.inspection_ids.sorted("id")
        self.assertEqual(inspections.mapped("line_ids.qty_received"), [3.0, 2.0])
        self._inspect(inspections[1])
        self.assertEqual(request.state, "received", "one inspection is still open")
        self._inspect(inspections[0])
        self.assertEqual(request.state, "inspected")

    # ------------------------------------------------------------------ 7. warehouse keeper

    def test_warehouse_keeper_validation_creates_the_inspection(self):
        self.assertFalse(self.keeper.has_group("rma_factory.group_rma_quality"))
        _order, request = self._approved([(self.product, 4)])
        self._receive(request.receipt_ids, user=self.keeper)
        inspections = self.env["rma.inspection"].with_user(self.keeper).search([("request_id", "=", request.id)])
        self.assertEqual(len(inspections), 1, "the keeper sees it")
        self.assertEqual(inspections.line_ids.qty_received, 4.0)
        self.assertEqual(inspections.create_uid, self.keeper)
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            inspections.write({"conclusion": "looks fine"})
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            self.env["rma.inspection.sample"].with_user(self.keeper).create({
                "inspection_line_id": inspections.line_ids.id, "result": "pass",
            })
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            inspections.action_complete()
        self.assertEqual(inspections.state, "draft")

    # ------------------------------------------------------------------ 8. report

    def test_inspection_report(self):
        _order, request = self._inspected([(self.product, 10), (self.product_b, 20)], failures=1,
                                          scrap={self.product: 2})
        inspection = request.inspection_ids
        content, _fmt = self.env["ir.actions.report"].with_user(self.inspector)._render_qweb_html(
            "rma_factory.action_report_rma_inspection", inspection.ids,
        )
        doc = html.fromstring(content)

        def cell(label):
            return doc.xpath(f"normalize-space(//th[normalize-space()='{label}']/following-sibling::td[1])")

        self.assertEqual(doc.xpath("normalize-space(//div[@class='rma-title'])"), "Inspection Report")
        self.assertIn(inspection.name, doc.xpath("normalize-space(//td[span='Form No.:'])"))
        self.assertEqual(cell("Return Request"), request.name)
        self.assertEqual(cell("Sample Rate"), "10 %")
        self.assertEqual(cell("Required Samples"), "3")
        self.assertEqual(cell("Samples Taken"), "3")
        self.assertEqual(cell("Failed Samples"), "2")
        self.assertEqual(cell("Failure Rate"), "66.7 %")
        self.assertEqual(cell("Judgement"), "Quality Problem Confirmed")
        rows = [
            [" ".join(td.text_content().split()) for td in row.xpath("td")]
            for row in doc.xpath("//h4[.='Outcome per Product']/following-sibling::table[1]/tbody/tr")
        ]
        self.assertEqual(rows, [
            ["RMA Pump", "10 Units", "1", "1", "1", "Quality Problem Confirmed", "2", "8"],
            ["RMA Seal", "20 Units", "2", "2", "1", "Quality Problem Confirmed", "0", "20"],
        ])
        samples = doc.xpath("//h4[.='Samples']/following-sibling::table[1]/tbody/tr")
        self.assertEqual(len(samples), 3)
        self.assertEqual(
            sorted(" ".join(row.xpath("td")[4].text_content().split()) for row in samples),
            ["", "Functional Failure", "Functional Failure"],
        )
        self.assertEqual(inspection.action_print_report()["report_name"], "rma_factory.report_rma_inspection")


@tagged("post_install", "-at_install")
class TestRmaInspectionEntry(RmaQualityCommon):
    def test_new_sample_rows_start_on_the_product_still_to_sample(self):
        _order, request = self._received([(self.product, 11), (self.product_lot, 2)])
        inspection = request.inspection_ids.with_user(self.inspector)
        pump, motor = (inspection.line_ids.filtered(lambda line, p=p: line.product_id == p)
                       for p in (self.product, self.product_lot))
        self.assertEqual((pump.sample_required, motor.sample_required), (2, 1))
        with Form(inspection) as form:
            picked = []
            for _ in range(3):
                with form.sample_ids.new() as sample:
                    picked.append((sample.inspection_line_id, sample.lot_id))
        self.assertEqual(picked, [(pump, self.env["stock.lot"]), (pump, self.env["stock.lot"]),
                                  (motor, motor.lot_ids)])
        self.assertEqual(motor.lot_ids.name, "LOT-A")
        self.assertEqual(inspection.sample_count, 3)

    def test_defect_analysis_counts_failed_samples_by_defect_and_product(self):
        _order, request = self._received([(self.product, 30), (self.product_b, 10)])
        self._inspect(request.inspection_ids, failures=2, scrap={self.product: 2})
        action = self.env.ref("rma_factory.rma_inspection_sample_action_defect_analysis")
        self.assertEqual(action.view_mode, "pivot,graph,list")
        Sample = self.env["rma.inspection.sample"].with_user(self.inspector)
        groups = Sample._read_group(
            [("result", "=", "fail"), ("request_id", "=", request.id)], ["defect_type_id", "product_id"], ["__count"])
        self.assertEqual(sorted((d.name, p.name, n) for d, p, n in groups),
                         [("Functional Failure", "RMA Pump", 2), ("Functional Failure", "RMA Seal", 1)])
