from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSecurityGroups(TransactionCase):
    def test_quality_is_not_an_approver_and_a_manager_is_both(self):
        user = self.env.ref("rma_factory.group_rma_user")
        approver = self.env.ref("rma_factory.group_rma_approver")
        quality = self.env.ref("rma_factory.group_rma_quality")
        manager = self.env.ref("rma_factory.group_rma_manager")
        privilege = self.env.ref("rma_factory.res_groups_privilege_rma")
        self.assertEqual((user | approver | quality | manager).privilege_id, privilege)
        self.assertEqual(privilege.name, "Returns (RMA)")
        self.assertIn(user, approver.implied_ids)
        # Quality judges the goods but does not sign approvals; a manager does both.
        self.assertEqual(quality.implied_ids, user)
        self.assertEqual(manager.implied_ids, approver | quality)
        inspector = new_test_user(self.env, login="rma_qc_only", groups="rma_factory.group_rma_quality")
        self.assertTrue(inspector.has_group("rma_factory.group_rma_user"))
        self.assertFalse(inspector.has_group("rma_factory.group_rma_approver"))
        # A manager has every lower right.
        manager_user = new_test_user(self.env, login="rma_mgr", groups="rma_factory.group_rma_manager")
        for xmlid in ("group_rma_user", "group_rma_approver", "group_rma_quality"):
            self.assertTrue(manager_user.has_group(f"rma_factory.{xmlid}"), xmlid)
        plain = new_test_user(self.env, login="rma_plain", groups="rma_factory.group_rma_user")
        self.assertFalse(plain.has_group("rma_factory.group_rma_approver"))

    def test_admin_is_manager(self):
        self.assertTrue(self.env.ref("base.user_admin").has_group("rma_factory.group_rma_manager"))
