from odoo import fields, models


class AccountMoveLine(models.Model):
    """A refund credit note's line knows the disposition it refunds: a disposition is refunded
    once, and cancelling it reverses its own lines only. Copied to the reversal's lines."""

    _name = "account.move.line"
    _inherit = ["account.move.line", "rma.process.guard"]
    _rma_process_fields = ("rma_disposition_id",)
    _rma_bounded = False

    rma_disposition_id = fields.Many2one(
        "rma.disposition", string="Return Disposition", index="btree_not_null", readonly=True, copy=False,
    )
