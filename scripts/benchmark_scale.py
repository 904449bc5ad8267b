# Executed by `scripts/benchmark.sh scale [requests]` inside `odoo-bin shell` (env is given), in a
# scratch copy of the demo database that it keeps (generating takes minutes). It fills that copy
# with RMA_BENCH_REQUESTS requests (default 100,000) of 5 lines over 24 months, copied with SQL
# from the demo's requests (customers, products and lots spread unevenly, as in a factory: a few
# big customers and best-selling products), commits them once, then times what the users open:
# the list's first page, the searches, the kanban by state, the pivot month × reason and the
# monthly XLSX, each with its server time and query count (best of 3, warm), and rolls back.
# ruff: noqa: F821
import os
import time
from datetime import date, timedelta

from odoo.tools import SQL

REQUESTS = int(os.environ.get("RMA_BENCH_REQUESTS", "100000"))
LINES = 5
MONTHS = 24
PREFIX = "RMA/B/"

company = env.ref("rma_factory.company_hg_pump")
env = env(context=dict(env.context, allowed_company_ids=company.ids, lang="zh_CN", tz="Asia/Shanghai"))
cr = env.cr
today = date.today()


def columns(table):
    cr.execute(SQL("SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'",
                   table))
    return [row[0] for row in cr.fetchall()]


def insert_copies(table, source_sql, overrides):
    """INSERT INTO table SELECT <every column, or its override> FROM <source_sql AS src>."""
    names = columns(table)
    cr.execute(SQL(
        "INSERT INTO %s (%s) SELECT %s FROM %s",
        SQL.identifier(table), SQL(", ").join(SQL.identifier(name) for name in names),
        SQL(", ").join(overrides.get(name, SQL.identifier("src", name)) for name in names), source_sql,
    ))
    return cr.rowcount


def generate(existing):
    """Requests number existing + 1 .. REQUESTS (a second run with a larger number adds the rest)."""
    start = time.perf_counter()
    cr.execute("SELECT COALESCE(max(id), 0) FROM rma_request")
    last_id = cr.fetchone()[0]
    Partner, Product, Lot = env["res.partner"], env["product.product"], env["stock.lot"]
    customers = Partner.search([("name", "=like", "基准客户 %")], order="id") or Partner.create([
        {"name": f"基准客户 {i:04d}", "is_company": True, "customer_rank": 1, "company_id": company.id}
        for i in range(400)
    ])
    category = env.ref("rma_factory.product_seal_ms35").categ_id
    products = Product.search([("default_code", "=like", "BP-%")], order="id") or Product.create([
        {"name": f"基准产品 {i:04d}", "default_code": f"BP-{i:04d}", "type": "consu", "is_storable": True,
         "tracking": "lot", "categ_id": category.id, "list_price": 50 + i % 400}
        for i in range(800)
    ])
    lots = Lot.search([("product_id", "in", products.ids)], order="id") or Lot.create([
        {"name": f"L{i:05d}-{k}", "product_id": product.id, "company_id": company.id}
        for i, product in enumerate(products) for k in range(4)
    ])
    env.flush_all()
    reps = env["res.users"].search([("share", "=", False), ("company_ids", "in", company.id)]).ids
    sources = env["rma.request"].search([("company_id", "=", company.id), ("line_ids", "!=", False)])
    source_line = sources.line_ids[:1]
    states = ["done"] * 16 + ["cancel", "draft", "to_approve", "approved", "received", "inspected", "processing",
                              "verified"]
    # Skewed spreads: g*g spreads the big customers and best sellers (the first ones) over more rows.
    cr.execute(SQL(
        "CREATE TEMP TABLE bench_req AS SELECT g, (%s::int[])[1 + g %% %s] AS source_id FROM generate_series(%s, %s) g",
        sources.ids, len(sources), existing + 1, REQUESTS,
    ))
    insert_copies("rma_request", SQL("bench_req b JOIN rma_request src ON src.id = b.source_id"), {
        "name": SQL("%s || lpad(b.g::text, 7, '0')", PREFIX),
        "access_token": SQL("md5(b.g::text || random()::text)"),
        "request_date": SQL("%s::date - (b.g * 7919 %% %s)", today, MONTHS * 30),
        "create_date": SQL("%s::date - (b.g * 7919 %% %s)", today, MONTHS * 30),
        "partner_id": SQL("(%s::int[])[1 + (b.g::bigint * b.g) %% %s]", customers.ids, len(customers)),
        "commercial_partner_id": SQL("(%s::int[])[1 + (b.g::bigint * b.g) %% %s]", customers.ids, len(customers)),
        "contact_id": SQL("NULL"),
        "user_id": SQL("(%s::int[])[1 + b.g %% %s]", reps, len(reps)),
        # Recent requests are still open, the older ones mostly closed.
        "state": SQL("CASE WHEN b.g * 7919 %% %s > 60 THEN (%s::varchar[])[1 + b.g %% 16] "
                     "ELSE (%s::varchar[])[1 + b.g %% %s] END", MONTHS * 30, states[:16], states, len(states)),
        "request_type": SQL("(ARRAY['usage_failure','wrong_shipment','transport_damage','shortage',"
                            "'usage_failure','usage_failure'])[1 + b.g %% 6]"),
        "client_reference": SQL("'PO-' || (b.g * 31)::text"),
    })
    cr.execute(SQL("CREATE TEMP TABLE bench_line AS SELECT r.id AS request_id, r.create_date, k, "
                   "(r.id * 13 + k * k * 7) %% %s AS p FROM rma_request r CROSS JOIN generate_series(1, %s) k "
                   "WHERE r.id > %s", len(products), LINES, last_id))
    line_count = insert_copies("rma_request_line", SQL("bench_line b, rma_request_line src WHERE src.id = %s",
                                                       source_line.id), {
        "request_id": SQL("b.request_id"), "sequence": SQL("b.k"), "create_date": SQL("b.create_date"),
        "product_id": SQL("(%s::int[])[1 + b.p]", products.ids),
        "lot_id": SQL("(%s::int[])[1 + b.p * 4 + b.k %% 4]", lots.ids),
        "origin_move_id": SQL("NULL"), "sale_line_id": SQL("NULL"),
        "quantity": SQL("1 + b.k %% 3"), "price_unit": SQL("50 + b.p %% 400"),
        "amount": SQL("(1 + b.k %% 3) * (50 + b.p %% 400)"),
    })
    disposition = env["rma.disposition"].search([("company_id", "=", company.id)], limit=1)
    dispositions = insert_copies("rma_disposition", SQL(
        "rma_request_line line JOIN rma_request req ON req.id = line.request_id, rma_disposition src "
        "WHERE src.id = %s AND req.id > %s AND req.state IN ('done', 'verified', 'processing') "
        "AND line.sequence %% 2 = 1", disposition.id, last_id), {
        "request_line_id": SQL("line.id"), "request_id": SQL("line.request_id"),
        "product_id": SQL("line.product_id"), "lot_id": SQL("line.lot_id"), "quantity": SQL("line.quantity"),
        "create_date": SQL("line.create_date"), "repair_id": SQL("NULL"), "scrap_id": SQL("NULL"),
        "picking_id": SQL("NULL"), "credit_note_id": SQL("NULL"), "refund_invoice_id": SQL("NULL"),
        "disposition_type": SQL("(ARRAY['scrap','rework','refund','replace','return_customer'])[1 + line.id %% 5]"),
    })
    cr.execute("ANALYZE rma_request; ANALYZE rma_request_line; ANALYZE rma_disposition; ANALYZE stock_lot")
    cr.commit()
    print(f"generated {REQUESTS - existing:,} requests, {line_count:,} lines, {dispositions:,} dispositions in "
          f"{time.perf_counter() - start:.0f} s")


cr.execute(SQL("SELECT count(*) FROM rma_request WHERE name LIKE %s", PREFIX + "%"))
generated = cr.fetchone()[0]
if generated < REQUESTS:
    generate(generated)
cr.execute("SELECT count(*) FROM rma_request")
total_requests = cr.fetchone()[0]
cr.execute("SELECT count(*) FROM rma_request_line")
total_lines = cr.fetchone()[0]

user = env.ref("rma_factory.user_general_manager")
uenv = env(user=user)
Request = uenv["rma.request"]
results = []


def measure(label, func, runs=3):
    func()  # warm: the registry's and the ORM's caches, PostgreSQL's buffers
    best = None
    for _run in range(runs):
        uenv.invalidate_all()
        queries, start = cr.sql_log_count, time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        best = min(best or elapsed, elapsed)
        count = cr.sql_log_count - queries
    results.append((label, best * 1000, count))
    return result


def list_specification(model, view_type="list"):
    """What the web client reads for a view: its fields, many2one with their display names."""
    view = model.get_views([(False, view_type)])
    fields = view["models"][model._name]["fields"]
    spec = {}
    for name in fields:
        field = model._fields.get(name)
        if not field:
            continue
        spec[name] = {"fields": {"display_name": {}}} if field.type == "many2one" else {}
        if field.type in ("one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}} if view_type == "kanban" else {}
    return spec


open_domain = [("state", "not in", ("done", "cancel"))]  # the menu's default filter (Open)
list_spec = list_specification(Request)
measure("list: first page (Open, 80 rows + count)", lambda: Request.web_search_read(
    open_domain, list_spec, limit=80, count_limit=10001))
measure("list: grouped by state (Open)", lambda: Request.web_read_group(
    open_domain, ["state"], ["__count"]))
# What users look for: the customer, a product and a lot of a request in the middle of the range.
sample = env["rma.request"].search([("name", "=", f"{PREFIX}{max(REQUESTS // 2, 1):07d}")])
customer = sample.partner_id
measure("search: customer", lambda: Request.web_search_read(
    [("partner_id", "child_of", customer.ids)], list_spec, limit=80, count_limit=10001))
measure("search: product (name)", lambda: Request.web_search_read(
    [("line_ids.product_id", "ilike", sample.line_ids[:1].product_id.name)], list_spec, limit=80, count_limit=10001))
measure("search: lot", lambda: Request.web_search_read(
    [("line_ids.lot_id.name", "ilike", sample.line_ids[:1].lot_id.name)], list_spec, limit=80, count_limit=10001))
measure("search: number", lambda: Request.web_search_read(
    ["|", ("name", "ilike", sample.name[-7:]), ("client_reference", "ilike", sample.name[-7:])], list_spec, limit=80,
    count_limit=10001))
kanban_spec = list_specification(Request, "kanban")
measure("kanban by state (all, 40 cards per column)", lambda: Request.web_read_group(
    [], ["state"], ["__count"], auto_unfold=True, unfold_read_specification=kanban_spec,
    unfold_read_default_limit=40))
Lines = uenv["rma.return.line.report"]
first_month = (today.replace(day=1) - timedelta(days=365)).replace(day=1)
measure("pivot: month × reason (return analysis, 12 months)", lambda: Lines.formatted_read_group(
    [("date", ">=", first_month)], ["date:month", "request_type"], ["quantity:sum", "amount:sum", "__count"]))
measure("pivot: month × reason (return analysis, all)", lambda: Lines.formatted_read_group(
    [], ["date:month", "request_type"], ["quantity:sum", "amount:sum", "__count"]))
month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
measure("monthly statistics XLSX (last month)", lambda: env["rma.statistics.xlsx"]._build_monthly(company, month),
        runs=1)

print(f"\nAt scale: {total_requests:,} requests, {total_lines:,} lines (database {cr.dbname}), as {user.name}")
print(f"{'operation':<56}{'ms':>10}{'queries':>9}")
for label, ms, count in results:
    print(f"{label:<56}{ms:>10.1f}{count:>9}")
cr.rollback()
