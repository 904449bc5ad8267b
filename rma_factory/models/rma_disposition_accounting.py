"""The entries of a disposition (R-50, R-60): the refund credit note, the execution cost and the
scrap's value charged to the responsible department."""
from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class RmaDisposition(models.Model):
    _inherit = "rma.disposition"
    # Fixed once an entry is based on it: the posted amount can't be changed from the return.
    _rma_process_fields = ("cost_posted",)

    credit_note_line_ids = fields.One2many(
        "account.move.line", "rma_disposition_id", string="Credit Note Lines", readonly=True,
    )
    credit_note_ids = fields.Many2many("account.move", compute="_compute_credit_note_ids", string="Credit Notes")
    cost_posted = fields.Boolean(string="Execution Cost Posted", readonly=True, copy=False)

    @api.depends("credit_note_line_ids")
    def _compute_credit_note_ids(self):
        for disposition in self:
            disposition.credit_note_ids = disposition.sudo().credit_note_line_ids.move_id.filtered(
                lambda m: m.move_type == "out_refund"
            )

    def write(self, vals):
        if "execution_cost" in vals and any(d.cost_posted and d.execution_cost != vals["execution_cost"] for d in self):
            raise UserError(self.env._(
                "The execution cost is already posted to the responsible department: it can't be changed "
                "from the return any more (Finance reverses the entry in Accounting)."
            ))
        return super().write(vals)

    # ------------------------------------------------------------------ refund (R-50 refund)

    def _rma_post_refund(self):
        """Automated action: refund dispositions started get their credit notes, one per
        original invoice (the most recent first, never more than it invoiced), each line at the
        invoiced price, discount and taxes and linked to its sale order line; without an invoice,
        priced from the sale order line."""
        # The rule runs once per disposition; the ones this transaction already credited are
        # skipped without a query (a step that starts 50 refunds posts once, not 50 times).
        credited = self.env.cr.precommit.data.setdefault("rma_refunds_credited", set())
        todo_refunds = self.filtered(lambda d: d.disposition_type == "refund" and d.id not in credited)
        for request in todo_refunds.request_id:
            request._lock_for_transition()
            # The rule runs once per disposition: the first run credits every refund of the
            # request started with it (one credit note per invoice), the next ones find them done.
            dispositions = request.disposition_ids.filtered(
                lambda d: d.disposition_type == "refund" and d.state in ("confirmed", "done")
            )
            dispositions.invalidate_recordset(["credit_note_line_ids"])
            todo = dispositions.filtered(lambda d: not d.sudo().credit_note_line_ids.filtered(
                lambda line: line.move_id.move_type == "out_refund" and line.move_id.state != "cancel"
            ))
            credited.update(dispositions.ids)
            if not todo:
                continue
            credit_notes = self.env["account.move"]
            for invoice, lines in todo._rma_refund_allocations().items():
                key = f"refund:{invoice.id or 'order'}:{','.join(str(i) for i in sorted(set(todo.ids)))}"
                credit_notes |= request._rma_post_entry(
                    key, "refund", todo[0],
                    lambda todo=todo, request=request, invoice=invoice, lines=lines: todo._rma_credit_note_values(
                        request, invoice, lines),
                )
            if credit_notes:
                request._log_action(self.env._(
                    "Refund posted: %(credit_notes)s.", credit_notes=", ".join(credit_notes.mapped("name")),
                ))

    def _rma_refund_allocations(self):
        """{invoice (or no invoice): [(disposition, invoice line or sale line, quantity)]}"""
        allocations = {}
        taken = {}
        for disposition in self:
            sale_line = disposition.request_line_id.sale_line_id.sudo()
            if not sale_line:
                raise UserError(self.env._(
                    "Nothing was posted: %(disposition)s has no sale order line to refund.",
                    disposition=disposition.display_name,
                ))
            quantity = disposition.uom_id._compute_quantity(disposition.quantity, sale_line.product_uom_id)
            invoice_lines = sale_line.invoice_lines.filtered(
                lambda aml: aml.move_id.state == "posted" and aml.move_id.move_type == "out_invoice"
            ).sorted(lambda aml: (aml.move_id.invoice_date or aml.move_id.date, aml.move_id.id), reverse=True)
            if not invoice_lines:
                allocations.setdefault(self.env["account.move"], []).append((disposition, sale_line, quantity))
                continue
            refunded = sale_line.invoice_lines.filtered(
                lambda aml: aml.move_id.state == "posted" and aml.move_id.move_type == "out_refund"
            )
            for invoice_line in invoice_lines:
                if sale_line.product_uom_id.compare(quantity, 0) <= 0:
                    break
                invoice = invoice_line.move_id
                invoiced = invoice_line.product_uom_id._compute_quantity(
                    invoice_line.quantity, sale_line.product_uom_id,
                )
                credited = sum(
                    line.product_uom_id._compute_quantity(line.quantity, sale_line.product_uom_id)
                    for line in refunded.filtered(lambda aml, invoice=invoice: aml.move_id.reversed_entry_id == invoice)
                ) + taken.get(invoice_line.id, 0.0)
                share = min(quantity, invoiced - credited)
                if sale_line.product_uom_id.compare(share, 0) <= 0:
                    continue
                taken[invoice_line.id] = taken.get(invoice_line.id, 0.0) + share
                allocations.setdefault(invoice, []).append((disposition, invoice_line, share))
                quantity -= share
            if sale_line.product_uom_id.compare(quantity, 0) > 0:
                # Never credit more than was invoiced: the rest stays for the order to invoice.
                disposition.request_id._log_action(self.env._(
                    "%(disposition)s: %(quantity)s were never invoiced, nothing to credit for them.",
                    disposition=disposition.display_name, quantity=f"{quantity:g}",
                ))
        return allocations

    def _rma_credit_note_values(self, request, invoice, lines):
        company = request.company_id
        journal = request._rma_journal("out_refund")
        if invoice:
            values = {
                "partner_id": invoice.partner_id.id,
                "currency_id": invoice.currency_id.id,
                # Credited at the invoice's rate, as Odoo's reversal does.
                "invoice_currency_rate": invoice.invoice_currency_rate,
                "reversed_entry_id": invoice.id,
                "fiscal_position_id": invoice.fiscal_position_id.id,
                "ref": self.env._("Refund of %(invoice)s for %(request)s", invoice=invoice.name, request=request.name),
            }
        else:
            order = lines[0][1].order_id
            values = {
                "partner_id": order.partner_invoice_id.id,
                "currency_id": order.currency_id.id,
                "fiscal_position_id": order.fiscal_position_id.id,
                "ref": self.env._("Refund of %(order)s for %(request)s", order=order.name, request=request.name),
            }
        # The invoice lines come one per sale line: read them (and their taxes) in one go.
        self.env["account.move.line"].browse(
            source.id for _disposition, source, _quantity in lines if source._name == "account.move.line"
        ).fetch(["product_id", "name", "product_uom_id", "price_unit", "discount", "tax_ids", "account_id",
                 "analytic_distribution"])
        invoice_lines = []
        for disposition, source, quantity in lines:
            if source._name == "account.move.line":
                sale_line = disposition.request_line_id.sale_line_id
                invoice_lines.append(Command.create({
                    "product_id": source.product_id.id,
                    "name": source.name,
                    "quantity": sale_line.product_uom_id._compute_quantity(quantity, source.product_uom_id),
                    "product_uom_id": source.product_uom_id.id,
                    "price_unit": source.price_unit,
                    "discount": source.discount,
                    "tax_ids": [Command.set(source.tax_ids.ids)],
                    "account_id": source.account_id.id,
                    "analytic_distribution": source.analytic_distribution,
                    "sale_line_ids": [Command.link(sale_line.id)],
                    "rma_disposition_id": disposition.id,
                }))
            else:
                line_values = source.with_company(company)._prepare_invoice_line(quantity=quantity)
                line_values.pop("sequence", None)
                line_values["rma_disposition_id"] = disposition.id
                invoice_lines.append(Command.create(line_values))
        return dict(
            values,
            move_type="out_refund",
            journal_id=journal.id,
            invoice_date=fields.Date.context_today(self),
            invoice_origin=request.name,
            invoice_line_ids=invoice_lines,
        )

    def _rma_reverse_refund(self):
        """Automated action: a cancelled refund disposition reverses its own credit note lines."""
        for disposition in self.filtered(lambda d: d.disposition_type == "refund" and d.state == "cancel"):
            disposition.request_id._lock_for_transition()
            credit_notes = disposition.sudo().credit_note_ids.filtered(
                lambda m: m.state == "posted" and not m.rma_reversed
            )
            reversed_already = disposition.sudo().credit_note_line_ids.filtered(
                lambda aml: aml.move_id.move_type == "out_invoice" and aml.move_id.state == "posted"
            )
            if not credit_notes or reversed_already:
                continue
            reversals = credit_notes._rma_reverse(
                self.env._("%(disposition)s cancelled", disposition=disposition.display_name),
                keep_line=lambda line, d=disposition: line.rma_disposition_id == d,
            )
            disposition.request_id._log_action(self.env._(
                "Refund cancelled: %(disposition)s, reversed by %(entries)s.",
                disposition=disposition.display_name, entries=", ".join(reversals.mapped("name")),
            ))

    # ------------------------------------------------------------------ department costs

    def _rma_charge_scrap_now(self):
        """Automated action: a scrap done once the responsibility is known is charged at once."""
        for disposition in self.filtered(lambda d: d.disposition_type == "scrap" and d.state == "done"):
            account = disposition.request_id.responsible_analytic_account_id
            if account and disposition.scrap_id:
                disposition._rma_charge_scrap(account)

    def _rma_charge_department(self, analytic_account):
        """Charge the execution cost and the scrapped value to the responsible department."""
        for disposition in self:
            if disposition.execution_cost > 0 and not disposition.cost_posted:
                disposition._rma_post_execution_cost(analytic_account)
            if disposition.disposition_type == "scrap" and disposition.scrap_id and analytic_account:
                disposition._rma_charge_scrap(analytic_account)

    def _rma_post_execution_cost(self, analytic_account):
        request = self.request_id
        company = request.company_id
        key = f"execution_cost:{self.id}"
        label = self.env._("Execution cost (执行费用) of %(disposition)s", disposition=self.display_name)
        if company.rma_cost_posting == "entry":
            cost = company._rma_setting("rma_cost_account_id")
            counterpart = company._rma_setting("rma_cost_counterpart_account_id")
            distribution = {str(analytic_account.id): 100} if analytic_account else False
            request._rma_post_entry(key, "execution_cost", self, lambda: {
                "move_type": "entry",
                "journal_id": request._rma_journal("entry").id,
                "ref": label,
                "line_ids": [
                    Command.create({"name": label, "account_id": cost.id, "debit": self.execution_cost,
                                    "analytic_distribution": distribution}),
                    Command.create({"name": label, "account_id": counterpart.id, "credit": self.execution_cost}),
                ],
            })
        else:
            if not analytic_account:
                # The cost is already in the books; without a department there is nothing to charge.
                request._log_action(self.env._(
                    "Execution cost of %(disposition)s not charged to a department: the cause category has no "
                    "department analytic account (Returns → Configuration → Responsibility Rules).",
                    disposition=self.display_name,
                ))
                return
            self.env["account.analytic.line"]._rma_create_once(key, request, {
                "name": label,
                "account_id": analytic_account.id,
                "amount": -self.execution_cost,
                "date": fields.Date.context_today(self),
                "company_id": company.id,
            })
        self._rma_process().write({"cost_posted": True})

    def _rma_charge_scrap(self, analytic_account):
        """The scrap's value on the department: the valuation entry Odoo posted (real-time
        valuation) gets the department's distribution on its loss line; with periodic valuation,
        an analytic line of the same value (never a second entry in the books)."""
        scrap = self.sudo().scrap_id
        moves = scrap.move_ids.filtered(lambda m: m.state == "done")
        entries = moves.account_move_id if "account_move_id" in moves._fields else self.env["account.move"]
        loss_lines = entries.line_ids.filtered(
            lambda aml: aml.account_id == scrap.scrap_location_id.valuation_account_id and aml.debit
        )
        if loss_lines:
            loss_lines.filtered(lambda aml: not aml.analytic_distribution).write(
                {"analytic_distribution": {str(analytic_account.id): 100}}
            )
            return
        value = sum(moves.mapped("value")) if "value" in moves._fields else 0.0
        if not value:
            value = sum(move.product_id.standard_price * move.quantity for move in moves)
        if value:
            self.env["account.analytic.line"]._rma_create_once(f"scrap:{self.id}", self.request_id, {
                "name": self.env._("Scrapped (报废) %(disposition)s", disposition=self.display_name),
                "account_id": analytic_account.id,
                "amount": -abs(value),
                "date": fields.Date.context_today(self),
                "company_id": self.company_id.id,
                "product_id": self.product_id.id,
                "unit_amount": self.quantity,
            })
