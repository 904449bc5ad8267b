from odoo import models


class StockBackorderConfirmation(models.TransientModel):
    """Odoo's backorder question, asked when the returns scanner validates a short receipt: its
    answer goes back to the scanner, which says the receipt was validated."""

    _inherit = "stock.backorder.confirmation"

    def process(self):
        return self._rma_back_to_scanner(super().process())

    def process_cancel_backorder(self):
        return self._rma_back_to_scanner(super().process_cancel_backorder())

    def _rma_back_to_scanner(self, result):
        receipt_name = self.env.context.get("rma_scanner_validated")
        if not receipt_name or isinstance(result, dict):
            return result
        return self.env["rma.receipt.scanner"]._validated_screen(receipt_name)
