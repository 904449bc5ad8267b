"""Two users do the same step at the same moment, each in their own transaction (run in
`odoo-bin shell` on a database with the demo data; prints one JSON line per scenario).

A double click, or two approvers on one request, must give exactly one result: the second one
is refused (a UserError once the first committed, or PostgreSQL's lock / serialization error,
which Odoo's RPC answers by retrying the call, and the retry meets the UserError).
"""
import json
import threading

from psycopg2 import errors as pg_errors

from odoo import Command, api
from odoo.exceptions import UserError

REFUSALS = (UserError, pg_errors.SerializationFailure, pg_errors.LockNotAvailable)


def run_twice(registry, login, step):
    """Run `step(env)` in two threads, each in its own cursor as `login`, started together."""
    barrier = threading.Barrier(2)
    outcomes = []

    def worker():
        with registry.cursor() as cr:
            user_env = api.Environment(cr, 1, {})
            user = user_env["res.users"].search([("login", "=", login)])
            env = api.Environment(cr, user.id, {"lang": "en_US"})
            barrier.wait()
            try:
                step(env)
                cr.commit()
                outcomes.append("done")
            except REFUSALS as error:
                cr.rollback()
                outcomes.append(type(error).__name__)
            except Exception as error:  # reported, for the test to show it
                cr.rollback()
                outcomes.append(f"unexpected {type(error).__name__}: {error}")

    threads = [threading.Thread(target=worker) for _index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(outcomes)


def fresh(registry):
    """A new cursor, to read what the two transactions committed."""
    cr = registry.cursor()
    return cr, api.Environment(cr, 1, {"lang": "en_US"})


def prepare_delivery(env):
    """A delivery of the demo sales rep's customer and product, shipped and committed."""
    template = env["rma.request"].search([("user_id.login", "=", "sales"), ("state", "=", "approved")], limit=1)
    rep = template.user_id
    order = env["sale.order"].create({
        "partner_id": template.partner_id.id, "user_id": rep.id, "team_id": template.team_id.id,
        "company_id": template.company_id.id,
        "order_line": [Command.create({"product_id": template.line_ids[0].product_id.id, "product_uom_qty": 2})],
    })
    order.action_confirm()
    delivery = order.picking_ids
    for move in delivery.move_ids:
        move.write({"quantity": move.product_uom_qty, "picked": True})
    delivery.button_validate()
    request = env["rma.request"].with_user(rep).create({
        "partner_id": template.partner_id.id, "criterion_quality": True,
        "line_ids": [Command.create(values)
                     for values in env["rma.request.line"]._prepare_from_moves(delivery.move_ids)],
    })
    env.cr.commit()
    return request.id, rep.login


def main(env):
    registry = env.registry
    results = {}
    request_id, rep_login = prepare_delivery(env)

    # Submit: the rep's draft, submitted twice at once (a double click).
    results["submit"] = run_twice(registry, rep_login, lambda e: e["rma.request"].browse(request_id).action_submit())
    cr, check = fresh(registry)
    with cr:
        request = check["rma.request"].browse(request_id)
        results["submit_state"] = request.state
        results["submit_steps"] = len(request.approval_line_ids)
        results["submit_distinct_steps"] = len(request.approval_line_ids.step_id)
        current = request.current_approval_id
        signer_login = current._signers()[:1].login

    # Approve: the waiting step, signed twice at once by its signer.
    results["approve"] = run_twice(
        registry, signer_login, lambda e: e["rma.request"].browse(request_id)._action_approve_step("OK"),
    )
    cr, check = fresh(registry)
    with cr:
        request = check["rma.request"].browse(request_id)
        results["approve_signed"] = len(request.approval_line_ids.filtered(lambda a: a.state == "approved"))
        # The other steps, one after the other, so that the goods may come back.
        for approval in request.approval_line_ids.filtered(lambda a: a.state == "pending"):
            signer = approval._signers()[:1]
            request.with_user(signer)._action_approve_step("OK")
        results["approved_state"] = request.state
        receipt = request.receipt_ids
        receipt.write({"rma_doc_return_list": True, "rma_doc_waybill": True})
        for move in receipt.move_ids:
            move.write({"quantity": move.product_uom_qty, "picked": True})
        cr.commit()
        receipt_id = receipt.id

    # Validate: the return receipt, validated twice at once by the keeper.
    results["validate"] = run_twice(
        registry, "warehouse", lambda e: e["stock.picking"].browse(receipt_id).button_validate(),
    )
    cr, check = fresh(registry)
    with cr:
        request = check["rma.request"].browse(request_id)
        results["validate_state"] = check["stock.picking"].browse(receipt_id).state
        results["validate_inspections"] = len(request.inspection_ids)
        results["validate_received"] = request.qty_received_total
        results["validate_request_state"] = request.state

    # Post: the deposit invoice of an advance replacement, requested twice at once (#12).
    # A fresh cursor: the shell's own transaction saw the stock before the validations above.
    cr, setup = fresh(registry)
    with cr:
        deposit_request_id, rep_login = prepare_delivery(setup)
        setup["rma.request"].browse(deposit_request_id).write({"advance_replacement": True, "deposit_amount": 800})
        cr.commit()
    results["deposit"] = run_twice(
        registry, rep_login, lambda e: e["rma.request"].browse(deposit_request_id).action_request_deposit(),
    )
    cr, check = fresh(registry)
    with cr:
        invoices = check["account.move"].search([("rma_request_id", "=", deposit_request_id)])
        results["deposit_invoices"] = [(move.rma_entry_purpose, move.state, move.amount_total) for move in invoices]
    print("CONCURRENCY " + json.dumps(results))


main(env)  # noqa: F821 - `env` is given by odoo-bin shell
