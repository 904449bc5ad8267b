from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    # Set on return moves created for a request line, so that a delivered quantity is counted
    # once: either as requested (through the request) or as returned outside any request.
    # Copied, so that the backorder's moves stay on the request line.
    rma_request_line_id = fields.Many2one(
        "rma.request.line", string="Return Request Line", index="btree_not_null", ondelete="set null",
    )
