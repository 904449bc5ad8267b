from odoo import fields, models

from ..models.rma_request_deadlines import VERIFICATION_RESULTS


class RmaVerificationWizard(models.TransientModel):
    """The sales rep records the on-site verification at the customer (现场核实, R-14)."""

    _name = "rma.verification.wizard"
    _description = "Record the On-site Verification"

    request_id = fields.Many2one("rma.request", required=True, readonly=True)
    result = fields.Selection(VERIFICATION_RESULTS, string="On-site Verification", required=True)
    date = fields.Date(string="Verified On", required=True, default=fields.Date.context_today)
    note = fields.Text(string="What Was Found", required=True)
    photo_ids = fields.Many2many(
        "ir.attachment", "rma_verification_wizard_photo_rel", "wizard_id", "attachment_id", string="Photos",
    )

    def action_confirm(self):
        self.ensure_one()
        self.request_id._record_verification(self.result, self.date, self.note, self.photo_ids)
        return {"type": "ir.actions.act_window_close"}
