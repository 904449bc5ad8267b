from odoo import fields, models

# The layouts of the RMA report (rma.customer.report) a customer may ask for.
REPORT_LAYOUTS = [("standard", "RMA Report"), ("8d", "8D Report")]


class ResPartner(models.Model):
    """The layout a customer wants the answer to their returns in (R-70): many automotive and
    electronics customers demand an 8D report rather than the factory's own RMA report."""

    _inherit = "res.partner"

    rma_report_layout = fields.Selection(
        REPORT_LAYOUTS, string="RMA Report Layout",
        help="The layout of the RMA report this customer gets: the factory's RMA report or an 8D report.",
    )
