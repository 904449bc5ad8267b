from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .rma_request import BEFORE_RETURN_STATES


class RmaRequest(models.Model):
    """Alternatives before return (R-21): settle by discount, or the customer withdraws."""

    _inherit = "rma.request"
    _rma_process_fields = ("discount_amount", "discount_invoice_id", "settlement_note", "closed_date")

    discount_amount = fields.Monetary(
        string="Agreed Discount", readonly=True, copy=False, tracking=True,
        help="Amount agreed with the customer instead of taking the goods back; "
        "Accounting issues the credit note for it.",
    )
    discount_invoice_id = fields.Many2one(
        "account.move", string="Invoice to Credit", readonly=True, copy=False,
        help="The customer invoice the discount credit note reverses, when there is one.",
    )
    settlement_note = fields.Text(string="Settlement Notes", readonly=True, copy=False, groups="base.group_user")
    closed_date = fields.Datetime(readonly=True, copy=False)
    can_settle = fields.Boolean(compute="_compute_can_settle")

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_settle(self):
        is_approver = self.env.user.has_group("rma_factory.group_rma_approver")
        for request in self:
            request.can_settle = is_approver and request.state in BEFORE_RETURN_STATES

    def _check_can_settle(self):
        if not self.env.user.has_group("rma_factory.group_rma_approver"):
            raise AccessError(self.env._("Only a supervisor (Returns approver) can settle a request."))
        for request in self:
            if request.state not in BEFORE_RETURN_STATES:
                raise UserError(self.env._(
                    "%(request)s: the goods are already back, it can no longer be settled this way.",
                    request=request.name,
                ))

    def _settle_by_discount(self, amount, note, invoice=None):
        self._check_can_settle()
        self._check_action_allowed("can_settle", self.env._("settle by discount"))
        if amount <= 0:
            raise UserError(self.env._("The agreed discount must be a positive amount."))
        for request in self:
            if invoice:
                request._check_invoice_to_credit(invoice)
            if amount > request.amount_total:
                raise UserError(self.env._(
                    "%(request)s: a discount of %(amount)s is more than the goods are worth (%(total)s).",
                    request=request.name, amount=amount, total=request.amount_total,
                ))
        self._close_before_return("discount", {
            "discount_amount": amount,
            "discount_invoice_id": invoice.id if invoice else False,
            "settlement_note": note,
        })
        for request in self:
            request._log_action(self.env._(
                "Settled by discount of %(amount)s %(currency)s by %(user)s: no goods will move. %(note)s",
                amount=amount, currency=request.currency_id.name, user=self.env.user.name, note=note or "",
            ))

    def _check_invoice_to_credit(self, invoice):
        """The discount credits a posted invoice of this customer, in this company."""
        self.ensure_one()
        # sudo: the supervisor settles requests whose invoices are not theirs to read.
        invoice = invoice.sudo()
        if invoice.move_type != "out_invoice" or invoice.state != "posted" \
                or invoice.commercial_partner_id != self.commercial_partner_id \
                or invoice.company_id != self.company_id:
            raise UserError(self.env._(
                "%(request)s: %(invoice)s is not a posted invoice of %(customer)s in %(company)s; the "
                "discount credits one of the customer's own invoices.",
                request=self.name, invoice=invoice.display_name, customer=self.partner_id.display_name,
                company=self.company_id.name,
            ))

    def _record_withdrawal(self, note):
        self._check_can_settle()
        self._check_action_allowed("can_settle", self.env._("record the withdrawal of"))
        if not (note or "").strip():
            raise UserError(self.env._("Record what the customer said when withdrawing the request."))
        self._close_before_return("withdrawn", {"settlement_note": note})
        for request in self:
            request._log_action(self.env._(
                "The customer withdrew the request (recorded by %(user)s): %(note)s",
                user=self.env.user.name, note=note,
            ))

    def _close_before_return(self, outcome, values):
        self._transition("settle", dict(values, outcome=outcome, closed_date=fields.Datetime.now()))

    def action_settle_by_discount(self):
        self._check_can_settle()
        self._check_action_allowed("can_settle", self.env._("settle by discount"))
        return self._open_wizard(
            "rma.settlement.wizard", self.env._("Settle by Discount"), {"default_settlement": "discount"}
        )

    def action_record_withdrawal(self):
        self._check_can_settle()
        self._check_action_allowed("can_settle", self.env._("record the withdrawal of"))
        return self._open_wizard(
            "rma.settlement.wizard", self.env._("Customer Withdrew"), {"default_settlement": "withdrawn"}
        )
