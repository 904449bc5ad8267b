import base64
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaCarrierIncident(RmaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keeper = cls._warehouse_user("rma_inc_keeper")
        cls.logistics_manager = cls._warehouse_user("rma_inc_logistics", "stock.group_stock_manager")
        cls.order = cls._deliver(cls.customer, [(cls.product, 4), (cls.product_b, 20)])
        cls.delivery = cls.order.picking_ids

    def _incident(self, incident_type, arrival, reported=None, user=None):
        form = Form(self.env["rma.carrier.incident"].with_user(user or self.keeper))
        form.incident_type = incident_type
        form.picking_id = self.delivery
        form.arrival_datetime = arrival
        if reported:
            form.reported_date = reported
        form.carrier_name = "德邦物流"
        return form

    def test_damaged_packaging_claim_within_24_hours(self):
        with freeze_time("2026-10-12 09:00:00"):
            incident = self._incident("damage", datetime(2026, 10, 12, 8, 30)).save()
        self.assertEqual(incident.claim_deadline, datetime(2026, 10, 13, 8, 30))
        self.assertTrue(incident.freight_withheld, "freight is withheld by default")
        claim = incident.activity_ids
        self.assertEqual(claim.date_deadline.isoformat(), "2026-10-13")
        with self.assertRefused(UserError, "Count the goods with the carrier"):
            incident.action_check()
        incident.counted_with_carrier = True
        with self.assertRefused(UserError, "signed acknowledgement"):
            incident.action_check()
        incident.carrier_ack_ids = [Command.create({
            "name": "承运商签字确认.jpg", "datas": base64.b64encode(b"signed"), "res_model": incident._name,
        })]
        incident.action_check()
        with self.assertRefused(AccessError, "logistics manager .* decides on incidents", incident):
            incident.action_confirm()
        incident.with_user(self.logistics_manager).action_confirm()
        self.assertEqual((incident.state, incident.signed_uid), ("confirmed", self.logistics_manager))
        # The claim settled, the logistics manager closes it; not the keeper.
        with self.assertRefused(AccessError, "logistics manager .* decides on incidents", incident):
            incident.action_close()
        incident.with_user(self.logistics_manager).action_close()
        self.assertEqual(incident.state, "done")
        self.assertFalse(incident.activity_ids)

    def test_incident_steps_go_in_order(self):
        incident = self._incident("damage", datetime(2026, 10, 12, 10, 0)).save()
        manager = incident.with_user(self.logistics_manager)
        # Neither closed nor refused straight from draft, not even by the logistics manager.
        with self.assertRefused(UserError, "signed off before it is closed", incident):
            manager.action_close()
        with self.assertRefused(UserError, "once the warehouse checked it", incident):
            manager.action_refuse()
        self.assertFalse(manager.can_refuse or manager.can_close)
        # Nor by writing the state.
        with self.assertRefused(UserError, "can't be set directly", incident):
            manager.write({"state": "done"})

    def test_shortage_within_two_days_is_replenished(self):
        form = self._incident("shortage", datetime(2026, 10, 12, 10, 0), reported="2026-10-14")
        self.assertEqual(len(form.line_ids), 2, "lines come from the delivery")
        with form.line_ids.edit(1) as line:
            line.received_qty = 17
        incident = form.save()
        self.assertEqual(incident.line_ids.mapped("missing_qty"), [0.0, 3.0])
        incident.action_check()
        self.assertEqual(incident.checked_uid, self.keeper)
        incident.with_user(self.logistics_manager).action_confirm()
        replenishment = incident.replenishment_picking_id
        self.assertEqual(replenishment.partner_id, self.customer)
        self.assertEqual(replenishment.picking_type_code, "outgoing")
        self.assertEqual(
            replenishment.move_ids.mapped(lambda m: (m.product_id, m.product_uom_qty)), [(self.product_b, 3.0)]
        )
        self.assertEqual(replenishment.state, "assigned")

    def test_late_shortage_needs_a_manager(self):
        form = self._incident("shortage", datetime(2026, 10, 12, 10, 0), reported="2026-10-15")
        with form.line_ids.edit(0) as line:
            line.received_qty = 3
        with self.assertRefused(ValidationError, "within 2 days"):
            form.save()
        with self.assertRefused(AccessError, "Only a manager"):
            self.env["rma.carrier.incident"].with_user(self.keeper).create({
                "incident_type": "shortage", "picking_id": self.delivery.id,
                "arrival_datetime": datetime(2026, 10, 12, 10, 0), "reported_date": "2026-10-15",
                "late_override_reason": "客户春节放假",
            })
        manager_form = self._incident("shortage", datetime(2026, 10, 12, 10, 0), reported="2026-10-15",
                                      user=self.logistics_manager)
        with manager_form.line_ids.edit(0) as line:
            line.received_qty = 3
        manager_form.late_override_reason = "客户春节放假，延迟反馈"
        incident = manager_form.save()
        self.assertEqual(incident.state, "draft")

    def test_no_missing_goods_no_shortage(self):
        incident = self._incident("shortage", datetime.now()).save()
        with self.assertRefused(UserError, "No missing quantity"):
            incident.action_check()
