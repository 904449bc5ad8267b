"""Two users doing the same step at the same moment, each in their own transaction, give exactly
one result (#11): submitting the same draft, signing the same approval step, validating the same
return receipt; and one entry (#12): the same deposit requested twice at once. Real transactions
need committed data, so this runs in the scratch database of the repository-level tests, in
`odoo-bin shell` (tests/concurrency_scenarios.py)."""

import json
import unittest
from pathlib import Path

from .odoo_cli import ADDONS_PATH, installed_scratch_db, odoo_bin

SCENARIOS = Path(__file__).with_name("concurrency_scenarios.py")
# What the second of two simultaneous calls meets: PostgreSQL's refusal (Odoo's RPC retries the
# call on these and the retry meets the new state's UserError), or that UserError directly.
SECOND_CALL_REFUSED = {"LockNotAvailable", "SerializationFailure", "UserError"}


class TestConcurrency(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db, install_rc, install_log = installed_scratch_db()
        if install_rc:
            raise RuntimeError(f"install failed:\n{install_log[-3000:]}")
        shell = odoo_bin(f"--addons-path={ADDONS_PATH}", "shell", "-d", cls.db, "--no-http",
                         stdin=SCENARIOS.read_text(encoding="utf-8"))
        line = next((text for text in shell.stdout.splitlines() if text.startswith("CONCURRENCY ")), None)
        if line is None:
            raise RuntimeError(f"the scenarios did not run:\n{shell.stdout[-2000:]}\n{shell.stderr[-3000:]}")
        cls.results = json.loads(line.removeprefix("CONCURRENCY "))

    def _assert_one_result(self, outcomes):
        self.assertEqual(len(outcomes), 2, outcomes)
        self.assertIn("done", outcomes, "one of the two calls went through")
        other = [outcome for outcome in outcomes if outcome != "done"]
        self.assertEqual(len(other), 1, f"exactly one went through: {outcomes}")
        self.assertIn(other[0], SECOND_CALL_REFUSED)

    def test_submitting_the_same_draft_twice_at_once(self):
        self._assert_one_result(self.results["submit"])
        self.assertEqual(self.results["submit_state"], "to_approve")
        self.assertEqual(self.results["submit_steps"], self.results["submit_distinct_steps"],
                         "each approval step once, not twice")

    def test_signing_the_same_step_twice_at_once(self):
        self._assert_one_result(self.results["approve"])
        self.assertEqual(self.results["approve_signed"], 1, "one signature")
        self.assertEqual(self.results["approved_state"], "approved")

    def test_validating_the_same_receipt_twice_at_once(self):
        self._assert_one_result(self.results["validate"])
        self.assertEqual(self.results["validate_state"], "done")
        self.assertEqual(self.results["validate_inspections"], 1, "one inspection, not two")
        self.assertEqual(self.results["validate_received"], 2.0, "the goods counted once")
        self.assertEqual(self.results["validate_request_state"], "received")

    def test_requesting_the_same_deposit_twice_at_once_posts_one_invoice(self):
        self._assert_one_result(self.results["deposit"])
        self.assertEqual(self.results["deposit_invoices"], [["deposit", "posted", 800.0]])
