from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockMove(models.Model):
    _name = "stock.move"
    _inherit = ["stock.move", "rma.process.guard"]
    # Given when the return move is made (Odoo's return wizard, a backorder's split), never
    # re-linked afterwards.
    _rma_fixed_fields = ("rma_request_line_id",)
    _rma_bounded = False

    # Set on return moves created for a request line, so that a delivered quantity is counted
    # once: either as requested (through the request) or as returned outside any request.
    # Copied, so that the backorder's moves stay on the request line.
    rma_request_line_id = fields.Many2one(
        "rma.request.line", string="Return Request Line", index="btree_not_null", ondelete="set null",
    )

    @api.constrains("rma_request_line_id", "picking_id", "product_id")
    def _check_rma_request_line(self):
        """A return move belongs to a receipt of its line's request."""
        for move in self.filtered("rma_request_line_id"):
            if move.product_id != move.rma_request_line_id.product_id:
                raise ValidationError(self.env._(
                    "%(move)s is for another product than its request line (%(product)s).",
                    move=move.display_name, product=move.rma_request_line_id.product_id.display_name,
                ))
            if move.picking_id.rma_request_id != move.rma_request_line_id.request_id:
                raise ValidationError(self.env._(
                    "%(move)s is not on a receipt of %(request)s: it can't count as returned for it.",
                    move=move.display_name, request=move.rma_request_line_id.request_id.name,
                ))

    def _get_account_move_line_vals(self):
        """The scrap of a return disposition: its loss line (real-time valuation) carries the
        responsible department's analytic account when the responsibility is already decided;
        otherwise the GM approval adds it (rma.disposition._rma_charge_scrap)."""
        vals_list = super()._get_account_move_line_vals()
        disposition = self.scrap_id.rma_disposition_id
        loss_account = self.location_dest_id.valuation_account_id
        analytic = disposition.sudo().request_id.responsible_analytic_account_id if disposition else False
        if analytic and loss_account:
            for vals in vals_list:
                if vals.get("account_id") == loss_account.id and vals.get("debit"):
                    vals["analytic_distribution"] = {str(analytic.id): 100}
        return vals_list
