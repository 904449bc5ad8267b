from odoo import models


class StockReturnPickingLine(models.TransientModel):
    _inherit = "stock.return.picking.line"

    def _prepare_move_default_values(self, new_picking):
        values = super()._prepare_move_default_values(new_picking)
        line_by_move = self.env.context.get("rma_line_by_move") or {}
        # A return made for a request line counts for it; a plain return (of a return receipt,
        # say) does not, even though the move it copies does.
        values["rma_request_line_id"] = line_by_move.get(self.move_id.id, False)
        return values
