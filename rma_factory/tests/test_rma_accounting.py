from datetime import timedelta

from psycopg2.errors import UniqueViolation

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from .common import JsonRpcMixin, RmaQualityCommon


class RmaAccountingCommon(RmaQualityCommon):
    """Invoiced deliveries, a Finance user with Invoicing rights only, Chinese VAT (13 %, price
    tax-excluded and tax-included), a carrier and the production department's analytic account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = cls._user("rma_fin_acc", "account.group_account_invoice")
        Tax = cls.env["account.tax"]
        cls.vat13 = Tax.create({"name": "VAT 13 % (test)", "amount": 13, "type_tax_use": "sale",
                                "company_id": cls.company.id})
        cls.vat13_included = Tax.create({"name": "VAT 13 % incl. (test)", "amount": 13, "type_tax_use": "sale",
                                         "price_include_override": "tax_included", "company_id": cls.company.id})
        cls.no_tax = Tax
        cls.carrier = cls.env["res.partner"].create({"name": "Shunfeng Logistics (test)", "is_company": True})
        plan = cls.env["account.analytic.plan"].create({"name": "Departments (test)"})
        cls.production_account = cls.env["account.analytic.account"].create({
            "name": "Production (test)", "plan_id": plan.id, "company_id": cls.company.id,
        })
        cls.quality_cause = cls.env["rma.responsibility.category"].create({
            "name": "Product quality (test)", "cost_bearer": "production", "department": "Production",
            "analytic_account_id": cls.production_account.id,
        })

    # ------------------------------------------------------------------ builders

    @classmethod
    def _invoice(cls, order, taxes=None, quantities=None):
        """The order's invoice, posted; `taxes` replace the lines' taxes, `quantities` {product: qty}."""
        invoice = order._create_invoices()
        for line in invoice.invoice_line_ids:
            values = {}
            if taxes is not None:
                values["tax_ids"] = [Command.set(taxes.ids)]
            if quantities and line.product_id in quantities:
                values["quantity"] = quantities[line.product_id]
            if values:
                line.write(values)
        invoice.action_post()
        return invoice

    def _pay(self, move, user=None):
        """What Finance does: Register Payment on the document, then Create Payment."""
        user = user or self.finance
        action = move.with_user(user).action_register_payment()
        wizard = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"])).save()
        wizard.action_create_payments()

    @classmethod
    def _request_for(cls, order, products, **values):
        """A request for `products` {product: qty} of the order, the other lines removed."""
        request = cls._request_from_order(order, **values)
        with Form(request.with_user(cls.sales_rep)) as form:
            for index in reversed(range(len(form.line_ids))):
                line = form.line_ids.edit(index)
                with line as line_form:
                    product = line_form.product_id
                    if product in products:
                        line_form.quantity = products[product]
                if product not in products:
                    form.line_ids.remove(index)
        return request

    @classmethod
    def _through_inspection(cls, request, scrap=None):
        request.with_user(cls.sales_rep).action_submit()
        cls._approve_all(request)
        cls._receive(request.receipt_ids)
        cls._inspect(request.inspection_ids, scrap=scrap)
        cls._check_state(request, "inspected")
        return request

    def _start(self, request, kind, quantities):
        """QA plans one disposition of `kind` per line ({product: qty}) and starts them."""
        dispositions = self.env["rma.disposition"].with_user(self.inspector).create([{
            "request_id": request.id, "request_line_id": line.id, "disposition_type": kind,
            "quantity": quantities[line.product_id],
        } for line in request.line_ids if line.product_id in quantities])
        dispositions.action_start()
        return dispositions

    @staticmethod
    def _entries(request, purpose):
        return request.sudo().move_ids.filtered(lambda m: m.rma_entry_purpose == purpose)

    def assertBalanced(self, move):
        self.assertEqual(move.state, "posted")
        self.assertAlmostEqual(sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit")), places=2)


@tagged("post_install", "-at_install")
class TestRmaRefund(RmaAccountingCommon):
    """A refund disposition started: the customer's credit note on the original invoice (R-50, R-60)."""

    def test_partial_refund_credits_the_invoice_and_the_order(self):
        parts = self._create_parts(5)
        parts.invoice_policy = "delivery"
        order = self._deliver(self.customer, [(part, 10) for part in parts])
        order.order_line[1].discount = 10.0
        invoice = self._invoice(order, taxes=self.vat13)
        request = self._through_inspection(self._request_for(order, {parts[0]: 4, parts[1]: 3}))
        refunds = self._start(request, "refund", {parts[0]: 4, parts[1]: 3})

        credit_note = self._entries(request, "refund")
        self.assertEqual(len(credit_note), 1)
        self.assertBalanced(credit_note)
        self.assertEqual((credit_note.move_type, credit_note.reversed_entry_id), ("out_refund", invoice))
        self.assertEqual(credit_note.partner_id, invoice.partner_id)
        for disposition in refunds:
            line = credit_note.invoice_line_ids.filtered(lambda aml, d=disposition: aml.rma_disposition_id == d)
            invoiced = invoice.invoice_line_ids.filtered(lambda aml, d=disposition: aml.product_id == d.product_id)
            self.assertEqual(
                (line.quantity, line.price_unit, line.discount, line.tax_ids, line.account_id, line.sale_line_ids),
                (disposition.quantity, invoiced.price_unit, invoiced.discount, self.vat13, invoiced.account_id,
                 invoiced.sale_line_ids),
            )
        # 4 × 10.00 + 3 × 11.00 × 0.9 = 69.70, with 13 % VAT = 78.76
        self.assertAlmostEqual(credit_note.amount_untaxed, 69.70)
        self.assertAlmostEqual(credit_note.amount_total, 78.76)
        # The invoice was open: the credit note is reconciled with it.
        self.assertEqual(credit_note.payment_state, "paid")
        self.assertEqual(invoice.payment_state, "partial")
        self.assertAlmostEqual(invoice.amount_residual, invoice.amount_total - 78.76)
        # The order: 4 and 3 came back and are credited, nothing is left to invoice.
        first, second = order.order_line[0], order.order_line[1]
        self.assertEqual((first.qty_delivered, first.qty_invoiced, first.qty_to_invoice), (6, 6, 0))
        self.assertEqual((second.qty_delivered, second.qty_invoiced, second.qty_to_invoice), (7, 7, 0))
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertIn(credit_note, order.invoice_ids)

    def test_paid_invoice_leaves_the_credit_note_open_for_a_refund_payment(self):
        order = self._deliver(self.customer, [(self.product_b, 10)])
        invoice = self._invoice(order, taxes=self.vat13_included)
        self._pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        request = self._through_inspection(self._request_for(order, {self.product_b: 2}))
        self._start(request, "refund", {self.product_b: 2})
        credit_note = self._entries(request, "refund")
        self.assertBalanced(credit_note)
        # Tax included in the price: 2 × 50.00 is what the customer paid for them.
        self.assertAlmostEqual(credit_note.amount_total, 100.0)
        self.assertAlmostEqual(credit_note.amount_tax, 11.50)
        self.assertEqual((credit_note.payment_state, credit_note.amount_residual), ("not_paid", 100.0))
        # Finance pays the customer back with Odoo's Register Payment.
        self._pay(credit_note)
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))

    def test_tax_free_line_and_no_invoice_priced_from_the_order(self):
        order = self._deliver(self.customer, [(self.product, 3), (self.product_b, 3)])
        order.order_line.tax_ids = [Command.clear()]
        request = self._through_inspection(self._request_for(order, {self.product: 1}))
        self._start(request, "refund", {self.product: 1})
        credit_note = self._entries(request, "refund")
        self.assertBalanced(credit_note)
        self.assertFalse(credit_note.reversed_entry_id)
        self.assertEqual(credit_note.invoice_line_ids.sale_line_ids, order.order_line[0])
        self.assertEqual((credit_note.amount_untaxed, credit_note.amount_tax), (1000.0, 0.0))

    def test_several_invoices_most_recent_first_never_more_than_invoiced(self):
        order = self._deliver(self.customer, [(self.product_b, 5)])
        first = self._invoice(order, taxes=self.no_tax, quantities={self.product_b: 3})
        second = self._invoice(order, taxes=self.no_tax)
        self.assertEqual(second.invoice_line_ids.quantity, 2)
        request = self._through_inspection(self._request_for(order, {self.product_b: 4}))
        self._start(request, "refund", {self.product_b: 4})
        credit_notes = self._entries(request, "refund")
        self.assertEqual(
            sorted((m.reversed_entry_id.name, m.invoice_line_ids.quantity) for m in credit_notes),
            sorted([(second.name, 2.0), (first.name, 2.0)]),
        )
        self.assertEqual(order.order_line.qty_invoiced, 1.0)

    def test_posted_once_on_a_retried_trigger(self):
        order = self._deliver(self.customer, [(self.product_b, 4)])
        self._invoice(order, taxes=self.vat13)
        request = self._through_inspection(self._request_for(order, {self.product_b: 2}))
        refund = self._start(request, "refund", {self.product_b: 2})
        refund.sudo()._rma_post_refund()
        refund.sudo()._rma_post_refund()
        self.assertEqual(len(self._entries(request, "refund")), 1)
        # The database refuses a second live entry under the same key, whatever the path.
        credit_note = self._entries(request, "refund")
        with self.assertRaises(UniqueViolation), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            credit_note.sudo()._rma_process().copy({
                "rma_entry_key": credit_note.rma_entry_key, "rma_request_id": request.id,
            })

    def test_cancelled_refund_is_reversed_and_reconciled(self):
        order = self._deliver(self.customer, [(self.product, 2), (self.product_b, 2)])
        invoice = self._invoice(order, taxes=self.vat13)
        request = self._through_inspection(self._request_for(order, {self.product: 1, self.product_b: 2}))
        refunds = self._start(request, "refund", {self.product: 1, self.product_b: 2})
        credit_note = self._entries(request, "refund")
        seal_refund = refunds.filtered(lambda d: d.product_id == self.product_b)
        seal_refund.with_user(self.inspector).action_cancel()
        reversal = self._entries(request, "reversal")
        self.assertBalanced(reversal)
        self.assertEqual((reversal.move_type, reversal.reversed_entry_id), ("out_invoice", credit_note))
        self.assertEqual(reversal.invoice_line_ids.product_id, self.product_b, "only the cancelled refund")
        self.assertEqual(reversal.invoice_line_ids.quantity, 2)
        # The credit note was already used on the open invoice: the customer owes the cancelled part again.
        self.assertAlmostEqual(reversal.amount_total, 2 * 50.0 * 1.13)
        self.assertEqual(reversal.amount_residual, reversal.amount_total)
        self.assertTrue(credit_note.exists(), "never deleted")
        self.assertEqual(order.order_line[1].qty_invoiced, 2)
        self.assertEqual(invoice.state, "posted")

    def test_foreign_currency_invoice_is_credited_at_its_rate(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create([
            {"name": fields.Date.today() - timedelta(days=30), "rate": 0.5, "currency_id": eur.id,
             "company_id": self.company.id},
            {"name": fields.Date.today() - timedelta(days=1), "rate": 0.25, "currency_id": eur.id,
             "company_id": self.company.id},
        ])
        order = self._deliver(self.customer, [(self.product_b, 4)])
        # The customer is invoiced in euros (an export order).
        invoice = order._create_invoices()
        invoice.write({"currency_id": eur.id, "invoice_date": fields.Date.today() - timedelta(days=20)})
        invoice.invoice_line_ids.write({"price_unit": 50.0, "tax_ids": [Command.clear()]})
        invoice.action_post()
        self.assertEqual(invoice.invoice_currency_rate, 0.5)
        request = self._through_inspection(self._request_for(order, {self.product_b: 2}))
        self._start(request, "refund", {self.product_b: 2})
        credit_note = self._entries(request, "refund")
        self.assertEqual(credit_note.currency_id, eur)
        self.assertEqual(credit_note.invoice_currency_rate, 0.5, "the invoice's rate, not today's 0.25")
        self.assertAlmostEqual(credit_note.amount_total, 100.0)
        self.assertAlmostEqual(credit_note.amount_total_signed, -200.0, msg="in company currency at the invoice's rate")
        self.assertEqual(credit_note.payment_state, "paid")


@tagged("post_install", "-at_install")
class TestRmaDiscountAndFreight(RmaAccountingCommon):

    def _approved_with_invoice(self, taxes):
        order = self._deliver(self.customer, [(self.product, 2)])
        invoice = self._invoice(order, taxes=taxes)
        request = self._request_for(order, {self.product: 2})
        request.with_user(self.sales_rep).action_submit()
        self._approve_all(request)
        return request, invoice

    def test_discount_settlement_credits_the_agreed_amount_tax_included(self):
        request, invoice = self._approved_with_invoice(self.vat13)
        action = request.with_user(self.supervisor).action_settle_by_discount()
        wizard = Form(self.env[action["res_model"]].with_user(self.supervisor).with_context(**action["context"]))
        wizard.amount = 1130.0
        wizard.invoice_id = invoice
        wizard.note = "10 % off instead of the return"
        wizard.save().action_confirm()
        credit_note = self._entries(request, "discount")
        self.assertBalanced(credit_note)
        self.assertEqual((credit_note.move_type, credit_note.reversed_entry_id), ("out_refund", invoice))
        self.assertEqual(credit_note.invoice_line_ids.account_id, self.company.rma_allowance_account_id)
        self.assertEqual(credit_note.invoice_line_ids.tax_ids, self.vat13)
        self.assertEqual((credit_note.amount_untaxed, credit_note.amount_tax, credit_note.amount_total),
                         (1000.0, 130.0, 1130.0))
        self.assertEqual(credit_note.payment_state, "paid", "reconciled with the invoice")
        # The discount is called off after the closing: Finance reverses the credit note in
        # Accounting (Odoo's Reverse); the reversal stays on the request.
        reversal_wizard = self.env["account.move.reversal"].with_user(self.finance).with_context(
            active_model="account.move", active_ids=credit_note.ids,
        ).create({"reason": "Discount called off", "journal_id": credit_note.journal_id.id})
        reversal_wizard.refund_moves()
        reversal = self._entries(request, "reversal")
        self.assertEqual(reversal.reversed_entry_id, credit_note)
        self.assertTrue(credit_note.rma_reversed)
        # The request is closed by the settlement; Finance still signs its booking.
        self.assertEqual(request.state, "done")
        request.with_user(self.finance).action_finance_book("Credit note checked")
        self.assertEqual(request.finance_booked_by_id, self.finance)

    def test_a_discount_that_no_tax_excluded_price_gives_is_credited_exactly(self):
        """100 agreed tax included at 13 %: 88.50 excluded would be 100.01 with its tax; the tax
        takes the cent, as an accountant's edit of the tax amount would."""
        request, invoice = self._approved_with_invoice(self.vat13)
        request.with_user(self.supervisor)._settle_by_discount(100.0, "折让100元", invoice)
        credit_note = self._entries(request, "discount")
        self.assertBalanced(credit_note)
        self.assertEqual((credit_note.amount_untaxed, credit_note.amount_tax, credit_note.amount_total),
                         (88.5, 11.5, 100.0))

    def _receive_with_freight(self, cause, amount=200.0, **values):
        order = self._deliver(self.customer, [(self.product_b, 2)])
        request = self._request_for(order, {self.product_b: 2}, **values)
        request.freight_cause = cause
        request.with_user(self.sales_rep).action_submit()
        self._approve_all(request)
        receipt = request.receipt_ids.with_user(self.keeper)
        receipt.write({"rma_freight_amount": amount, "rma_carrier_id": self.carrier.id})
        self._receive(receipt)
        return request, receipt

    def test_freight_split_by_the_rule(self):
        expected = {"quality_shared": (100.0, 100.0), "quality": (200.0, 0.0), "customer": (0.0, 200.0)}
        for cause, (company_share, customer_share) in expected.items():
            with self.subTest(cause=cause):
                request, receipt = self._receive_with_freight(cause)
                bill, invoice = self._entries(request, "freight_bill"), self._entries(request, "freight_invoice")
                self.assertEqual(bill.amount_total if bill else 0.0, company_share)
                self.assertEqual(invoice.amount_total if invoice else 0.0, customer_share)
                if bill:
                    self.assertBalanced(bill)
                    self.assertEqual((bill.move_type, bill.partner_id), ("in_invoice", self.carrier))
                    self.assertEqual(bill.invoice_line_ids.account_id, self.company.rma_freight_account_id)
                    self.assertEqual(bill.rma_source_ref, receipt)
                if invoice:
                    self.assertBalanced(invoice)
                    self.assertEqual((invoice.move_type, invoice.partner_id), ("out_invoice", self.customer))
                    self.assertEqual(invoice.invoice_line_ids.product_id, self.company.rma_freight_product_id)
        with self.assertRefused(UserError, "is validated: its freight is posted"):
            receipt.write({"rma_freight_amount": 1.0})

    def test_freight_needs_its_carrier(self):
        order = self._deliver(self.customer, [(self.product_b, 1)])
        request = self._request_for(order, {self.product_b: 1})
        request.with_user(self.sales_rep).action_submit()
        self._approve_all(request)
        request.receipt_ids.with_user(self.keeper).rma_freight_amount = 80.0
        with self.assertRefused(UserError, "enter the carrier"):
            self._receive(request.receipt_ids)

    def test_carrier_damage_claim_withholds_the_freight_bill(self):
        request, receipt = self._receive_with_freight("carrier", amount=300.0)
        bill = self._entries(request, "freight_bill")
        self.assertEqual((bill.amount_total, bill.payment_state), (300.0, "blocked"))
        delivery = request.origin_picking_ids
        manager = self._warehouse_user("rma_log_mgr", "stock.group_stock_manager")
        incident = self.env["rma.carrier.incident"].with_user(self.keeper).create({
            "picking_id": delivery.id, "request_id": request.id, "incident_type": "damage",
            "counted_with_carrier": True, "claim_amount": 500.0, "carrier_partner_id": self.carrier.id,
            "carrier_ack_ids": [Command.create({"name": "ack.pdf", "raw": b"%PDF-1.4 ack"})],
        })
        incident.action_check()
        incident.with_user(manager).action_confirm()
        claim = self.env["account.move"].sudo().search([("rma_entry_key", "=", f"carrier_claim:{incident.id}")])
        self.assertBalanced(claim)
        receivable = claim.line_ids.filtered("debit")
        self.assertEqual((receivable.account_id, receivable.partner_id, receivable.debit),
                         (self.company.rma_claim_account_id, self.carrier, 500.0))
        self.assertIn(bill, incident.freight_bill_ids)
        with self.assertRefused(UserError, "withheld until the carrier's claim"):
            bill.with_user(self.finance).action_register_payment()
        with self.assertRefused(UserError, "withheld until the carrier's claim"):
            self.env["account.payment.register"].with_user(self.finance).with_context(
                active_model="account.move", active_ids=bill.ids).create({})
        with self.assertRefused(UserError, "withheld until the carrier's claim"):
            bill.with_user(self.finance).action_toggle_block_payment()
        # The carrier settled: the logistics manager closes the incident, the bill is paid.
        incident.with_user(manager).action_close()
        self.assertNotEqual(bill.payment_state, "blocked")
        self._pay(bill)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))


@tagged("post_install", "-at_install")
class TestRmaDeposit(RmaAccountingCommon):
    """The deposit of an advance replacement (R-51): invoiced, paid, offset or kept."""

    def _advance(self):
        order = self._deliver(self.customer, [(self.product, 2)])
        request = self._request_for(order, {self.product: 2}, customer_wish="exchange")
        with Form(request.with_user(self.sales_rep)) as form:
            form.advance_replacement = True
            form.deposit_amount = 1500.0
        request.with_user(self.sales_rep).action_submit()
        self._approve_all(request)
        request.with_user(self.sales_rep).action_request_deposit()
        return request

    def test_deposit_invoiced_paid_and_offset_when_verified(self):
        request = self._advance()
        invoice = request.deposit_invoice_id
        self.assertBalanced(invoice)
        self.assertEqual(request.deposit_state, "requested")
        self.assertEqual(invoice.invoice_line_ids.account_id, self.company.rma_deposit_account_id)
        self.assertEqual((invoice.amount_total, invoice.amount_tax), (1500.0, 0.0))
        with self.assertRefused(UserError, "already Waiting for Deposit"):
            request.with_user(self.sales_rep).action_request_deposit()
        # Finance's Deposit Received is Odoo's payment of the deposit invoice.
        action = request.with_user(self.finance).action_deposit_received()
        self.assertEqual(action["res_model"], "account.payment.register")
        self._pay(invoice)
        self.assertEqual(request.deposit_state, "received")
        request.with_user(self.inspector).action_ship_advance_replacement()
        replacement = request.disposition_ids
        picking = replacement.picking_id.with_user(self.keeper)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        self._receive(request.receipt_ids)
        self._inspect(request.inspection_ids, scrap={self.product: 2})
        self._start(request, "scrap", {self.product: 2})
        request.with_user(self.inspector).qa_verification_note = "Scrapped, replacement accepted by the customer"
        request.with_user(self.inspector).action_qa_verify()
        offset = self._entries(request, "deposit_offset")
        self.assertBalanced(offset)
        self.assertEqual((offset.move_type, offset.reversed_entry_id), ("out_refund", invoice))
        self.assertEqual(request.deposit_state, "offset")
        # The deposit was paid: the credit note is the customer's, to refund or to use.
        self.assertEqual(offset.amount_residual, 1500.0)

    def test_deposit_kept_when_the_goods_never_come_back(self):
        request = self._advance()
        self._pay(request.deposit_invoice_id)
        self.assertFalse(request.with_user(self.gm).can_keep_deposit, "not before the deadline")
        request.sudo()._rma_process().return_deadline = fields.Date.today() - timedelta(days=1)
        request.invalidate_recordset()
        with self.assertRefused(UserError, "Only a manager"):
            request.with_user(self.sales_rep).action_keep_deposit("no goods")
        action = request.with_user(self.gm).action_open_keep_deposit()
        wizard = Form(self.env[action["res_model"]].with_user(self.gm).with_context(**action["context"]))
        wizard.reason = "Goods due back a week ago, two reminders unanswered"
        wizard.save().action_confirm()
        kept = self._entries(request, "deposit_kept")
        self.assertBalanced(kept)
        self.assertEqual(kept.line_ids.filtered("debit").account_id, self.company.rma_deposit_account_id)
        self.assertEqual(kept.line_ids.filtered("credit").account_id, self.company.rma_deposit_kept_account_id)
        self.assertEqual(kept.amount_total, 1500.0)
        self.assertEqual(request.deposit_state, "kept")

    def test_cancelled_request_reverses_its_deposit(self):
        request = self._advance()
        invoice = request.deposit_invoice_id
        request.with_user(self.sales_rep).action_cancel()
        reversal = self._entries(request, "reversal")
        self.assertBalanced(reversal)
        self.assertEqual(reversal.reversed_entry_id, invoice)
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertTrue(invoice.rma_reversed)
        self.assertEqual(request.deposit_state, "none")


@tagged("post_install", "-at_install")
class TestRmaDepartmentCosts(RmaAccountingCommon):
    """Scrap and execution costs on the responsible department (R-60); Finance books (R-71)."""

    def _gm_approved(self, valuation, refund=False):
        """A request through GM approval: 1 scrapped, 1 restocked with an execution cost (and 1
        refunded), the responsibility on production."""
        self.category.property_valuation = valuation
        loss = self.env["account.account"].search([
            *self.env["account.account"]._check_company_domain(self.company), ("account_type", "=", "expense"),
        ], limit=1)
        self.env["stock.location"].search([
            ("usage", "=", "inventory"), ("company_id", "in", [self.company.id, False]),
        ]).valuation_account_id = loss
        order = self._deliver(self.customer, [(self.product, 3)])
        self._invoice(order, taxes=self.vat13)
        request = self._through_inspection(self._request_for(order, {self.product: 2}), scrap={self.product: 1})
        scrap = self._start(request, "scrap", {self.product: 1})
        rework = self._start(request, "restock", {self.product: 1})
        if refund:
            self._start(request, "refund", {self.product: 1})
        picking = rework.picking_id.with_user(self.keeper)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        rework.with_user(self.inspector).execution_cost = 120.0
        request.with_user(self.inspector).write({
            "qa_verification_note": "Done", "responsibility_category_id": self.quality_cause.id,
        })
        request.with_user(self.inspector).action_qa_verify()
        request.with_user(self.gm).action_gm_approve()
        return request, scrap, rework

    def test_scrap_value_on_the_department_real_time(self):
        request, scrap, _rework = self._gm_approved("real_time")
        entry = scrap.scrap_id.move_ids.account_move_id
        self.assertTrue(entry, "Odoo posted the valuation of the scrap")
        loss = entry.line_ids.filtered("debit")
        self.assertEqual(loss.analytic_distribution, {str(self.production_account.id): 100})
        self.assertEqual(self.env["account.analytic.line"].search_count([
            ("rma_request_id", "=", request.id), ("rma_entry_key", "like", "scrap:"),
        ]), 0, "never a second charge for the same value")
        costs = self.env["rma.cost.report"].with_user(self.finance).search([("request_id", "=", request.id)])
        self.assertIn("scrap", costs.mapped("cost_type"))

    def test_scrap_value_and_execution_cost_periodic(self):
        request, scrap, rework = self._gm_approved("periodic")
        self.assertFalse(scrap.scrap_id.move_ids.account_move_id, "periodic valuation: no entry at the scrap")
        lines = self.env["account.analytic.line"].search([("rma_request_id", "=", request.id)])
        self.assertEqual(sorted(lines.mapped("amount")), [-500.0, -120.0])
        self.assertEqual(lines.account_id, self.production_account)
        self.assertTrue(rework.cost_posted)
        with self.assertRefused(UserError, "already posted to the responsible department"):
            rework.with_user(self.inspector).execution_cost = 150.0
        by_type = {row.cost_type: row.amount for row in self.env["rma.cost.report"].with_user(self.finance).search(
            [("request_id", "=", request.id)])}
        self.assertEqual((by_type.get("scrap"), by_type.get("execution_cost")), (500.0, 120.0))

    def test_finance_books_before_closing(self):
        self.company.rma_finance_user_id = self.finance
        booking = self.env.ref("rma_factory.mail_activity_finance_booking")
        request, _scrap, _rework = self._gm_approved("periodic", refund=True)
        self.assertEqual(request.state, "gm_approved")
        activity = request.activity_ids.filtered(lambda a: a.activity_type_id == booking)
        self.assertEqual(activity.user_id, self.finance, "the booking reaches Finance as an activity")
        self.assertTrue(request.with_user(self.finance).can_finance_book)
        self.assertFalse(request.with_user(self.inspector).can_finance_book)
        self._accepted_customer_report(request)
        with self.assertRefused(UserError, "Finance has not booked"):
            request.with_user(self.inspector).action_close()
        with self.assertRefused(UserError, "Only Finance"):
            request.with_user(self.inspector).action_finance_book("me")
        action = request.with_user(self.finance).action_open_finance_booking()
        wizard = Form(self.env[action["res_model"]].with_user(self.finance).with_context(**action["context"]))
        wizard.note = "Credit note reconciled with the invoice"
        wizard.save().action_confirm()
        self.assertEqual((request.finance_booked_by_id, request.finance_booking_note),
                         (self.finance, "Credit note reconciled with the invoice"))
        self.assertFalse(request.with_user(self.finance).can_finance_book, "signed once")
        self.assertFalse(request.activity_ids.filtered(lambda a: a.activity_type_id == booking))
        request.with_user(self.inspector).action_close()
        self.assertEqual(request.state, "done")


@tagged("post_install", "-at_install")
class TestRmaAccountingSettings(RmaAccountingCommon):

    def test_chinese_charts_give_the_defaults_by_xml_id(self):
        expected = {
            "cn": {"rma_freight_account_id": "5601", "rma_claim_account_id": "1221", "rma_deposit_account_id": "2241",
                   "rma_deposit_kept_account_id": "5301", "rma_cost_account_id": "5711"},
            "cn_large_bis": {"rma_freight_account_id": "6601", "rma_claim_account_id": "1221",
                             "rma_deposit_account_id": "2241", "rma_deposit_kept_account_id": "6301",
                             "rma_cost_account_id": "6711"},
        }
        for chart, accounts in expected.items():
            company = self.env["res.company"].search([("chart_template", "=", chart)], limit=1)
            if not company:
                continue
            for field_name, code in accounts.items():
                with self.subTest(chart=chart, setting=field_name):
                    account_code = company[field_name].with_company(company).code
                    self.assertTrue(account_code.startswith(code), account_code)
            self.assertEqual(company.rma_refund_journal_id.type, "sale")
        self.assertEqual(self.company.rma_freight_account_id.account_type, "expense")

    def test_missing_account_names_the_setting_and_posts_nothing(self):
        order = self._deliver(self.customer, [(self.product_b, 2)])
        request = self._request_for(order, {self.product_b: 2})
        request.freight_cause = "quality"
        request.with_user(self.sales_rep).action_submit()
        self._approve_all(request)
        self.company.rma_freight_account_id = False
        self.env["ir.model.data"].search([
            ("module", "=", "account"), ("name", "=", f"{self.company.id}_expense"),
        ]).unlink()
        receipt = request.receipt_ids
        receipt.with_user(self.keeper).write({"rma_freight_amount": 90.0, "rma_carrier_id": self.carrier.id})
        bills_before = self.env["account.move"].search_count([("move_type", "=", "in_invoice")])
        with self.assertRefused(UserError, "Freight Expense Account"):
            self._receive(receipt)
        self.assertEqual(self.env["account.move"].search_count([("move_type", "=", "in_invoice")]), bills_before)
        self.assertEqual(receipt.state, "assigned", "nothing half-done: the receipt is not validated either")

    def test_automation_rules_are_shipped_and_switchable(self):
        rules = self.env["base.automation"].search([("action_server_ids.code", "=like", "records.%\\_rma\\_%")])
        self.assertGreaterEqual(len(rules), 9)
        refund_rule = self.env.ref("rma_factory.automation_refund_started")
        refund_rule.active = False
        order = self._deliver(self.customer, [(self.product_b, 2)])
        self._invoice(order, taxes=self.vat13)
        request = self._through_inspection(self._request_for(order, {self.product_b: 1}))
        self._start(request, "refund", {self.product_b: 1})
        self.assertFalse(self._entries(request, "refund"), "switched off: nothing posted")


@tagged("post_install", "-at_install")
class TestRmaRefundQueryCount(RmaAccountingCommon):
    """The refund step costs the same for 5 and 50 lines, but for Odoo's own work per credit note
    line (scripts/benchmark.sh prints the numbers)."""

    # Odoo's account.move creates, computes and posts each invoice line: a few queries each.
    ODOO_QUERIES_PER_CREDIT_NOTE_LINE = 3

    def _refund_step_queries(self, count):
        parts = self._create_parts(count)
        parts.invoice_policy = "delivery"
        order = self._deliver(self.customer, [(part, 2) for part in parts])
        self._invoice(order, taxes=self.vat13)
        moves = order.picking_ids.move_ids
        request = self.env["rma.request"].with_user(self.sales_rep).create({
            "partner_id": self.customer.id, "criterion_quality": True,
            "line_ids": [Command.create(values) for values in self.env["rma.request.line"]._prepare_from_moves(moves)],
        })
        self._through_inspection(request)
        refunds = self.env["rma.disposition"].with_user(self.inspector).create([{
            "request_id": request.id, "request_line_id": line.id, "disposition_type": "refund", "quantity": 2,
        } for line in request.line_ids])
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        refunds.action_start()
        self.env.flush_all()
        queries = self.cr.sql_log_count - before
        self.assertEqual(len(self._entries(request, "refund").invoice_line_ids), count)
        return queries

    def test_refund_step_does_not_grow_with_the_lines(self):
        five, fifty = self._refund_step_queries(5), self._refund_step_queries(50)
        self.assertLessEqual(fifty - five, 45 * self.ODOO_QUERIES_PER_CREDIT_NOTE_LINE,
                             f"refund step: {five} queries for 5 lines, {fifty} for 50")


@tagged("post_install", "-at_install")
class TestRmaFinanceOverRpc(JsonRpcMixin, HttpCase, RmaAccountingCommon):
    """Finance (Invoicing rights, only read rights on requests) over JSON-RPC: reads the
    request's entries, pays the customer back, signs the booking; the links and signatures can't
    be written directly."""

    def test_finance_reads_pays_and_signs(self):
        order = self._deliver(self.customer, [(self.product_b, 4)])
        invoice = self._invoice(order, taxes=self.vat13)
        self._pay(invoice)
        request = self._through_inspection(self._request_for(order, {self.product_b: 2}))
        self._start(request, "refund", {self.product_b: 2})
        login = self.finance.login
        rows, error = self._call(login, "rma.request", "read", [request.ids, ["move_ids", "move_count", "name"]])
        self.assertFalse(error)
        credit_note = self._entries(request, "refund")
        self.assertEqual(rows[0]["move_ids"], credit_note.ids)
        entries, error = self._call(login, "account.move", "search_read", [[("rma_request_id", "=", request.id)]],
                                    {"fields": ["rma_entry_purpose", "payment_state", "amount_total"]})
        self.assertFalse(error)
        self.assertEqual([(e["rma_entry_purpose"], e["payment_state"]) for e in entries], [("refund", "not_paid")])

        # The links and the signature are the process's: refused over RPC, nothing changes.
        _result, error = self._call(login, "account.move", "write", [credit_note.ids, {"rma_entry_key": "x"}])
        self.assertRegex(error, "UserError: .*can't be set directly")
        _result, error = self._call(login, "rma.request", "write",
                                    [request.ids, {"finance_booked_by_id": self.finance.id}])
        self.assertRegex(error, "AccessError|UserError")
        self.assertFalse(request.finance_booked_by_id)

        # Pays the customer back with Odoo's Register Payment.
        wizard_id, error = self._call(login, "account.payment.register", "create", [{}],
                                      {"context": {"active_model": "account.move", "active_ids": credit_note.ids}})
        self.assertFalse(error)
        _result, error = self._call(login, "account.payment.register", "action_create_payments", [[wizard_id]])
        self.assertFalse(error)
        credit_note.invalidate_recordset()
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))

        # Signs the booking (财务办理) through its wizard.
        wizard_id, error = self._call(login, "rma.finance.booking.wizard", "create", [{
            "request_id": request.id, "note": "Refund paid back by bank transfer",
        }])
        self.assertFalse(error)
        _result, error = self._call(login, "rma.finance.booking.wizard", "action_confirm", [[wizard_id]])
        self.assertFalse(error)
        request.invalidate_recordset()
        self.assertEqual((request.finance_booked_by_id, request.finance_booking_note),
                         (self.finance, "Refund paid back by bank transfer"))
        # A sales rep can't sign it.
        wizard_id, error = self._call(self.sales_rep.login, "rma.finance.booking.wizard", "create", [{
            "request_id": request.id, "note": "me",
        }])
        self.assertRegex(error or "", "AccessError")

    def test_a_return_entry_is_reversed_never_reset_to_draft(self):
        order = self._deliver(self.customer, [(self.product_b, 2)])
        self._invoice(order, taxes=self.vat13)
        request = self._through_inspection(self._request_for(order, {self.product_b: 2}))
        self._start(request, "refund", {self.product_b: 2})
        credit_note = self._entries(request, "refund")
        rows, error = self._call(self.finance.login, "account.move", "read",
                                 [credit_note.ids, ["show_reset_to_draft_button"]])
        self.assertFalse(error)
        self.assertFalse(rows[0]["show_reset_to_draft_button"], "no Reset to Draft button on a return entry")
        _result, error = self._call(self.finance.login, "account.move", "button_draft", [credit_note.ids])
        self.assertRegex(error, rf"^odoo.exceptions.UserError: {credit_note.name} was posted by the returns for "
                                rf"{request.name}: it can't go back to draft\. Reverse it")
        credit_note.invalidate_recordset()
        self.assertEqual((credit_note.state, credit_note.amount_total), ("posted", 113.0))
        # An invoice of their own stays Odoo's: Finance resets it as before.
        other = self._invoice(self._deliver(self.customer, [(self.product_b, 1)]))
        _result, error = self._call(self.finance.login, "account.move", "button_draft", [other.ids])
        self.assertFalse(error)

    def test_a_discount_credits_only_a_posted_invoice_of_the_customer(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        self._invoice(order)
        request = self._request_for(order, {self.product: 1})
        request.with_user(self.sales_rep).action_submit()
        self._approve_all(request)
        foreign = self._invoice(self._deliver(self.other_customer, [(self.product, 1)]))
        draft = self._deliver(self.customer, [(self.product, 1)])._create_invoices()
        for invoice in (foreign, draft):
            wizard_id, error = self._call(self.supervisor.login, "rma.settlement.wizard", "create", [{
                "request_id": request.id, "settlement": "discount", "amount": 100, "invoice_id": invoice.id,
            }])
            self.assertFalse(error)
            _result, error = self._call(self.supervisor.login, "rma.settlement.wizard", "action_confirm",
                                        [[wizard_id]])
            self.assertRegex(error, r"^odoo.exceptions.UserError: .*is not a posted invoice of RMA Customer Co")
        request.invalidate_recordset()
        self.assertEqual((request.state, request.sudo().move_ids), ("approved", self.env["account.move"]))
