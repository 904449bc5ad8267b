from odoo import fields, models

# The seeds set the floor: QC samples "不少于退货数量10%".
MIN_SAMPLE_PERCENT = 10.0


class ResCompany(models.Model):
    _inherit = "res.company"

    rma_sample_percent = fields.Float(
        string="Return Inspection Sample (%)", default=MIN_SAMPLE_PERCENT,
        help="Share of each received return line that QC must sample, rounded up, at least one unit. "
        "Never below 10 %.",
    )
    rma_inspector_id = fields.Many2one(
        "res.users", string="Default Return Inspector", domain="[('share', '=', False)]",
        help="Gets an activity when a return receipt is validated and its inspection is waiting.",
    )

    _rma_sample_percent_floor = models.Constraint(
        "CHECK (rma_sample_percent >= 10 AND rma_sample_percent <= 100)",
        "The return inspection sample must be between 10 % and 100 % of the received quantity.",
    )
