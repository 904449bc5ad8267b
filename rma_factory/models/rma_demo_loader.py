import math
from datetime import timedelta

from odoo import api, fields, models


class RmaDemoLoader(models.AbstractModel):
    """Builds what the demo needs and XML alone cannot express: the company's books,
    stock on hand, and validated deliveries and posted invoices in the past.
    Called only from demo data."""

    _name = "rma.demo.loader"
    _description = "Returns demo data loader"

    @api.model
    def _set_up_demo_company(self, company_id):
        company = self.env["res.company"].browse(company_id)
        if not company.chart_template:
            templates = self.env["account.chart.template"]._get_chart_template_mapping()
            # The Chinese chart when l10n_cn is there (a CN database has it), else the generic one.
            code = "cn" if "cn" in templates else "generic_coa"
            # _load, not try_loading: the latter warns when called while modules load, and
            # install_demo=True (its way around the warning) would add Odoo's sample invoices.
            self.env["account.chart.template"]._load(code, company, install_demo=False)
        if not self.env["stock.warehouse"].search_count([("company_id", "=", company.id)]):
            self.env["stock.warehouse"].create(
                {"name": "苏州总仓", "code": "SZ", "company_id": company.id,
                 "partner_id": company.partner_id.id}
            )
        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [fields.Command.link(company.id)], "company_id": company.id})
        if self.env["res.lang"]._lang_get("zh_CN"):
            demo_users = self.env["res.users"].search([("company_id", "=", company.id)])
            demo_users.write({"lang": "zh_CN"})

    @api.model
    def _put_demo_stock(self, company_id, rows):
        """rows: (product id, quantity, lot name or False) put in the company's main stock."""
        company = self.env["res.company"].browse(company_id)
        self = self.with_company(company)
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        quants = self.env["stock.quant"]
        for product_id, quantity, lot_name in rows:
            product = self.env["product.product"].browse(product_id)
            lot = self.env["stock.lot"]
            if lot_name:
                lot = lot.create({"name": lot_name, "product_id": product.id, "company_id": company.id})
            quants |= quants.with_context(inventory_mode=True).create(
                {
                    "product_id": product.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "lot_id": lot.id,
                    "inventory_quantity": quantity,
                }
            )
        quants.action_apply_inventory()

    @api.model
    def _deliver_demo_orders(self, rows):
        """rows: (sale order id, days ago, fraction of each line delivered, invoice it)."""
        for order_id, days_ago, fraction, invoice in rows:
            order = self.env["sale.order"].browse(order_id)
            order = order.with_company(order.company_id)
            when = fields.Datetime.now() - timedelta(days=days_ago, hours=3)
            order.write({"date_order": when - timedelta(days=3)})
            order.action_confirm()
            if fraction:
                self._validate_delivery(order.picking_ids, fraction, when)
            if invoice:
                invoices = order._create_invoices()
                invoices.write({"invoice_date": when.date()})
                invoices.action_post()

    def _validate_delivery(self, pickings, fraction, when):
        picking = pickings.filtered(lambda p: p.state not in ("done", "cancel"))[:1]
        picking.action_assign()
        for move in picking.move_ids:
            wanted = math.floor(move.product_uom_qty * fraction)
            if move.product_id.tracking == "none":
                move.quantity = wanted
            else:
                # Reservation already picked the lots FIFO: keep them, trimmed to the quantity.
                remaining = wanted
                for line in move.move_line_ids:
                    line.quantity = min(line.quantity, remaining)
                    remaining -= line.quantity
            move.picked = True
        # A partial delivery keeps its backorder, as the warehouse would.
        picking.with_context(cancel_backorder=False)._action_done()
        picking.write({"date_done": when})
        picking.move_ids.write({"date": when})
        picking.move_ids.move_line_ids.write({"date": when})
