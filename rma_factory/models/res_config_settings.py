from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Settings → Returns: the company's parameters of the return rules."""

    _inherit = "res.config.settings"

    rma_verification_days = fields.Integer(related="company_id.rma_verification_days", readonly=False)
    rma_return_days = fields.Integer(related="company_id.rma_return_days", readonly=False)
    rma_calendar_id = fields.Many2one(related="company_id.rma_calendar_id", readonly=False)
    rma_claim_hours = fields.Integer(related="company_id.rma_claim_hours", readonly=False)
    rma_shortage_days = fields.Integer(related="company_id.rma_shortage_days", readonly=False)
    rma_sample_percent = fields.Float(related="company_id.rma_sample_percent", readonly=False)
    rma_inspector_id = fields.Many2one(related="company_id.rma_inspector_id", readonly=False)
    rma_activity_email = fields.Boolean(related="company_id.rma_activity_email", readonly=False)
    rma_report_answer_days = fields.Integer(related="company_id.rma_report_answer_days", readonly=False)
    rma_portal_photo_max_mb = fields.Integer(related="company_id.rma_portal_photo_max_mb", readonly=False)
    rma_portal_photo_max_count = fields.Integer(related="company_id.rma_portal_photo_max_count", readonly=False)
    rma_refund_journal_id = fields.Many2one(related="company_id.rma_refund_journal_id", readonly=False)
    rma_allowance_account_id = fields.Many2one(related="company_id.rma_allowance_account_id", readonly=False)
    rma_freight_account_id = fields.Many2one(related="company_id.rma_freight_account_id", readonly=False)
    rma_freight_product_id = fields.Many2one(related="company_id.rma_freight_product_id", readonly=False)
    rma_claim_account_id = fields.Many2one(related="company_id.rma_claim_account_id", readonly=False)
    rma_deposit_product_id = fields.Many2one(related="company_id.rma_deposit_product_id", readonly=False)
    rma_deposit_account_id = fields.Many2one(related="company_id.rma_deposit_account_id", readonly=False)
    rma_deposit_kept_account_id = fields.Many2one(related="company_id.rma_deposit_kept_account_id", readonly=False)
    rma_cost_account_id = fields.Many2one(related="company_id.rma_cost_account_id", readonly=False)
    rma_cost_counterpart_account_id = fields.Many2one(
        related="company_id.rma_cost_counterpart_account_id", readonly=False,
    )
    rma_cost_posting = fields.Selection(related="company_id.rma_cost_posting", readonly=False)
    rma_finance_user_id = fields.Many2one(related="company_id.rma_finance_user_id", readonly=False)
