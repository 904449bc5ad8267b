from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import format_list

from .rma_process_guard import is_process_env, speaking_env

# What a validated return receipt took in: the request's received quantities, the inspection's
# sample sizes and the quarantine stock all follow from it.
RECEIVED_LINE_FIELDS = {
    "quantity", "product_id", "product_uom_id", "lot_id", "lot_name", "location_id", "location_dest_id",
    "package_id", "result_package_id", "owner_id", "move_id", "picking_id",
}


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # Reservations create lines on moves not done yet: only a line added to a done move (an
        # unlocked transfer edited) is checked, from what the cache already holds.
        if any(move.state == "done" for move in lines.move_id):
            lines._rma_check_receipt_still_open()
        return lines

    def write(self, vals):
        if RECEIVED_LINE_FIELDS.intersection(vals):
            self._rma_check_receipt_still_open()
        return super().write(vals)

    def unlink(self):
        self._rma_check_receipt_still_open()
        return super().unlink()

    def _rma_check_receipt_still_open(self):
        """Odoo lets a validated transfer be unlocked and its quantities edited; a validated return
        receipt is the record of what came back (R-30): a difference is recorded on the request."""
        if is_process_env(self.env):
            return
        received = self.filtered(
            lambda line: line.state == "done" and line.picking_id.rma_request_id
            and line.picking_id.picking_type_code == "incoming"
        )
        if received:
            raise UserError(speaking_env(self)._(
                "%(receipts)s is validated: what it received can no longer change. Record a difference "
                "with the customer on the request instead.",
                receipts=format_list(self.env, received.picking_id.mapped("name")),
            ))
