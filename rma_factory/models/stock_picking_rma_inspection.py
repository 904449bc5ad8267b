from collections import defaultdict

from odoo import models


class StockPicking(models.Model):
    """Validating a return receipt hands the goods to QC: an inspection of what was received (R-40)."""

    _inherit = "stock.picking"

    def _action_done(self):
        result = super()._action_done()
        receipts = self.filtered(
            lambda p: p.rma_request_id and p.picking_type_code == "incoming" and p.state == "done"
        )
        if receipts:
            # sudo: the warehouse keeper who validates does not manage inspections.
            receipts.sudo()._rma_create_inspections()
        return result

    def _rma_create_inspections(self):
        Inspection = self.env["rma.inspection"]
        for picking in self:
            request = picking.rma_request_id
            quantities = defaultdict(float)
            lots = defaultdict(lambda: self.env["stock.lot"])
            for move in picking.move_ids.filtered(lambda m: m.state == "done" and m.rma_request_line_id):
                line = move.rma_request_line_id
                quantities[line] += move.product_uom._compute_quantity(move.quantity, line.uom_id)
                lots[line] |= move.move_line_ids.lot_id
            line_values = [
                {"request_line_id": line.id, "qty_received": qty, "lot_ids": [(6, 0, lots[line].ids)]}
                for line, qty in quantities.items() if qty > 0
            ]
            if not line_values:
                continue
            company = request.company_id
            inspection = Inspection.create({
                "request_id": request.id,
                "picking_id": picking.id,
                "sample_percent": company.rma_sample_percent,
                "inspector_id": company.rma_inspector_id.id,
                "line_ids": [(0, 0, values) for values in line_values],
            })
            if company.rma_inspector_id:
                inspection.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=company.rma_inspector_id.id,
                    summary=self.env._("Inspect the returned goods of %(receipt)s", receipt=picking.name),
                )
            request.message_post(body=self.env._(
                "%(receipt)s received: inspection %(inspection)s waits for QC.",
                receipt=picking.name, inspection=inspection._get_html_link(),
            ))
