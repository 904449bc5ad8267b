from odoo.tests import HttpCase, tagged

from .common import RmaQualityCommon


@tagged("post_install", "-at_install")
class TestRmaInspectionTour(HttpCase, RmaQualityCommon):
    def test_inspector_samples_judges_and_completes(self):
        _order, request = self._received([(self.product, 15)])
        inspection = request.inspection_ids
        self.assertEqual((inspection.state, inspection.line_ids.sample_required), ("draft", 2))
        self.start_tour(
            f"/odoo/action-rma_factory.rma_inspection_action/{inspection.id}", "rma_factory_inspection",
            login=self.inspector.login,
        )
        self.assertEqual(inspection.state, "done")
        self.assertEqual(inspection.inspector_id, self.inspector)
        samples = inspection.sample_ids.sorted("id")
        self.assertEqual(samples.mapped("result"), ["pass", "fail"])
        self.assertEqual(samples.inspection_line_id, inspection.line_ids)
        self.assertEqual(samples[0].measured_value, "0.62 MPa")
        self.assertEqual((samples[1].defect_type_id, samples[1].note),
                         (self.env.ref("rma_factory.defect_leakage"), "密封圈渗漏"))
        self.assertEqual((inspection.sample_count, inspection.fail_count, inspection.failure_rate), (2, 1, 50.0))
        line = inspection.line_ids
        self.assertEqual((line.quality_verdict, line.qty_scrap, line.qty_usable), ("confirmed", 3.0, 12.0))
        self.assertEqual(request.state, "inspected")
        self.assertEqual((request.line_ids.qty_scrap, request.line_ids.qty_usable), (3.0, 12.0))
