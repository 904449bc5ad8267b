import logging

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

_logger = logging.getLogger(__name__)

# The demo users of each role (README), and the menus outside the Returns app that are ours.
ROLE_LOGINS = ("sales", "sales2", "supervisor", "marketing", "gm", "gmoffice", "warehouse", "qc",
               "production", "finance")
OUR_MENUS_ELSEWHERE = ("menu_stock_rma_receipts", "menu_stock_rma_requests", "menu_stock_rma_scanner",
                       "menu_stock_rma_carrier_incident", "menu_sale_rma_request", "menu_account_rma_requests",
                       "menu_account_rma_cost_report", "menu_account_rma_return_rate")
VIEW_TYPES = ("list", "kanban", "form")


@tagged("post_install", "-at_install")
class TestRmaRoleScreens(TransactionCase):
    """Each demo role opens every menu it is shown (the Returns app and our entries in Inventory
    and Sales), reads the list and the form of a record in each state as the web client does, and
    presses every button that form shows it, each in a rolled-back savepoint, opening the screen it
    returns.
    Nothing may end in an AccessError (R-03): a refusal of the process (UserError) is fine."""

    def _menus_of(self, user):
        Menu = self.env["ir.ui.menu"].with_user(user)
        visible = Menu.browse(Menu._visible_menu_ids())
        root = self.env.ref("rma_factory.menu_rma_root")
        ours = self.env["ir.ui.menu"].browse([
            self.env.ref(f"rma_factory.{xmlid}").id for xmlid in OUR_MENUS_ELSEWHERE
        ])
        in_app = visible.filtered(lambda m: (m.parent_path or "").startswith(root.parent_path)) if root in visible \
            else Menu
        menus = in_app | (visible & ours)
        return menus.filtered(lambda m: m.action and m.action._name == "ir.actions.act_window")

    @staticmethod
    def _spec(arch_node, fields):
        """The read specification the web client sends for an arch (x2many: their own sub-view)."""
        spec = {}
        for node in arch_node.iter("field"):
            # Fields of a nested x2many view are read through their own field.
            if any(ancestor.tag == "field" for ancestor in node.iterancestors()):
                continue
            name = node.get("name")
            field = fields.get(name)
            if not field:
                continue
            sub = {}
            if field["type"] in ("one2many", "many2many"):
                sub_views = [child for child in node if child.tag in ("list", "kanban", "form")]
                if sub_views:
                    comodel_fields = field.get("_sub_fields", {})
                    sub = {"fields": TestRmaRoleScreens._spec(sub_views[0], comodel_fields)} if comodel_fields \
                        else {}
            elif field["type"] == "many2one":
                sub = {"fields": {"display_name": {}}}
            spec[name] = sub
        return spec

    def _views(self, model, action, user):
        Model = self.env[model].with_user(user).with_context(**self._action_context(action, user))
        views = [(view.id, view.view_mode) for view in action.view_ids] or []
        # As the web client: the action's own view for its type, then the default ones.
        if action.view_id and action.view_id.type not in {mode for _v, mode in views}:
            views.append((action.view_id.id, action.view_id.type))
        modes = [mode for mode in (action.view_mode or "").split(",") if mode in VIEW_TYPES]
        views += [(False, mode) for mode in modes if mode not in {m for _v, m in views}]
        result = Model.get_views([*views, (action.search_view_id.id, "search")])
        return Model, result

    def _action_context(self, action, user):
        context = safe_eval(action.context or "{}", {"uid": user.id, "active_id": False, "allowed_company_ids": []})
        return {key: value for key, value in context.items() if not key.startswith("search_default")}

    def _read_arch(self, Model, result, mode, domain, label):
        arch = etree.fromstring(result["views"][mode]["arch"])
        fields = result["models"][Model._name]["fields"]
        for field in fields.values():
            if field["type"] in ("one2many", "many2many") and field.get("relation") in result["models"]:
                field["_sub_fields"] = result["models"][field["relation"]]["fields"]
        spec = self._spec(arch, fields)
        if mode == "form":
            return arch, spec
        Model.web_search_read(domain, spec, limit=80)
        return arch, spec

    def _press_buttons(self, record, arch, spec, label):
        values = record.web_read({name: {} for name in spec})[0]
        values.update({key: value["id"] if isinstance(value, dict) and "id" in value else value
                       for key, value in values.items()})
        for button in arch.iter("button"):
            name, kind = button.get("name"), button.get("type")
            if not name or kind not in ("object", "action") or button.get("special"):
                continue
            if any(ancestor.tag == "field" for ancestor in button.iterancestors()):
                continue
            invisible = button.get("invisible")
            try:
                hidden = bool(invisible) and safe_eval(invisible, dict(values, context={}, uid=record.env.uid))
            except (NameError, KeyError, TypeError, ValueError):
                hidden = False  # an expression on a field the form did not read: press the button
            if hidden:
                continue
            refusal = None
            with self.env.cr.savepoint() as savepoint:
                try:
                    if kind == "object":
                        result = getattr(record, name)()
                    else:  # the arch comes with the action's id
                        # The web client loads actions as superuser (/web/action/load).
                        action = record.env["ir.actions.act_window"].sudo().browse(int(name))
                        result = {"type": action.type, "res_model": action.res_model, "view_mode": action.view_mode}
                    if isinstance(result, dict) and result.get("type") == "ir.actions.act_window":
                        self._open_result(record.env, result)
                except AccessError as error:
                    refusal = error
                except Exception as error:  # a refusal of the process is the button's own answer
                    _logger.info("%s: button %s refused: %s", label, name, error)
                savepoint.rollback()
            self.env.invalidate_all(flush=False)
            if refusal:
                self.fail(f"{label}: button {name} → AccessError: {refusal}")

    def _open_result(self, env, action):
        model = action["res_model"]
        Model = env[model].with_context(**(action.get("context") or {}))
        modes = [mode for _id, mode in action.get("views") or []] or (action.get("view_mode") or "form").split(",")
        modes = [mode for mode in modes if mode in VIEW_TYPES]
        result = Model.get_views([(False, mode) for mode in modes])
        for mode in modes:
            arch = etree.fromstring(result["views"][mode]["arch"])
            fields = result["models"][model]["fields"]
            spec = self._spec(arch, fields)
            if mode == "form":
                res_id = action.get("res_id")
                if res_id:
                    Model.browse(res_id).web_read(spec)
            else:
                Model.web_search_read(action.get("domain") or [], spec, limit=10)

    @staticmethod
    def _samples(records):
        """One record in each state (what a role meets at each step), or the first ones."""
        if "state" not in records._fields:
            return records[:3]
        by_state = {}
        for record in records:
            by_state.setdefault(record.state, record)
        return records.browse([record.id for record in by_state.values()])

    def test_every_role_opens_its_menus_forms_and_buttons(self):
        checked = 0
        for login in ROLE_LOGINS:
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertTrue(user, login)
            for menu in self._menus_of(user):
                action = menu.action.sudo()
                label = f"{login}: {menu.complete_name}"
                with self.subTest(label):
                    domain = safe_eval(action.domain or "[]", {"uid": user.id, "context": {}})
                    try:
                        Model, result = self._views(action.res_model, action, user)
                        for mode in [mode for mode in result["views"] if mode in ("list", "kanban")]:
                            self._read_arch(Model, result, mode, domain, label)
                        if "form" in result["views"]:
                            arch, spec = self._read_arch(Model, result, "form", domain, label)
                            for record in self._samples(Model.search(domain, limit=60)):
                                record.web_read(spec)
                                self._press_buttons(record, arch, spec, f"{label} [{record.display_name}]")
                    except AccessError as error:
                        self.fail(f"{label}: AccessError: {error}")
                    checked += 1
        self.assertGreater(checked, 30, "every role opened its menus")

    def test_each_role_sees_the_returns_where_it_works_and_no_empty_app(self):
        """Sales people find the returns under Sales; QC, production and the GM's office do not
        get a Sales app holding nothing but that entry (the GM's office sells, too)."""
        sales_root = self.env.ref("sale.sale_menu_root")
        sales_entry = self.env.ref("rma_factory.menu_sale_rma_request")
        for login in ("sales", "supervisor", "gm", "gmoffice"):
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertIn(sales_entry.id, self.env["ir.ui.menu"].with_user(user)._visible_menu_ids(), login)
        for login in ("qc", "production", "warehouse"):
            user = self.env["res.users"].search([("login", "=", login)])
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertNotIn(sales_root.id, visible, login)
            self.assertIn(self.env.ref("rma_factory.menu_rma_root").id if login != "warehouse"
                          else self.env.ref("rma_factory.menu_stock_rma_receipts").id, visible, login)

    def test_the_keepers_receipt_list_shows_and_finds_the_request(self):
        keeper = self.env.ref("rma_factory.user_warehouse_keeper")
        action = self.env.ref("rma_factory.stock_picking_action_rma_receipts")
        Model, result = self._views("stock.picking", action, keeper)
        columns = [node.get("name") for node in etree.fromstring(result["views"]["list"]["arch"]).iter("field")]
        self.assertEqual(columns[:3], ["name", "rma_request_id", "partner_id"])
        receipt = Model.search([("rma_request_id", "!=", False)], limit=1)
        self.assertTrue(receipt, "the demo data has return receipts")
        search_arch = etree.fromstring(result["views"]["search"]["arch"])
        self.assertTrue(search_arch.xpath("//field[@name='rma_request_id']"), "the keeper searches by request")
        found = Model.web_search_read([("rma_request_id", "ilike", receipt.rma_request_id.name)],
                                      {"name": {}, "rma_request_id": {"fields": {"display_name": {}}}})
        self.assertIn(receipt.id, [row["id"] for row in found["records"]])

    def test_the_activity_menu_opens_each_role_on_its_own_tasks(self):
        """The clock icon's groups open the model's list with the user's "My Activities" filter
        (Odoo's activity menu asks for it by name): each role sees the records it has a task on,
        not every request it may read."""
        activity_models = [name for name in self.env if name.startswith("rma.")
                           and "activity_ids" in self.env[name]._fields and not self.env[name]._abstract]
        self.assertGreaterEqual(len(activity_models), 6)
        with_tasks = 0
        for login in ROLE_LOGINS:
            user = self.env["res.users"].search([("login", "=", login)])
            for model_name in activity_models:
                Model = self.env[model_name].with_user(user)
                if not Model.has_access("read"):
                    continue
                arch = etree.fromstring(Model.get_views([(False, "search")])["views"]["search"]["arch"])
                filters = {node.get("name"): node.get("domain") for node in arch.iter("filter")}
                for name in ("filter_activities_my", "activities_overdue", "activities_today"):
                    self.assertIn(name, filters, f"{model_name}: {name}")
                # Mine AND (late OR today): Odoo combines the filters of one group with OR.
                my_filter = arch.xpath("//filter[@name='filter_activities_my']")[0]
                self.assertEqual(my_filter.getnext().tag, "separator", model_name)
                mine = Model.search(safe_eval(filters["filter_activities_my"], {"uid": user.id}))
                tasks = self.env["mail.activity"].search([("res_model", "=", model_name), ("user_id", "=", user.id)])
                self.assertEqual(set(mine.ids), set(tasks.mapped("res_id")) & set(Model.search([]).ids),
                                 f"{login}: {model_name}")
                with_tasks += bool(mine)
        self.assertGreater(with_tasks, 3, "the demo gives the roles tasks to follow")
