from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    rma_request_ids = fields.Many2many(
        "rma.request", string="Return Requests", compute="_compute_rma_requests",
    )
    rma_request_count = fields.Integer(string="Return Request Count", compute="_compute_rma_requests")
    rma_can_request = fields.Boolean(compute="_compute_rma_can_request")

    @api.depends("state", "picking_ids.state")
    def _compute_rma_can_request(self):
        for order in self:
            order.rma_can_request = order.state == "sale" and bool(order._rma_delivered_moves())

    def _rma_delivered_moves(self):
        self.ensure_one()
        return self.order_line.move_ids.filtered(
            lambda m: m.state == "done" and m.picking_code == "outgoing" and m.location_dest_id.usage == "customer"
        )

    @api.depends("order_line")
    def _compute_rma_requests(self):
        groups = self.env["rma.request"]._read_group(
            [("sale_order_ids", "in", self.ids)], ["sale_order_ids"], ["id:array_agg"]
        )
        by_order = {order.id: ids for order, ids in groups}
        for order in self:
            order.rma_request_ids = [fields.Command.set(by_order.get(order.id, []))]
            order.rma_request_count = len(by_order.get(order.id, []))

    def action_create_rma_request(self):
        """Open a new return request with what was delivered on this order (R-12)."""
        self.ensure_one()
        moves = self._rma_delivered_moves()
        if not moves:
            raise UserError(self.env._("%(order)s has no delivered goods to return.", order=self.name))
        return self.env["rma.request"]._action_new_from_moves(moves, self.partner_id, self.team_id)

    def action_view_rma_requests(self):
        self.ensure_one()
        return self.env["rma.request"]._open_records(self.rma_request_ids, self.env._("Return Requests"))
