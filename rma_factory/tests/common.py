import json
from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import Form, TransactionCase, new_test_user
from odoo.tools import mute_logger

# What Odoo's access checks and our role checks say when a user may not do something.
ACCESS_REFUSED = r"not allowed|top-secret|not a member|is signed by|[Oo]nly "


class RefusalMixin:
    """One way to assert a refusal, for every test class."""

    @contextmanager
    def assertRefused(self, exception, pattern, *watched):
        """The call is refused with `exception`, whose message matches `pattern` (it says why),
        and nothing was written: Odoo's assertRaises rolls back to a savepoint as the user's
        transaction would, then the stored values of the `watched` records (read afresh from the
        database) must be what they were before, so that a change made outside the transaction
        (another cursor, a sequence) shows too."""
        before = self._fingerprint(watched)
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), pattern)
        self.assertEqual(self._fingerprint(watched), before, "the refused call changed nothing")

    def _fingerprint(self, watched):
        if not watched:
            return []
        self.env.invalidate_all()
        # The chatter is Odoo's business (tracking messages are posted at commit).
        chatter = {*self.env["mail.thread"]._fields, *self.env["mail.activity.mixin"]._fields}
        fingerprint = []
        for records in watched:
            records = records.sudo().with_context(active_test=False, prefetch_fields=False)
            names = [name for name, field in records._fields.items()
                     if field.store and field.type != "binary" and name not in chatter
                     and name not in ("write_date", "write_uid")]
            fingerprint.append(records.read(names))
        return fingerprint


class JsonRpcMixin:
    """For HttpCase tests: call the server over JSON-RPC as a user, as the web client does."""

    def _call(self, login, model, method, args, kwargs=None):
        """/web/dataset/call_kw as the logged-in user; returns (result, error message)."""
        self.authenticate(login, login)
        response = self.url_open("/web/dataset/call_kw", data=json.dumps({
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }), headers={"Content-Type": "application/json"})
        body = response.json()
        error = body.get("error")
        if error:
            self.assertNotIn(error["data"]["name"].split(".")[-1], ("KeyError", "TypeError"),
                             "a clear Odoo error, not a crash")
            return None, f'{error["data"]["name"]}: {error["data"]["message"]}'
        return body.get("result"), None  # Odoo leaves "result" out when a method returns None


class RmaCommon(RefusalMixin, TransactionCase):
    """A company with its own warehouse, a customer, products with warranty, and sale orders
    delivered for real (confirm → validate the delivery), plus one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.category = cls.env["product.category"].create({"name": "RMA pumps", "rma_warranty_months": 12})
        cls.product = cls._create_product("RMA Pump", 1000.0)
        cls.product_b = cls._create_product("RMA Seal", 50.0)
        cls.product_lot = cls._create_product("RMA Motor", 300.0, tracking="lot")
        cls.team_east = cls.env["crm.team"].create({"name": "RMA East", "company_id": cls.company.id})
        cls.team_west = cls.env["crm.team"].create({"name": "RMA West", "company_id": cls.company.id})
        cls.sales_rep = cls._user("rma_rep", "rma_factory.group_rma_user,sales_team.group_sale_salesman",
                                  cls.team_east)
        cls.sales_rep_west = cls._user("rma_rep_w", "rma_factory.group_rma_user,sales_team.group_sale_salesman",
                                       cls.team_west)
        all_sales = "sales_team.group_sale_salesman_all_leads"
        cls.supervisor = cls._user("rma_sup", f"rma_factory.group_rma_approver,{all_sales}")
        cls.marketing = cls._user("rma_mkt", f"rma_factory.group_rma_approver,{all_sales}")
        cls.gm = cls._user("rma_gm", f"rma_factory.group_rma_manager,{all_sales}")
        # The chain of the seeds, signed by these users (the demo binds it to the demo users).
        (cls.team_east | cls.team_west).user_id = cls.supervisor
        cls.env.ref("rma_factory.approval_step_supervisor").write({"signer_type": "team_leader"})
        cls.env.ref("rma_factory.approval_step_marketing").write({"signer_type": "user", "user_id": cls.marketing.id})
        for xmlid in ("approval_step_general_manager", "approval_step_gm_office"):
            cls.env.ref(f"rma_factory.{xmlid}").write({"signer_type": "user", "user_id": cls.gm.id})
        cls.customer = cls.env["res.partner"].create({
            "name": "RMA Customer Co", "is_company": True, "email": "buyer@rma-customer.example.com",
            "phone": "+86 21 1234 5678", "street": "1 Test Road", "city": "Shanghai",
        })
        cls.contact = cls.env["res.partner"].create({
            "name": "Buyer Wang", "parent_id": cls.customer.id, "type": "contact",
            "email": "wang@rma-customer.example.com",
        })
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer Co", "is_company": True})
        cls._stock(cls.product, 500)
        cls._stock(cls.product_b, 5000)
        cls._stock(cls.product_lot, 50, lot_name="LOT-A")

    # ------------------------------------------------------------------ builders

    @classmethod
    def _create_product(cls, name, price, tracking="none"):
        return cls.env["product.product"].create({
            "name": name, "type": "consu", "is_storable": True, "tracking": tracking,
            "categ_id": cls.category.id, "list_price": price, "standard_price": price / 2,
            "invoice_policy": "delivery",
        })

    @classmethod
    def _create_parts(cls, count, stock=100):
        """`count` storable parts of the pump category, each with `stock` units on hand."""
        parts = cls.env["product.product"].create([
            {"name": f"RMA part {i}", "type": "consu", "is_storable": True, "categ_id": cls.category.id,
             "list_price": 10.0 + i, "standard_price": 5.0}
            for i in range(count)
        ])
        for part in parts:
            cls.env["stock.quant"]._update_available_quantity(part, cls.stock_location, stock)
        return parts

    @classmethod
    def _user(cls, login, groups, team=None):
        user = new_test_user(cls.env, login=login, groups=f"base.group_user,{groups}", lang="en_US",
                             company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        if team:
            team.member_ids = [Command.link(user.id)]
        return user

    @classmethod
    def _stock(cls, product, qty, lot_name=None):
        lot = cls.env["stock.lot"]
        if lot_name:
            lot = lot.create({"name": lot_name, "product_id": product.id, "company_id": cls.company.id})
        cls.env["stock.quant"]._update_available_quantity(product, cls.stock_location, qty, lot_id=lot or None)
        return lot

    @classmethod
    def _deliver(cls, partner, lines, days_ago=10, team=None, user=None):
        """Confirm a sale order and validate its delivery in full; lines: [(product, qty), ...]."""
        order = cls.env["sale.order"].create({
            "partner_id": partner.id,
            "team_id": (team or cls.team_east).id,
            "user_id": (user or cls.sales_rep).id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": qty}) for product, qty in lines
            ],
        })
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        when = fields.Datetime.now() - timedelta(days=days_ago)
        picking.move_ids.write({"date": when})
        picking.date_done = when
        return order

    @classmethod
    def _warehouse_user(cls, login, group="stock.group_stock_user"):
        """An Inventory user with no Sales or Returns rights, as warehouse keepers are."""
        return new_test_user(
            cls.env, login=login, groups=f"base.group_user,{group}", lang="en_US",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _approved(cls, lines, **values):
        """A request from a fresh delivery, submitted and approved through the whole chain."""
        order = cls._deliver(cls.customer, lines)
        request = cls._request_from_order(order, **values)
        request.action_submit()
        cls._approve_all(request)
        cls._check_state(request, "approved")
        return order, request

    def _messages(self, record):
        """The record's chatter as its user sees it when their call returns: Odoo writes the
        tracking, and our actions' log with it, at commit (a test runs in one transaction)."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        record.invalidate_recordset(["message_ids"])
        return record.message_ids

    @staticmethod
    def _check_state(request, state):
        # A builder (also used in setUpClass, without a test instance) stops where the flow broke.
        if request.state != state:
            raise AssertionError(f"{request.name} is {request.state}, expected {state}")

    @classmethod
    def _request_from_order(cls, order, user=None, quantities=None, **values):
        """What a sales rep does: the sale order's Return Request button, then save the form."""
        env = cls.env(user=user or cls.sales_rep)
        action = order.with_env(env).action_create_rma_request()
        form = Form(env["rma.request"].with_context(**action["context"]))
        form.criterion_quality = True
        for name, value in values.items():
            setattr(form, name, value)
        if quantities:
            for index, qty in enumerate(quantities):
                with form.line_ids.edit(index) as line:
                    line.quantity = qty
        return form.save()

    @classmethod
    def _approve_all(cls, request):
        """Each pending step signed by the first role user allowed to sign it."""
        for approval in request.approval_line_ids.sorted("sequence"):
            signer = next(
                user for user in (cls.supervisor, cls.marketing, cls.gm)
                if user in approval._signers() and user not in request.approval_line_ids.user_id
            )
            request.with_user(signer)._action_approve_step("OK")


class RmaQualityCommon(RmaCommon):
    """Returns received into quarantine by a warehouse keeper, then inspected by QC: the starting
    point of receipt, quality, review, responsibility and disposition tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quarantine = cls.warehouse.rma_quarantine_location_id
        cls.keeper = cls._warehouse_user("rma_keeper")
        cls.inspector = cls._user("rma_qc", "rma_factory.group_rma_quality,stock.group_stock_user")
        cls.defect = cls.env.ref("rma_factory.defect_function")

    @classmethod
    def _receive(cls, picking, quantities=None, backorder=True, user=None):
        """What the warehouse keeper does: paperwork, quantities, Validate (and the backorder choice)."""
        picking = picking.with_user(user or cls.keeper)
        picking.write({"rma_doc_return_list": True, "rma_doc_waybill": True})
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.picked = True
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            wizard = Form(picking.env[result["res_model"]].with_context(**result["context"])).save()
            wizard.process() if backorder else wizard.process_cancel_backorder()
        return picking

    @classmethod
    def _received(cls, lines, **values):
        order, request = cls._approved(lines, **values)
        cls._receive(request.receipt_ids)
        cls._check_state(request, "received")
        return order, request

    @classmethod
    def _inspect(cls, inspection, failures=0, verdict="confirmed", scrap=None, photo=None):
        """What the QC inspector does in the inspection form: the required samples (the first
        `failures` of each line fail), the verdict and the scrap / usable split, then Complete."""
        inspection = inspection.with_user(cls.inspector)
        with Form(inspection) as form:
            for line in inspection.line_ids:
                lots = line.lot_ids
                for index in range(line.sample_required):
                    with form.sample_ids.new() as sample:
                        sample.inspection_line_id = line
                        if lots:
                            sample.lot_id = lots[index % len(lots)]
                        if index < failures:
                            sample.result = "fail"
                            sample.defect_type_id = cls.defect
                            sample.photo = photo or False
            for index, line in enumerate(inspection.line_ids):
                with form.line_ids.edit(index) as line_form:
                    line_form.quality_verdict = verdict
                    line_form.qty_scrap = (scrap or {}).get(line.product_id, 0.0)
                    line_form.qty_usable = line.qty_received - line_form.qty_scrap
        inspection.action_complete()
        return inspection

    @classmethod
    def _inspected(cls, lines, failures=0, verdict="confirmed", scrap=None, **values):
        order, request = cls._received(lines, **values)
        cls._inspect(request.inspection_ids, failures=failures, verdict=verdict, scrap=scrap)
        cls._check_state(request, "inspected")
        return order, request

    @classmethod
    def _sent_customer_report(cls, request, offer="replaced", cause="<p>Casting porosity in the pump body.</p>"):
        """What QA does: prepare the RMA report from the analysis, complete it, send it."""
        action = request.with_user(cls.inspector).action_prepare_customer_report()
        report = cls.env["rma.customer.report"].browse(action["res_id"]).with_user(cls.inspector)
        report.write({"cause_analysis": cause, "disposition_offer": offer})
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            report.action_send()
        return report.with_env(cls.env)

    @classmethod
    def _accepted_customer_report(cls, request):
        """The RMA report sent and accepted by the customer: what closing a request needs."""
        report = cls._sent_customer_report(request)
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            report._customer_answer(request.contact_id or request.partner_id, True)
        return report

    def _quarantine_qty(self, product, lot=None):
        return self.env["stock.quant"]._get_available_quantity(
            product, self.quarantine, lot_id=lot, strict=bool(lot), allow_negative=True,
        )
