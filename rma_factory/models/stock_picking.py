from odoo import api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    rma_request_ids = fields.Many2many(
        "rma.request", string="Return Requests", compute="_compute_rma_requests",
    )
    rma_request_count = fields.Integer(string="Return Request Count", compute="_compute_rma_requests")
    rma_can_request = fields.Boolean(compute="_compute_rma_can_request")

    @api.depends("state")
    def _compute_rma_requests(self):
        groups = self.env["rma.request"].sudo()._read_group(
            [("origin_picking_ids", "in", self.ids)], ["origin_picking_ids"], ["id:array_agg"]
        )
        by_picking = {picking.id: ids for picking, ids in groups}
        for picking in self:
            visible = self.env["rma.request"].browse(by_picking.get(picking.id, []))._filtered_access("read")
            picking.rma_request_ids = visible
            picking.rma_request_count = len(visible)

    @api.depends("state", "picking_type_code", "location_dest_id.usage")
    def _compute_rma_can_request(self):
        for picking in self:
            picking.rma_can_request = (
                picking.state == "done" and picking.picking_type_code == "outgoing"
                and picking.location_dest_id.usage == "customer"
            )

    def action_create_rma_request(self):
        """Open a new return request with this delivery's lines (R-12)."""
        self.ensure_one()
        if not self.rma_can_request:
            raise UserError(self.env._(
                "%(picking)s is not a done delivery to a customer: nothing to return from it.",
                picking=self.name,
            ))
        moves = self.move_ids.filtered(lambda m: m.state == "done")
        return self.env["rma.request"]._action_new_from_moves(
            moves, self.partner_id, self.sale_id.team_id
        )

    def action_view_rma_requests(self):
        self.ensure_one()
        return self.env["rma.request"]._open_records(self.rma_request_ids, self.env._("Return Requests"))
