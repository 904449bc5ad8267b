"""Bad calls over JSON-RPC, as each role (#11 item 8).

The web client hides buttons and makes fields read-only, but any user can post to
/web/dataset/call_kw. Each case below is a call a user of some role could send; every one of
them must be refused with a clear Odoo error (UserError, ValidationError, AccessError or
MissingError, never a crash such as KeyError or a psycopg2 error) and must leave the returns
tables exactly as they were.

The records are built once in setUpClass, one per state the cases need. Every case is refused,
so they can all run on the same records; the few legitimate calls are in their own test method
(each test method is rolled back).
"""
import json
import logging
from collections import namedtuple
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from .common import RmaQualityCommon

_logger = logging.getLogger(__name__)

# What a refused call may raise: the errors the web client shows as a message, not a traceback.
CLEAR_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
}
# The patterns the cases expect; the error is matched as "<ExceptionName>: <message>".
GUARDED = r"^UserError: .*can't be set directly"
NO_ACCESS = r"^AccessError: "
INVALID = r"^ValidationError: "
REFUSED = r"^(UserError|AccessError): "
# A guarded field of a model the user may not write at all: the rights may speak first.
GUARDED_OR_NO_ACCESS = rf"{GUARDED}|{NO_ACCESS}"
OUT_OF_BOUNDS = r"^ValidationError: .*outside the years"
TOO_LONG = r"^ValidationError: .*at most \d+ characters"
PRIVATE = r"^AccessError: .*[Pp]rivate methods"
# A search the record rules answer with nothing rather than with an error.
EMPTY = object()

# The process's own context mark is a private str subclass: a client sending the same string
# must not pass for the process.
FORGED = {"context": {"rma_process": "rma_factory"}}

Case = namedtuple("Case", "role model method args kwargs expect prepare")


def case(role, model, method, args, expect, kwargs=None, prepare=None):
    """One bad call: `role` (a user) calls `model.method(*args, **kwargs)`; the error must match
    `expect` (or, for EMPTY, the result must be empty). `prepare` runs first, outside RPC, for a
    case that needs a legitimate step of the same user before the bad call."""
    return Case(role, model, method, args, kwargs or {}, expect, prepare)


@tagged("post_install", "-at_install")
class TestRmaBadInputOverRpc(HttpCase, RmaQualityCommon):
    """Each role sends bad calls over JSON-RPC: each is refused clearly and changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logistics_manager = cls._warehouse_user("rma_logi", "stock.group_stock_manager")
        cls.today = fields.Date.context_today(cls.env["rma.request"])
        cls.future = fields.Date.to_string(cls.today + timedelta(days=30))
        cls.now = fields.Datetime.to_string(fields.Datetime.now())
        # Any invoice: the guarded invoice links must refuse a value they don't already have.
        cls.invoice = cls.env["account.move"].search([], limit=1) or cls.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": cls.customer.id,
        })

        # The east sales rep's own drafts (two, to move a line from one to the other).
        order = cls._deliver(cls.customer, [(cls.product, 2), (cls.product_b, 5)])
        cls.delivery = order.picking_ids
        cls.draft = cls._request_from_order(order).with_env(cls.env)
        cls.line = cls.draft.line_ids[0]
        cls.other_draft = cls._request_from_order(cls._deliver(cls.customer, [(cls.product_b, 1)])).with_env(cls.env)
        # Delivered 400 days ago: out of the 12-month warranty.
        cls.old_draft = cls._request_from_order(
            cls._deliver(cls.customer, [(cls.product_b, 1)], days_ago=400)).with_env(cls.env)
        # A delivery confirmed but not shipped yet: nothing of it can come back.
        pending = cls.env["sale.order"].create({
            "partner_id": cls.customer.id, "team_id": cls.team_east.id, "user_id": cls.sales_rep.id,
            "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 1})],
        })
        pending.action_confirm()
        cls.pending_move = pending.picking_ids.move_ids

        # Waiting for the supervisor's signature.
        cls.waiting = cls._request_from_order(cls._deliver(cls.customer, [(cls.product, 1)])).with_env(cls.env)
        cls.waiting.with_user(cls.sales_rep).action_submit()
        cls.pending_step = cls.waiting.approval_line_ids.sorted("sequence")[0]

        # Approved: signed steps, and a 3-unit return receipt whose paperwork the keeper ticked.
        _order, cls.approved = cls._approved([(cls.product, 3)])
        cls.signed_step = cls.approved.approval_line_ids.sorted("sequence")[0]
        cls.receipt = cls.approved.receipt_ids
        cls.receipt.with_user(cls.keeper).write({"rma_doc_return_list": True, "rma_doc_waybill": True})
        cls.receipt_move = cls.receipt.move_ids

        # Received: an inspection still open, with one sample, and a joint review in preparation.
        _order, cls.received = cls._received([(cls.product, 3)])
        cls.open_inspection = cls.received.inspection_ids
        cls.open_inspection_line = cls.open_inspection.line_ids
        cls.sample = cls.env["rma.inspection.sample"].with_user(cls.inspector).create({
            "inspection_line_id": cls.open_inspection_line.id,
        })
        cls.return_move = cls.received.receipt_ids.move_ids
        cls.review_draft = cls.env["rma.review"].with_user(cls.inspector).create({"request_id": cls.received.id})

        # Inspected, then in processing: a running rework, a planned scrap the sales rep executes,
        # a concluded joint review with an action owned by the rep, an assessment of the rep.
        _order, cls.inspected = cls._inspected([(cls.product, 4)], failures=1)
        cls.done_inspection = cls.inspected.inspection_ids
        cls.done_sample = cls.done_inspection.sample_ids[0]
        Disposition = cls.env["rma.disposition"].with_user(cls.inspector)
        inspected_line = cls.inspected.line_ids
        cls.running = Disposition.create({
            "request_id": cls.inspected.id, "request_line_id": inspected_line.id,
            "disposition_type": "rework", "quantity": 1,
        })
        cls.running.action_start()
        cls.planned = Disposition.create({
            "request_id": cls.inspected.id, "request_line_id": inspected_line.id,
            "disposition_type": "scrap", "quantity": 1, "executor_id": cls.sales_rep.id,
        })
        cls.review = cls.env["rma.review"].browse(
            cls.inspected.with_user(cls.inspector).action_organise_review()["res_id"]).with_user(cls.inspector)
        cls.review.write({"decision": "return", "cause_analysis": "<p>Bearing worn out.</p>"})
        cls.capa = cls.env["rma.capa"].with_user(cls.inspector).create({
            "review_id": cls.review.id, "description": "Check the bearing supplier",
            "owner_id": cls.sales_rep.id, "date_due": cls.today + timedelta(days=10),
        })
        cls.review.action_conclude()
        cls.assessment = cls.env["rma.assessment"].with_user(cls.inspector).create({
            "request_id": cls.inspected.id, "user_id": cls.sales_rep.id, "reason": "Late report",
        })

        # Incidents on the draft's delivery: one just reported, one checked by the warehouse.
        Incident = cls.env["rma.carrier.incident"].with_user(cls.keeper)
        cls.incident = Incident.create({"incident_type": "damage", "picking_id": cls.delivery.id})
        cls.checked_incident = Incident.create({
            "incident_type": "shortage", "picking_id": cls.delivery.id,
            "line_ids": [Command.create({"product_id": cls.product.id, "delivered_qty": 2, "received_qty": 1})],
        })
        cls.checked_incident.action_check()
        for record, state in ((cls.draft, "draft"), (cls.waiting, "to_approve"), (cls.approved, "approved"),
                              (cls.received, "received"), (cls.inspected, "processing")):
            cls._check_state(record, state)
        cls._watched_columns = {}

    # ------------------------------------------------------------------ harness

    def setUp(self):
        super().setUp()
        self._logged_in = None

    def _call(self, user, model, method, args, kwargs=None):
        """/web/dataset/call_kw as `user`; returns (result, error) where error is the JSON
        error's data (name, message) or None. Logs in only when the user changes."""
        if self._logged_in != user.login:
            self.authenticate(user.login, user.login)
            self._logged_in = user.login
        response = self.url_open("/web/dataset/call_kw", data=json.dumps({
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }), headers={"Content-Type": "application/json"})
        body = response.json()
        error = body.get("error")
        return (None, error["data"]) if error else (body["result"], None)

    def _watched_tables(self):
        """Every table of the returns module, the stock documents it links to and the sequences
        that number its forms (a refused create must not consume a number)."""
        cr = self.env.cr
        cr.execute("""
            SELECT table_name FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
               AND (table_name LIKE 'rma\\_%%' OR table_name IN (
                    'stock_picking', 'stock_move', 'stock_move_line', 'stock_quant', 'stock_scrap',
                    'repair_order', 'ir_sequence', 'ir_sequence_date_range'))
             ORDER BY table_name
        """)
        return [name for (name,) in cr.fetchall()]

    def _columns(self, table):
        # write_date/write_uid and the chatter's attachment are Odoo's business, not the data.
        if table not in self._watched_columns:
            self.env.cr.execute("""
                SELECT column_name FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = %s
                   AND column_name NOT IN ('write_date', 'write_uid', 'message_main_attachment_id')
                 ORDER BY ordinal_position
            """, [table])
            self._watched_columns[table] = [name for (name,) in self.env.cr.fetchall()]
        return self._watched_columns[table]

    def _tables_fingerprint(self):
        """The rows of the watched tables, read with SQL after the cache is flushed and dropped:
        what the database holds, whatever the ORM caches."""
        self.env.flush_all()
        self.env.invalidate_all()
        fingerprint = {}
        for table in self._watched_tables():
            columns = self._columns(table)
            order = ["id"] if "id" in columns else columns
            self.env.cr.execute(SQL(
                "SELECT %s FROM %s ORDER BY %s",
                SQL(", ").join(SQL.identifier(column) for column in columns),
                SQL.identifier(table),
                SQL(", ").join(SQL.identifier(column) for column in order),
            ))
            # repr: rows hold JSON values (translations), which are not hashable.
            fingerprint[table] = [repr(row) for row in self.env.cr.fetchall()]
        return fingerprint

    def _changes(self, before, after):
        """A readable summary of what differs: per table, the rows added or changed."""
        changes = {}
        for table, rows in after.items():
            old = set(before.get(table, ()))
            new = set(rows)
            if old != new:
                changes[table] = {"removed": sorted(old - new, key=repr)[:3], "added": sorted(new - old, key=repr)[:3]}
        return changes

    def _assert_refused(self, cases):
        """Run the cases, grouped by user (one login each), each in its own subTest."""
        self.assertTrue(cases)
        before = self._tables_fingerprint()
        for bad in sorted(cases, key=lambda c: c.role.login):
            label = f"{bad.role.login}: {bad.model}.{bad.method}{tuple(bad.args)} {bad.kwargs or ''}"
            with self.subTest(label):
                if bad.prepare:
                    bad.prepare()
                    before = self._tables_fingerprint()
                result, error = self._call(bad.role, bad.model, bad.method, bad.args, bad.kwargs)
                # Compared before asserting anything, and the next case compares with what is
                # there now: one case that slips through does not fail all the following ones.
                after = self._tables_fingerprint()
                before, changes = after, self._changes(before, after)
                if bad.expect is EMPTY:
                    self.assertIsNone(error, "a search the rules answer with nothing")
                    self.assertFalse(result, "nothing of a request the user can't see")
                else:
                    self.assertIsNotNone(error, f"the call must be refused, it returned {result!r}")
                    self.assertIn(error["name"], CLEAR_ERRORS,
                                  f"a clear Odoo error, not a crash: {error['name']}: {error['message']}")
                    self.assertRegex(f"{error['name'].rsplit('.', 1)[-1]}: {error['message']}", bad.expect)
                self.assertFalse(changes, "a refused call changes nothing")
        _logger.info("%s: %s bad calls refused", self._testMethodName, len(cases))
        return len(cases)

    # ------------------------------------------------------------------ families

    def test_guarded_request_fields(self):
        """Fields only the process writes, on create and write, by the rep and by the managers."""
        rep, gm = self.sales_rep, self.gm
        own = [self.draft.id]
        write_own = {
            "state": "approved", "outcome": "discount", "discount_amount": 500.0,
            "discount_invoice_id": self.invoice.id, "settlement_note": "agreed on the phone",
            "eligibility_override": True, "eligibility_override_reason": "I say so",
            "eligibility_override_uid": self.gm.id, "deposit_state": "received",
            "deposit_override_reason": "trusted customer", "deposit_override_user_id": self.gm.id,
            "qa_verified_by_id": self.inspector.id, "qa_verified_date": self.now,
            "gm_approved_by_id": self.gm.id, "gm_approved_date": self.now,
            "closed_by_id": self.gm.id, "closed_date": self.now, "name": "RMA-MINE",
            "submitted_date": self.now, "approved_date": self.now, "rejection_reason": "none",
            "difference_confirmed": True, "difference_note": "fine", "verification_deadline": self.future,
            "return_deadline": self.future, "verification_date": fields.Date.to_string(self.today),
            "verification_result": "confirmed",
        }
        cases = [case(rep, "rma.request", "write", [own, {name: value}], GUARDED)
                 for name, value in write_own.items()]
        cases += [
            # The example: the whole settlement in one write.
            case(rep, "rma.request", "write",
                 [own, {"state": "done", "outcome": "discount", "discount_amount": 100.0}], GUARDED),
            # The process's mark can't be forged from the client's context.
            case(rep, "rma.request", "write", [own, {"state": "approved"}], GUARDED, FORGED),
            case(rep, "rma.request", "write", [[self.waiting.id], {"state": "approved"}], GUARDED),
            # Managers are refused too: the fields are the process's, not a role's.
            case(gm, "rma.request", "write", [[self.approved.id], {"state": "done"}], GUARDED),
            case(gm, "rma.request", "write", [[self.approved.id], {"outcome": "withdrawn"}], GUARDED),
            case(gm, "rma.request", "write", [[self.inspected.id], {"gm_approved_by_id": gm.id}], GUARDED),
            case(gm, "rma.request", "write", [[self.inspected.id], {"qa_verified_by_id": gm.id}], GUARDED, FORGED),
            case(self.supervisor, "rma.request", "write",
                 [[self.approved.id], {"deposit_state": "offset"}], GUARDED),
            case(self.inspector, "rma.request", "write",
                 [[self.inspected.id], {"qa_verified_date": self.now}], GUARDED),
            # On create: a new request may not start approved, overridden or settled.
            case(rep, "rma.request", "create", [{"partner_id": self.customer.id, "state": "approved"}], GUARDED),
            case(rep, "rma.request", "create",
                 [{"partner_id": self.customer.id, "eligibility_override": True}], GUARDED),
            case(rep, "rma.request", "create",
                 [{"partner_id": self.customer.id, "deposit_state": "received"}], GUARDED),
            case(rep, "rma.request", "create",
                 [{"partner_id": self.customer.id, "outcome": "discount", "discount_amount": 10.0}], GUARDED),
            case(rep, "rma.request", "create",
                 [{"partner_id": self.customer.id, "submitted_date": self.now}], GUARDED),
            case(gm, "rma.request", "create",
                 [{"partner_id": self.customer.id, "gm_approved_by_id": gm.id}], GUARDED),
            # A line can't move to another request, directly or through the request's lines.
            case(rep, "rma.request.line", "write", [self.line.ids, {"request_id": self.other_draft.id}], GUARDED),
            case(rep, "rma.request", "write",
                 [own, {"line_ids": [Command.update(self.line.id, {"request_id": self.other_draft.id})]}], GUARDED),
        ]
        self._assert_refused(cases)

    def test_approval_lines_are_append_only(self):
        """Signatures are created and signed by the approval itself, never edited or deleted."""
        gm, qc, sup = self.gm, self.inspector, self.supervisor
        signed, pending = [self.signed_step.id], [self.pending_step.id]
        refused_step_change = GUARDED_OR_NO_ACCESS
        cases = [
            case(gm, "rma.approval.line", "write", [signed, {"user_id": gm.id}], refused_step_change),
            case(gm, "rma.approval.line", "write", [signed, {"date": "2020-01-01 08:00:00"}], refused_step_change),
            case(gm, "rma.approval.line", "write", [signed, {"opinion": "rewritten"}], refused_step_change),
            case(gm, "rma.approval.line", "write", [signed, {"state": "rejected"}], refused_step_change),
            case(gm, "rma.approval.line", "write", [signed, {"active": False}], refused_step_change),
            case(gm, "rma.approval.line", "write", [signed, {"user_id": gm.id}], refused_step_change, FORGED),
            case(gm, "rma.approval.line", "unlink", [signed], r"can't be deleted|^AccessError: "),
            case(gm, "rma.approval.line", "create", [{
                "request_id": self.approved.id, "step_id": self.signed_step.step_id.id, "sequence": 99,
                "state": "approved", "user_id": gm.id,
            }], refused_step_change),
            case(sup, "rma.approval.line", "write", [pending, {"state": "approved", "user_id": sup.id}],
                 refused_step_change),
            case(sup, "rma.approval.line", "write", [pending, {"signer_id": sup.id}], refused_step_change),
            # QC signs nothing: not by writing the step, not through the buttons or the wizard.
            case(qc, "rma.approval.line", "write", [pending, {"state": "approved", "user_id": qc.id}],
                 refused_step_change),
            case(qc, "rma.request", "action_approve", [self.waiting.ids], REFUSED),
            case(qc, "rma.request", "action_reject", [self.waiting.ids], REFUSED),
            case(qc, "rma.approval.wizard", "create", [{
                "request_id": self.waiting.id, "decision": "approve", "opinion": "ok",
                "approval_id": self.pending_step.id,
            }], NO_ACCESS),
            case(self.sales_rep, "rma.approval.line", "write", [pending, {"state": "approved"}],
                 refused_step_change),
            # Through the request's one2many: update, delete, add.
            case(self.sales_rep, "rma.request", "write", [self.waiting.ids, {
                "approval_line_ids": [Command.update(self.pending_step.id, {"state": "approved"})]}], REFUSED),
            case(gm, "rma.request", "write", [self.approved.ids, {
                "approval_line_ids": [Command.delete(self.signed_step.id)]}], REFUSED),
            case(gm, "rma.request", "write", [self.approved.ids, {
                "approval_line_ids": [Command.unlink(self.signed_step.id)]}], REFUSED),
            case(gm, "rma.request", "write", [self.approved.ids, {"approval_line_ids": [Command.create({
                "step_id": self.signed_step.step_id.id, "sequence": 99, "state": "approved"})]}], REFUSED),
            case(gm, "rma.request", "unlink", [self.approved.ids], REFUSED),
        ]
        self._assert_refused(cases)

    def test_groups_and_rights(self):
        """What a role may not do at all: the access rights and the role checks refuse it."""
        rep, keeper, qc = self.sales_rep, self.keeper, self.inspector
        line = self.inspected.line_ids
        cases = [
            case(rep, "rma.inspection", "create", [{"inspector_id": rep.id}], NO_ACCESS),
            case(rep, "rma.inspection", "unlink", [self.open_inspection.ids], NO_ACCESS),
            case(rep, "rma.inspection", "action_complete", [self.open_inspection.ids], NO_ACCESS),
            case(rep, "rma.disposition", "create", [{
                "request_id": self.inspected.id, "request_line_id": line.id, "disposition_type": "scrap",
                "quantity": 1}], NO_ACCESS),
            case(rep, "rma.disposition", "action_start", [self.planned.ids], REFUSED),
            case(rep, "rma.review", "create", [{"request_id": self.received.id}], NO_ACCESS),
            case(rep, "rma.review", "action_conclude", [self.review_draft.ids], NO_ACCESS),
            case(rep, "rma.assessment", "create", [{
                "request_id": self.inspected.id, "user_id": rep.id, "reason": "self-assessed"}], NO_ACCESS),
            case(rep, "rma.eligibility.override.wizard", "create", [{"request_id": self.old_draft.id}], NO_ACCESS),
            case(rep, "rma.approval.reassign.wizard", "create", [{
                "request_id": self.waiting.id, "user_id": rep.id, "reason": "me"}], NO_ACCESS),
            case(rep, "rma.request", "action_settle_by_discount", [self.draft.ids], NO_ACCESS),
            case(rep, "rma.request", "action_record_withdrawal", [self.draft.ids], NO_ACCESS),
            case(rep, "rma.request", "action_approve", [self.waiting.ids], NO_ACCESS),
            # The warehouse receives the goods, not the sales rep.
            case(rep, "stock.picking", "button_validate", [self.receipt.ids], REFUSED),
            case(rep, "rma.capa", "action_verify", [self.capa.ids], REFUSED),
            case(keeper, "rma.request", "write", [self.approved.ids, {"remarks": "keeper was here"}], NO_ACCESS),
            case(keeper, "rma.request", "create", [{"partner_id": self.customer.id}], NO_ACCESS),
            case(keeper, "rma.review", "read", [self.review.ids, ["state"]], NO_ACCESS),
            case(keeper, "rma.inspection", "action_complete", [self.open_inspection.ids], NO_ACCESS),
            case(keeper, "rma.disposition", "write", [self.planned.ids, {"quantity": 2}], NO_ACCESS),
            case(keeper, "rma.disposition", "action_oqc_pass", [self.running.ids], REFUSED),
            case(qc, "rma.request", "action_settle_by_discount", [self.waiting.ids], NO_ACCESS),
            # Private methods are not reachable over RPC at all.
            case(rep, "rma.request", "_transition", [self.draft.ids, "approve"], PRIVATE),
            case(rep, "rma.request", "_rma_process", [self.draft.ids], PRIVATE),
            case(self.supervisor, "rma.request", "_settle_by_discount", [self.waiting.ids, 1.0, "x"], PRIVATE),
            case(self.gm, "rma.request", "_override_eligibility", [self.old_draft.ids, "because"], PRIVATE),
            case(keeper, "rma.request", "_confirm_receipt_difference", [self.approved.ids, "ok"], PRIVATE),
            case(keeper, "stock.picking", "_action_done", [self.receipt.ids], PRIVATE),
        ]
        self._assert_refused(cases)

    def test_record_rules_hide_other_teams_documents(self):
        """A rep of another team reads nothing of a request they can't see, asked by id."""
        west = self.sales_rep_west
        documents = {
            "rma.request": self.inspected,
            "rma.request.line": self.inspected.line_ids,
            "rma.approval.line": self.inspected.approval_line_ids,
            "rma.inspection": self.done_inspection,
            "rma.inspection.line": self.done_inspection.line_ids,
            "rma.inspection.sample": self.done_inspection.sample_ids,
            "rma.review": self.review,
            "rma.capa": self.capa,
            "rma.assessment": self.assessment,
            "rma.disposition": self.running | self.planned,
        }
        cases = []
        for model, records in documents.items():
            self.assertTrue(records, model)
            cases.append(case(west, model, "read", [records.ids, ["display_name"]], NO_ACCESS))
            cases.append(case(west, model, "search_read", [], EMPTY, {
                "domain": [("id", "in", records.ids)], "fields": ["display_name"]}))
        cases += [
            case(west, "rma.request", "write", [self.draft.ids, {"remarks": "not mine"}], NO_ACCESS),
            case(west, "rma.disposition", "write", [self.planned.ids, {"execution_result": "done"}], NO_ACCESS),
            case(west, "rma.request", "action_submit", [self.draft.ids], NO_ACCESS),
        ]
        self._assert_refused(cases)

    def test_input_validation(self):
        """Dates, amounts, sizes and deliveries a client can't make up."""
        rep = self.sales_rep
        own, line = [self.draft.id], self.line.ids

        def write(ids, values, expect=INVALID, model="rma.request"):
            return case(rep, model, "write", [ids, values], expect)

        cases = [
            write(own, {"freight_budget": -1000.0}),
            write(own, {"deposit_amount": -1.0}),
            write(own, {"request_date": self.future}),
            write(own, {"request_date": "9999-01-01"}, OUT_OF_BOUNDS),
            write(own, {"request_date": "1900-01-01"}, OUT_OF_BOUNDS),
            write(own, {"expected_arrival_date": "9999-12-31"}, OUT_OF_BOUNDS),
            write(own, {"replenish_date": "2200-06-01"}, OUT_OF_BOUNDS),
            write(own, {"request_date": "not a date"}, INVALID),
            write(own, {"client_reference": "R" * 61}, TOO_LONG),
            write(own, {"contact_phone": "1" * 41}, TOO_LONG),
            write(own, {"customer_wish_other": "w" * 61}, TOO_LONG),
            write(own, {"expected_arrival_place": "p" * 101}, TOO_LONG),
            write(line, {"price_unit": -1.0}, model="rma.request.line"),
            write(line, {"quantity": 0}, model="rma.request.line"),
            write(line, {"quantity": -5}, model="rma.request.line"),
            write(line, {"production_date": "9999-12-01"}, OUT_OF_BOUNDS, model="rma.request.line"),
            write(line, {"production_date": self.future}, model="rma.request.line"),
            write(line, {"specification": "s" * 101}, TOO_LONG, model="rma.request.line"),
            # Only goods we shipped come back: not a receipt, not a delivery still in the warehouse.
            write(line, {"origin_move_id": self.return_move.id}, model="rma.request.line"),
            write(line, {"origin_move_id": self.pending_move.id}, model="rma.request.line"),
            write(own, {"line_ids": [Command.update(self.line.id, {"price_unit": -1.0})]}),
            case(rep, "rma.request.line", "create", [{
                "request_id": self.draft.id, "origin_move_id": self.pending_move.id, "quantity": 1}], INVALID),
            case(rep, "rma.request.line", "create", [{
                "request_id": self.draft.id, "product_id": self.product_b.id, "quantity": 0}], INVALID),
            case(rep, "rma.request.line", "create", [{
                "request_id": self.draft.id, "product_id": self.product_b.id, "price_unit": -3.0}], INVALID),
            # Approved lines are part of what was signed.
            case(rep, "rma.request.line", "write", [self.approved.line_ids.ids, {"quantity": 1}], REFUSED),
            case(rep, "rma.request.line", "create", [{
                "request_id": self.approved.id, "product_id": self.product_b.id, "quantity": 1}], REFUSED),
            # The other documents' amounts and sizes.
            case(self.keeper, "rma.carrier.incident", "write", [self.incident.ids, {"claim_amount": -1.0}], INVALID),
            case(self.keeper, "rma.carrier.incident", "write", [self.incident.ids, {"waybill": "9" * 41}], TOO_LONG),
            case(self.inspector, "rma.review", "write", [self.review_draft.ids, {"cost_estimate": -5.0}], INVALID),
            case(rep, "rma.disposition", "write", [self.planned.ids, {"execution_cost": -10.0}], INVALID),
            case(rep, "rma.disposition", "write", [self.planned.ids, {"executing_department": "d" * 61}], TOO_LONG),
        ]
        self._assert_refused(cases)

    def test_documents_guarded_fields(self):
        """Inspections, samples, dispositions, reviews, actions, assessments, incidents, stock
        documents: what their process writes, no client writes."""
        qc, rep, keeper = self.inspector, self.sales_rep, self.keeper
        inspection, inspection_line = self.open_inspection.ids, self.open_inspection_line.ids
        lot = self.env["stock.lot"].search([("name", "=", "LOT-A")], limit=1)
        cases = [
            # The example: QC changes what was received, and so the sample size.
            case(qc, "rma.inspection.line", "write", [inspection_line, {"qty_received": 1}], GUARDED),
            case(qc, "rma.inspection.line", "write", [inspection_line, {"lot_ids": [Command.set(lot.ids)]}],
                 GUARDED),
            case(qc, "rma.inspection.line", "write",
                 [inspection_line, {"inspection_id": self.done_inspection.id}], GUARDED),
            case(qc, "rma.inspection.line", "write",
                 [inspection_line, {"request_line_id": self.inspected.line_ids.id}], GUARDED),
            case(qc, "rma.inspection.line", "create", [{
                "inspection_id": self.open_inspection.id, "request_line_id": self.received.line_ids.id,
                "qty_received": 100}], GUARDED),
            case(qc, "rma.inspection.line", "write", [self.done_inspection.line_ids.ids, {"qty_received": 1}],
                 r"^UserError: "),
            case(qc, "rma.inspection", "write", [inspection, {"state": "done"}], GUARDED),
            case(qc, "rma.inspection", "write", [inspection, {"date_done": self.now}], GUARDED),
            case(qc, "rma.inspection", "write", [inspection, {"sample_percent": 1.0}], GUARDED),
            case(qc, "rma.inspection", "write", [inspection, {"picking_id": self.receipt.id}], GUARDED),
            case(qc, "rma.inspection", "write", [inspection, {"request_id": self.approved.id}], GUARDED),
            case(qc, "rma.inspection", "create", [{"request_id": self.approved.id}], GUARDED),
            case(qc, "rma.inspection.sample", "write",
                 [self.sample.ids, {"inspection_line_id": self.done_inspection.line_ids.id}], GUARDED),
            case(qc, "rma.inspection.sample", "write",
                 [self.sample.ids, {"inspection_id": self.done_inspection.id}], GUARDED),
            case(qc, "rma.inspection.sample", "write", [self.done_sample.ids, {"result": "fail"}], r"^UserError: "),
            # Dispositions: the state and the documents are the start / done / cancel buttons'.
            case(qc, "rma.disposition", "write", [self.planned.ids, {"state": "done"}], GUARDED),
            case(qc, "rma.disposition", "write", [self.running.ids, {"repair_id": False}], GUARDED),
            case(qc, "rma.disposition", "write", [self.planned.ids, {"picking_id": self.receipt.id}], GUARDED),
            case(qc, "rma.disposition", "write", [self.planned.ids, {"oqc_state": "passed"}], GUARDED),
            case(qc, "rma.disposition", "write", [self.planned.ids, {"oqc_user_id": qc.id}], GUARDED),
            case(qc, "rma.disposition", "write", [self.planned.ids, {"refund_invoice_id": self.invoice.id}],
                 GUARDED),
            case(qc, "rma.disposition", "write", [self.planned.ids, {"credit_note_id": self.invoice.id}], GUARDED),
            case(qc, "rma.disposition", "write", [self.planned.ids, {"request_id": self.received.id}], GUARDED),
            case(qc, "rma.disposition", "write",
                 [self.planned.ids, {"request_line_id": self.received.line_ids.id}], GUARDED),
            case(qc, "rma.disposition", "create", [{
                "request_id": self.inspected.id, "request_line_id": self.inspected.line_ids.id,
                "disposition_type": "scrap", "quantity": 1, "state": "done"}], GUARDED),
            # The executor writes the result of their own disposition, nothing else.
            case(rep, "rma.disposition", "write", [self.planned.ids, {"state": "done"}], REFUSED),
            case(rep, "rma.disposition", "write", [self.planned.ids, {"quantity": 2}], NO_ACCESS),
            case(rep, "rma.disposition", "write", [self.running.ids, {"execution_result": "done by me"}],
                 NO_ACCESS),
            # Reviews, their actions, assessments.
            case(qc, "rma.review", "write", [self.review.ids, {"state": "draft"}], GUARDED),
            case(qc, "rma.review", "write", [self.review.ids, {"request_id": self.received.id}], GUARDED),
            case(qc, "rma.review", "create", [{"request_id": self.received.id, "state": "done"}], GUARDED),
            # The signatures the paper forms print (#13) and the customer's disagreement (#14).
            case(qc, "rma.review", "write", [self.review.ids, {"concluded_by_id": rep.id}], GUARDED),
            case(qc, "rma.review", "write", [self.review.ids, {"concluded_date": self.now}], GUARDED),
            case(qc, "rma.review", "write", [self.review_draft.ids, {"customer_comment": "I say so"}], GUARDED),
            case(qc, "rma.disposition", "write", [self.planned.ids, {"execution_recorded_by_id": rep.id}], GUARDED),
            case(qc, "rma.disposition", "write", [self.planned.ids, {"execution_recorded_date": self.now}], GUARDED),
            case(keeper, "stock.picking", "write", [self.receipt.ids, {"rma_received_by_id": rep.id}], GUARDED),
            case(self.gm, "rma.monthly.statistics", "create", [{"year": 2026, "month": "3",
                                                                 "generated_by_id": rep.id}], GUARDED),
            case(self.gm, "rma.monthly.statistics", "create", [{"year": 2026, "month": "4",
                                                                 "generated_date": self.now}], GUARDED),
            case(rep, "rma.review", "write", [self.review.ids, {"technical_analysis": "<p>late</p>"}], REFUSED),
            case(rep, "rma.review", "write", [self.review_draft.ids, {"decision": "claim"}], NO_ACCESS),
            case(qc, "rma.capa", "write", [self.capa.ids, {"state": "verified"}], GUARDED),
            case(qc, "rma.capa", "write", [self.capa.ids, {"verified_by_id": qc.id}], GUARDED),
            case(qc, "rma.capa", "write", [self.capa.ids, {"verified_date": fields.Date.to_string(self.today)}],
                 GUARDED),
            case(qc, "rma.capa", "write", [self.capa.ids, {"review_id": self.review_draft.id}], GUARDED),
            case(rep, "rma.capa", "write", [self.capa.ids, {"state": "done"}], REFUSED),
            case(qc, "rma.assessment", "write", [self.assessment.ids, {"opinion_date": self.now}], GUARDED),
            case(qc, "rma.assessment", "write", [self.assessment.ids, {"request_id": self.received.id}], GUARDED),
            case(qc, "rma.assessment", "write", [self.assessment.ids, {"opinion": "I speak for them"}], NO_ACCESS),
            case(rep, "rma.assessment", "write", [self.assessment.ids, {"points": 0}], NO_ACCESS),
            case(rep, "rma.assessment", "write", [self.assessment.ids, {"opinion_date": self.now}], REFUSED),
            # Incidents: the steps and their signatures.
            case(keeper, "rma.carrier.incident", "write", [self.incident.ids, {"state": "done"}], GUARDED),
            case(keeper, "rma.carrier.incident", "write", [self.incident.ids, {"name": "RIX-MINE"}], GUARDED),
            case(keeper, "rma.carrier.incident", "write", [self.incident.ids, {"checked_uid": keeper.id}], GUARDED),
            case(keeper, "rma.carrier.incident", "write", [self.incident.ids, {"signed_uid": keeper.id}], GUARDED),
            case(keeper, "rma.carrier.incident", "write", [self.incident.ids, {"signed_date": self.now}], GUARDED),
            case(keeper, "rma.carrier.incident", "write",
                 [self.incident.ids, {"replenishment_picking_id": self.receipt.id}], GUARDED),
            case(keeper, "rma.carrier.incident", "create", [{
                "incident_type": "damage", "picking_id": self.delivery.id, "state": "confirmed"}], GUARDED),
            case(self.logistics_manager, "rma.carrier.incident", "write",
                 [self.checked_incident.ids, {"state": "refused"}], GUARDED),
            # Stock documents keep their request or disposition.
            case(keeper, "stock.picking", "write", [self.receipt.ids, {"rma_request_id": self.draft.id}], GUARDED),
            case(keeper, "stock.picking", "write", [self.receipt.ids, {"rma_request_id": False}], GUARDED),
            case(keeper, "stock.picking", "write", [self.receipt.ids, {"rma_disposition_id": self.planned.id}],
                 GUARDED),
            case(keeper, "stock.picking", "create", [{
                "picking_type_id": self.warehouse.in_type_id.id, "partner_id": self.customer.id,
                "rma_request_id": self.approved.id}], GUARDED),
            case(keeper, "stock.move", "write", [self.receipt_move.ids, {"rma_request_line_id": self.line.id}],
                 GUARDED),
            case(keeper, "stock.move", "write", [self.receipt_move.ids, {"rma_request_line_id": False}], GUARDED),
            case(keeper, "stock.move", "create", [{
                "picking_id": self.receipt.id, "product_id": self.product.id, "product_uom_qty": 1,
                "product_uom": self.product.uom_id.id, "location_id": self.receipt.location_id.id,
                "location_dest_id": self.receipt.location_dest_id.id, "rma_request_line_id": self.line.id,
            }], INVALID),
            case(keeper, "stock.scrap", "create", [{
                "product_id": self.product.id, "scrap_qty": 1, "location_id": self.quarantine.id,
                "rma_disposition_id": self.planned.id}], GUARDED),
            case(keeper, "repair.order", "write", [self.running.repair_id.ids, {"rma_disposition_id": self.planned.id}],
                 GUARDED_OR_NO_ACCESS),
        ]
        self._assert_refused(cases)

    def test_receipt_quantities(self):
        """A return receipt takes in what the request returns, with its paperwork, no more."""
        keeper = self.keeper
        moves = self.receipt_move.with_user(keeper)

        def received(quantity):
            # The keeper's legitimate step before the bad one: the quantity typed on the move.
            def prepare():
                moves.write({"quantity": quantity, "picked": True})
            return prepare

        def demand_raised():
            # Raising the move's demand does not raise what the request returns.
            moves.write({"product_uom_qty": 500, "quantity": 500, "picked": True})

        def paperwork_missing():
            self.receipt.with_user(keeper).write({"rma_doc_waybill": False})
            moves.write({"quantity": 3, "picked": True})

        quarantined = self._quarantine_qty(self.product)
        cases = [
            # The example: 1000 units validated on a 3-unit return.
            case(keeper, "stock.picking", "button_validate", [self.receipt.ids],
                 r"^UserError: .*1000.*received", prepare=received(1000)),
            case(keeper, "stock.picking", "button_validate", [self.receipt.ids],
                 r"^UserError: .*received", prepare=received(4)),
            case(keeper, "stock.picking", "button_validate", [self.receipt.ids],
                 r"^UserError: .*500.*received.*returns 3", prepare=demand_raised),
            case(keeper, "stock.picking", "button_validate", [self.receipt.ids],
                 r"^UserError: .*paperwork", prepare=paperwork_missing),
            # A move of another product can't count for the line.
            case(keeper, "stock.move", "create", [{
                "picking_id": self.receipt.id, "rma_request_line_id": self.receipt_move.rma_request_line_id.id,
                "product_id": self.product_b.id, "product_uom_qty": 5, "product_uom": self.product_b.uom_id.id,
                "location_id": self.receipt.location_id.id, "location_dest_id": self.receipt.location_dest_id.id,
            }], r"^ValidationError: .*another product"),
            # Archiving is the closing's: not a write of `active`.
            case(self.gm, "rma.request", "write", [[self.approved.id], {"active": False}], GUARDED),
            # The received lots of an inspection line come from the receipt, not from QC.
            case(self.inspector, "rma.inspection.line", "write", [self.open_inspection_line.ids, {
                "lot_ids": [Command.link(self.env["stock.lot"].search([], limit=1).id)],
            }], GUARDED),
        ]
        self._assert_refused(cases)
        self.assertEqual(self._quarantine_qty(self.product), quarantined, "nothing entered the quarantine")
        self.assertEqual(self.approved.state, "approved")

    def test_mail_intake_numbering(self):
        """Form numbers come from their no-gap sequence only: a client's number is refused, and
        a refused create consumes no number (the sequences are part of the fingerprint)."""
        rep, keeper = self.sales_rep, self.keeper
        customer = self.customer.id
        cases = [
            case(rep, "rma.request", "create", [{"partner_id": customer, "name": "X"}], GUARDED),
            case(rep, "rma.request", "create", [{"partner_id": customer, "name": self.approved.name}], GUARDED),
            case(rep, "rma.request", "create", [[{"partner_id": customer}, {"partner_id": customer, "name": "Y"}]],
                 GUARDED),
            case(rep, "rma.request", "write", [self.draft.ids, {"name": self.approved.name}], GUARDED),
            case(self.gm, "rma.request", "write", [self.approved.ids, {"name": "RMA/1999/00001"}], GUARDED),
            # Refused after the number would be drawn: the number is not lost.
            case(rep, "rma.request", "create", [{"partner_id": customer, "freight_budget": -1.0}], INVALID),
            case(rep, "rma.request", "create", [{"partner_id": customer, "request_date": self.future}], INVALID),
            case(self.inspector, "rma.inspection", "create", [{"name": "QCI-MINE"}], GUARDED),
            case(keeper, "rma.carrier.incident", "create", [{
                "incident_type": "damage", "picking_id": self.delivery.id, "name": "RIX-MINE"}], GUARDED),
            case(keeper, "rma.carrier.incident", "create", [{
                "incident_type": "damage", "picking_id": self.delivery.id, "claim_amount": -1.0}], INVALID),
        ]
        self._assert_refused(cases)

    def test_action_checks(self):
        """Buttons called out of order, twice, or by the wrong role."""
        rep, qc, manager = self.sales_rep, self.inspector, self.logistics_manager
        cases = [
            case(rep, "rma.request", "action_submit", [self.waiting.ids], r"^UserError: "),
            case(rep, "rma.request", "action_submit", [self.approved.ids], r"^UserError: "),
            case(rep, "rma.request", "action_cancel", [self.inspected.ids], r"^UserError: "),
            case(rep, "rma.request", "action_reset_to_draft", [self.inspected.ids], r"^UserError: "),
            case(self.supervisor, "rma.request", "action_approve", [self.approved.ids], r"^UserError: "),
            case(self.supervisor, "rma.request", "action_settle_by_discount", [self.inspected.ids], r"^UserError: "),
            case(rep, "rma.request", "action_organise_review", [self.inspected.ids], r"^UserError: "),
            # The examples: a review concluded twice, an RMA user cancelling a running disposition.
            case(qc, "rma.review", "action_conclude", [self.review.ids], r"^UserError: .*already concluded"),
            case(rep, "rma.disposition", "action_cancel", [self.running.ids], NO_ACCESS),
            case(rep, "rma.disposition", "action_cancel", [self.planned.ids], NO_ACCESS),
            case(qc, "rma.disposition", "action_start", [self.running.ids], r"^UserError: .*already started"),
            case(qc, "rma.disposition", "action_oqc_pass", [self.running.ids], r"^UserError: "),
            case(qc, "rma.inspection", "action_complete", [self.done_inspection.ids],
                 r"^UserError: .*already completed"),
            case(qc, "rma.capa", "action_verify", [self.capa.ids], r"^UserError: "),
            case(rep, "rma.capa", "action_verify", [self.capa.ids], r"^UserError: "),
            # Incidents go step by step; the logistics manager decides.
            case(manager, "rma.carrier.incident", "action_close", [self.incident.ids], r"^UserError: "),
            case(manager, "rma.carrier.incident", "action_refuse", [self.incident.ids], r"^UserError: "),
            case(manager, "rma.carrier.incident", "action_close", [self.checked_incident.ids], r"^UserError: "),
            case(manager, "rma.carrier.incident", "action_confirm", [self.incident.ids], r"^UserError: "),
            case(self.keeper, "rma.carrier.incident", "action_refuse", [self.checked_incident.ids], NO_ACCESS),
            case(self.keeper, "rma.carrier.incident", "action_confirm", [self.checked_incident.ids], NO_ACCESS),
            case(self.keeper, "rma.carrier.incident", "action_close", [self.checked_incident.ids], NO_ACCESS),
            case(self.keeper, "rma.carrier.incident", "action_check", [self.checked_incident.ids],
                 r"^UserError: .*already checked"),
            # Missing records say so.
            case(rep, "rma.request", "action_submit", [[2 ** 31 - 1]], r"^(MissingError|AccessError): "),
        ]
        self._assert_refused(cases)

    # ------------------------------------------------------------------ the legitimate path

    def test_legitimate_calls_still_work(self):
        """The same harness lets the right calls through, so the refusals above are not an
        artefact of the harness: a rep edits their draft, a new request gets its number from the
        sequence whatever the client's context says, the keeper receives what was approved."""
        rep = self.sales_rep
        before = self._tables_fingerprint()
        _result, error = self._call(rep, "rma.request", "write", [self.draft.ids, {"client_reference": "PO-4711"}])
        self.assertIsNone(error)
        self.assertEqual(set(self._changes(before, self._tables_fingerprint())), {"rma_request"})
        self.assertEqual(self.draft.client_reference, "PO-4711")

        # Context defaults for guarded fields are ignored, not refused.
        request_id, error = self._call(rep, "rma.request", "create", [{"partner_id": self.customer.id}], {
            "context": {"default_state": "approved", "default_name": "FAKE-1", "default_eligibility_override": True},
        })
        self.assertIsNone(error)
        self.env.invalidate_all()
        request = self.env["rma.request"].browse(request_id)
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.eligibility_override)
        self.assertRegex(request.name, r"^RMA/\d{4}/\d{5}$")

        # The keeper validates the receipt as approved: the goods enter the quarantine.
        quarantined = self._quarantine_qty(self.product)
        self.receipt_move.with_user(self.keeper).write({"quantity": 3, "picked": True})
        _result, error = self._call(self.keeper, "stock.picking", "button_validate", [self.receipt.ids])
        self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(self.approved.state, "received")
        self.assertEqual(self._quarantine_qty(self.product), quarantined + 3)

    def test_defaults_never_reach_guarded_fields(self):
        """Neither a client's context (in the process's own steps too) nor a user's saved default
        (ir.default, which any user may set for themselves) gives a guarded field its value."""
        rep = self.sales_rep
        _result, error = self._call(rep, "ir.default", "set", ["rma.request", "state", "approved", True])
        self.assertIsNone(error, "a user's own saved default is allowed")
        self._call(rep, "ir.default", "set", ["rma.approval.line", "active", False, True])
        request_id, error = self._call(rep, "rma.request", "create", [{"partner_id": self.customer.id}])
        self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(self.env["rma.request"].browse(request_id).state, "draft")
        # Submitting with forged defaults: the approval steps are created active and unsigned.
        draft = self._request_from_order(self._deliver(self.customer, [(self.product, 1)])).with_env(self.env)
        _result, error = self._call(rep, "rma.request", "action_submit", [draft.ids], {
            "context": {"default_active": False, "default_state": "approved", "default_user_id": self.gm.id},
        })
        self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(draft.state, "to_approve", "not approved without a signature")
        self.assertTrue(draft.approval_line_ids)
        self.assertEqual(set(draft.approval_line_ids.mapped("state")), {"pending"})
        self.assertFalse(draft.approval_line_ids.user_id)

    def test_back_dated_request_stays_out_of_warranty(self):
        """The issue's back-dating: a rep may correct the request date of a draft, but ten years
        back does not bring an out-of-warranty line into its warranty (it is counted up to the
        submission, not up to the date the rep types)."""
        request = self.old_draft
        self.assertFalse(request.line_ids.in_warranty)
        eligibility = (request.in_warranty, request.eligibility_state)
        ten_years_ago = fields.Date.to_string(self.today - timedelta(days=3653))
        _result, error = self._call(self.sales_rep, "rma.request", "write",
                                    [request.ids, {"request_date": ten_years_ago}])
        if error:
            # Refusing is fine too, as long as it is a clear refusal.
            self.assertIn(error["name"], CLEAR_ERRORS)
        self.env.invalidate_all()
        self.assertFalse(request.line_ids.in_warranty, "back-dating does not make the line in warranty")
        self.assertEqual((request.in_warranty, request.eligibility_state), eligibility)
