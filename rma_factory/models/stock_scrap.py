from odoo import fields, models


class StockScrap(models.Model):
    """A scrap disposition (报废) is Odoo's own scrap order, from the returns quarantine."""

    _name = "stock.scrap"
    _inherit = ["stock.scrap", "rma.process.guard"]
    # Linked by the disposition that creates it, never by hand.
    _rma_process_fields = ("rma_disposition_id",)
    _rma_bounded = False

    rma_disposition_id = fields.Many2one(
        "rma.disposition", string="Return Disposition", index="btree_not_null", readonly=True, copy=False,
    )
