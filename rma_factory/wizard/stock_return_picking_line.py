from odoo import models


class StockReturnPickingLine(models.TransientModel):
    _inherit = "stock.return.picking.line"

    def _prepare_move_default_values(self, new_picking):
        values = super()._prepare_move_default_values(new_picking)
        line_by_move = self.env.context.get("rma_line_by_move") or {}
        if self.move_id.id in line_by_move:
            values["rma_request_line_id"] = line_by_move[self.move_id.id]
        return values
