"""Repository-wide pytest rules: a skipped test is a failed run.

Odoo skips browser tours silently when Chrome or websocket-client is missing, and skips
HttpCase without --odoo-http: a green run must never hide that."""

import pytest


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(
            f"rma_factory: {len(skipped)} skipped test(s) make this run fail "
            "(browser tours and every other test must run).",
            red=True,
        )
