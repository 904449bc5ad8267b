from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models import rma_request
from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaLifecycle(RmaCommon):
    """The request's state machine is declared once and every state change goes through it;
    buttons follow computed booleans, so each user sees only what they may press."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = cls._user("rma_fin", "account.group_account_invoice,rma_factory.group_rma_user")

    def test_transitions_are_declared_once_with_their_hooks(self):
        states = {state for state, _label in rma_request.REQUEST_STATES}
        Request = self.env["rma.request"]
        for name, (sources, target, hook) in rma_request.TRANSITIONS.items():
            self.assertLessEqual(set(sources), states, name)
            self.assertIn(target, states, name)
            self.assertTrue(callable(getattr(Request, hook, None)), f"{name}: hook {hook} is declared")
        for group in ("DRAFT_STATES", "LINES_EDITABLE_STATES", "BEFORE_RETURN_STATES", "RECEIVING_STATES",
                      "GOODS_EXPECTED_STATES", "DISPOSITION_STATES", "INSPECTED_STATES",
                      "AFTER_RECEIPT_STATES", "ENDED_STATES"):
            self.assertLessEqual(set(getattr(rma_request, group)), states, group)
        # Every state but draft is reached by a transition.
        self.assertEqual({target for _s, target, _h in rma_request.TRANSITIONS.values()}, states)

    def test_a_transition_from_a_wrong_state_is_refused_and_writes_nothing(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        with self.assertRefused(UserError, r"is Draft: it can't move to Closed", request):
            request.with_user(self.gm)._transition("close", {"closed_by_id": self.gm.id})
        with self.assertRefused(UserError, "only requests that wait for approval", request):
            request.with_user(self.sales_rep).action_reset_to_draft()
        self.assertEqual(request.state, "draft")

    def test_hooks_of_every_stage_run_on_submit_and_approval(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        request.with_user(self.sales_rep).action_submit()
        # Approval stage: the chain; deadlines stage: the on-site verification.
        self.assertTrue(request.approval_line_ids)
        self.assertTrue(request.submitted_date)
        self.assertTrue(request.verification_deadline)
        self._approve_all(request)
        # Deadlines stage: the return deadline; receipt stage: the return receipt.
        self.assertTrue(request.approved_date)
        self.assertTrue(request.return_deadline)
        self.assertEqual(request.receipt_ids.state, "assigned")
        # Reset: the approval stage clears the chain, the receipt stage cancels the receipt.
        request.with_user(self.sales_rep).action_reset_to_draft()
        self.assertFalse(request.approval_line_ids)
        self.assertEqual(request.receipt_ids.state, "cancel")

    def test_buttons_show_only_to_who_may_press_them(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        as_rep = request.with_user(self.sales_rep)
        self.assertTrue(as_rep.can_submit)
        as_rep.action_submit()
        self.assertEqual((as_rep.can_submit, as_rep.can_reset, as_rep.can_cancel), (False, True, True))
        # Finance reads the request but changes nothing on it: no Reset, no Cancel.
        as_finance = request.with_user(self.finance)
        self.assertEqual(as_finance.name, request.name)
        self.assertEqual((as_finance.can_reset, as_finance.can_cancel, as_finance.can_settle), (False, False, False))
        self.assertTrue(request.with_user(self.supervisor).can_settle)
        self.assertFalse(as_rep.can_settle)
        self.assertFalse(as_rep.can_override_eligibility)

    def test_no_button_of_our_views_lists_raw_states(self):
        views = self.env["ir.ui.view"].search([
            ("model_data_id.module", "=", "rma_factory"), ("type", "in", ("form", "list")),
        ])
        self.assertTrue(views)
        for view in views:
            arch = etree.fromstring(view.arch_db.encode())
            for button in arch.iter("button"):
                invisible = button.get("invisible") or ""
                self.assertNotRegex(
                    invisible, r"state\s+(not\s+)?in\s*\(",
                    f"{view.xml_id}: button {button.get('name')} shows on raw states ({invisible})",
                )

    def test_kanban_shows_every_stage_in_the_process_order(self):
        # What the kanban asks (the web client sets read_group_expand for grouped kanbans).
        groups = self.env["rma.request"].with_context(read_group_expand=True).formatted_read_group(
            [("id", "=", 0)], ["state"], ["__count"])
        self.assertEqual([group["state"] for group in groups],
                         [state for state, _label in rma_request.REQUEST_STATES])

    def test_unsaved_lines_are_named_without_a_question_mark(self):
        request = self.env["rma.request"].new({"partner_id": self.customer.id, "line_ids": [
            (0, 0, {"product_id": self.product.id, "quantity": 1}),
            (0, 0, {"product_id": self.product_b.id, "quantity": 1}),
        ]})
        self.assertEqual(request.line_ids[1]._error_label(), "Line 2 (RMA Seal)")
        self.assertNotIn("?", request.line_ids[0]._warranty_problem() or "")
