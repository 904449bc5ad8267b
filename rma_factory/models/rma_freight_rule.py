from odoo import api, fields, models
from odoo.exceptions import UserError

FREIGHT_CAUSES = [
    ("quality", "Quality Problem"),
    ("quality_shared", "Quality Problem, Split Agreed with the Customer"),
    ("customer", "Customer's Fault"),
    ("wrong_shipment", "Wrong Shipment"),
    ("carrier", "Carrier Damage"),
    ("other", "Other"),
]


class RmaFreightRule(models.Model):
    """Who pays the return freight (运费, R-61), by cause: the seeds' rule kept as a table.
    Rules without a company are the defaults every company shares; a company's own rule for the
    same cause wins."""

    _name = "rma.freight.rule"
    _description = "Return Freight Rule"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", index=True)
    cause = fields.Selection(FREIGHT_CAUSES, required=True)
    company_share = fields.Float(string="Company Share (%)", required=True, default=100.0)
    customer_share = fields.Float(string="Customer Share (%)", required=True, default=0.0)
    carrier_share = fields.Float(
        string="Carrier Share (%)", required=True, default=0.0,
        help="Claimed from the carrier: its freight bill is blocked until the claim is settled.",
    )
    note = fields.Char(translate=True)

    _shares_valid = models.Constraint(
        "CHECK (company_share >= 0 AND customer_share >= 0 AND carrier_share >= 0 "
        "AND abs(company_share + customer_share + carrier_share - 100) < 0.001)",
        "The freight shares of a rule must be positive and add up to 100 %.",
    )
    _cause_unique = models.UniqueIndex(
        "(COALESCE(company_id, 0), cause)", "There is already a freight rule for this cause.",
    )

    @api.model
    def _rule_for(self, company, cause):
        rules = self.sudo().search([("cause", "=", cause), ("company_id", "in", [company.id, False])])
        rule = rules.filtered("company_id")[:1] or rules[:1]
        if not rule:
            raise UserError(self.env._(
                "Nothing was posted: no freight rule for the cause '%(cause)s' in Settings → Returns → Freight Rules.",
                cause=dict(self._fields["cause"]._description_selection(self.env))[cause],
            ))
        return rule
