from odoo import fields, models


class StockScrap(models.Model):
    """A scrap disposition (报废) is Odoo's own scrap order, from the returns quarantine."""

    _inherit = "stock.scrap"

    rma_disposition_id = fields.Many2one(
        "rma.disposition", string="Return Disposition", index="btree_not_null", readonly=True, copy=False,
    )
