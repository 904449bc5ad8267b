from odoo import fields, models
from odoo.tools import SQL


class RmaReturnRateReport(models.Model):
    """Return Rate (R-82): returned quantity / delivered quantity per product and month, from the
    done stock moves: to a customer location = delivered, from a customer location = returned
    (through a request or a plain Odoo return), both in the product's unit. In a grouped row the
    rate is sum(returned) / sum(delivered) of the group, never an average of the rows' rates."""

    _name = "rma.return.rate.report"
    _description = "Return Rate"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "product_id"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    qty_delivered = fields.Float(string="Delivered", readonly=True, digits="Product Unit")
    qty_returned = fields.Float(string="Returned", readonly=True, digits="Product Unit")
    return_rate = fields.Float(
        string="Return Rate (%)", readonly=True, aggregator="avg", digits=(16, 2),
        help="Returned quantity / delivered quantity × 100, over the whole group.",
    )

    @property
    def _table_query(self):
        qty = SQL("move.quantity * move_uom.factor / NULLIF(product_uom.factor, 0)")
        return SQL("""
            SELECT move.id, move.date::date AS date, move.company_id, move.product_id, tmpl.categ_id,
                   COALESCE(partner.commercial_partner_id, partner.id) AS partner_id,
                   CASE WHEN dest.usage = 'customer' THEN %(qty)s ELSE 0 END AS qty_delivered,
                   CASE WHEN src.usage = 'customer' THEN %(qty)s ELSE 0 END AS qty_returned,
                   CASE WHEN dest.usage = 'customer' THEN 0.0 END AS return_rate
              FROM stock_move move
              JOIN stock_location src ON src.id = move.location_id
              JOIN stock_location dest ON dest.id = move.location_dest_id
              JOIN product_product product ON product.id = move.product_id
              JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
              JOIN uom_uom move_uom ON move_uom.id = move.product_uom
              JOIN uom_uom product_uom ON product_uom.id = tmpl.uom_id
              LEFT JOIN stock_picking picking ON picking.id = move.picking_id
              LEFT JOIN res_partner partner ON partner.id = COALESCE(move.partner_id, picking.partner_id)
             WHERE move.state = 'done' AND (src.usage = 'customer') != (dest.usage = 'customer')
        """, qty=qty)

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == "return_rate:avg":
            # The group's rate: what came back over what went out, not an average of ratios.
            return SQL(
                "100.0 * SUM(%s) / NULLIF(SUM(%s), 0)",
                self._field_to_sql(self._table, "qty_returned", query),
                self._field_to_sql(self._table, "qty_delivered", query),
            )
        return super()._read_group_select(aggregate_spec, query)
