from odoo import api, fields, models

from .rma_inspection import QUALITY_VERDICTS


class RmaRequest(models.Model):
    """The request follows its inspections: inspected once every received unit is judged."""

    _inherit = "rma.request"

    inspection_ids = fields.One2many("rma.inspection", "request_id", string="Inspections")
    inspection_count = fields.Integer(compute="_compute_inspection_count")
    quality_verdict = fields.Selection(
        QUALITY_VERDICTS, string="Quality Judgement", compute="_compute_quality_verdict", store=True,
    )

    @api.depends("inspection_ids")
    def _compute_inspection_count(self):
        for request in self:
            request.inspection_count = len(request.inspection_ids)

    @api.depends("inspection_ids.state", "inspection_ids.verdict")
    def _compute_quality_verdict(self):
        for request in self:
            verdicts = set(request.inspection_ids.filtered(lambda i: i.state == "done").mapped("verdict"))
            request.quality_verdict = (
                "confirmed" if "confirmed" in verdicts else "not_confirmed" if verdicts else False
            )

    def _update_inspection_state(self):
        for request in self.filtered(lambda r: r.state == "received"):
            inspections = request.inspection_ids
            # The receipt that completes the request is validated before its inspection exists
            # (the inspection is created after the receipt state is updated): wait for it.
            uninspected = request.sudo().receipt_ids.filtered(
                lambda p: p.state == "done" and any(
                    m.state == "done" and m.rma_request_line_id and m.quantity for m in p.move_ids
                )
            ) - inspections.sudo().picking_id
            if inspections and not uninspected and all(i.state == "done" for i in inspections):
                request._transition("inspect")

    def _on_inspection_completed(self):
        """An inspection of these requests was completed (called by the inspection)."""
        self._update_inspection_state()

    def _on_received(self):
        result = super()._on_received()
        # A last receipt may arrive after its inspections were done (or a difference be confirmed).
        self._update_inspection_state()
        return result

    def action_view_inspections(self):
        self.ensure_one()
        return self._open_records(self.inspection_ids, self.env._("Inspections"))


class RmaRequestLine(models.Model):
    """Outcome per request line (R-41), summed over its completed inspections."""

    _inherit = "rma.request.line"

    inspection_line_ids = fields.One2many("rma.inspection.line", "request_line_id", string="Inspections")
    qty_inspected = fields.Float(
        string="Inspected", compute="_compute_inspection_outcome", store=True, digits="Product Unit"
    )
    qty_scrap = fields.Float(
        string="To Scrap", compute="_compute_inspection_outcome", store=True, digits="Product Unit"
    )
    qty_usable = fields.Float(
        string="Usable", compute="_compute_inspection_outcome", store=True, digits="Product Unit"
    )
    quality_verdict = fields.Selection(
        QUALITY_VERDICTS, string="Quality Problem", compute="_compute_inspection_outcome", store=True,
    )

    @api.depends(
        "inspection_line_ids.state", "inspection_line_ids.qty_received", "inspection_line_ids.qty_scrap",
        "inspection_line_ids.qty_usable", "inspection_line_ids.quality_verdict",
    )
    def _compute_inspection_outcome(self):
        for line in self:
            done = line.inspection_line_ids.filtered(lambda i: i.state == "done")
            line.qty_inspected = sum(done.mapped("qty_received"))
            line.qty_scrap = sum(done.mapped("qty_scrap"))
            line.qty_usable = sum(done.mapped("qty_usable"))
            verdicts = set(done.mapped("quality_verdict"))
            line.quality_verdict = (
                "confirmed" if "confirmed" in verdicts else "not_confirmed" if verdicts else False
            )
