from odoo import api, fields, models


class RmaSettlementWizard(models.TransientModel):
    """Settle a request before any goods move: by discount, or record the customer's withdrawal."""

    _name = "rma.settlement.wizard"
    _description = "Settle a Return Request"

    request_id = fields.Many2one("rma.request", required=True, readonly=True)
    company_id = fields.Many2one(related="request_id.company_id")
    currency_id = fields.Many2one(related="request_id.currency_id")
    partner_id = fields.Many2one(related="request_id.commercial_partner_id")
    settlement = fields.Selection(
        [("discount", "Settle by Discount"), ("withdrawn", "Customer Withdrew")], required=True,
        default="discount",
    )
    amount = fields.Monetary(string="Agreed Discount")
    invoice_id = fields.Many2one(
        "account.move", string="Invoice to Credit",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id), ('company_id', '=', company_id)]",
    )
    note = fields.Text(string="Notes")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        request = self.env["rma.request"].browse(values.get("request_id"))
        if request and "invoice_id" in fields_list:
            # sudo: a supervisor settles requests of orders that are not theirs to read.
            invoices = request.sudo().line_ids.sale_line_id.invoice_lines.move_id.filtered(
                lambda m: m.move_type == "out_invoice" and m.state == "posted"
            )
            values.setdefault("invoice_id", invoices[:1].id)
        return values

    def action_confirm(self):
        self.ensure_one()
        if self.settlement == "discount":
            self.request_id._settle_by_discount(self.amount, self.note, self.invoice_id)
        else:
            self.request_id._record_withdrawal(self.note)
        return {"type": "ir.actions.act_window_close"}
