from odoo import api, models


class AccountTax(models.Model):
    _inherit = "account.tax"

    @api.model
    def _rma_price_excluding(self, taxes, amount, currency):
        """The tax-excluded unit price of a line whose total with `taxes` is `amount` (a discount
        agreed with the customer tax included), whether the taxes are price-included or not."""
        if not taxes:
            return amount
        details = taxes._get_tax_details(
            amount, 1.0, precision_rounding=currency.rounding, rounding_method="round_globally",
            special_mode="total_included",
        )
        return details["total_excluded"]
