from odoo import fields, models
from odoo.tools import SQL

from .account_move import ENTRY_PURPOSES

COST_TYPES = [
    *ENTRY_PURPOSES,
    ("scrap", "Scrap Value"),
]


class RmaCostReport(models.Model):
    """Return Costs (R-60): what the returns cost, by responsibility, department, cost type and
    month. Read from the books: the profit-and-loss lines of the entries the returns posted, the
    scrap valuation entries Odoo posted for their dispositions, and the analytic-only charges."""

    _name = "rma.cost.report"
    _description = "Return Costs"
    _auto = False
    _order = "date desc"
    _rec_name = "request_id"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    request_id = fields.Many2one("rma.request", string="Return Request", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    responsibility_category_id = fields.Many2one("rma.responsibility.category", string="Cause Category", readonly=True)
    analytic_account_id = fields.Many2one("account.analytic.account", string="Department", readonly=True)
    cost_type = fields.Selection(COST_TYPES, readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    amount = fields.Monetary(string="Cost", readonly=True, help="Positive: a cost; negative: a recovery.")

    @property
    def _table_query(self):
        return SQL("""
            SELECT aml.id AS id, aml.date, aml.company_id, aml.company_currency_id AS currency_id,
                   req.id AS request_id, req.partner_id, req.responsibility_category_id,
                   req.responsible_analytic_account_id AS analytic_account_id,
                   am.rma_entry_purpose AS cost_type, aml.account_id, aml.balance AS amount
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN account_account acc ON acc.id = aml.account_id
              LEFT JOIN rma_request req ON req.id = am.rma_request_id
             WHERE am.rma_entry_purpose IS NOT NULL AND am.state = 'posted'
               AND left(acc.account_type, 6) IN ('income', 'expens')
            UNION ALL
            SELECT aml.id, aml.date, aml.company_id, aml.company_currency_id,
                   req.id, req.partner_id, req.responsibility_category_id,
                   req.responsible_analytic_account_id, 'scrap', aml.account_id, aml.balance
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id AND am.state = 'posted'
              JOIN stock_move sm ON sm.account_move_id = am.id
              JOIN stock_scrap ss ON ss.id = sm.scrap_id
              JOIN rma_disposition d ON d.id = ss.rma_disposition_id
              JOIN rma_request req ON req.id = d.request_id
              JOIN account_account acc ON acc.id = aml.account_id
             WHERE aml.debit > 0 AND left(acc.account_type, 6) = 'expens'
            UNION ALL
            SELECT -aal.id, aal.date, aal.company_id, company.currency_id,
                   req.id, req.partner_id, req.responsibility_category_id,
                   aal.account_id,
                   CASE WHEN starts_with(aal.rma_entry_key, 'scrap:') THEN 'scrap' ELSE 'execution_cost' END,
                   NULL, -aal.amount
              FROM account_analytic_line aal
              JOIN res_company company ON company.id = aal.company_id
              JOIN rma_request req ON req.id = aal.rma_request_id
             WHERE aal.rma_entry_key IS NOT NULL
        """)
