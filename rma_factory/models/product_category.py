from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    rma_warranty_months = fields.Integer(
        string="Warranty (months)",
        help="Warranty length, counted from the delivery date, for products of this category "
        "that do not set their own. 0 means no warranty: returns fail criterion A.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "rma_warranty_months" in vals:
            products = self.env["product.product"].with_context(active_test=False).search(
                [("categ_id", "child_of", self.ids)])
            self.env["rma.request.line"]._recompute_draft_warranties(products)
        return result
