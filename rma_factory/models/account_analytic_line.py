from odoo import api, fields, models


class AccountAnalyticLine(models.Model):
    """A department's cost charged by the returns as an analytic line only (periodic valuation
    of a scrap, execution costs already in the books): once per key, like the entries."""

    _name = "account.analytic.line"
    _inherit = ["account.analytic.line", "rma.process.guard"]
    _rma_process_fields = ("rma_request_id", "rma_entry_key")
    _rma_bounded = False

    rma_request_id = fields.Many2one("rma.request", string="Return Request", index="btree_not_null",
                                     readonly=True, copy=False)
    rma_entry_key = fields.Char(string="Return Entry Key", readonly=True, copy=False)

    _rma_entry_once = models.UniqueIndex(
        "(rma_entry_key) WHERE (rma_entry_key IS NOT NULL)",
        "This return cost is already charged: the returns charge each cost once.",
    )

    @api.model
    def _rma_create_once(self, key, request, values):
        existing = self.sudo().search([("rma_entry_key", "=", key)], limit=1)
        if existing:
            return existing
        return self.sudo()._rma_process().create(dict(values, rma_entry_key=key, rma_request_id=request.id))
