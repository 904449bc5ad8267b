from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ACCESS_REFUSED, RmaQualityCommon


@tagged("post_install", "-at_install")
class TestRmaReview(RmaQualityCommon):
    """The joint review (会审) QA organises once the goods are inspected, and the corrective /
    preventive actions (CAPA) it decides: their owners do them, QA verifies them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Action owners outside the request's sales team: a process engineer and a production lead.
        cls.engineer = cls._user("rma_eng", "rma_factory.group_rma_user")
        cls.production = cls._user("rma_prod", "rma_factory.group_rma_user")
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.today = fields.Date.context_today(cls.env["rma.capa"])
        _order, request = cls._inspected([(cls.product, 2)], failures=1, customer_wish="exchange")
        # As the administrator, without the sales rep's form context.
        cls.request = cls.env["rma.request"].browse(request.id)

    # ------------------------------------------------------------------ helpers

    def _organise(self):
        action = self.request.with_user(self.inspector).action_organise_review()
        return self.env["rma.review"].with_user(self.inspector).browse(action["res_id"])

    def _add_capas(self, review, *lines):
        """What QA does in the review form: one new line per (type, description, owner, due date)."""
        with Form(review) as form:
            for action_type, description, owner, date_due in lines:
                with form.capa_ids.new() as capa:
                    capa.action_type = action_type
                    capa.description = description
                    capa.owner_id = owner
                    capa.date_due = date_due
        return review.capa_ids

    def _todo(self, capa):
        return capa.activity_ids.filtered(lambda a: a.activity_type_id == self.todo)

    def _done_capa(self):
        review = self._organise()
        capa = self._add_capas(review, ("corrective", "Re-train the seal fitters", self.engineer,
                                        self.today + timedelta(days=7)))
        with Form(capa.with_user(self.engineer)) as form:
            form.result = "Training held on line 3, attendance sheet attached."
        capa.with_user(self.engineer).action_mark_done()
        self.assertEqual(capa.state, "done")
        return capa

    # ------------------------------------------------------------------ the review

    def test_only_qa_organises_the_review(self):
        with self.assertRefused(UserError, "QA organises the joint review"):
            self.request.with_user(self.sales_rep).action_organise_review()
        with self.assertRefused(UserError, "QA organises the joint review"):
            self.request.with_user(self.supervisor).action_organise_review()
        self.assertFalse(self.request.review_ids)

        action = self.request.with_user(self.inspector).action_organise_review()
        review = self.request.review_ids
        self.assertEqual(len(review), 1)
        self.assertEqual((action["res_model"], action["res_id"]), ("rma.review", review.id))
        self.assertEqual(review.host_id, self.inspector)
        self.assertEqual(review.state, "draft")
        self.assertEqual(review.participant_ids, self.sales_rep | self.inspector,
                         "the sales rep and the QC inspector who examined the goods are invited")
        self.assertEqual(review.decision, "exchange", "the customer's wish is the starting proposal")
        self.assertLessEqual(self.sales_rep.partner_id | self.inspector.partner_id,
                             review.message_partner_ids, "participants follow the review")
        self.assertIn("organised by", self._messages(self.request)[0].body)
        self.assertEqual(self.request.review_count, 1)

        # Organising again opens the review in preparation instead of starting a second one.
        again = self.request.with_user(self.inspector).action_organise_review()
        self.assertEqual(again["res_id"], review.id)
        self.assertEqual(len(self.request.review_ids), 1)

    def test_participants_decision_and_cause_analysis(self):
        review = self._organise()
        with Form(review) as form:
            form.participant_ids.add(self.engineer)
            form.cost_estimate = 1200.0
            form.technical_analysis = "<p>Seal lip cut during assembly.</p>"
        self.assertIn(self.engineer, review.participant_ids)
        self.assertIn(self.engineer.partner_id, review.message_partner_ids,
                      "a participant added later follows the review too")
        # Participants read the review, but only QA edits it.
        self.assertEqual(review.with_user(self.sales_rep).decision, "exchange")
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            review.with_user(self.sales_rep).write({"decision": "claim"})
        # ... except the technical department's analysis and estimate, which they write themselves.
        review.with_user(self.sales_rep).write({"technical_analysis": "<p>Lip cut 0.2 mm deep.</p>",
                                                "cost_estimate": 900.0})
        self.assertEqual(review.cost_estimate, 900.0)

        # Concluding needs a decision ...
        review.decision = False
        with self.assertRefused(UserError, "decision"):
            review.action_conclude()
        # ... an explicit one when it is "other" ...
        review.decision = "other"
        with self.assertRefused(UserError, "other decision"):
            review.action_conclude()
        review.decision_note = "Repair on site by our engineer"
        # ... and a cause analysis with words in it, not an empty editor.
        with self.assertRefused(UserError, "cause analysis"):
            review.action_conclude()
        review.cause_analysis = "<p><br></p>"
        with self.assertRefused(UserError, "cause analysis"):
            review.action_conclude()
        self.assertEqual(review.state, "draft")

        with Form(review) as form:
            form.decision = "claim"
            form.cause_analysis = "<p>Assembly fixture worn out; seals damaged when fitted.</p>"
        review.action_conclude()
        self.assertEqual(review.state, "done")
        self.assertIn("Joint review concluded: Claim", self._messages(self.request)[0].body)
        # A new request for review once concluded starts a new review.
        self.request.with_user(self.inspector).action_organise_review()
        self.assertEqual(len(self.request.review_ids), 2)

    # ------------------------------------------------------------------ corrective actions

    def test_each_capa_owner_gets_a_todo_with_the_due_date(self):
        review = self._organise()
        due_fix, due_prevent = self.today + timedelta(days=7), self.today + timedelta(days=30)
        capas = self._add_capas(
            review,
            ("corrective", "Replace the worn assembly fixture", self.production, due_fix),
            ("preventive", "Add the fixture to the monthly maintenance plan", self.engineer, due_prevent),
        )
        self.assertEqual(len(capas), 2)
        fix = capas.filtered(lambda c: c.action_type == "corrective")
        prevent = capas - fix
        self.assertEqual((fix.owner_id, fix.state, fix.request_id), (self.production, "open", self.request))
        for capa, owner, due in ((fix, self.production, due_fix), (prevent, self.engineer, due_prevent)):
            activity = capa.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.activity_type_id, self.todo)
            self.assertEqual(activity.user_id, owner)
            self.assertEqual(activity.date_deadline, due)
            self.assertIn(self.request.name, activity.summary)
        self.assertEqual(review.capa_open_count, 2)
        # The owner finds the action in their own activities.
        self.assertIn(fix, self.env["rma.capa"].with_user(self.production).search([("activity_user_id", "=",
                                                                                    self.production.id)]))

        # QA hands the action to someone else: the to-do moves with it; a new due date moves it too.
        with Form(review) as form, form.capa_ids.edit(0) as line:
            self.assertEqual(line.owner_id, self.production)
            line.owner_id = self.engineer
        self.assertEqual(fix.owner_id, self.engineer)
        self.assertEqual(self._todo(fix).user_id, self.engineer)
        self.assertEqual(len(fix.activity_ids), 1, "the former owner's to-do is removed")
        fix.with_user(self.inspector).date_due = due_fix + timedelta(days=3)
        self.assertEqual(self._todo(fix).date_deadline, due_fix + timedelta(days=3))
        self.assertEqual(len(fix.activity_ids), 1)

    def test_overdue_actions_are_found(self):
        review = self._organise()
        late, on_time = self._add_capas(
            review,
            ("corrective", "Sort the remaining stock", self.production, self.today - timedelta(days=2)),
            ("preventive", "Update the assembly instruction", self.engineer, self.today + timedelta(days=5)),
        ).sorted("date_due")
        Capa = self.env["rma.capa"].with_user(self.inspector)
        mine = [("request_id", "=", self.request.id)]
        self.assertTrue(late.is_overdue)
        self.assertFalse(on_time.is_overdue)
        self.assertEqual(Capa.search([*mine, ("is_overdue", "=", True)]), late)
        self.assertEqual(Capa.search([*mine, ("is_overdue", "=", False)]), on_time)
        self.assertEqual(Capa.search([*mine, ("is_overdue", "!=", True)]), on_time)
        self.assertEqual(self.request.capa_overdue_count, 1)

        # Done late is no longer overdue: it waits for QA.
        late.with_user(self.production).write({"result": "200 pcs sorted, 3 rejected."})
        late.with_user(self.production).action_mark_done()
        self.assertFalse(late.is_overdue)
        self.assertFalse(Capa.search([*mine, ("is_overdue", "=", True)]))

    def test_owner_marks_done_and_qa_verifies(self):
        review = self._organise()
        capa = self._add_capas(review, ("corrective", "Re-train the seal fitters", self.engineer,
                                        self.today + timedelta(days=7)))
        as_owner = capa.with_user(self.engineer)
        with self.assertRefused(UserError, "result"):
            as_owner.action_mark_done()
        # The owner records the result, nothing else: QA decided the action, its owner and due date.
        for values in ({"date_due": self.today + timedelta(days=60)}, {"owner_id": self.production.id},
                       {"state": "verified"}, {"verification_note": "Fine"}):
            with self.assertRefused(AccessError, ACCESS_REFUSED):
                as_owner.write(values)
        # Another RMA user neither records the result nor closes somebody else's action.
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            capa.with_user(self.sales_rep).write({"result": "Done, trust me."})
        capa.with_user(self.inspector).result = "Draft note by QA"
        with self.assertRefused(UserError, "owner"):
            capa.with_user(self.sales_rep).action_mark_done()
        with self.assertRefused(UserError, "Only QA"):
            capa.with_user(self.sales_rep).action_cancel()
        self.assertEqual((capa.state, capa.owner_id), ("open", self.engineer))
        with Form(as_owner) as form:
            with self.assertRaises(AssertionError, msg="the owner's form shows the due date read-only"):
                form.date_due = self.today + timedelta(days=60)
            form.result = "Training held on line 3, attendance sheet attached."
        as_owner.action_mark_done()
        self.assertEqual(capa.state, "done")
        self.assertFalse(capa.activity_ids, "the owner's to-do is done")
        self.assertTrue(capa.message_ids.filtered(lambda m: m.mail_activity_type_id == self.todo),
                        "the done to-do is logged in the chatter")
        self.assertEqual(review.capa_open_count, 1, "done but not verified is still open for QA")

        # Neither the owner nor another RMA user verifies their own work.
        for user in (self.engineer, self.sales_rep, self.supervisor):
            with self.assertRefused(UserError, "Only QA"):
                capa.with_user(user).action_verify()
        self.assertEqual(capa.state, "done")

        capa.with_user(self.inspector).verification_note = "Checked 20 fitted seals: no damage."
        capa.with_user(self.inspector).action_verify()
        self.assertEqual(capa.state, "verified")
        self.assertEqual(capa.verified_by_id, self.inspector)
        self.assertEqual(capa.verified_date, fields.Date.context_today(capa.with_user(self.inspector)),
                         "the day in QA's time zone")
        self.assertEqual(review.capa_open_count, 0)
        with self.assertRefused(UserError, "Only actions marked done can be verified"):
            capa.with_user(self.inspector).action_verify()

    def test_rejected_verification_goes_back_to_the_owner(self):
        capa = self._done_capa()
        with self.assertRefused(UserError, "Only QA"):
            capa.with_user(self.engineer).action_reject_verification()
        with self.assertRefused(UserError, "why"):
            capa.with_user(self.inspector).action_reject_verification()

        capa.with_user(self.inspector).verification_note = "Seals still cut on the night shift."
        capa.with_user(self.inspector).action_reject_verification()
        self.assertEqual(capa.state, "open")
        activity = self._todo(capa)
        self.assertEqual(len(activity), 1, "the owner gets a new to-do")
        self.assertEqual(activity.user_id, self.engineer)
        self.assertEqual(capa.review_id.capa_open_count, 1)

        # The owner can finish it again, and QA verifies the second round.
        capa.with_user(self.engineer).write({"result": "Night shift trained too."})
        capa.with_user(self.engineer).action_mark_done()
        capa.with_user(self.inspector).action_verify()
        self.assertEqual(capa.state, "verified")

    def test_a_closed_request_freezes_its_review(self):
        capa = self._done_capa()
        review = capa.review_id
        self.request.sudo()._rma_process().write({"state": "done"})  # closed, as the closing does
        with self.assertRefused(UserError, "closed"):
            review.write({"decision": "claim"})
        with self.assertRefused(UserError, "closed"):
            self._add_capas(review, ("preventive", "Too late", self.engineer, self.today))
        with self.assertRefused(UserError, "closed"):
            capa.with_user(self.inspector).action_verify()
        with self.assertRefused(UserError, "closed"):
            capa.with_user(self.engineer).write({"result": "Changed afterwards"})
        with self.assertRefused(UserError, "closed"):
            review.unlink()
        self.assertEqual(capa.state, "done")
