from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSecurityGroups(TransactionCase):
    def test_groups_form_one_implied_chain(self):
        user = self.env.ref("rma_factory.group_rma_user")
        approver = self.env.ref("rma_factory.group_rma_approver")
        quality = self.env.ref("rma_factory.group_rma_quality")
        manager = self.env.ref("rma_factory.group_rma_manager")
        privilege = self.env.ref("rma_factory.res_groups_privilege_rma")
        self.assertEqual((user | approver | quality | manager).privilege_id, privilege)
        self.assertEqual(privilege.name, "Returns (RMA)")
        self.assertIn(user, approver.implied_ids)
        self.assertIn(approver, quality.implied_ids)
        self.assertIn(quality, manager.implied_ids)
        # The chain is transitive: a manager has every lower right.
        manager_user = new_test_user(self.env, login="rma_mgr", groups="rma_factory.group_rma_manager")
        for xmlid in ("group_rma_user", "group_rma_approver", "group_rma_quality"):
            self.assertTrue(manager_user.has_group(f"rma_factory.{xmlid}"), xmlid)
        plain = new_test_user(self.env, login="rma_plain", groups="rma_factory.group_rma_user")
        self.assertFalse(plain.has_group("rma_factory.group_rma_approver"))

    def test_admin_is_manager(self):
        self.assertTrue(self.env.ref("base.user_admin").has_group("rma_factory.group_rma_manager"))
