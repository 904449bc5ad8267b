"""Paper forms benchmark, run in `odoo-bin shell` by scripts/benchmark_forms.sh: prints the time
and SQL queries of one request form and of 50 request forms in one PDF (target: < 2 s and
< 30 s). Everything it creates is rolled back when the shell exits.

The PDF's CSS comes over HTTP from the database's web.base.url: run scripts/serve.sh beside it
for the real layout (without a server wkhtmltopdf prints unstyled, in about the same time)."""
import time

from odoo.tools import mute_logger

env = env(context=dict(env.context, lang="zh_CN", tz="Asia/Shanghai"))  # noqa: F821 (the shell's env)
Report = env["ir.actions.report"]
FORM = "rma_factory.action_report_rma_request_form"


def measure(label, ids):
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    with mute_logger("odoo.addons.base.models.ir_actions_report"):
        content, report_format = Report._render_qweb_pdf(FORM, ids)
    elapsed = time.perf_counter() - start
    print(f"{label:<34} {elapsed:6.2f} s  {env.cr.sql_log_count - queries:5d} queries  "
          f"{len(content) // 1024:6d} KB {report_format}")


closed = env["rma.request"].search([("state", "=", "done"), ("inspection_ids", "!=", False)], limit=1)
if not closed:
    raise SystemExit("no closed request with an inspection: run it on the demo database")
print(f"request form of {closed.name}, {len(closed.line_ids)} lines")
measure("warm-up (assets, fonts)", closed.ids)
measure("1 request form", closed.ids)
demo = env["rma.request"].search([])
# The demo's requests, repeated up to 50 (copies would exceed what was delivered).
ids = (demo.ids * (50 // len(demo) + 1))[:50]
lines = sum(len(env["rma.request"].browse(request_id).line_ids) for request_id in ids)
print(f"50 request forms ({len(demo)} demo requests repeated, {lines} lines)")
measure("50 request forms, one PDF", ids)
env.cr.rollback()
