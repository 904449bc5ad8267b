"""Accounting of a return (R-60..R-62, R-71 财务办理).

The entries are posted by automated actions (``base.automation`` records of
``data/rma_automation_data.xml``, switchable in Settings → Technical → Automation Rules) when the
request or its document reaches the stage that justifies them; each calls one ``_rma_post_*``
method here or on the disposition / incident. Every entry goes through ``_rma_post_entry``:
the request row is locked (NOWAIT), an entry already posted under the same key is returned
instead of a second one, and a unique index on the key stops whatever slipped past the lock.
"""
from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .rma_freight_rule import FREIGHT_CAUSES
from .rma_request import BEFORE_RETURN_STATES

# The request type decides who pays the return freight, unless the rep says otherwise.
FREIGHT_CAUSE_BY_TYPE = {
    "wrong_shipment": "wrong_shipment",
    "transport_damage": "carrier",
    "commissioned_rework": "customer",
    "rental_return": "customer",
    "exhibition_return": "other",
    "sample_return": "other",
}
# Deposit states, from the entries: the invoice, its payment, its offset or keeping.
DEPOSIT_STATES = [
    ("none", "No Deposit"),
    ("requested", "Waiting for Deposit"),
    ("received", "Deposit In"),
    ("offset", "Deposit Offset"),
    ("kept", "Deposit Kept"),
]


class RmaRequest(models.Model):
    _inherit = "rma.request"
    _rma_process_fields = (
        "finance_booked_by_id", "finance_booked_date", "finance_booking_note", "deposit_kept_reason",
    )

    move_ids = fields.One2many("account.move", "rma_request_id", string="Accounting Entries", readonly=True)
    move_count = fields.Integer(string="Entries", compute="_compute_move_count")
    freight_cause = fields.Selection(
        FREIGHT_CAUSES, string="Freight Borne As", compute="_compute_freight_cause", store=True, readonly=False,
        precompute=True, tracking=True,
        help="Who pays the return freight (运费) follows this cause and Settings → Returns → Freight Rules.",
    )
    deposit_state = fields.Selection(
        DEPOSIT_STATES, compute="_compute_deposit_state", search="_search_deposit_state", store=False,
        readonly=True, required=False, default=None,
        help="Follows the deposit invoice: posted (waiting), paid (in), reversed when the return is "
        "verified (offset), or kept by a manager when the goods never came back.",
    )
    deposit_invoice_id = fields.Many2one("account.move", compute="_compute_deposit_state")
    deposit_kept_reason = fields.Text(string="Deposit Kept Because", readonly=True, copy=False)
    # 财务办理: Finance signs after checking the entries.
    finance_booking_note = fields.Text(string="Finance Note", readonly=True, copy=False, groups="base.group_user")
    finance_booked_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    finance_booked_date = fields.Datetime(string="Finance Booked On", readonly=True, copy=False)
    needs_finance_booking = fields.Boolean(compute="_compute_move_count")
    can_finance_book = fields.Boolean(compute="_compute_accounting_buttons")
    can_keep_deposit = fields.Boolean(compute="_compute_accounting_buttons")

    def _check_editable(self, vals):
        result = super()._check_editable(vals)
        # Each validated receipt's freight is posted under the cause of that moment: one request,
        # one rule.
        self._check_field_rule(
            vals, {"freight_cause"}, lambda request: request.state in BEFORE_RETURN_STATES,
            self.env._("goods were already received, and their freight is posted under it."),
        )
        return result

    @api.depends("request_type")
    def _compute_freight_cause(self):
        for request in self:
            request.freight_cause = FREIGHT_CAUSE_BY_TYPE.get(request.request_type, "quality")

    @api.depends("finance_booked_date", "move_ids")
    def _compute_move_count(self):
        moves = self.env["account.move"].sudo().search([("rma_request_id", "in", self.ids)]) if self.ids else []
        for request in self:
            mine = [m for m in moves if m.rma_request_id.id == request.id]
            request.move_count = len(mine)
            # Whole seconds, as the booking's time is stored.
            latest = max((m.create_date.replace(microsecond=0) for m in mine), default=False)
            request.needs_finance_booking = bool(mine) and (
                not request.finance_booked_date or latest > request.finance_booked_date
            )

    @api.depends("move_ids.payment_state", "move_ids.rma_reversed")
    def _compute_deposit_state(self):
        moves = self.env["account.move"].sudo().search([
            ("rma_request_id", "in", self.ids), ("rma_reversed", "=", False),
            ("rma_entry_purpose", "in", ("deposit", "deposit_offset", "deposit_kept")),
        ]) if self.ids else self.env["account.move"]
        for request in self:
            mine = moves.filtered(lambda m, request=request: m.rma_request_id == request)
            invoice = mine.filtered(lambda m: m.rma_entry_purpose == "deposit")[:1]
            request.deposit_invoice_id = invoice
            if not invoice:
                request.deposit_state = "none"
            elif mine.filtered(lambda m: m.rma_entry_purpose == "deposit_kept"):
                request.deposit_state = "kept"
            elif invoice.reversal_move_ids.filtered(lambda m: m.rma_entry_purpose == "deposit_offset"):
                request.deposit_state = "offset"
            elif invoice.payment_state in ("paid", "in_payment"):
                request.deposit_state = "received"
            else:
                request.deposit_state = "requested"

    def _search_deposit_state(self, operator, value):
        if operator not in ("=", "in"):
            return NotImplemented
        values = {value} if operator == "=" else set(value)
        # Only a replacement before the return has a deposit: the others are "none".
        advance = self.sudo().search([("advance_replacement", "=", True)])
        matching = advance.filtered(lambda r: r.deposit_state in values).ids
        if "none" in values:
            return ["|", ("advance_replacement", "=", False), ("id", "in", matching)]
        return [("id", "in", matching)]

    @api.depends("state", "deposit_state", "needs_finance_booking", "return_deadline")
    @api.depends_context("uid")
    def _compute_accounting_buttons(self):
        user = self.env.user
        is_finance = user.has_group("account.group_account_invoice")
        is_manager = user.has_group("rma_factory.group_rma_manager")
        for request in self:
            request.can_finance_book = is_finance and request.state != "cancel" and request.needs_finance_booking
            request.can_keep_deposit = (
                is_manager and request.deposit_state == "received"
                and request.state in ("approved", "partially_received")
                and bool(request.return_deadline) and request.return_deadline < fields.Date.context_today(request)
            )

    # ------------------------------------------------------------------ posting, once

    def _rma_post_entry(self, key, purpose, source, build_values, post=True):
        """Post the entry `key` of this request once: lock the request, return the live entry
        already posted under `key`, else create it from `build_values()` and post it."""
        self.ensure_one()
        self._lock_for_transition()
        existing = self.env["account.move"]._rma_search_live([key])
        if existing:
            return existing
        values = build_values()
        if not values:
            return self.env["account.move"]
        return self.env["account.move"]._rma_create_entry(values, self, key, purpose, source, post=post)

    def _rma_journal(self, move_type):
        company = self.company_id
        if move_type in ("out_invoice", "out_refund"):
            return company._rma_setting("rma_refund_journal_id")
        journal_type = "purchase" if move_type in ("in_invoice", "in_refund") else "general"
        return company._rma_journal_of_type(journal_type, required=True)

    def _rma_department_distribution(self):
        account = self.responsible_analytic_account_id
        return {str(account.id): 100} if account else False

    # ------------------------------------------------------------------ discount settlement

    def _rma_post_discount_settlement(self):
        """Automated action: a request settled by discount gets its credit note on the invoice."""
        for request in self.filtered(lambda r: r.outcome == "discount" and r.discount_amount > 0):
            credit_note = request._rma_post_entry(
                f"discount:{request.id}", "discount", request, request._rma_discount_credit_note_values, post=False,
            )
            if credit_note.state == "draft":
                # The customer agreed on an amount tax included: exactly that is credited.
                credit_note._rma_match_total(request.discount_amount)
                credit_note.action_post()

    def _rma_discount_credit_note_values(self):
        invoice = self.discount_invoice_id or self._rma_latest_invoice()
        company = self.company_id
        account = company._rma_setting("rma_allowance_account_id")
        source_lines = invoice.invoice_line_ids if invoice else self.line_ids.sale_line_id
        taxes = self.env["account.tax"]
        if invoice:
            product_lines = invoice.invoice_line_ids.filtered(lambda aml: aml.display_type == "product")
            taxes = max(product_lines, key=lambda aml: abs(aml.price_subtotal), default=product_lines).tax_ids
        elif source_lines:
            taxes = source_lines[0].tax_ids
        currency = invoice.currency_id if invoice else company.currency_id
        price = self.env["account.tax"]._rma_price_excluding(taxes, self.discount_amount, currency)
        return {
            "move_type": "out_refund",
            "partner_id": (invoice.partner_id if invoice else self.partner_id.commercial_partner_id).id,
            "journal_id": self._rma_journal("out_refund").id,
            "currency_id": currency.id,
            "reversed_entry_id": invoice.id or False,
            "fiscal_position_id": invoice.fiscal_position_id.id if invoice else False,
            "invoice_origin": self.name,
            "ref": self.env._("%(request)s: discount agreed instead of a return", request=self.name),
            "invoice_line_ids": [Command.create({
                "name": self.env._("Sales allowance for %(request)s (tax included %(amount)s)",
                                   request=self.name, amount=f"{self.discount_amount:.2f}"),
                "account_id": account.id,
                "quantity": 1,
                "price_unit": price,
                "tax_ids": [Command.set(taxes.ids)],
                "analytic_distribution": self._rma_department_distribution(),
            })],
        }

    def _rma_latest_invoice(self):
        return self.line_ids.sale_line_id.invoice_lines.move_id.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        ).sorted(lambda m: (m.invoice_date or m.date, m.id))[-1:]

    # ------------------------------------------------------------------ freight

    def _rma_post_freight(self):
        """Automated action: each validated return receipt with a freight amount gets the
        carrier's bill for the company's (and the claimed) share and the customer's invoice for
        theirs, following the freight rule of the request's cause."""
        for request in self:
            for picking in request.sudo().receipt_ids.filtered(
                lambda p: p.state == "done" and p.picking_type_code == "incoming" and p.rma_freight_amount > 0
            ):
                request._rma_post_freight_of(picking)

    def _rma_post_freight_of(self, picking):
        rule = self.env["rma.freight.rule"]._rule_for(self.company_id, self.freight_cause)
        amount = picking.rma_freight_amount
        currency = self.company_id.currency_id
        billed = currency.round(amount * (rule.company_share + rule.carrier_share) / 100)
        customer_share = currency.round(amount - billed) if rule.customer_share else 0.0
        if billed:
            bill = self._rma_post_entry(
                f"freight_bill:{picking.id}", "freight_bill", picking,
                lambda: self._rma_freight_bill_values(picking, billed),
            )
            if rule.carrier_share and bill.payment_state != "blocked":
                # Carrier damage: the carrier is paid once its claim is settled.
                bill.action_toggle_block_payment()
        if customer_share:
            self._rma_post_entry(
                f"freight_invoice:{picking.id}", "freight_invoice", picking,
                lambda: self._rma_freight_invoice_values(picking, customer_share),
            )

    def _rma_freight_bill_values(self, picking, amount):
        company = self.company_id
        account = company._rma_setting("rma_freight_account_id")
        if not picking.rma_carrier_id:
            raise UserError(self.env._("Nothing was posted: enter the carrier of the freight on %(picking)s.",
                                       picking=picking.name))
        return {
            "move_type": "in_invoice",
            "partner_id": picking.rma_carrier_id.id,
            "journal_id": self._rma_journal("in_invoice").id,
            "invoice_date": fields.Date.context_today(self),
            "ref": self.env._("Return freight %(picking)s (%(request)s)", picking=picking.name, request=self.name),
            "invoice_origin": self.name,
            "invoice_line_ids": [Command.create({
                "name": self.env._("Return freight of %(picking)s", picking=picking.name),
                "account_id": account.id,
                "quantity": 1,
                "price_unit": amount,
                "tax_ids": [Command.clear()],
                "analytic_distribution": self._rma_department_distribution(),
            })],
        }

    def _rma_customer_invoice_values(self, ref, line_values):
        """A customer invoice of the returns (freight share, deposit): one line, dated today."""
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.commercial_partner_id.id,
            "journal_id": self._rma_journal("out_invoice").id,
            "invoice_date": fields.Date.context_today(self),
            "invoice_origin": self.name,
            "ref": ref,
            "invoice_line_ids": [Command.create(dict(line_values, quantity=1))],
        }

    def _rma_freight_invoice_values(self, picking, amount):
        product = self.company_id._rma_setting("rma_freight_product_id")
        return self._rma_customer_invoice_values(
            self.env._("Customer's share of the return freight %(picking)s", picking=picking.name), {
                "product_id": product.id,
                "name": self.env._("Return freight of %(picking)s (%(request)s), customer's share",
                                   picking=picking.name, request=self.name),
                "price_unit": amount,
            },
        )

    # ------------------------------------------------------------------ deposit

    def action_request_deposit(self):
        """Sales asks for the deposit: its invoice is posted (deposit product → liability)."""
        for request in self:
            if not request.advance_replacement:
                raise UserError(self.env._("A deposit is only asked for a replacement before the return."))
            if request.deposit_amount <= 0:
                raise UserError(self.env._("Enter the deposit amount agreed with the customer."))
            if request.deposit_state != "none":
                raise UserError(self.env._("The deposit of %(request)s is already %(state)s.",
                                           request=request.name, state=request._deposit_state_label()))
        self._check_action_allowed("can_request_deposit", self.env._("request the deposit of"))
        for request in self:
            request._rma_post_entry(f"deposit:{request.id}", "deposit", request, request._rma_deposit_invoice_values)
            request._log_action(self.env._(
                "Deposit of %(amount)s invoiced to the customer (%(invoice)s).",
                amount=f"{request.deposit_amount:.2f}", invoice=request.deposit_invoice_id.name,
            ))
        return True

    def _rma_deposit_invoice_values(self):
        company = self.company_id
        product = company._rma_setting("rma_deposit_product_id")
        account = company._rma_setting("rma_deposit_account_id")
        return self._rma_customer_invoice_values(
            self.env._("Deposit for the advance replacement of %(request)s", request=self.name), {
                "product_id": product.id,
                "name": self.env._("Deposit (押金) for %(request)s", request=self.name),
                "account_id": account.id,
                "price_unit": self.deposit_amount,
                # A deposit is owed back, not a sale: no VAT.
                "tax_ids": [Command.clear()],
            },
        )

    def action_deposit_received(self):
        """Finance records the customer's payment of the deposit: Odoo's own payment of the
        deposit invoice (the deposit is in once the invoice is paid)."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise UserError(self.env._("Only Finance confirms that a deposit was received."))
        self.ensure_one()
        if self.deposit_state != "requested":
            raise UserError(self.env._("No deposit is waiting on %(request)s.", request=self.name))
        self._check_action_allowed("can_confirm_deposit", self.env._("confirm the deposit of"))
        return self.deposit_invoice_id.action_register_payment()

    def _rma_offset_deposit(self):
        """Automated action: the return is verified, the deposit is offset by a credit note on
        its invoice (reconciled with it while unpaid; open for a refund or the replacement's
        invoice once paid)."""
        for request in self.filtered(lambda r: r.deposit_state in ("requested", "received")):
            invoice = request.deposit_invoice_id
            request._lock_for_transition()
            if self.env["account.move"]._rma_search_live([f"deposit_offset:{invoice.id}"]):
                continue
            reversal = invoice._rma_reverse(self.env._("the return of %(request)s is verified", request=request.name))
            reversal._rma_process().write({
                "rma_entry_purpose": "deposit_offset", "rma_entry_key": f"deposit_offset:{invoice.id}",
            })
            invoice._rma_process().write({"rma_reversed": False})
            request._log_action(self.env._(
                "Return verified: the deposit is offset by %(credit_note)s.", credit_note=reversal.name,
            ))

    def action_open_keep_deposit(self):
        self._check_action_allowed("can_keep_deposit", self.env._("keep the deposit of"))
        return self._open_wizard(
            "rma.deposit.waiver.wizard", self.env._("Keep the Deposit"), {"rma_keep_deposit": True},
        )

    def action_keep_deposit(self, reason):
        """The goods did not come back by the deadline: a manager keeps the deposit (income)."""
        if not self.env.user.has_group("rma_factory.group_rma_manager"):
            raise UserError(self.env._("Only a manager keeps a customer's deposit."))
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the deposit is kept."))
        self._check_action_allowed("can_keep_deposit", self.env._("keep the deposit of"))
        for request in self:
            request._rma_post_entry(
                f"deposit_kept:{request.id}", "deposit_kept", request, request._rma_deposit_kept_values,
            )
        self._rma_process().write({"deposit_kept_reason": reason})
        for request in self:
            request._log_action(self.env._(
                "%(user)s keeps the deposit: the goods were due back on %(deadline)s. %(reason)s",
                user=self.env.user.name, deadline=request.return_deadline, reason=reason,
            ))
        return True

    def _rma_deposit_kept_values(self):
        company = self.company_id
        liability = company._rma_setting("rma_deposit_account_id")
        income = company._rma_setting("rma_deposit_kept_account_id")
        partner = self.partner_id.commercial_partner_id
        amount = self.deposit_invoice_id.amount_total
        label = self.env._("Deposit of %(request)s kept: goods not returned", request=self.name)
        return {
            "move_type": "entry",
            "journal_id": self._rma_journal("entry").id,
            "ref": label,
            "line_ids": [
                Command.create({"name": label, "account_id": liability.id, "partner_id": partner.id, "debit": amount}),
                Command.create({"name": label, "account_id": income.id, "partner_id": partner.id, "credit": amount}),
            ],
        }

    def _deposit_state_label(self):
        return dict(self._fields["deposit_state"]._description_selection(self.env))[self.deposit_state]

    # ------------------------------------------------------------------ department costs

    def _rma_post_department_costs(self):
        """Automated action: at the GM approval the responsibility is decided, so the costs are
        charged to the responsible department: execution costs, the scrap's value, the freight."""
        for request in self:
            account = request.responsible_analytic_account_id
            request.disposition_ids.filtered(lambda d: d.state == "done")._rma_charge_department(account)
            if account:
                freight_lines = request.sudo().move_ids.filtered(
                    lambda m: m.rma_entry_purpose == "freight_bill" and not m.rma_reversed
                ).invoice_line_ids.filtered(lambda aml: not aml.analytic_distribution)
                freight_lines.write({"analytic_distribution": {str(account.id): 100}})

    # ------------------------------------------------------------------ reversal

    def _rma_reverse_entries(self):
        """Automated action: a cancelled request reverses everything it posted."""
        for request in self:
            request._lock_for_transition()
            moves = request.sudo().move_ids.filtered(
                lambda m: m.state == "posted" and not m.rma_reversed
                and m.rma_entry_purpose not in ("reversal", "deposit_offset")
                and not m.reversal_move_ids.filtered(lambda r: r.state == "posted")
            )
            if moves:
                reversals = moves._rma_reverse(self.env._("%(request)s cancelled", request=request.name))
                request._log_action(self.env._(
                    "Request cancelled: reversed %(entries)s.", entries=", ".join(reversals.mapped("name")),
                ))

    # ------------------------------------------------------------------ 财务办理

    def _on_gm_approved(self):
        result = super()._on_gm_approved()
        self._schedule_finance_booking()
        return result

    def _on_settled(self):
        result = super()._on_settled()
        self._schedule_finance_booking()
        return result

    def _schedule_finance_booking(self):
        """The company's finance contact gets the booking of the entries as an activity."""
        booking = self.env.ref("rma_factory.mail_activity_finance_booking", raise_if_not_found=False)
        for request in self.filtered("needs_finance_booking"):
            user = request.company_id.rma_finance_user_id
            if user and booking and not request.activity_ids.filtered(lambda a: a.activity_type_id == booking):
                request.sudo().activity_schedule(
                    "rma_factory.mail_activity_finance_booking", user_id=user.id,
                    summary=self.env._("Book the entries of the return (财务办理)"),
                )

    def action_open_finance_booking(self):
        self._check_action_allowed("can_finance_book", self.env._("sign the booking of"))
        return self._open_wizard("rma.finance.booking.wizard", self.env._("Finance Booked"))

    def action_finance_book(self, note=None):
        """Finance signs the booking after checking the entries (user, time, note)."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise UserError(self.env._("Only Finance signs the booking of a return."))
        for request in self:
            if not request.move_count:
                raise UserError(self.env._("%(request)s has no accounting entries to book.", request=request.name))
        self._check_action_allowed("can_finance_book", self.env._("sign the booking of"))
        self.sudo()._rma_process().write({
            "finance_booked_by_id": self.env.user.id, "finance_booked_date": fields.Datetime.now(),
            "finance_booking_note": note or False,
        })
        self.sudo().activity_feedback(["rma_factory.mail_activity_finance_booking"])
        for request in self:
            request.sudo()._log_action(self.env._(
                "Booked by Finance (%(user)s): %(note)s", user=self.env.user.name,
                note=request.finance_booking_note or "-",
            ))
        return True

    def _check_before_closing(self):
        result = super()._check_before_closing()
        for request in self.filtered("needs_finance_booking"):
            raise UserError(self.env._(
                "%(request)s has accounting entries that Finance has not booked yet (财务办理): Finance "
                "signs the booking before the request is closed.", request=request.name,
            ))
        return result

    def action_view_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_journal_line")
        action.update({
            "name": self.env._("Entries of %(request)s", request=self.name),
            "domain": [("rma_request_id", "=", self.id)],
            "context": {"search_default_posted": 0},
        })
        return action
