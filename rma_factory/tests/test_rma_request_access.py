from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ACCESS_REFUSED, RmaCommon


@tagged("post_install", "-at_install")
class TestRmaRequestAccess(RmaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        east_order = cls._deliver(cls.customer, [(cls.product, 2)], team=cls.team_east, user=cls.sales_rep)
        west_order = cls._deliver(cls.customer, [(cls.product_b, 2)], team=cls.team_west,
                                  user=cls.sales_rep_west)
        cls.east_request = cls.env["rma.request"].create({
            "partner_id": cls.customer.id, "user_id": cls.sales_rep.id, "team_id": cls.team_east.id,
            "line_ids": [Command.create({"origin_move_id": east_order.picking_ids.move_ids.id, "quantity": 1})],
        })
        cls.west_request = cls.env["rma.request"].create({
            "partner_id": cls.customer.id, "user_id": cls.sales_rep_west.id, "team_id": cls.team_west.id,
            "line_ids": [Command.create({"origin_move_id": west_order.picking_ids.move_ids.id, "quantity": 1})],
        })
        cls.east_colleague = cls._user("rma_rep_e2", "rma_factory.group_rma_user", cls.team_east)

    def test_sales_reps_see_their_own_teams_requests(self):
        Request = self.env["rma.request"]
        self.assertEqual(Request.with_user(self.sales_rep).search([("id", "in", self._ids())]), self.east_request)
        self.assertEqual(Request.with_user(self.east_colleague).search([("id", "in", self._ids())]),
                         self.east_request, "a team member sees the team's requests")
        self.assertEqual(Request.with_user(self.sales_rep_west).search([("id", "in", self._ids())]),
                         self.west_request)
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            self.west_request.with_user(self.sales_rep).read(["name"])
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            self.west_request.line_ids.with_user(self.sales_rep).read(["quantity"])
        # Approvers see every request of their company.
        self.assertEqual(Request.with_user(self.supervisor).search([("id", "in", self._ids())]),
                         self.east_request | self.west_request)

    def test_requests_stay_in_their_company(self):
        other_company = self.env["res.company"].create({"name": "RMA Second Company"})
        outsider = new_test_user(
            self.env, login="rma_other_mgr", groups="base.group_user,rma_factory.group_rma_manager",
            company_id=other_company.id, company_ids=[Command.set(other_company.ids)],
        )
        other_request = self.env["rma.request"].with_company(other_company).create({
            "partner_id": self.customer.id, "company_id": other_company.id,
            "line_ids": [Command.create({"product_id": self.product.id, "quantity": 1})],
        })
        self.assertEqual(self.env["rma.request"].with_user(outsider).search([]), other_request)
        with self.assertRefused(AccessError, ACCESS_REFUSED):
            self.east_request.with_user(outsider).read(["name"])
        self.assertNotIn(other_request, self.env["rma.request"].with_user(self.gm).search([]))

    def test_a_sales_rep_cannot_sign_approvals_directly(self):
        self.east_request.criterion_quality = True
        self.east_request.action_submit()
        steps = self.east_request.approval_line_ids
        # The signature is the process's (append-only): refused before the access rights are asked.
        with self.assertRefused(UserError, "can't be set directly", steps):
            steps.with_user(self.sales_rep).write({"state": "approved"})
        with self.assertRefused(AccessError, ACCESS_REFUSED, steps):
            steps.with_user(self.sales_rep).unlink()
        with self.assertRefused(UserError, "can't be deleted", steps):
            steps.unlink()

    def _ids(self):
        return (self.east_request | self.west_request).ids
