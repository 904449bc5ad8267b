from odoo import fields, models


class RepairOrder(models.Model):
    """A rework order (退货产品返工单) is Odoo's repair order: when production ends it, the reworked
    goods are in the warehouse's returned-rework stock and the disposition is done."""

    _name = "repair.order"
    _inherit = ["repair.order", "rma.process.guard"]
    # Linked by the disposition that creates it, never by hand.
    _rma_process_fields = ("rma_disposition_id",)
    _rma_bounded = False

    rma_disposition_id = fields.Many2one(
        "rma.disposition", string="Return Disposition", index="btree_not_null", readonly=True, copy=False,
    )
    rma_request_id = fields.Many2one(related="rma_disposition_id.request_id", string="Return Request")

    def action_repair_done(self):
        result = super().action_repair_done()
        self.filtered(lambda r: r.state == "done").rma_disposition_id.sudo()._mark_done()
        return result

    def action_repair_cancel(self):
        result = super().action_repair_cancel()
        for repair in self.filtered(lambda r: r.state == "cancel" and r.rma_disposition_id):
            repair.rma_disposition_id.sudo()._mark_cancelled(repair.name)
        return result
