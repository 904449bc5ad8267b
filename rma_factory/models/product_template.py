from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    rma_warranty_months = fields.Integer(
        string="Own Warranty (months)",
        help="Warranty length for this product, counted from the delivery date. "
        "Leave 0 to use the warranty of the product category.",
    )
    rma_effective_warranty_months = fields.Integer(
        string="Warranty (months)",
        compute="_compute_rma_effective_warranty_months",
        help="The warranty that applies to returns: the product's own length, "
        "or its category's when the product sets none.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "rma_warranty_months" in vals or "categ_id" in vals:
            self.env["rma.request.line"]._recompute_draft_warranties(self.product_variant_ids)
        return result

    @api.depends("rma_warranty_months", "categ_id.rma_warranty_months")
    def _compute_rma_effective_warranty_months(self):
        for template in self:
            template.rma_effective_warranty_months = (
                template.rma_warranty_months or template.categ_id.rma_warranty_months
            )
