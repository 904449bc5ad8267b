from odoo import fields, models

# The seeds set the floor: QC samples "不少于退货数量10%".
MIN_SAMPLE_PERCENT = 10.0


class ResCompany(models.Model):
    """The parameters of the return rules, per company (Settings → Returns)."""

    _inherit = "res.company"

    rma_verification_days = fields.Integer(
        string="On-site Verification (working days)", default=3,
        help="业务员须在三个工作日内到客户仓库进行现场核实: the sales rep verifies the goods at the "
        "customer within this many working days of submitting the request.",
    )
    rma_return_days = fields.Integer(
        string="Return Deadline (working days)", default=7,
        help="审批后七个工作日内将产品拉回公司: the goods are due back this many working days after "
        "the approval.",
    )
    rma_calendar_id = fields.Many2one(
        "resource.calendar", string="Working Calendar for Returns", check_company=True,
        help="Working days and public holidays the deadlines are counted on; empty: the company's "
        "own working calendar.",
    )
    rma_claim_hours = fields.Integer(
        string="Carrier Damage Claim (hours)", default=24,
        help="运输破损须在24小时内向承运商索赔: damaged packaging is claimed from the carrier within "
        "this many hours of the customer's receipt.",
    )
    rma_shortage_days = fields.Integer(
        string="Shortage Report (days)", default=2,
        help="货品缺少须在收货后2天内反馈: a shortage must be reported within this many days of the "
        "customer's receipt; later only a manager accepts it, with a reason.",
    )
    rma_sample_percent = fields.Float(
        string="Return Inspection Sample (%)", default=MIN_SAMPLE_PERCENT,
        help="品管员抽检不少于退货数量10%: share of each received return line that QC samples, rounded "
        "up, at least one unit. Never below 10 %.",
    )
    rma_inspector_id = fields.Many2one(
        "res.users", string="Default Return Inspector", domain="[('share', '=', False)]",
        help="Gets an activity when a return receipt is validated and its inspection is waiting.",
    )
    rma_report_answer_days = fields.Integer(
        string="RMA Report Answer (days)", default=45,
        help="顾客在45天内未答复视为同意: a customer who does not answer the RMA report within this many "
        "days of its sending is taken to accept it.",
    )

    _rma_sample_percent_floor = models.Constraint(
        "CHECK (rma_sample_percent >= 10 AND rma_sample_percent <= 100)",
        "The return inspection sample must be between 10 % and 100 % of the received quantity.",
    )
    _rma_periods_positive = models.Constraint(
        "CHECK (rma_verification_days > 0 AND rma_return_days > 0 AND rma_claim_hours > 0 "
        "AND rma_shortage_days >= 0 AND rma_report_answer_days > 0)",
        "The deadlines of the return rules must be positive.",
    )

    def _rma_working_calendar(self):
        self.ensure_one()
        return self.rma_calendar_id or self.resource_calendar_id
