from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaApprovalRouting(RmaCommon):
    """Approval steps name who signs; whoever must sign next is asked with an activity (R-03, R-20);
    no one signs two steps of one request, managers included; a manager reassigns a waiting step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approval_type = cls.env.ref("rma_factory.mail_activity_approval")
        cls.deputy = cls._user("rma_deputy", "rma_factory.group_rma_manager")

    def _submitted(self, lines=None):
        order = self._deliver(self.customer, lines or [(self.product, 2)])  # 2000: the GM signs
        request = self._request_from_order(order)
        request.with_user(self.sales_rep).action_submit()
        return request

    def _approval_activities(self, request):
        return request.activity_ids.filtered(lambda a: a.activity_type_id == self.approval_type)

    def _sign(self, request, user, opinion="同意"):
        """The signer's way: the form's Approve button, then the wizard."""
        action = request.with_user(user).action_approve()
        form = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
        form.opinion = opinion
        form.save().action_confirm()

    def test_each_signer_is_asked_in_turn_and_the_banner_names_them(self):
        request = self._submitted()
        self.assertEqual(self._approval_activities(request).user_id, self.supervisor,
                         "the team leader signs the first step and is asked to")
        self.assertEqual(request.approval_waiting_for, f"Business Supervisor: {self.supervisor.name}")
        self.assertEqual(
            self.env["mail.activity"].with_user(self.supervisor).search(
                [("user_id", "=", self.supervisor.id), ("res_id", "=", request.id),
                 ("res_model", "=", "rma.request")]).activity_type_id,
            self.approval_type,
        )
        self.assertTrue(request.with_user(self.supervisor).can_approve)
        self.assertFalse(request.with_user(self.marketing).can_approve, "the marketing step comes later")

        self._sign(request, self.supervisor)
        self.assertIn(f"approved by {self.supervisor.name}", self._messages(request)[0].body)
        self.assertEqual(self._approval_activities(request).user_id, self.marketing,
                         "the supervisor's To-Do ended with the signature; the marketing manager is asked")
        self.assertFalse(request.with_user(self.supervisor).can_approve, "no Approve button after signing")
        self.assertEqual(request.approval_waiting_for, f"Marketing Manager: {self.marketing.name}")
        self.assertIn(request, self.env["rma.request"].with_user(self.marketing).search([("can_approve", "=", True)]))
        self.assertNotIn(request, self.env["rma.request"].with_user(self.supervisor).search(
            [("can_approve", "=", True)]))

        self._sign(request, self.marketing)
        self.assertEqual(self._approval_activities(request).user_id, self.gm)
        self._sign(request, self.gm)
        self.assertEqual(request.state, "approved")
        self.assertFalse(self._approval_activities(request))
        task = self.env["mail.activity"].with_context(active_test=False).search([
            ("res_model", "=", "rma.request"), ("res_id", "=", request.id),
            ("activity_type_id", "=", self.approval_type.id),
        ])
        self.assertEqual(len(task), 1, "one approval task travelled along the chain")
        self.assertEqual((task.user_id, task.active, bool(task.date_done)), (self.gm, False, True),
                         "done with the last signature, as Odoo marks a task done (archived, dated)")

    def test_the_signed_steps_task_passes_to_the_next_signer_in_their_language(self):
        self.marketing.lang = "zh_CN"
        request = self._submitted()
        task = self._approval_activities(request)
        self._sign(request, self.supervisor)
        handed_over = self._approval_activities(request)
        self.assertEqual(handed_over, task, "one approval task travels along the chain")
        self.assertEqual(handed_over.user_id, self.marketing)
        self.assertEqual(handed_over.summary, f"审批 {request.name}：营销经理", "in the new signer's language")
        self.assertEqual(handed_over.date_deadline, fields.Date.context_today(request.with_user(self.supervisor)),
                         "due today, in the time zone of the signature")
        self.assertIn(self.marketing.partner_id, request.message_partner_ids, "the new signer follows the request")
        self.assertFalse(self.env["mail.activity"].with_user(self.supervisor).search(
            [("user_id", "=", self.supervisor.id), ("res_model", "=", "rma.request"), ("res_id", "=", request.id)]),
            "nothing left in the supervisor's Activities")
        self.assertIn(request, self.env["rma.request"].with_user(self.marketing).search(
            [("activity_user_id", "=", self.marketing.id)]))

    def test_steps_are_bound_to_their_signers(self):
        request = self._submitted()
        with self.assertRefused(AccessError, "Business Supervisor.*is signed by rma_sup", request):
            request.with_user(self.marketing)._action_approve_step("not mine")
        with self.assertRefused(AccessError, "Business Supervisor.*is signed by rma_sup", request):
            request.with_user(self.gm)._action_approve_step("the GM has no exemption")
        self.assertFalse(request.with_user(self.gm).can_approve)

    def test_nobody_signs_two_steps_not_even_a_manager(self):
        # The GM leads the team: the first step is his, and so is the GM step.
        self.team_east.user_id = self.gm
        request = self._submitted()
        self._sign(request, self.gm)
        self._sign(request, self.marketing)
        self.assertEqual(request.current_approval_id.name, "General Manager")
        self.assertFalse(request.with_user(self.gm).can_approve)
        with self.assertRefused(UserError, "You already approved", request):
            request.with_user(self.gm)._action_approve_step("again")

        # A manager gives the step to the deputy, with the reason; the deputy is asked and signs.
        with self.assertRefused(UserError, "Say why"):
            request.with_user(self.gm)._reassign_current_step(self.deputy, " ")
        with self.assertRefused(UserError, "no one signs two steps"):
            request.with_user(self.gm)._reassign_current_step(self.marketing, "Marketing again")
        with self.assertRefused(AccessError, "Only a Returns manager"):
            request.with_user(self.sales_rep)._reassign_current_step(self.deputy, "I choose")
        action = request.with_user(self.gm).action_open_reassign_approval()
        wizard = Form(self.env[action["res_model"]].with_user(self.gm).with_context(**action["context"]))
        self.assertEqual(wizard.approval_id, request.current_approval_id)
        wizard.user_id = self.deputy
        wizard.reason = "刘总签过业务主管环节，由副总签字"
        wizard.save().action_confirm()
        self.assertEqual(request.current_approval_id.signer_id, self.deputy)
        self.assertIn("副总", request.current_approval_id.reassign_note)
        self.assertIn("reassigned", self._messages(request)[0].body)
        self.assertEqual(self._approval_activities(request).user_id, self.deputy)
        self._sign(request, self.deputy)
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approval_line_ids.user_id, self.gm | self.marketing | self.deputy)

    def test_group_steps_ask_every_member_and_end_for_all(self):
        self.env.ref("rma_factory.approval_step_marketing").write({
            "signer_type": "group", "group_id": self.env.ref("rma_factory.group_rma_approver").id,
        })
        request = self._submitted()
        self._sign(request, self.supervisor)
        asked = self._approval_activities(request).user_id
        self.assertIn(self.marketing, asked)
        self.assertNotIn(self.supervisor, asked, "who signed a step is not asked for the next")
        self.assertEqual(request.approval_waiting_for, "Marketing Manager: Returns (RMA) / Approver")
        self._sign(request, self.marketing)
        self.assertEqual(self._approval_activities(request).user_id, self.gm, "the others' To-Dos are withdrawn")

    def test_rejection_and_cancellation_remove_the_requests(self):
        request = self._submitted()
        self._sign(request, self.supervisor)
        request.with_user(self.marketing)._action_reject("客户使用不当")
        self.assertFalse(self._approval_activities(request))
        request.with_user(self.sales_rep).action_submit()
        self.assertEqual(self._approval_activities(request).user_id, self.supervisor)
        request.with_user(self.sales_rep).action_cancel()
        self.assertFalse(self._approval_activities(request))

    def test_a_user_step_needs_its_user(self):
        with self.assertRefused(Exception, "choose the user who signs it"):
            self.env["rma.approval.step"].create({"name": "Director", "signer_type": "user"})
