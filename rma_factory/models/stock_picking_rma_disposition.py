from odoo import fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    """Transfers that carry out a disposition: the return to the customer waits for the outgoing
    quality check, an advance replacement for the deposit; the disposition follows the transfer."""

    _inherit = "stock.picking"

    rma_disposition_id = fields.Many2one(
        "rma.disposition", string="Return Disposition", index="btree_not_null", readonly=True, copy=False,
    )
    rma_disposition_request_id = fields.Many2one(
        related="rma_disposition_id.request_id", string="Disposition of Request",
    )

    def button_validate(self):
        for picking in self.filtered("rma_disposition_id"):
            picking.rma_disposition_id._check_can_ship(picking)
        return super().button_validate()

    def _action_done(self):
        result = super()._action_done()
        self.filtered(lambda p: p.state == "done").rma_disposition_id.sudo()._mark_done()
        return result

    def action_cancel(self):
        result = super().action_cancel()
        for picking in self.filtered(lambda p: p.state == "cancel" and p.rma_disposition_id):
            picking.rma_disposition_id.sudo()._mark_cancelled(picking.name)
        return result


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    rma_disposition_id = fields.Many2one(
        "rma.disposition", string="Return Disposition", index="btree_not_null", readonly=True, copy=False,
    )


class RepairOrder(models.Model):
    """A rework order (退货产品返工单) is Odoo's repair order: when production ends it, the reworked
    goods are in the warehouse's returned-rework stock and the disposition is done."""

    _inherit = "repair.order"

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


class RmaDisposition(models.Model):
    _inherit = "rma.disposition"

    def _check_can_ship(self, picking):
        self.ensure_one()
        if self.disposition_type == "return_customer" and self.oqc_state != "passed":
            raise UserError(self.env._(
                "%(picking)s returns goods to the customer: the outgoing quality check must pass first.",
                picking=picking.name,
            ))
        if self.disposition_type == "replace":
            self.request_id._check_deposit_before_shipping(picking)
