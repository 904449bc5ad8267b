"""A lean lifecycle (#15): every step of a return as its user does it — create from the delivery,
submit, each signature, the receipt, the inspection, the planning and the refund — leaves one
message in the request's chatter, and our own code's queries for that step are the same for a
5-line and a 50-line return. (What grows with the lines is Odoo's stock and accounting code,
one move or one journal item per line; it is measured, side by side, by scripts/benchmark.sh.)"""
import os
import re
import sys
from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command
from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tools import SQL

from .common import RmaQualityCommon

ADDON = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUR_CODE = tuple(os.path.join(ADDON, folder) + os.sep for folder in ("models", "controllers", "wizard", "report"))
ADDONS = ("/addons/", ADDON + os.sep)
OUR_TABLES = re.compile(r'\b(FROM|JOIN|UPDATE|INTO)\s+"?rma_', re.IGNORECASE)
# Our overrides of Odoo's create / write that only check the values and call super(): the
# queries below them are the caller's (Odoo's return wizard copies one move per line).
PASS_THROUGH = (os.path.join(ADDON, "models", "rma_process_guard.py"), ("create", "write", "default_get"))


def _ours(query):
    """A query is our code's when it reads or writes one of our tables, or when the innermost
    module code that led to it is ours (our method, or the ORM working for it) rather than
    Odoo's stock, account or mail code called from it."""
    if OUR_TABLES.search(query):
        return True
    frame = sys._getframe(2)
    while frame:
        filename = frame.f_code.co_filename
        if filename == PASS_THROUGH[0] and frame.f_code.co_name in PASS_THROUGH[1]:
            frame = frame.f_back
            continue
        if filename.startswith(OUR_CODE):
            return True
        if any(part in filename for part in ADDONS) and "/odoo/addons/base/" not in filename \
                and not filename.startswith(os.path.join(ADDON, "tests")):
            return False
        frame = frame.f_back
    return False


@tagged("post_install", "-at_install")
class TestRmaLeanLifecycle(RmaQualityCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Cheap parts: 5 or 50 lines stay in the same approval band (supervisor, marketing, GM).
        cls.parts = cls._create_parts(50)
        cls.env.company.rma_sample_percent = 20

    @contextmanager
    def _step(self, steps, label, request=None):
        """One user's call: its queries (all, ours) and the messages it left on the request, once
        committed (Odoo writes the tracking, and our log with it, at commit)."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        before = set(request.message_ids.ids) if request else set()
        counts = {"all": 0, "ours": 0}
        execute = Cursor.execute

        def counting_execute(cursor, query, params=None, log_exceptions=True):
            counts["all"] += 1
            counts["ours"] += _ours(str(query.code if isinstance(query, SQL) else query))
            return execute(cursor, query, params, log_exceptions)

        holder = {}
        with patch.object(Cursor, "execute", counting_execute):
            yield holder
            self.env.flush_all()
            self.env.cr.precommit.run()
        request = request or holder.get("request")
        request.invalidate_recordset(["message_ids"])
        new = request.message_ids.filtered(lambda m: m.id not in before)
        steps[label] = dict(counts, notes=len(new.filtered(lambda m: not m.message_type.startswith("email"))),
                            mails=len(new.filtered(lambda m: m.message_type.startswith("email"))))

    def _lifecycle(self, line_count, scrap=0):
        order = self._deliver(self.customer, [(part, 2) for part in self.parts[:line_count]])
        order._create_invoices().action_post()
        self.env.invalidate_all()
        steps = {}
        with self._step(steps, "create") as holder:
            holder["request"] = request = self._request_from_order(order, customer_wish="return")
        with self._step(steps, "submit", request):
            request.action_submit()
        for index, approval in enumerate(request.approval_line_ids.sorted("sequence")):
            signer = next(user for user in (self.supervisor, self.marketing, self.gm)
                          if user in approval._signers())
            with self._step(steps, f"signature {index + 1}", request):
                request.with_user(signer)._action_approve_step("OK")
        with self._step(steps, "receipt validated", request):
            self._receive(request.receipt_ids)
        inspection = request.inspection_ids.with_user(self.inspector)
        inspection.write({"sample_ids": [
            Command.create({"inspection_line_id": line.id, "result": "pass"})
            for line in inspection.line_ids for _sample in range(line.sample_required)
        ]})
        for line in inspection.line_ids:
            line.write({"quality_verdict": "confirmed", "qty_scrap": scrap, "qty_usable": line.qty_received - scrap})
        with self._step(steps, "inspection completed", request):
            inspection.action_complete()
        with self._step(steps, "dispositions planned", request):
            request.with_user(self.inspector).action_propose_dispositions()
        for kind in ("scrap", "rework", "refund"):
            # The dispositions list's Start on every planned row of a kind (QA).
            planned = request.disposition_ids.filtered(lambda d, kind=kind: d.disposition_type == kind)
            if planned:
                with self._step(steps, f"{kind}s started", request):
                    planned.with_user(self.inspector).action_start()
                self.assertEqual(set(planned.mapped("state")) - {"confirmed", "done"}, set(), kind)
        credit_note = self.env["account.move"].search([
            ("rma_request_id", "=", request.id), ("move_type", "=", "out_refund"),
        ])
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(len(credit_note.invoice_line_ids), line_count, "one credit note for every refund")
        return steps

    def test_one_message_per_action_and_our_queries_do_not_grow_with_lines(self):
        self._lifecycle(2, scrap=1)  # Odoo's caches (rules, sequences, templates) filled once
        small, large = self._lifecycle(5, scrap=1), self._lifecycle(50, scrap=1)
        self.assertIn("scraps started", small)
        self.assertIn("reworks started", small)
        self.assertEqual(list(small), list(large), "the same steps for 5 and 50 lines")
        self.assertEqual(len([label for label in small if label.startswith("signature")]), 3)
        for label, counts in small.items():
            with self.subTest(step=label):
                # The request's creation is a message of its own ("created"); every later step
                # says what it did in one message, its state change included. Submitting and the
                # last signature also e-mail the customer: mails, not second notes.
                self.assertEqual(counts["notes"], 1, f"{label}: one chatter message")
                self.assertEqual(counts["mails"], 1 if label in ("submit", "signature 3") else 0,
                                 f"{label}: e-mails to the customer (acknowledgement, approval with the deadline)")
                # Odoo inserts at most 100 rows per statement: planning 150 dispositions (and
                # their creation messages) for 50 lines takes one more INSERT of each.
                self.assertLessEqual(large[label]["ours"] - counts["ours"], 2 if label == "dispositions planned" else 0,
                                     f"{label}: our queries at 5 lines {counts} and at 50 lines {large[label]}")
