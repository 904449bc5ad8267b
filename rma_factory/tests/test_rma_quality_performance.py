from odoo import Command
from odoo.tests import tagged

from .common import RmaQualityCommon


@tagged("post_install", "-at_install")
class TestRmaQualityQueryCounts(RmaQualityCommon):
    """Completing an inspection costs the same number of queries for 5 or 50 inspected lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.parts = cls._create_parts(50)

    def _judged_inspection(self, count):
        """A received return of `count` parts, sampled and judged, ready to complete."""
        _order, request = self._received([(part, 3) for part in self.parts[:count]])
        inspection = request.inspection_ids.with_user(self.inspector)
        inspection.write({
            "sample_ids": [Command.create({"inspection_line_id": line.id, "result": "pass"})
                           for line in inspection.line_ids],
            "line_ids": [Command.update(line.id, {"quality_verdict": "confirmed", "qty_scrap": 1, "qty_usable": 2})
                         for line in inspection.line_ids],
        })
        self.env.flush_all()
        self.env.invalidate_all()
        return inspection

    def _complete(self, inspection, budget):
        """The button, as the web client calls it: on a freshly browsed record."""
        inspection = self.env["rma.inspection"].with_user(self.inspector).browse(inspection.id)
        with self.assertQueryCount(budget):
            inspection.action_complete()
            inspection.env.flush_all()
        self.assertEqual((inspection.state, inspection.request_id.state), ("done", "inspected"))

    def test_completing_an_inspection_does_not_grow_with_lines(self):
        # A first completion fills Odoo's caches; then the same budget holds for 5 and 50 lines
        # (measured: 36 queries for both).
        self._complete(self._judged_inspection(2), 200)
        self._complete(self._judged_inspection(5), 38)
        self._complete(self._judged_inspection(50), 38)
