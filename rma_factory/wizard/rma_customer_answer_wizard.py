from odoo import fields, models


class RmaCustomerAnswerWizard(models.TransientModel):
    """Sales record the customer's answer to the RMA report when it came by e-mail, fax or on the
    signed paper (seed 4.9: 市场销售部负责回收带有顾客答复的报告)."""

    _name = "rma.customer.answer.wizard"
    _description = "Record the Customer's Answer to the RMA Report"

    report_id = fields.Many2one("rma.customer.report", required=True, readonly=True)
    request_id = fields.Many2one(related="report_id.request_id")
    partner_id = fields.Many2one(
        "res.partner", string="Answered By", required=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    commercial_partner_id = fields.Many2one(related="report_id.request_id.commercial_partner_id")
    answer = fields.Selection(
        [("accept", "Accepts the Corrective Action"), ("disagree", "Disagrees")], required=True, default="accept",
    )
    comment = fields.Text(string="Customer's Comment")

    def action_confirm(self):
        self.ensure_one()
        self.report_id._record_customer_answer(self.partner_id, self.answer == "accept", self.comment)
        return {"type": "ir.actions.act_window_close"}
