from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaRequestEligibility(RmaCommon):
    def test_in_warranty_with_quality_criterion_is_eligible(self):
        order = self._deliver(self.customer, [(self.product, 2)], days_ago=30)
        request = self._request_from_order(order)
        line = request.line_ids
        self.assertTrue(line.in_warranty)
        self.assertEqual(line.warranty_months, 12)
        self.assertEqual(request.eligibility_state, "eligible")
        request.with_user(self.sales_rep).action_submit()
        self.assertEqual(request.state, "to_approve")

    def test_out_of_warranty_line_is_named_in_the_refusal(self):
        fresh = self._deliver(self.customer, [(self.product_b, 3)], days_ago=20)
        old = self._deliver(self.customer, [(self.product, 2)], days_ago=400)
        request = self._request_from_order(fresh)
        request.line_ids = [Command.create({"origin_move_id": old.picking_ids.move_ids.id, "quantity": 1})]
        self.assertFalse(request.in_warranty)
        self.assertEqual(request.eligibility_state, "ineligible")
        with self.assertRefused(UserError, r"Line 2 \(RMA Pump\): out of warranty since"):
            request.with_user(self.sales_rep).action_submit()
        self.assertEqual(request.state, "draft")
        # A product with its own, longer warranty is back in warranty.
        self.product.rma_warranty_months = 24
        self.assertEqual(request.eligibility_state, "eligible")

    def test_one_of_b_c_d_is_required(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order, criterion_quality=False)
        with self.assertRefused(UserError, "at least one of B"):
            request.action_submit()
        request.criterion_finance = True
        self.assertEqual(request.eligibility_state, "eligible")
        request.write({"criterion_finance": False, "criterion_other": True})
        with self.assertRefused(UserError, "Criterion D needs the major change"):
            request.action_submit()
        request.criterion_other_reason = "wrong_model"
        request.action_submit()
        self.assertEqual(request.state, "to_approve")

    def test_slow_sales_is_refused_even_by_a_manager(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order, slow_sales=True)
        with self.assertRefused(UserError, "slow sales"):
            request.action_submit()
        with self.assertRefused(UserError, "can't be overridden"):
            request.with_user(self.gm)._override_eligibility("Big customer")

    def test_manager_override_with_reason_is_logged(self):
        order = self._deliver(self.customer, [(self.product, 1)], days_ago=500)
        request = self._request_from_order(order)
        with self.assertRefused(UserError, "Only a Returns manager"):
            request.with_user(self.supervisor)._override_eligibility("please")
        wizard_action = request.with_user(self.gm).action_override_eligibility()
        form = Form(self.env[wizard_action["res_model"]].with_user(self.gm).with_context(**wizard_action["context"]))
        self.assertIn("out of warranty", form.problems)
        form.reason = "Strategic customer, GM agreed on the phone"
        form.save().action_confirm()
        self.assertEqual(request.eligibility_state, "overridden")
        self.assertEqual(request.eligibility_override_uid, self.gm)
        self.assertIn("Strategic customer", self._messages(request)[0].body)
        request.with_user(self.sales_rep).action_submit()
        self.assertEqual(request.state, "to_approve")
        with self.assertRefused(UserError, "Write why"):
            request.with_user(self.gm)._override_eligibility("  ")
