"""The rights table and the action table kept next to the security files (security/roles.csv,
security/rights.csv, security/actions.csv) are what the product does: every cell is checked as a
real user of the role (#11)."""
import csv
import os
from pathlib import Path

from odoo import Command, fields
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import RmaQualityCommon

SECURITY_DIR = Path(__file__).resolve().parent.parent / "security"
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
REFUSALS = (UserError, AccessError, ValidationError, MissingError)


def read_table(name):
    with (SECURITY_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@tagged("post_install", "-at_install")
class TestRmaRightsTable(RmaQualityCommon):
    """security/rights.csv: role × model × read/write/create/unlink, as the access rights give it
    to a user holding exactly the role's groups (security/roles.csv), and to the demo users."""

    def test_every_cell_of_the_rights_table(self):
        roles = read_table("roles.csv")
        rights = read_table("rights.csv")
        self.assertEqual([row["role"] for row in roles], list(rights[0])[1:], "the same roles in both tables")
        ours = set(self.env["ir.model"].search([
            ("model", "=like", "rma.%"), ("transient", "=", False), ("abstract", "=", False),
            ("model", "not like", "rma.demo"),
        ]).mapped("model"))
        self.assertEqual({row["model"] for row in rights}, ours, "every model of ours is in the table")
        for role in roles:
            users = [new_test_user(self.env, login=f"table_{role['role']}",
                                   groups=",".join(["base.group_user", *role["groups"].split(";")]))]
            for login in role["demo_logins"].split(";"):
                demo = self.env["res.users"].search([("login", "=", login)])
                if demo and self.env.ref("rma_factory.user_sales_rep", raise_if_not_found=False):
                    users.append(demo)
            for user in users:
                for row in rights:
                    granted = row[role["role"]]
                    for letter, operation in OPERATIONS.items():
                        with self.subTest(role=role["role"], user=user.login, model=row["model"], op=operation):
                            self.assertEqual(
                                self.env[row["model"]].with_user(user).has_access(operation), letter in granted,
                            )


@tagged("post_install", "-at_install")
class TestRmaActionTable(RmaQualityCommon):
    """security/actions.csv: which role presses which button of a request in which step. For every
    action, role and step: the button's can_* boolean says so, and the method called over RPC
    agrees — refused (nothing changes) where the table says no, not refused for the role or the
    step where it says yes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls._user("rma_prod", "rma_factory.group_rma_user,stock.group_stock_user")
        cls.finance = cls._user("rma_fin", "account.group_account_invoice")
        cls.logistics_manager = cls._warehouse_user("rma_logistics", "stock.group_stock_manager")
        cls.role_users = {
            "sales_rep": cls.sales_rep, "other_team_rep": cls.sales_rep_west, "supervisor": cls.supervisor,
            "marketing": cls.marketing, "manager": cls.gm, "warehouse": cls.keeper,
            "logistics_manager": cls.logistics_manager, "quality": cls.inspector,
            "production": cls.production, "finance": cls.finance,
        }
        requests = cls._fixtures()
        cls.fixtures = {
            "rma.request": requests,
            "rma.inspection": {
                "draft": requests["received"].inspection_ids,
                "done": requests["inspected"].inspection_ids,
            },
            "rma.disposition": cls._disposition_fixtures(requests),
            **cls._review_fixtures(requests["inspected"]),
            "rma.carrier.incident": cls._incident_fixtures(),
        }

    # ------------------------------------------------------------------ one request per step

    @classmethod
    def _fixtures(cls):
        rep = cls.sales_rep
        fixtures = {}

        def new_request(**values):
            order = cls._deliver(cls.customer, [(cls.product, 2)])
            return cls._request_from_order(order, **values)

        fixtures["draft"] = new_request()
        fixtures["draft_ineligible"] = new_request(criterion_quality=False)
        fixtures["to_approve"] = new_request()
        fixtures["to_approve"].with_user(rep).action_submit()
        fixtures["rejected"] = new_request()
        fixtures["rejected"].with_user(rep).action_submit()
        fixtures["rejected"].with_user(cls.supervisor)._action_reject("Not ours")
        fixtures["cancel"] = new_request()
        fixtures["cancel"].with_user(rep).action_cancel()
        _order, fixtures["approved"] = cls._approved([(cls.product, 2)])
        _order, fixtures["approved_advance"] = cls._approved(
            [(cls.product, 2)], advance_replacement=True, deposit_amount=500.0,
        )
        _order, deposit = cls._approved([(cls.product, 2)], advance_replacement=True, deposit_amount=500.0)
        deposit.with_user(rep).action_request_deposit()
        fixtures["approved_deposit_requested"] = deposit
        _order, partial = cls._approved([(cls.product, 2)])
        cls._receive(partial.receipt_ids, {cls.product: 1}, backorder=True)
        fixtures["partially_received"] = partial
        _order, fixtures["received"] = cls._received([(cls.product, 2)])
        _order, fixtures["inspected"] = cls._inspected([(cls.product, 2)], scrap={cls.product: 2})
        _order, planned = cls._inspected([(cls.product, 2)], scrap={cls.product: 2})
        planned.with_user(cls.inspector).action_propose_dispositions()
        fixtures["inspected_planned"] = planned
        for step in ("processing", "verified", "gm_approved", "done"):
            fixtures[step] = cls._processing(until=step)
        for key, request in fixtures.items():  # the fixtures are what they claim to be
            expected = key.removesuffix("_deposit_requested").removesuffix("_advance") \
                .removesuffix("_ineligible").removesuffix("_planned")
            assert request.state == expected, (key, request.state)
        return {key: request.with_env(cls.env) for key, request in fixtures.items()}

    @classmethod
    def _processing(cls, until="processing"):
        """Inspected, its 2 units scrapped by QA: processing, nothing left open; then, `until`
        asks, verified by QA, approved by the GM, closed."""
        _order, request = cls._inspected([(cls.product, 2)], scrap={cls.product: 2})
        request = request.with_env(cls.env)
        disposition = cls.env["rma.disposition"].create({
            "request_id": request.id, "request_line_id": request.line_ids.id,
            "disposition_type": "scrap", "quantity": 2,
        })
        disposition.with_user(cls.inspector).action_start()
        steps = ("processing", "verified", "gm_approved", "done")
        if steps.index(until) >= 1:
            with Form(request.with_user(cls.inspector)) as form:
                form.qa_verification_note = "Scrap witnessed"
            request.with_user(cls.inspector).action_qa_verify()
        if steps.index(until) >= 2:
            with Form(request.with_user(cls.gm)) as form:
                form.responsibility_category_id = cls.env.ref("rma_factory.responsibility_product_quality")
            request.with_user(cls.gm).action_gm_approve()
        if steps.index(until) >= 3:
            cls._accepted_customer_report(request)
            request.with_user(cls.inspector).action_close()
        return request

    @classmethod
    def _disposition_fixtures(cls, requests):
        planned = requests["inspected_planned"].disposition_ids
        _order, request = cls._inspected([(cls.product, 2)], verdict="not_confirmed")
        request = request.with_env(cls.env)
        running = cls.env["rma.disposition"].create({
            "request_id": request.id, "request_line_id": request.line_ids.id,
            "disposition_type": "return_customer", "quantity": 2,
        })
        running.with_user(cls.inspector).action_start()
        cancelled = planned[1:] if len(planned) > 1 else cls.env["rma.disposition"]
        cancelled.with_user(cls.inspector).action_cancel()
        fixtures = {
            "draft": planned[:1], "confirmed": running,
            "done": requests["processing"].disposition_ids[:1], "cancel": cancelled,
        }
        return {step: record for step, record in fixtures.items() if record}

    @classmethod
    def _review_fixtures(cls, request):
        """A joint review of `request` in preparation and a concluded one, with a corrective
        action in each step, owned by the production lead."""
        Review = cls.env["rma.review"].with_user(cls.inspector)
        reviews = Review.create([
            {"request_id": request.id, "decision": "return", "cause_analysis": "<p>Seal worn</p>"}
            for _index in range(2)
        ])
        today = fields.Date.context_today(Review)
        capas = cls.env["rma.capa"].with_user(cls.inspector).create([
            {"review_id": reviews[1].id, "description": f"Action {index}", "owner_id": cls.production.id,
             "date_due": today, "result": "Done as agreed"}
            for index in range(4)
        ])
        reviews[1].action_conclude()
        capas[1:3].with_user(cls.production).action_mark_done()
        capas[2].action_verify()
        capas[3].action_cancel()
        return {
            "rma.review": {"draft": reviews[0].with_env(cls.env), "done": reviews[1].with_env(cls.env)},
            "rma.capa": dict(zip(("open", "done", "verified", "cancel"), capas.with_env(cls.env), strict=True)),
        }

    @classmethod
    def _incident_fixtures(cls):
        """A shortage reported on a delivery, in each step."""
        delivery = cls._deliver(cls.customer, [(cls.product_b, 10)]).picking_ids
        Incident = cls.env["rma.carrier.incident"].with_user(cls.keeper)
        now = fields.Datetime.now()
        incidents = Incident.create([{
            "incident_type": "shortage", "picking_id": delivery.id, "arrival_datetime": now,
            "carrier_name": "德邦物流",
            "line_ids": [Command.create({"product_id": cls.product_b.id, "delivered_qty": 10, "received_qty": 8})],
        } for _index in range(5)])
        incidents[1:].action_check()
        incidents[2:4].with_user(cls.logistics_manager).action_confirm()
        incidents[3].with_user(cls.logistics_manager).action_close()
        incidents[4].with_user(cls.logistics_manager).action_refuse()
        return dict(zip(("draft", "checked", "confirmed", "done", "refused"), incidents.with_env(cls.env), strict=True))

    # ------------------------------------------------------------------ the table against the product

    def _observed(self, flag, user, request):
        """Whether `user` is shown the button (False when they can't even read the request)."""
        try:
            return bool(request.with_user(user)[flag])
        except AccessError:
            return False

    def _allowed_cells(self, rows):
        return {(row["role"], step) for row in rows for step in row["steps"].split(";")}

    def test_every_cell_of_the_action_table(self):
        rows = read_table("actions.csv")
        by_action = {}
        for row in rows:
            by_action.setdefault((row["model"], row["action"], row["flag"]), []).append(row)
        if os.environ.get("RMA_DUMP_ACTION_TABLE"):
            self._dump_observed_table(by_action)
        self.assertEqual({model for model, _action, _flag in by_action}, set(self.fixtures),
                         "the table covers the request and each document with steps")
        for (model, action, flag), action_rows in by_action.items():
            allowed = self._allowed_cells(action_rows)
            for role, user in self.role_users.items():
                for step, record in self.fixtures[model].items():
                    expected = (role, step) in allowed
                    with self.subTest(model=model, action=action, role=role, step=step):
                        self.assertEqual(self._observed(flag, user, record), expected, "the button's boolean")
                        self._press(action, user, record, expected)

    def _press(self, action, user, record, expected):
        """Call the method as the web client's button does (JSON-RPC calls it the same way), in a
        savepoint that is rolled back."""
        before = (record.state, record.write_date)
        refusal = None
        with self.env.cr.savepoint() as savepoint:
            try:
                getattr(record.with_user(user), action)()
            except REFUSALS as error:
                refusal = error
            savepoint.rollback()
        self.env.invalidate_all(flush=False)
        if not expected:
            self.assertIsNotNone(refusal, "refused where the table says no")
            self.assertEqual((record.state, record.write_date), before, "nothing changed")
        elif refusal is not None:
            # Allowed: a data prerequisite may still answer (a missing note), never the role or step.
            self.assertNotIsInstance(refusal, AccessError)
            self.assertNotRegex(str(refusal), "not theirs to do")

    def _dump_observed_table(self, by_action):
        """RMA_DUMP_ACTION_TABLE=<file>: write the table as the product computes it, to review it."""
        lines = ["model,action,flag,role,steps"]
        for model, action, flag in by_action:
            for role, user in self.role_users.items():
                steps = [step for step, record in self.fixtures[model].items() if self._observed(flag, user, record)]
                if steps:
                    lines.append(f"{model},{action},{flag},{role},{';'.join(steps)}")
        Path(os.environ["RMA_DUMP_ACTION_TABLE"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
