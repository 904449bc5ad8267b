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

    def test_what_we_create_reads_in_chinese(self):
        """Operation types and locations the module creates, and the title of a new document."""
        company = self.env["res.company"].create({"name": "苏州测试工厂"})
        company.partner_id.lang = "zh_CN"
        warehouse = self.env["stock.warehouse"].create({"name": "测试仓", "code": "TST", "company_id": company.id})
        self.assertEqual(warehouse.rma_quarantine_location_id.name, "退货隔离区")
        return_type = warehouse.rma_return_type_id
        self.assertEqual(return_type.with_context(lang="zh_CN").name, "客户退货")
        self.assertEqual(return_type.with_context(lang="en_US").name, "Customer Returns")
        self.assertEqual(warehouse.with_context(lang="zh_CN")._rma_rework_location().name, "退货返工品")
        for model in ("rma.request", "rma.inspection", "rma.carrier.incident"):
            self.assertEqual(self.env[model].with_context(lang="zh_CN").default_get(["name"])["name"], "新建", model)
