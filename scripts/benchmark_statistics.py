# Executed by `scripts/benchmark.sh xlsx [lines]` inside `odoo-bin shell` (env is given). Rolls back.
# The monthly statistics workbook of a month with RMA_BENCH_LINES request lines (default
# 50,000), inserted with SQL by copying the demo's rows: build time, queries, peak memory.
# ruff: noqa: F821
import os
import resource
import time
import tracemalloc
from datetime import date

from odoo.tools import SQL

LINES = int(os.environ.get("RMA_BENCH_LINES", "50000"))
PER_REQUEST = 10
MONTH = date(2026, 1, 1)  # a month of its own: only the generated requests are in it

company = env.ref("rma_factory.company_hg_pump")
env = env(context=dict(env.context, allowed_company_ids=company.ids, lang="zh_CN"))
cr = env.cr


def columns(table):
    cr.execute(SQL("SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'",
                   table))
    return [row[0] for row in cr.fetchall()]


def copy_rows(table, source_id, count, overrides):
    """Insert `count` copies of row `source_id` of `table`; `overrides`: column -> SQL expression of g (1..count)."""
    names = columns(table)
    select = SQL(", ").join(overrides.get(name, SQL.identifier("src", name)) for name in names)
    cr.execute(SQL(
        "INSERT INTO %s (%s) SELECT %s FROM %s src CROSS JOIN generate_series(1, %s) g WHERE src.id = %s RETURNING id",
        SQL.identifier(table), SQL(", ").join(SQL.identifier(name) for name in names), select,
        SQL.identifier(table), count, source_id,
    ))
    return [row[0] for row in cr.fetchall()]


source = env["rma.request"].search([("company_id", "=", company.id), ("line_ids.disposition_ids", "!=", False)],
                                   limit=1)
source_line = source.line_ids.filtered("disposition_ids")[:1]
products = env["product.product"].search([("company_id", "in", (False, company.id)), ("sale_ok", "=", True)], limit=40)
customers = env["res.partner"].search([("is_company", "=", True), ("customer_rank", ">", 0)], limit=20)
start = time.perf_counter()
requests = LINES // PER_REQUEST
request_ids = copy_rows("rma_request", source.id, requests, {
    "name": SQL("'BENCH/' || g"),
    "request_date": SQL("%s::date + (g %% 28)", MONTH),
    "partner_id": SQL("(%s::int[])[1 + g %% %s]", customers.ids, len(customers)),
    "commercial_partner_id": SQL("(%s::int[])[1 + g %% %s]", customers.ids, len(customers)),
    "request_type": SQL("(ARRAY['usage_failure','wrong_shipment','transport_damage','shortage'])[1 + g %% 4]"),
})
names = columns("rma_request_line")
overrides = {
    "request_id": SQL("r.id"),
    "product_id": SQL("(%s::int[])[1 + (r.n * 7 + k) %% %s]", products.ids, len(products)),
}
select = SQL(", ").join(overrides.get(name, SQL.identifier("src", name)) for name in names)
cr.execute(SQL("""
    INSERT INTO rma_request_line (%s)
    SELECT %s FROM rma_request_line src
      CROSS JOIN unnest(%s::int[]) WITH ORDINALITY AS r(id, n) CROSS JOIN generate_series(1, %s) k
     WHERE src.id = %s RETURNING id
""", SQL(", ").join(SQL.identifier(name) for name in names), select, request_ids, PER_REQUEST, source_line.id))
line_ids = [row[0] for row in cr.fetchall()]
disposition = source_line.disposition_ids[:1]
dnames = columns("rma_disposition")
doverrides = {"request_line_id": SQL("line.id"), "request_id": SQL("line.request_id"),
              "product_id": SQL("line.product_id")}
dselect = SQL(", ").join(doverrides.get(name, SQL.identifier("src", name)) for name in dnames)
cr.execute(SQL("""
    INSERT INTO rma_disposition (%s)
    SELECT %s FROM rma_disposition src CROSS JOIN rma_request_line line
     WHERE src.id = %s AND line.id = ANY(%s) AND line.id %% 3 = 0
""", SQL(", ").join(SQL.identifier(name) for name in dnames), dselect, disposition.id, line_ids))
dispositions = cr.rowcount
cr.execute("ANALYZE rma_request; ANALYZE rma_request_line; ANALYZE rma_disposition")
print(f"generated {len(request_ids)} requests, {len(line_ids)} lines, {dispositions} dispositions "
      f"in {time.perf_counter() - start:.1f} s")

Builder = env["rma.statistics.xlsx"]
Builder._build_monthly(company, MONTH)  # warm the caches
env.invalidate_all()
queries, start = cr.sql_log_count, time.perf_counter()
content = Builder._build_monthly(company, MONTH)
elapsed = time.perf_counter() - start
queries = cr.sql_log_count - queries
env.invalidate_all()
tracemalloc.start()
Builder._build_monthly(company, MONTH)
_current, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
print(f"monthly workbook, {len(line_ids)} lines: {elapsed:.2f} s, {queries} queries, "
      f"{len(content) / 1024:.0f} KiB; peak Python memory of the build {peak / 2**20:.1f} MB, "
      f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

requests = env["rma.request"].browse(request_ids[:2000])
env.invalidate_all()
queries, start = cr.sql_log_count, time.perf_counter()
env["rma.statistics.xlsx"]._build_export(requests)
print(f"export of 2,000 requests ({2000 * PER_REQUEST} lines): {time.perf_counter() - start:.2f} s, "
      f"{cr.sql_log_count - queries} queries")
cr.rollback()
