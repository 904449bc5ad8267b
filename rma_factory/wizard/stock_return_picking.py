from odoo import models


class StockReturnPicking(models.TransientModel):
    """Returns created for a request go through Odoo's own return wizard, into the warehouse's
    "Customer Returns" operation type and quarantine location, linked to the request."""

    _inherit = "stock.return.picking"

    def _prepare_picking_default_values_based_on(self, picking):
        values = super()._prepare_picking_default_values_based_on(picking)
        request_id = self.env.context.get("rma_request_id")
        if not request_id:
            return values
        warehouse = picking.picking_type_id.warehouse_id
        if warehouse.rma_return_type_id:
            values.update(
                picking_type_id=warehouse.rma_return_type_id.id,
                location_dest_id=warehouse.rma_quarantine_location_id.id,
                rma_request_id=request_id,
            )
        return values
