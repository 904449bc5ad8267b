from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    rma_warranty_months = fields.Integer(
        string="Warranty (months)",
        help="Warranty length, counted from the delivery date, for products of this category "
        "that do not set their own. 0 means no warranty: returns fail criterion A.",
    )
