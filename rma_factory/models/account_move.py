from odoo import api, fields, models
from odoo.exceptions import UserError

from .rma_process_guard import is_process_env, speaking_env

ENTRY_PURPOSES = [
    ("refund", "Refund Credit Note"),
    ("discount", "Discount Settlement"),
    ("freight_bill", "Freight Bill (Company Share)"),
    ("freight_invoice", "Freight Invoice (Customer Share)"),
    ("carrier_claim", "Carrier Claim"),
    ("deposit", "Deposit Invoice"),
    ("deposit_offset", "Deposit Offset"),
    ("deposit_kept", "Deposit Kept"),
    ("execution_cost", "Execution Cost"),
    ("reversal", "Reversal"),
]


class AccountMove(models.Model):
    """An entry the returns posted (R-60..R-62): linked to its request, its purpose and the
    document that justifies it, once. `rma_entry_key` names that (purpose, document); a unique
    index refuses a second live entry with the same key, whatever path tries to post it."""

    _name = "account.move"
    _inherit = ["account.move", "rma.process.guard"]
    _rma_process_fields = ("rma_request_id", "rma_entry_purpose", "rma_entry_key", "rma_source_ref", "rma_reversed")
    _rma_bounded = False

    rma_request_id = fields.Many2one(
        "rma.request", string="Return Request", index="btree_not_null", readonly=True, copy=False,
    )
    rma_entry_purpose = fields.Selection(ENTRY_PURPOSES, string="Return Entry", readonly=True, copy=False)
    rma_entry_key = fields.Char(string="Return Entry Key", readonly=True, copy=False, index="btree_not_null")
    rma_source_ref = fields.Reference(
        [("rma.request", "Return Request"), ("rma.disposition", "Return Disposition"),
         ("stock.picking", "Transfer"), ("rma.carrier.incident", "Customer Receipt Incident"),
         ("account.move", "Journal Entry")],
        string="Return Source Document", readonly=True, copy=False,
    )
    # Reversed by the returns: its key is free again (a deposit asked for again after a reset).
    rma_reversed = fields.Boolean(string="Reversed by the Returns", readonly=True, copy=False)
    # Read by Finance, who does not read incidents: their numbers only.
    rma_withheld_for = fields.Char(compute="_compute_rma_withheld_for", string="Withheld for Claims")

    _rma_entry_once = models.UniqueIndex(
        "(rma_entry_key) WHERE (rma_entry_key IS NOT NULL AND rma_reversed IS NOT TRUE)",
        "This return entry is already posted: the returns post each entry once.",
    )

    def _rma_open_claims(self):
        """The open carrier claims these bills are withheld for."""
        # Only vendor bills are withheld (freight): an invoice or a credit note reads nothing of ours.
        ids = [move.id for move in self if isinstance(move.id, int) and move.move_type == "in_invoice"]
        if not ids:
            return self.env["rma.carrier.incident"].sudo()
        return self.env["rma.carrier.incident"].sudo().search([
            ("freight_bill_ids", "in", ids), ("state", "not in", ("done", "refused")),
        ])

    def _compute_rma_withheld_for(self):
        claims = self._rma_open_claims()
        for move in self:
            mine = claims.filtered(lambda incident, move=move: move.id in incident.freight_bill_ids.ids)
            move.rma_withheld_for = ", ".join(mine.mapped("name")) or False

    def action_view_rma_request(self):
        self.ensure_one()
        return self.rma_request_id._get_records_action(name=self.rma_request_id.name)

    # ------------------------------------------------------------------ payment block

    def _rma_check_payment_allowed(self):
        """A carrier's freight bill withheld for an open damage claim is not paid."""
        withheld = self.filtered(lambda m: m.payment_state == "blocked" and m.rma_withheld_for)
        if withheld:
            move = withheld[0]
            raise UserError(self.env._(
                "%(bill)s is withheld until the carrier's claim %(claims)s is settled: no payment is "
                "registered for it before.", bill=move.display_name, claims=move.rma_withheld_for,
            ))

    def action_register_payment(self):
        self._rma_check_payment_allowed()
        return super().action_register_payment()

    def action_force_register_payment(self):
        self._rma_check_payment_allowed()
        return super().action_force_register_payment()

    def action_toggle_block_payment(self):
        # Unblocking by hand does not settle the claim: the incident's closing does.
        self.filtered(lambda m: m.payment_state == "blocked" and not self.env.context.get("rma_claim_settled")) \
            ._rma_check_payment_allowed()
        return super().action_toggle_block_payment()

    # ------------------------------------------------------------------ returns' entries

    @api.model
    def _rma_search_live(self, keys):
        """The live (not reversed) entries posted under `keys`."""
        return self.sudo().with_context(active_test=False).search(
            [("rma_entry_key", "in", list(keys)), ("rma_reversed", "=", False)]
        )

    @api.model
    def _rma_create_entry(self, values, request, key, purpose, source, post=True):
        """Create (as the process, whoever triggered it) and post one entry of the returns."""
        company = request.company_id if request else self.env.company
        move = self.sudo().with_company(company)._rma_process().create(dict(
            values,
            company_id=company.id,
            rma_request_id=request.id if request else False,
            rma_entry_purpose=purpose,
            rma_entry_key=key,
            rma_source_ref=f"{source._name},{source.id}",
        ))
        if post:
            move.action_post()
        return move

    @api.depends("rma_entry_key")
    def _compute_show_reset_to_draft_button(self):
        result = super()._compute_show_reset_to_draft_button()
        for move in self.filtered(lambda m: m.rma_entry_key and m.state == "posted"):
            move.show_reset_to_draft_button = False
        return result

    def button_draft(self):
        # A posted return entry is the request's record of what was refunded or charged: reset to
        # draft it could be edited or deleted behind the request's back. It is reversed instead.
        posted_by_returns = self.filtered(lambda move: move.rma_entry_key and move.state == "posted")
        if posted_by_returns and not is_process_env(self.env):
            raise UserError(speaking_env(self)._(
                "%(entries)s was posted by the returns for %(request)s: it can't go back to draft. "
                "Reverse it (its Reverse button) to correct it; the reversal stays on the request.",
                entries=posted_by_returns[0].name, request=posted_by_returns[0].rma_request_id.name or "-",
            ))
        return super().button_draft()

    def _rma_match_total(self, total):
        """Make this draft invoice's total `total`: a tax-excluded price can't always give an
        amount agreed tax included (100 at 13 % is 88.50 + 11.51), so the tax takes the cent
        left, as when an accountant edits the tax amount in the invoice's totals (Odoo's own
        inverse of `tax_totals`)."""
        self.ensure_one()
        delta = self.currency_id.round(total - self.amount_total)
        totals = self.tax_totals
        groups = [group for subtotal in totals["subtotals"] for group in subtotal["tax_groups"]] if totals else []
        if self.currency_id.is_zero(delta) or not groups:
            return
        groups[0]["tax_amount_currency"] += delta
        self.tax_totals = totals

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # A return entry reversed in Accounting (its Reverse button) stays on its request: the
        # reversal is listed on the request's Accounting tab, and the entry's key is free again.
        reversals = super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)
        for move, reversal in zip(self, reversals, strict=False):
            if move.rma_entry_key and not reversal.rma_entry_key:
                reversal.sudo()._rma_process().write({
                    "rma_request_id": move.rma_request_id.id,
                    "rma_entry_purpose": "reversal",
                    "rma_entry_key": f"reversal:{move.id}:{reversal.id}",
                    "rma_source_ref": f"account.move,{move.id}",
                })
                if not self.env.context.get("rma_partial_reversal"):
                    move.sudo()._rma_process().write({"rma_reversed": True})
        return reversals

    def _rma_reverse(self, reason, keep_line=None):
        """Reverse these entries with Odoo's reversal (reconciled with the original when it is
        open), never delete them. `keep_line(line)`: only those invoice lines are reversed."""
        reversals = self.browse()
        for move in self.sudo().filtered(lambda m: m.state == "posted" and not m.rma_reversed):
            reversal = move._rma_process().with_context(rma_partial_reversal=bool(keep_line))._reverse_moves([{
                "ref": self.env._("Reversal of %(entry)s: %(reason)s", entry=move.name, reason=reason),
                "date": fields.Date.context_today(self),
                "invoice_date": fields.Date.context_today(self) if move.is_invoice(include_receipts=True) else False,
            }])
            # The reversal's lines reverse the lines in the same position (Odoo copies them in order).
            pairs = list(zip(move.invoice_line_ids.sorted("sequence"), reversal.invoice_line_ids.sorted("sequence"),
                             strict=False))
            for origin, line in pairs:
                if origin.rma_disposition_id:
                    line._rma_process().write({"rma_disposition_id": origin.rma_disposition_id.id})
            if keep_line:
                dropped = reversal.invoice_line_ids.browse([line.id for origin, line in pairs if not keep_line(origin)])
                if dropped:
                    reversal.invoice_line_ids = [fields.Command.unlink(line.id) for line in dropped]
            reversal.action_post()
            if not keep_line or not move.invoice_line_ids.filtered(lambda aml: not keep_line(aml)):
                move._rma_process().write({"rma_reversed": True})
            reversals |= reversal
        return reversals
