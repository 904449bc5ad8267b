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

# Warehouse: a 50-line return, scanned product by product, then validated.
parts = env["product.product"].create([
    {"name": f"Benchmark part {i}", "type": "consu", "is_storable": True, "barcode": f"69388{i:08d}",
     "categ_id": products[0].categ_id.id, "list_price": 10}
    for i in range(50)
])
for part in parts:
    env["stock.quant"]._update_available_quantity(part, warehouse.lot_stock_id, 5)
big_order = env["sale.order"].with_company(company).create({
    "partner_id": customer.id, "user_id": rep.id,
    "order_line": [Command.create({"product_id": p.id, "product_uom_qty": 2}) for p in parts],
})
big_order.action_confirm()
for move in big_order.picking_ids.move_ids:
    move.quantity = move.product_uom_qty
    move.picked = True
big_order.picking_ids.button_validate()
big_request = Request.create({
    "partner_id": customer.id, "criterion_quality": True,
    "line_ids": [Command.create({"origin_move_id": m.id, "quantity": 2}) for m in big_order.picking_ids.move_ids],
})
big_request.action_submit()
for signer in signers:
    if big_request.state == "to_approve":
        big_request.with_user(signer)._action_approve_step("ok")
keeper = env.ref("rma_factory.user_warehouse_keeper")
receipt = big_request.receipt_ids.with_user(keeper)
scanner = env["rma.receipt.scanner"].with_user(keeper).new({"picking_id": receipt.id})
scanner._onchange_picking_id()
scan_totals = [0, 0.0]
for part in parts:
    for _unit in range(2):
        env.flush_all()
        queries, start = env.cr.sql_log_count, time.perf_counter()
        scanner.on_barcode_scanned(part.barcode)
        scan_totals[0] += env.cr.sql_log_count - queries
        scan_totals[1] += time.perf_counter() - start
scans = len(parts) * 2
receipt.write({"rma_doc_return_list": True, "rma_doc_waybill": True})
for move in receipt.move_ids:
    move.quantity = move.product_uom_qty
    move.picked = True
env.flush_all()
queries, start = env.cr.sql_log_count, time.perf_counter()
receipt.button_validate()
env.flush_all()
validate = (env.cr.sql_log_count - queries, time.perf_counter() - start)
print(f"{'scan (50-line return)':<32}{scan_totals[0] / scans:>16.1f}{scan_totals[1] * 1000 / scans:>12.2f}")
print(f"{'validate 50-line receipt':<32}{validate[0]:>16.1f}{validate[1] * 1000:>12.2f}   (per receipt)")
print(f"request after validation: {big_request.state}")


def timed(func):
    env.flush_all()
    queries, start = env.cr.sql_log_count, time.perf_counter()
    func()
    env.flush_all()
    return env.cr.sql_log_count - queries, time.perf_counter() - start


# Quality: QC samples the 50-line receipt (one sample per line), judges it, completes it; QA
# plans the dispositions (1 scrapped + 1 reworked unit per line, a refund each) and starts them.
qc = env.ref("rma_factory.user_qc_inspector")
inspection = big_request.inspection_ids.with_user(qc)
inspection.write({"sample_ids": [Command.create({"inspection_line_id": line.id, "result": "pass"})
                                 for line in inspection.line_ids for _ in range(line.sample_required)]})
for line in inspection.line_ids:
    line.write({"quality_verdict": "confirmed", "qty_scrap": 1, "qty_usable": line.qty_received - 1})
complete = timed(inspection.action_complete)
plan = timed(big_request.with_user(qc).action_propose_dispositions)
dispositions = big_request.disposition_ids
start_all = timed(dispositions.with_user(qc).action_start)
print(f"{'complete 50-line inspection':<32}{complete[0]:>16.1f}{complete[1] * 1000:>12.2f}   (per inspection)")
print(f"{'plan dispositions (50 lines)':<32}{plan[0]:>16.1f}{plan[1] * 1000:>12.2f}   (per request)")
print(f"{'start a disposition':<32}{start_all[0] / len(dispositions):>16.1f}"
      f"{start_all[1] * 1000 / len(dispositions):>12.2f}   ({len(dispositions)} dispositions: scrap, rework, refund)")
print(f"request after dispositions: {big_request.state}")


# Accounting (#12): the whole lifecycle of an invoiced return, create → approve → receive →
# inspect → refund posted, for 5 and 50 lines; the refund step alone.
def refund_lifecycle(line_count):
    stock_parts = parts[:line_count] if line_count <= len(parts) else parts
    for part in stock_parts:
        env["stock.quant"]._update_available_quantity(part, warehouse.lot_stock_id, 2)
    sold = env["sale.order"].with_company(company).create({
        "partner_id": customer.id, "user_id": rep.id,
        "order_line": [Command.create({"product_id": p.id, "product_uom_qty": 2}) for p in stock_parts],
    })
    sold.action_confirm()
    for move in sold.picking_ids.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    sold.picking_ids.button_validate()
    sold._create_invoices().action_post()
    env.flush_all()
    counts = {}
    start_queries = env.cr.sql_log_count
    start_time = time.perf_counter()
    request = Request.create({
        "partner_id": customer.id, "criterion_quality": True, "customer_wish": "return",
        "line_ids": [Command.create({"origin_move_id": m.id, "quantity": 2}) for m in sold.picking_ids.move_ids],
    })
    request.action_submit()
    for approval in request.approval_line_ids.sorted("sequence"):
        request.with_user(approval._signers()[:1])._action_approve_step("ok")
    receipt = request.receipt_ids.with_user(keeper)
    receipt.write({"rma_doc_return_list": True, "rma_doc_waybill": True})
    for move in receipt.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    receipt.button_validate()
    inspection = request.inspection_ids.with_user(qc)
    inspection.write({"sample_ids": [Command.create({"inspection_line_id": line.id, "result": "pass"})
                                     for line in inspection.line_ids for _ in range(line.sample_required)]})
    for line in inspection.line_ids:
        line.write({"quality_verdict": "confirmed", "qty_scrap": 0, "qty_usable": line.qty_received})
    inspection.action_complete()
    refunds = env["rma.disposition"].with_user(qc).create([{
        "request_id": request.id, "request_line_id": line.id, "disposition_type": "refund", "quantity": 2,
    } for line in request.line_ids])
    env.flush_all()
    counts["lifecycle before the refund"] = (env.cr.sql_log_count - start_queries, time.perf_counter() - start_time)
    counts["refund step"] = timed(refunds.action_start)
    total = counts["lifecycle before the refund"][0] + counts["refund step"][0]
    credit_note = env["account.move"].search([
        ("rma_request_id", "=", request.id), ("rma_entry_purpose", "=", "refund"),
    ])
    return counts, total, credit_note


for line_count in (5, 50):
    counts, total, credit_note = refund_lifecycle(line_count)
    for label, (queries, seconds) in counts.items():
        print(f"{f'{label} ({line_count} lines)':<40}{queries:>10}{seconds * 1000:>12.2f}")
    print(f"{f'whole lifecycle, refund posted ({line_count} lines)':<40}{total:>10}"
          f"   credit note {credit_note.name} {credit_note.payment_state}, {len(credit_note.invoice_line_ids)} lines")
print("compare (same 5-line return): OCA rma 19.0 551 queries, Odoo return + reversal credit note 516")
env.cr.rollback()
