# Executed by scripts/benchmark.sh inside `odoo-bin shell` (env is given). Rolls back at the end.
# ruff: noqa: F821
import os
import time
from collections import defaultdict

from odoo import Command

REQUESTS = int(os.environ.get("RMA_BENCH_REQUESTS", "1000"))
LINES = 5

company = env.ref("rma_factory.company_hg_pump")
env = env(context=dict(env.context, allowed_company_ids=company.ids))
rep = env.ref("rma_factory.user_sales_rep")
signers = [env.ref("rma_factory.user_sales_supervisor"), env.ref("rma_factory.user_marketing_manager"),
           env.ref("rma_factory.user_general_manager")]
customer = env.ref("rma_factory.customer_ruifeng")
products = [env.ref(f"rma_factory.{x}") for x in (
    "product_seal_ms35", "product_bearing_6205", "product_coupling_l100", "product_valve_dn50",
    "product_gauge_y100")]

# One large delivery of demo products to a demo customer, so that every request has stock to return.
warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
for product in products:
    env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, REQUESTS + 10)
order = env["sale.order"].with_company(company).create({
    "partner_id": customer.id, "user_id": rep.id, "team_id": env.ref("rma_factory.sales_team_east").id,
    "order_line": [Command.create({"product_id": p.id, "product_uom_qty": REQUESTS}) for p in products],
})
order.action_confirm()
for move in order.picking_ids.move_ids:
    move.quantity = move.product_uom_qty
    move.picked = True
order.picking_ids.button_validate()
moves = order.picking_ids.move_ids
env.flush_all()

totals = defaultdict(lambda: [0, 0.0])


def measure(label, func):
    env.flush_all()
    queries, start = env.cr.sql_log_count, time.perf_counter()
    result = func()
    env.flush_all()
    totals[label][0] += env.cr.sql_log_count - queries
    totals[label][1] += time.perf_counter() - start
    return result


Request = env["rma.request"].with_user(rep).with_company(company)
for _ in range(REQUESTS):
    request = measure("create (5 lines)", lambda: Request.create({
        "partner_id": customer.id, "criterion_quality": True,
        "line_ids": [Command.create({"origin_move_id": m.id, "quantity": 1}) for m in moves[:LINES]],
    }))
    measure("submit", request.action_submit)
    for step, signer in zip(request.approval_line_ids.sorted("sequence"), signers, strict=False):
        measure(f"approve: {step.name}", lambda s=signer, r=request: r.with_user(s)._action_approve_step("ok"))
    env.invalidate_all()

print(f"\nrma_factory benchmark: {REQUESTS} requests of {LINES} lines (database {env.cr.dbname})")
print(f"{'operation':<32}{'queries/request':>16}{'ms/request':>12}")
for label, (queries, seconds) in totals.items():
    print(f"{label:<32}{queries / REQUESTS:>16.1f}{seconds * 1000 / REQUESTS:>12.2f}")
env.cr.rollback()
