from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import RmaQualityCommon


@tagged("post_install", "-at_install")
class TestRmaAdvanceReplacement(RmaQualityCommon):
    """The replacement ships before the goods come back only against a deposit (押金), or when a
    manager says so with a reason (R-51)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # As in the demo: Finance is an RMA user in no sales team.
        cls.finance = cls._user("rma_fin", "account.group_account_invoice,rma_factory.group_rma_user")

    def _advance_request(self, deposit=2000.0):
        order = self._deliver(self.customer, [(self.product, 2)])
        request = self._request_from_order(order, customer_wish="exchange")
        with Form(request) as form:
            form.advance_replacement = True
            form.deposit_amount = deposit
        request.action_submit()
        self._approve_all(request)
        self.assertEqual(request.state, "approved")
        return request.with_env(self.env)

    def _ship(self, picking):
        picking = picking.with_user(self.keeper)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        return picking.button_validate()

    def test_replacement_ships_once_the_deposit_is_received(self):
        request = self._advance_request()
        with self.assertRefused(UserError, "Request the deposit"):
            request.with_user(self.inspector).action_ship_advance_replacement()
        request.with_user(self.sales_rep).action_request_deposit()
        self.assertEqual(request.deposit_state, "requested")
        request.with_user(self.inspector).action_ship_advance_replacement()
        replacement = request.disposition_ids
        self.assertEqual((replacement.disposition_type, replacement.quantity, replacement.state),
                         ("replace", 2.0, "confirmed"))
        picking = replacement.picking_id
        self.assertEqual(picking.location_id, self.stock_location)
        with self.assertRefused(UserError, "deposit of .* is not received yet \\(Waiting for Deposit\\)"):
            self._ship(picking)
        with self.assertRefused(UserError, "Only Finance"):
            request.with_user(self.sales_rep).action_deposit_received()
        # Finance finds the requests waiting for a deposit, though they are not its team's.
        waiting = self.env["rma.request"].with_user(self.finance).search([("deposit_state", "=", "requested")])
        self.assertIn(request, waiting)
        # Deposit Received opens Odoo's Register Payment on the deposit invoice.
        action = request.with_user(self.finance).action_deposit_received()
        Form(self.env[action["res_model"]].with_user(self.finance).with_context(**action["context"])) \
            .save().action_create_payments()
        self.assertEqual(request.deposit_state, "received")
        self._ship(picking)
        self.assertEqual((picking.state, replacement.state), ("done", "done"))
        self.assertEqual(request.state, "approved", "the defective goods are still expected")
        # The goods come back and are inspected: the deposit is offset once QA verifies the return
        # (test_rma_accounting.TestRmaDeposit).
        self._receive(request.receipt_ids)
        self._inspect(request.inspection_ids, scrap={self.product: 2})
        self.assertEqual((request.state, request.deposit_state), ("inspected", "received"))

    def test_without_deposit_only_a_manager_lets_it_ship(self):
        request = self._advance_request()
        request.action_request_deposit()
        request.with_user(self.inspector).action_ship_advance_replacement()
        picking = request.disposition_ids.picking_id
        with self.assertRefused(UserError, "Only a manager"):
            request.with_user(self.inspector).action_waive_deposit("Good customer")
        action = request.with_user(self.gm).action_open_waive_deposit()
        wizard = Form(self.env[action["res_model"]].with_user(self.gm).with_context(**action["context"]))
        wizard.reason = "Customer paid by transfer, bank slip received"
        wizard.save().action_confirm()
        self.assertEqual(request.deposit_override_user_id, self.gm)
        self._ship(picking)
        self.assertEqual(picking.state, "done")
        body = self._messages(request)[:3].mapped("body")[0]
        self.assertIn("bank slip received", body + request.deposit_override_reason)

    def test_no_advance_replacement_without_the_agreement(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        request.action_submit()
        self._approve_all(request)
        request = request.with_env(self.env)
        with self.assertRefused(UserError, "Replacement Before Return"):
            request.with_user(self.inspector).action_ship_advance_replacement()
        with self.assertRefused(ValidationError, "1 replaced or refunded, more than the 0 received"):
            self.env["rma.disposition"].create({
                "request_id": request.id, "request_line_id": request.line_ids.id,
                "disposition_type": "replace", "quantity": 1,
            })
        with self.assertRefused(UserError, "only asked for a replacement before the return"):
            request.action_request_deposit()

    def test_deposit_amount_is_required(self):
        request = self._advance_request(deposit=0.0)
        with self.assertRefused(UserError, "Enter the deposit amount"):
            request.action_request_deposit()
