from odoo import fields, models
from odoo.exceptions import UserError

# The seeds set the floor: QC samples "不少于退货数量10%".
MIN_SAMPLE_PERCENT = 10.0

# The accounts the returns post to, per chart template: the chart's own xml ids (never codes,
# which the database pads: 5601 becomes 560100). cn = 小企业会计准则, cn_large_bis = 企业会计准则.
DEFAULT_ACCOUNTS = {
    "rma_allowance_account_id": {
        "cn": "l10n_cn_account_5001", "cn_large_bis": "l10n_cn_large_bis_account_6001", "generic_coa": "income",
    },
    "rma_freight_account_id": {
        "cn": "l10n_cn_account_5601", "cn_large_bis": "l10n_cn_large_bis_account_6601", "generic_coa": "expense",
    },
    "rma_claim_account_id": {
        "cn": "l10n_cn_common_account_1221", "cn_large_bis": "l10n_cn_common_account_1221",
        "generic_coa": "current_assets",
    },
    "rma_deposit_account_id": {
        "cn": "l10n_cn_common_account_2241", "cn_large_bis": "l10n_cn_common_account_2241",
        "generic_coa": "current_liabilities",
    },
    "rma_deposit_kept_account_id": {
        "cn": "l10n_cn_account_5301", "cn_large_bis": "l10n_cn_large_bis_account_6301",
        "generic_coa": "other_income",
    },
    "rma_cost_account_id": {
        "cn": "l10n_cn_account_5711", "cn_large_bis": "l10n_cn_large_bis_account_6711", "generic_coa": "expense",
    },
    "rma_cost_counterpart_account_id": {
        "cn": "l10n_cn_account_4001", "cn_large_bis": "l10n_cn_large_bis_account_5001",
        "generic_coa": "cost_of_production",
    },
}
ACCOUNTING_PRODUCTS = {
    "rma_freight_product_id": "rma_factory.product_rma_freight",
    "rma_deposit_product_id": "rma_factory.product_rma_deposit",
}


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
    rma_activity_email = fields.Boolean(
        string="Task E-mails for Returns", default=False,
        help="On: Odoo also e-mails each return task's assignee (\"... assigned to you\"). Off: the task "
        "reaches them in the Activities menu and on the record only.",
    )
    rma_report_answer_days = fields.Integer(
        string="RMA Report Answer (days)", default=45,
        help="顾客在45天内未答复视为同意: a customer who does not answer the RMA report within this many "
        "days of its sending is taken to accept it.",
    )
    # ---- Customer portal: the photos a customer attaches to a request.
    rma_portal_photo_max_mb = fields.Integer(
        string="Portal Photo Size (MB)", default=5,
        help="The largest photo a customer may attach to a return request on the portal.",
    )
    rma_portal_photo_max_count = fields.Integer(
        string="Portal Photos per Request", default=6,
        help="How many photos a customer may attach to one return request on the portal.",
    )


    # ---- Accounting (R-60..R-62): where the returns post. Empty: the chart's default.
    rma_refund_journal_id = fields.Many2one(
        "account.journal", string="Refund Journal", check_company=True, domain="[('type', '=', 'sale')]",
        help="Journal of the refund, discount and deposit credit notes and of the deposit and freight "
        "invoices; empty: the company's sales journal.",
    )
    rma_allowance_account_id = fields.Many2one(
        "account.account", string="Sales Allowance Account", check_company=True,
        help="销售折让: the discount agreed instead of a return is credited to the customer on this account.",
    )
    rma_freight_account_id = fields.Many2one(
        "account.account", string="Freight Expense Account", check_company=True,
        help="运费: the company's share of the return freight, billed by the carrier.",
    )
    rma_freight_product_id = fields.Many2one(
        "product.product", string="Freight Product", check_company=True,
        help="Invoices the customer's share of the return freight.",
    )
    rma_claim_account_id = fields.Many2one(
        "account.account", string="Carrier Claim Receivable Account", check_company=True,
        help="其他应收款: what the carrier owes for goods damaged in transport.",
    )
    rma_deposit_product_id = fields.Many2one(
        "product.product", string="Deposit Product", check_company=True,
        help="押金: invoices the deposit of a replacement shipped before the return.",
    )
    rma_deposit_account_id = fields.Many2one(
        "account.account", string="Deposit Liability Account", check_company=True,
        help="其他应付款: the deposit is owed back to the customer until it is offset or kept.",
    )
    rma_deposit_kept_account_id = fields.Many2one(
        "account.account", string="Kept Deposit Account", check_company=True,
        help="营业外收入: a deposit kept because the goods never came back.",
    )
    rma_cost_account_id = fields.Many2one(
        "account.account", string="Return Cost Account", check_company=True,
        help="营业外支出: execution costs (执行费用) of rework and other dispositions, charged to the "
        "responsible department's analytic account; also credited by carrier claims.",
    )
    rma_cost_counterpart_account_id = fields.Many2one(
        "account.account", string="Execution Cost Counterpart", check_company=True,
        help="Where the execution cost was first recorded (生产成本): credited when it is charged to the return.",
    )
    rma_cost_posting = fields.Selection(
        [("analytic", "Analytic Lines Only"), ("entry", "Journal Entry")], string="Post Execution Costs As",
        default="analytic", required=True,
        help="Analytic lines only: the cost is already in the books (production), the department is "
        "charged in analytic accounting. Journal entry: the cost is moved to the return cost account.",
    )
    rma_freight_rule_ids = fields.One2many("rma.freight.rule", "company_id", string="Freight Rules")
    rma_finance_user_id = fields.Many2one(
        "res.users", string="Finance Contact for Returns", domain="[('share', '=', False)]",
        help="Gets an activity to book (财务办理) the entries of a return once the GM approved it or it was "
        "settled by discount.",
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
    _rma_portal_photo_limits = models.Constraint(
        "CHECK (rma_portal_photo_max_mb > 0 AND rma_portal_photo_max_count > 0)",
        "The portal's photo size and count limits must be positive.",
    )

    def _rma_working_calendar(self):
        self.ensure_one()
        return self.rma_calendar_id or self.resource_calendar_id

    # ------------------------------------------------------------------ accounting configuration

    def _rma_default_account(self, field_name):
        """The account the company's chart of accounts gives for a setting (its xml id)."""
        self.ensure_one()
        xmlids = DEFAULT_ACCOUNTS.get(field_name, {})
        xmlid = xmlids.get(self.chart_template) or xmlids.get("generic_coa")
        if not xmlid:
            return self.env["account.account"]
        return self.env["account.chart.template"].with_company(self).ref(
            xmlid, raise_if_not_found=False
        ) or self.env["account.account"]

    def _rma_set_default_accounting(self):
        """Fill the empty accounting settings from the chart, so that a company posts without
        set-up (called on install and when a chart is loaded)."""
        for company in self.filtered("chart_template"):
            values = {}
            for field_name in DEFAULT_ACCOUNTS:
                if not company[field_name]:
                    account = company._rma_default_account(field_name)
                    if account:
                        values[field_name] = account.id
            if not company.rma_refund_journal_id:
                journal = company._rma_journal_of_type("sale")
                if journal:
                    values["rma_refund_journal_id"] = journal.id
            for field_name, xmlid in ACCOUNTING_PRODUCTS.items():
                if not company[field_name]:
                    product = self.env.ref(xmlid, raise_if_not_found=False)
                    if product:
                        values[field_name] = product.id
            if values:
                company.sudo().write(values)

    def _rma_setting(self, field_name):
        """The value of an accounting setting, or a clear error that names it (nothing is posted)."""
        self.ensure_one()
        value = self.sudo()[field_name]
        if not value and field_name in DEFAULT_ACCOUNTS:
            value = self.sudo()._rma_default_account(field_name)
        if not value and field_name == "rma_refund_journal_id":
            value = self._rma_journal_of_type("sale")
        if not value:
            field = self._fields[field_name]
            raise UserError(self.env._(
                "Nothing was posted: set '%(setting)s' for %(company)s in Settings → Returns → Accounting.",
                setting=field._description_string(self.env), company=self.name,
            ))
        return value

    def _rma_journal_of_type(self, journal_type, required=False):
        """The company's first journal of `journal_type` (sale, purchase, general)."""
        self.ensure_one()
        Journal = self.env["account.journal"].sudo()
        journal = Journal.search([*Journal._check_company_domain(self), ("type", "=", journal_type)], limit=1)
        if required and not journal:
            raise UserError(self.env._("Nothing was posted: %(company)s has no %(type)s journal.",
                                       company=self.name, type=journal_type))
        return journal
