
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ACCESS_REFUSED, RmaQualityCommon


@tagged("post_install", "-at_install")
class TestRmaResponsibility(RmaQualityCommon):
    """Responsibility decision (责任判定): the cause category tells who bears the cost, which
    department is responsible and which analytic account is charged; the people held responsible
    are assessed (考核明细) and record their own opinion (个人意见)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.worker_a = cls._user("rma_assessed_a", "rma_factory.group_rma_user")
        cls.worker_b = cls._user("rma_assessed_b", "rma_factory.group_rma_user")
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        _order, request = cls._inspected([(cls.product, 2)], failures=1)
        # As the administrator, without the sales rep's form context.
        cls.request = cls.env["rma.request"].browse(request.id)

    # ------------------------------------------------------------------ helpers

    def _decide(self, user, category, **values):
        """What QA / management does in the request's Responsibility tab."""
        with Form(self.request.with_user(user)) as form:
            form.responsibility_category_id = category
            for name, value in values.items():
                setattr(form, name, value)

    def _assess(self, *lines):
        """The manager fills the Assessments list of the request: (person, department, points, amount, reason)."""
        with Form(self.request.with_user(self.gm)) as form:
            for user, department, points, amount, reason in lines:
                with form.assessment_ids.new() as line:
                    line.user_id = user
                    line.department = department
                    line.points = points
                    line.amount = amount
                    line.reason = reason
        return {assessment.user_id: assessment for assessment in self.request.assessment_ids}

    def _assess_both(self):
        lines = self._assess(
            (self.worker_a, "Assembly", 2.0, 200.0, "Fitted the seals without the fixture check."),
            (self.worker_b, "Maintenance", 1.0, 100.0, "Fixture maintenance overdue."),
        )
        return lines[self.worker_a], lines[self.worker_b]

    # ------------------------------------------------------------------ responsibility table

    def test_each_default_cause_gives_its_bearer_and_department(self):
        expected = {
            "rma_factory.responsibility_sales_stagnation": ("sales", "Sales Department"),
            "rma_factory.responsibility_product_quality": ("production", "Production"),
            "rma_factory.responsibility_force_majeure": ("company", False),
            "rma_factory.responsibility_customer_fault": ("customer", False),
            "rma_factory.responsibility_transport": ("carrier", False),
        }
        for xmlid, (bearer, department) in expected.items():
            with self.subTest(category=xmlid):
                self._decide(self.inspector, self.env.ref(xmlid))
                self.assertEqual(self.request.responsibility_bearer, bearer)
                self.assertEqual(self.request.responsible_department, department)
        # The bearer is stored: requests can be grouped and searched by it.
        self.assertIn(self.request, self.env["rma.request"].search([("responsibility_bearer", "=", "carrier")]))

    def test_the_analytic_account_comes_from_the_category(self):
        plan = self.env["account.analytic.plan"].create({"name": "RMA Departments"})
        production_account = self.env["account.analytic.account"].create({
            "name": "Production Dept", "plan_id": plan.id, "company_id": self.company.id,
        })
        sales_account = self.env["account.analytic.account"].create({
            "name": "Sales Dept", "plan_id": plan.id, "company_id": self.company.id,
        })
        quality = self.env.ref("rma_factory.responsibility_product_quality")
        quality.analytic_account_id = production_account
        self.env.ref("rma_factory.responsibility_sales_stagnation").analytic_account_id = sales_account

        self._decide(self.gm, quality, responsibility_note="Worn assembly fixture.")
        self.assertEqual(self.request.responsible_analytic_account_id, production_account)
        self.assertEqual(self.request.responsibility_note, "Worn assembly fixture.")

        # QA may charge another account for this one request ...
        with Form(self.request.with_user(self.inspector)) as form:
            form.responsible_analytic_account_id = sales_account
        self.assertEqual(self.request.responsible_analytic_account_id, sales_account)
        self.assertEqual(self.request.responsibility_category_id, quality)
        # ... and a new cause brings its own account again.
        self._decide(self.inspector, self.env.ref("rma_factory.responsibility_force_majeure"))
        self.assertFalse(self.request.responsible_analytic_account_id)
        self._decide(self.inspector, quality)
        self.assertEqual(self.request.responsible_analytic_account_id, production_account)

        # The default categories are shared by all companies: another company's account is not charged here.
        other_company = self.env["res.company"].create({"name": "RMA Sister Factory"})
        other_account = self.env["account.analytic.account"].create({
            "name": "Sister Production", "plan_id": plan.id, "company_id": other_company.id,
        })
        quality.analytic_account_id = other_account
        self._decide(self.inspector, self.env.ref("rma_factory.responsibility_force_majeure"))
        self._decide(self.inspector, quality)
        self.assertFalse(self.request.responsible_analytic_account_id)

    def test_a_sales_rep_cannot_decide_responsibility(self):
        category = self.env.ref("rma_factory.responsibility_sales_stagnation")
        as_rep = self.request.with_user(self.sales_rep)
        for values in ({"responsibility_category_id": category.id}, {"responsibility_note": "Not my fault"}):
            with self.assertRefused(UserError, "Only QA and management decide"):
                as_rep.write(values)
        with self.assertRefused(UserError, "Only QA and management decide"):
            self.request.with_user(self.supervisor).write({"responsibility_category_id": category.id})
        self.assertFalse(self.request.responsibility_category_id)
        self.assertFalse(self.request.responsibility_bearer)

    # ------------------------------------------------------------------ assessments

    def test_assessed_people_are_told_and_write_their_own_opinion(self):
        line_a, line_b = self._assess_both()
        for line, user in ((line_a, self.worker_a), (line_b, self.worker_b)):
            activity = line.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.activity_type_id, self.todo)
            self.assertEqual(activity.user_id, user)
            self.assertIn(user.partner_id, line.message_partner_ids)
        self.assertEqual((line_a.points, line_a.amount, line_a.department), (2.0, 200.0, "Assembly"))

        # A finds their line in "My Assessments", and only theirs.
        action = self.env["ir.actions.act_window"]._for_xml_id("rma_factory.rma_assessment_action_mine")
        domain = safe_eval(action["domain"], {"uid": self.worker_a.id})
        Assessment = self.env["rma.assessment"].with_user(self.worker_a)
        self.assertEqual(Assessment.search(domain), line_a)
        self.assertEqual(Assessment.search([]), line_a, "A cannot see B's assessment")
        self.assertEqual(line_a.with_user(self.worker_a).display_name,
                         f"{self.request.name} - {self.worker_a.name}",
                         "A sees which request the line is about, without access to the request itself")

        with Form(line_a.with_user(self.worker_a)) as form:
            self.assertTrue(form.is_mine)
            self.assertFalse(form.can_assess)
            form.opinion = "I accept; the fixture check sheet was missing that day."
        self.assertEqual(line_a.opinion, "I accept; the fixture check sheet was missing that day.")
        self.assertTrue(line_a.opinion_date)
        self.assertFalse(line_a.activity_ids, "recording the opinion completes A's to-do")
        self.assertEqual(line_b.activity_ids.user_id, self.worker_b, "B's to-do is untouched")

    def test_nobody_else_writes_the_opinion_and_the_person_writes_nothing_else(self):
        line_a, line_b = self._assess_both()
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            line_b.with_user(self.worker_a).write({"opinion": "B agrees"})
        for values in ({"points": 0.0}, {"amount": 0.0}, {"reason": "None"}, {"user_id": self.worker_b.id}):
            with self.assertRefused(AccessError, ACCESS_REFUSED):
                line_a.with_user(self.worker_a).write(values)
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            line_a.with_user(self.gm).write({"opinion": "A agrees"})
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            line_a.with_user(self.inspector).write({"opinion": "A agrees"})
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            line_a.with_user(self.worker_a).unlink()
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            self.env["rma.assessment"].with_user(self.worker_a).create({
                "request_id": self.request.id, "user_id": self.worker_b.id, "reason": "Revenge",
            })
        self.assertFalse(line_a.opinion or line_b.opinion)
        self.assertEqual((line_a.points, line_a.amount), (2.0, 200.0))

        # The request's sales rep and the approvers read the assessments, but cannot change them.
        self.assertEqual(line_a.with_user(self.sales_rep).points, 2.0)
        self.assertEqual(line_b.with_user(self.supervisor).amount, 100.0)
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            line_a.with_user(self.sales_rep).write({"opinion": "Fine"})
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            line_a.with_user(self.supervisor).write({"points": 5.0})

        # QA corrects the assessment; the person is then told again if it changes hands.
        line_b.with_user(self.inspector).write({"points": 3.0, "user_id": self.worker_a.id})
        self.assertEqual(line_b.points, 3.0)
        self.assertEqual(line_b.activity_ids.user_id, self.worker_a)

    def test_a_closed_request_freezes_its_assessments(self):
        line_a, _line_b = self._assess_both()
        self._decide(self.gm, self.env.ref("rma_factory.responsibility_product_quality"))
        self.request.sudo()._rma_process().write({"state": "done"})  # closed, as the closing does
        with self.assertRefused(UserError, "closed"):
            line_a.with_user(self.worker_a).write({"opinion": "Too late?"})
        with self.assertRefused(UserError, "closed"):
            line_a.with_user(self.gm).write({"points": 0.0})
        with self.assertRefused(UserError, "closed"):
            line_a.with_user(self.gm).unlink()
        with self.assertRefused(UserError, "closed"):
            self.env["rma.assessment"].with_user(self.gm).create({
                "request_id": self.request.id, "user_id": self.worker_b.id, "reason": "Afterthought",
            })
        self.assertFalse(line_a.opinion)
        self.assertEqual(len(self.request.assessment_ids), 2)

    def test_the_gm_approval_fixes_the_assessments_but_not_the_opinions(self):
        line_a, _line_b = self._assess_both()
        self._decide(self.gm, self.env.ref("rma_factory.responsibility_product_quality"))
        self.request.sudo()._rma_process().write({"state": "gm_approved"})  # as the GM's approval does
        approved = "approved the responsibility and its assessments"
        with self.assertRefused(UserError, approved, line_a):
            line_a.with_user(self.gm).write({"points": 0.0, "amount": 0.0})
        with self.assertRefused(UserError, approved, line_a):
            line_a.with_user(self.gm).unlink()
        with self.assertRefused(UserError, approved):
            self.env["rma.assessment"].with_user(self.gm).create({
                "request_id": self.request.id, "user_id": self.worker_b.id, "reason": "Afterthought",
            })
        line_a.with_user(self.worker_a).write({"opinion": "同意，已整改"})
        self.assertEqual(line_a.opinion, "同意，已整改")
        self.assertEqual(len(self.request.assessment_ids), 2)
