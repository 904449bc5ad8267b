# Executed by `scripts/benchmark.sh compare` inside `odoo-bin shell` (env is given), in a scratch
# copy of the demo database. Runs the same 5-line customer return through plain Odoo, OCA `rma`
# (when installed in that copy) and rma_factory, interleaved, and prints queries and milliseconds
# per return, step by step, then our own steps at 5 and 50 lines. Rolls back at the end.
# ruff: noqa: F821
import os
import time
from collections import defaultdict

from odoo import Command, fields

ROUNDS = int(os.environ.get("RMA_BENCH_ROUNDS", "60"))
LINES = 5
QTY = 2

company = env.ref("rma_factory.company_hg_pump")
env = env(context=dict(env.context, allowed_company_ids=company.ids, tracking_disable=False))
admin = env.ref("base.user_admin")
rep = env.ref("rma_factory.user_sales_rep")
keeper = env.ref("rma_factory.user_warehouse_keeper")
qc = env.ref("rma_factory.user_qc_inspector")
customer = env.ref("rma_factory.customer_ruifeng")
warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
has_oca = "rma" in env and "rma.operation" in env
if has_oca:
    admin.group_ids |= env.ref("rma.rma_group_manager")
    oca_refund = env.ref("rma.rma_operation_refund")

parts = env["product.product"].create([
    {"name": f"Benchmark part {i}", "type": "consu", "is_storable": True, "default_code": f"BP{i:03d}",
     "categ_id": env.ref("rma_factory.product_seal_ms35").categ_id.id, "list_price": 10 + i,
     "invoice_policy": "delivery"}
    for i in range(50)
])


def sold_and_delivered(line_count):
    """A sale order of `line_count` products, delivered and invoiced (set-up, not measured)."""
    for part in parts[:line_count]:
        env["stock.quant"]._update_available_quantity(part, warehouse.lot_stock_id, QTY)
    order = env["sale.order"].with_company(company).create({
        "partner_id": customer.id, "user_id": rep.id, "team_id": env.ref("rma_factory.sales_team_east").id,
        "order_line": [Command.create({"product_id": p.id, "product_uom_qty": QTY}) for p in parts[:line_count]],
    })
    order.action_confirm()
    for move in order.picking_ids.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    order.picking_ids.button_validate()
    order._create_invoices().action_post()
    env.flush_all()
    env.invalidate_all()
    return order


class Meter:
    """Queries and seconds of each step, summed over the rounds."""

    def __init__(self):
        self.steps = defaultdict(lambda: [0, 0.0])

    def __call__(self, label, func):
        env.flush_all()
        queries, start = env.cr.sql_log_count, time.perf_counter()
        result = func()
        env.flush_all()
        # The chatter's tracking messages are written at commit: count them with their step.
        env.cr.precommit.run()
        self.steps[label][0] += env.cr.sql_log_count - queries
        self.steps[label][1] += time.perf_counter() - start
        return result

    def total(self, until=None):
        labels = list(self.steps)
        if until:
            labels = labels[:labels.index(until) + 1]
        return sum(self.steps[x][0] for x in labels), sum(self.steps[x][1] for x in labels)


def return_wizard(picking, user, **values):
    wizard = env["stock.return.picking"].with_user(user).with_context(
        active_id=picking.id, active_model="stock.picking").create({"picking_id": picking.id, **values})
    for line in wizard.product_return_moves:
        line.quantity = line.move_id.quantity
    return wizard


def validate(picking):
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    picking.button_validate()


def plain_odoo(order, meter):
    """Odoo alone: the return wizard, the validated return, a reversal credit note posted."""
    delivery = order.picking_ids
    invoice = order.invoice_ids.with_user(admin)

    def create_return():
        wizard = return_wizard(delivery, admin)
        wizard.product_return_moves.to_refund = True
        return env["stock.picking"].browse(wizard.action_create_returns()["res_id"]).with_user(admin)

    receipt = meter("return wizard", create_return)
    meter("validate the return", lambda: validate(receipt))

    def credit_note():
        reversal = env["account.move.reversal"].with_user(admin).with_context(
            active_model="account.move", active_ids=invoice.ids).create({
                "journal_id": invoice.journal_id.id, "date": fields.Date.context_today(admin),
                "reason": "Customer return"})
        refund = env["account.move"].browse(reversal.refund_moves()["res_id"]).with_user(admin)
        refund.action_post()
        return refund

    return meter("reversal credit note posted", credit_note)


def oca_rma(order, meter):
    """OCA rma: the return wizard's 'Create RMAs', the validated receipt, the refund posted."""
    delivery = order.picking_ids

    def create_rmas():
        wizard = return_wizard(delivery, admin, create_rma=True, rma_operation_id=oca_refund.id)
        wizard._onchange_create_rma()
        return env["stock.picking"].browse(wizard.action_create_returns()["res_id"]).with_user(admin)

    receipt = meter("return wizard, Create RMAs", create_rmas)
    meter("validate the receipt", lambda: validate(receipt))

    def refund():
        rmas = env["rma"].with_user(admin).search([("picking_id", "=", delivery.id)])
        rmas.filtered("can_be_refunded").action_refund()
        rmas.refund_id.filtered(lambda m: m.state == "draft").action_post()
        return rmas.refund_id

    return meter("refund posted", refund)


def rma_factory(order, meter):
    """rma_factory: request from the delivery, three approvals, receipt, inspection, refund."""
    Request = env["rma.request"].with_user(rep).with_company(company)
    moves = order.picking_ids.move_ids
    request = meter("create from the delivery", lambda: Request.create({
        "partner_id": customer.id, "criterion_quality": True, "customer_wish": "return",
        "line_ids": [Command.create({"origin_move_id": m.id, "quantity": QTY}) for m in moves],
    }))
    meter("submit", request.action_submit)
    for index, approval in enumerate(request.approval_line_ids.sorted("sequence")):
        signer = approval._signers()[:1]
        meter(f"signature {index + 1} ({approval.name})" if index < 2 else "last signature, receipt created",
              lambda s=signer: request.with_user(s)._action_approve_step("ok"))
    receipt = request.receipt_ids.with_user(keeper)
    receipt.write({"rma_doc_return_list": True, "rma_doc_waybill": True})
    meter("validate the receipt", lambda: validate(receipt))
    inspection = request.inspection_ids.with_user(qc)

    def inspect():
        inspection.write({"sample_ids": [Command.create({"inspection_line_id": line.id, "result": "pass"})
                                         for line in inspection.line_ids for _ in range(line.sample_required)]})
        inspection.line_ids.write({"quality_verdict": "confirmed", "qty_scrap": 0})
        for line in inspection.line_ids:
            line.qty_usable = line.qty_received
        inspection.action_complete()

    meter("inspection recorded and completed", inspect)

    def refund():
        refunds = env["rma.disposition"].with_user(qc).create([{
            "request_id": request.id, "request_line_id": line.id, "disposition_type": "refund", "quantity": QTY,
        } for line in request.line_ids])
        refunds.action_start()
        return env["account.move"].search([("rma_request_id", "=", request.id), ("move_type", "=", "out_refund")])

    return meter("refund dispositions started, credit note posted", refund)


flows = [("Plain Odoo", plain_odoo, "validate the return")]
if has_oca:
    flows.append(("OCA rma", oca_rma, "validate the receipt"))
flows.append(("rma_factory", rma_factory, "validate the receipt"))
meters = {name: Meter() for name, _flow, _until in flows}
checks = {}
for _round in range(ROUNDS):
    for name, flow, _until in flows:
        order = sold_and_delivered(LINES)
        credit_note = flow(order, meters[name])
        checks[name] = (credit_note.state, len(credit_note.invoice_line_ids), credit_note.amount_total)
        env.invalidate_all()

print(f"\nSide by side: {ROUNDS} interleaved {LINES}-line returns per flow (database {env.cr.dbname})")
for name, _flow, _until in flows:
    print(f"\n{name}   (last credit note: {checks[name][0]}, {checks[name][1]} lines, {checks[name][2]:.2f})")
    for label, (queries, seconds) in meters[name].steps.items():
        print(f"  {label:<50}{queries / ROUNDS:>10.1f}{seconds * 1000 / ROUNDS:>10.1f} ms")
plain_time = meters["Plain Odoo"].total()[1]
print(f"\n{'flow':<14}{'whole: queries':>16}{'ms':>9}{'× plain':>9}{'up to the validated receipt':>30}")
for name, _flow, until in flows:
    queries, seconds = meters[name].total()
    part_queries, part_seconds = meters[name].total(until)
    print(f"{name:<14}{queries / ROUNDS:>16.0f}{seconds * 1000 / ROUNDS:>9.1f}{seconds / plain_time:>9.2f}"
          f"{part_queries / ROUNDS:>20.0f} q {part_seconds * 1000 / ROUNDS:>6.1f} ms")

# Our own steps at 5 and 50 lines (one return each, after the rounds above warmed the caches).
print("\nrma_factory, queries per step at 5 and 50 lines")
by_size = {}
for size in (5, 50):
    meter = Meter()
    rma_factory(sold_and_delivered(size), meter)
    by_size[size] = meter.steps
for label in by_size[5]:
    print(f"  {label:<50}{by_size[5][label][0]:>8}{by_size[50][label][0]:>8}")
env.cr.rollback()
