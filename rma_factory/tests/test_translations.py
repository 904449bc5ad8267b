from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import RefusalMixin


@tagged("post_install", "-at_install")
class TestChineseTranslation(RefusalMixin, TransactionCase):
    """Users working in zh_CN see the module in Chinese: labels, menus and messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["res.lang"]._lang_get("zh_CN"):
            cls.env["res.lang"]._activate_lang("zh_CN")
            cls.env["ir.module.module"].search([("name", "=", "rma_factory")])._update_translations("zh_CN")

    def test_labels_menus_and_messages_are_chinese(self):
        env = self.env(context={"lang": "zh_CN"})
        states = dict(env["rma.request"]._fields["state"]._description_selection(env))
        self.assertEqual(states["draft"], "草稿")
        self.assertEqual(env["ir.model.fields"]._get("rma.request", "customer_wish").field_description, "客户意见")
        self.assertEqual(env.ref("rma_factory.menu_rma_root").name, "退换货")
        self.assertEqual(env.ref("rma_factory.group_rma_approver").name, "审批人")
        user = new_test_user(self.env, login="rma_zh", groups="base.group_user,rma_factory.group_rma_user",
                             lang="zh_CN")
        partner = self.env["res.partner"].create({"name": "客户甲"})
        # The web client sends the user's language in the context, as here.
        request = self.env["rma.request"].with_user(user).with_context(lang=user.lang).create(
            {"partner_id": partner.id}
        )
        with self.assertRefused(UserError, "没有明细"):
            request.action_submit()
