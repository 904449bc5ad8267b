from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ACCESS_REFUSED, RmaCommon


@tagged("post_install", "-at_install")
class TestRmaRequestApproval(RmaCommon):
    def _submitted(self, lines):
        order = self._deliver(self.customer, lines)
        request = self._request_from_order(order)
        request.with_user(self.sales_rep).action_submit()
        return request

    def _sign(self, request, user, decision="approve", opinion="同意"):
        """Sign through the wizard, as the approver does from the form's button."""
        request = request.with_user(user)
        action = request.action_approve() if decision == "approve" else request.action_reject()
        form = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
        form.opinion = opinion
        return form.save().action_confirm()

    def test_chain_over_500_goes_to_the_general_manager(self):
        request = self._submitted([(self.product, 2)])  # 2000
        self.assertEqual(
            request.approval_line_ids.mapped("name"),
            ["Business Supervisor", "Marketing Manager", "General Manager"],
        )
        self.assertEqual(request.current_approval_id.name, "Business Supervisor")
        to_approve = self.env["rma.request"].with_user(self.supervisor).search([("can_approve", "=", True)])
        self.assertIn(request, to_approve)
        self.assertNotIn(request, self.env["rma.request"].with_user(self.sales_rep).search(
            [("can_approve", "=", True)]))

        self._sign(request, self.supervisor, opinion="属实，同意退货")
        first = request.approval_line_ids[0]
        self.assertEqual((first.state, first.user_id, first.opinion), ("approved", self.supervisor, "属实，同意退货"))
        self.assertTrue(first.date)
        self.assertEqual(request.current_approval_id.name, "Marketing Manager")
        self._sign(request, self.marketing)
        self.assertEqual(request.state, "to_approve")
        self._sign(request, self.gm)
        self.assertEqual(request.state, "approved")
        self.assertTrue(request.return_deadline)
        self.assertTrue(all(a.state == "approved" for a in request.approval_line_ids))
        self.assertIn("General Manager", " ".join(self._messages(request).mapped("body")))

    def _notices_to(self, user):
        """Odoo's "... assigned to you" e-mails of the activities given to `user`."""
        self.env.flush_all()
        return self.env["mail.message"].sudo().search([
            ("message_type", "=", "user_notification"), ("partner_ids", "in", user.partner_id.ids),
            ("model", "=", "rma.request"),
        ])

    def test_signers_get_their_task_as_an_activity_and_the_e_mail_only_if_the_company_asks(self):
        self.assertFalse(self.env.company.rma_activity_email, "off unless the company turns it on")
        request = self._submitted([(self.product, 2)])
        task = request.activity_ids.filtered(lambda a: a.user_id == self.supervisor)
        self.assertEqual(len(task), 1, "the supervisor's signature reaches them as an activity")
        self.assertIn(request, self.env["rma.request"].with_user(self.supervisor).search(
            [("activity_user_id", "=", self.supervisor.id)]), "in their own Activities")
        self.assertFalse(self._notices_to(self.supervisor), "no Odoo notice e-mail by default")

        settings = self.env["res.config.settings"].create({})
        settings.rma_activity_email = True
        settings.execute()
        self.assertTrue(self.env.company.rma_activity_email)
        self._sign(request, self.supervisor)
        self.assertTrue(request.activity_ids.filtered(lambda a: a.user_id == self.marketing))
        notice = self._notices_to(self.marketing)
        self.assertEqual(len(notice), 1, "with Task E-mails on, Odoo's notice goes to the next signer")
        self.assertTrue(notice.mail_ids or notice.notification_ids)

    def test_chain_up_to_500_goes_to_the_gm_office(self):
        request = self._submitted([(self.product_b, 10)])  # 500
        self.assertEqual(request.amount_total, 500)
        self.assertEqual(
            request.approval_line_ids.mapped("name"),
            ["Business Supervisor", "Marketing Manager", "GM Office"],
        )

    def test_without_the_group_twice_or_out_of_order_is_refused(self):
        request = self._submitted([(self.product, 1)])
        with self.assertRefused(AccessError, "Business Supervisor.*is signed by rma_sup"):
            request.with_user(self.sales_rep)._action_approve_step()
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            request.with_user(self.sales_rep).action_approve()
        later = request.approval_line_ids[2]
        with self.assertRefused(UserError, "General Manager.*can't be signed now.*Business Supervisor"):
            request.with_user(self.gm)._action_approve_step("skip", later)
        request.with_user(self.supervisor)._action_approve_step("ok")
        with self.assertRefused(UserError, "You already approved"):
            request.with_user(self.supervisor)._action_approve_step("again")
        # The marketing step is still waiting: the same step can't be signed twice either.
        first = request.approval_line_ids[0]
        with self.assertRefused(UserError, "can't be signed now"):
            request.with_user(self.marketing)._action_approve_step("late", first)

    def test_approving_a_request_that_is_not_submitted_is_refused(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        with self.assertRefused(UserError, "not waiting for approval"):
            request.with_user(self.supervisor)._action_approve_step()

    def test_rejection_needs_a_reason_and_resubmission_restarts(self):
        request = self._submitted([(self.product, 1)])
        self._sign(request, self.supervisor)
        with self.assertRefused(UserError, "needs a reason"):
            request.with_user(self.marketing)._action_reject("  ")
        self._sign(request, self.marketing, decision="reject", opinion="客户使用不当，不同意")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.rejection_reason, "客户使用不当，不同意")
        self.assertIn("客户使用不当", self._messages(request)[0].body)
        self.assertEqual(request.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")).user_id, self.sales_rep)
        # The sales rep corrects the request and submits it again: a fresh chain.
        request.with_user(self.sales_rep).write({"remarks": "Photos added"})
        request.with_user(self.sales_rep).action_submit()
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(set(request.approval_line_ids.mapped("state")), {"pending"})
        self.assertFalse(request.rejection_reason)

    def test_changing_lines_after_an_approval_resets_the_chain(self):
        order = self._deliver(self.customer, [(self.product_b, 8)])  # 400: GM office
        request = self._request_from_order(order)
        request.action_submit()
        request.with_user(self.supervisor)._action_approve_step("ok")
        self.assertEqual(request.approval_line_ids[0].state, "approved")
        request.with_user(self.sales_rep).line_ids.quantity = 2
        self.assertEqual(set(request.approval_line_ids.mapped("state")), {"pending"})
        self.assertIn("approval starts again", self._messages(request)[0].body)
        # The amount now decides the chain again: 2 x 50 stays with the GM office...
        self.assertIn("GM Office", request.approval_line_ids.mapped("name"))
        # ... and a price raise over 500 brings in the general manager.
        request.line_ids.price_unit = 300
        self.assertIn("General Manager", request.approval_line_ids.mapped("name"))

    def test_approved_lines_are_frozen(self):
        request = self._submitted([(self.product, 1)])
        self._approve_all(request)
        self.assertEqual(request.state, "approved")
        with self.assertRefused(UserError, "no longer change"):
            request.line_ids.quantity = 0.5

    def test_no_step_applies_means_approved_at_submission(self):
        self.env["rma.approval.step"].search([]).active = False
        request = self._submitted([(self.product, 1)])
        self.assertEqual(request.state, "approved")

    def test_steps_are_configurable_per_company_and_amount(self):
        step = self.env["rma.approval.step"].create({
            "name": "Quality check", "sequence": 15, "group_id": self.env.ref("rma_factory.group_rma_quality").id,
            "min_amount": 1500, "company_id": self.company.id,
        })
        small = self._submitted([(self.product, 1)])
        self.assertNotIn(step.name, small.approval_line_ids.mapped("name"))
        big = self._submitted([(self.product, 2)])
        self.assertEqual(big.approval_line_ids.mapped("name")[1], "Quality check")
