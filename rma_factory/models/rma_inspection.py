import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_round, format_list

from .rma_process_guard import changed_field_names, is_process_env

# Fields of the chatter and tasks, which change on any document, completed or not.
MAIL_FIELD_PREFIXES = ("message_", "activity_", "website_message")

QUALITY_VERDICTS = [
    ("confirmed", "Quality Problem Confirmed"),
    ("not_confirmed", "No Quality Problem"),
]


def required_sample_size(quantity, percent):
    """At least `percent` % of the quantity, rounded up, never less than one unit (R-40).
    The product is rounded first so that 10 % of 10 is 1, not 1.0000000000000002 → 2."""
    if quantity <= 0:
        return 0
    return max(1, math.ceil(float_round(quantity * percent / 100.0, precision_digits=6)))


class RmaInspection(models.Model):
    """Quality inspection of one return receipt (品质检验 / 检验报告)."""

    _name = "rma.inspection"
    _description = "Return Inspection"
    _inherit = ["mail.thread", "rma.activity.mixin", "rma.request.document"]
    _order = "id desc"
    _check_company_auto = True
    # Inspections are opened by the receipt's validation, with the company's sampling rate.
    _rma_process_fields = ("name", "state", "date_done", "request_id", "picking_id", "sample_percent")

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False,
                       default=lambda self: self.env._("New"))
    request_id = fields.Many2one(
        "rma.request", string="Return Request", required=True, ondelete="cascade", index=True,
        readonly=True, check_company=True,
    )
    picking_id = fields.Many2one("stock.picking", string="Receipt", readonly=True, check_company=True)
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="request_id.partner_id", string="Customer")
    state = fields.Selection(
        [("draft", "To Inspect"), ("done", "Completed")], default="draft", required=True,
        readonly=True, copy=False, tracking=True, index=True,
    )
    inspector_id = fields.Many2one(
        "res.users", tracking=True, domain="[('share', '=', False)]", check_company=True,
    )
    date_done = fields.Datetime(string="Completed On", readonly=True, copy=False)
    sample_percent = fields.Float(
        string="Sample (%)", readonly=True,
        help="The company's sampling rate when the goods were received.",
    )
    line_ids = fields.One2many("rma.inspection.line", "inspection_id", string="Inspected Products")
    sample_ids = fields.One2many("rma.inspection.sample", "inspection_id", string="Samples")
    sample_required = fields.Integer(string="Required Samples", compute="_compute_summary", store=True)
    sample_count = fields.Integer(string="Samples Taken", compute="_compute_summary", store=True)
    fail_count = fields.Integer(string="Failed Samples", compute="_compute_summary", store=True)
    failure_rate = fields.Float(string="Failure Rate (%)", compute="_compute_summary", store=True, digits=(5, 1))
    verdict = fields.Selection(QUALITY_VERDICTS, compute="_compute_verdict", store=True, string="Judgement")
    conclusion = fields.Text(string="Inspection Conclusion", help="The inspector's judgement (检验结论).")
    can_complete = fields.Boolean(compute="_compute_can_complete")

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_complete(self):
        is_quality = self.env.user.has_group("rma_factory.group_rma_quality")
        for inspection in self:
            inspection.can_complete = is_quality and inspection.state == "draft"

    @api.depends("line_ids.sample_required", "sample_ids.result")
    def _compute_summary(self):
        for inspection in self:
            inspection.sample_required = sum(inspection.line_ids.mapped("sample_required"))
            inspection.sample_count = len(inspection.sample_ids)
            inspection.fail_count = len(inspection.sample_ids.filtered(lambda s: s.result == "fail"))
            inspection.failure_rate = (
                100.0 * inspection.fail_count / inspection.sample_count if inspection.sample_count else 0.0
            )

    @api.depends("line_ids.quality_verdict")
    def _compute_verdict(self):
        for inspection in self:
            verdicts = set(inspection.line_ids.mapped("quality_verdict"))
            if "confirmed" in verdicts:
                inspection.verdict = "confirmed"
            elif verdicts == {"not_confirmed"}:
                inspection.verdict = "not_confirmed"
            else:
                inspection.verdict = False

    def _rma_fill_process_values(self, vals_list):
        result = super()._rma_fill_process_values(vals_list)
        for vals in vals_list:
            self._rma_next_number("rma.inspection", vals)
        return result

    def _compute_display_name(self):
        for inspection in self:
            inspection.display_name = f"{inspection.name} - {inspection.sudo().request_id.name}"

    def _rma_check_still_writable(self, vals):
        # A completed inspection is what QC signed: its inspector and conclusion are printed on
        # the inspection report; only its chatter and tasks still change.
        result = super()._rma_check_still_writable(vals)
        # (Rewriting the current values, as a re-imported export does, changes nothing.)
        if changed_field_names(self, vals, {name for name in vals
                                            if name in self._fields and not name.startswith(MAIL_FIELD_PREFIXES)}):
            self._check_still_open()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_the_process(self):
        # The receipt's validation opened it and the request follows it: an inspection goes only
        # with its request (a draft request deleted, its data cascading).
        if self and not is_process_env(self.env):
            raise UserError(self.env._(
                "%(inspections)s can't be deleted: it belongs to the request's file. A wrong receipt "
                "is handled on the request (its difference, or its cancellation).",
                inspections=format_list(self.env, self.mapped("name")),
            ))

    # ------------------------------------------------------------------ completion

    def action_complete(self):
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise AccessError(self.env._("Only QC completes an inspection."))
        self._check_can_complete()
        self._check_action_allowed("can_complete", self.env._("complete"))
        self._rma_process().write({
            "state": "done", "date_done": fields.Datetime.now(), "inspector_id": self.env.user.id,
        })
        self.activity_feedback(["mail.mail_activity_data_todo"])
        for inspection in self:
            inspection.request_id._log_action(self.env._(
                "Inspection %(inspection)s completed by %(user)s: %(samples)s samples, %(failed)s failed "
                "(%(rate)s %%), %(verdict)s.",
                inspection=inspection._get_html_link(), user=self.env.user.name,
                samples=inspection.sample_count, failed=inspection.fail_count,
                rate=f"{inspection.failure_rate:.1f}",
                verdict=dict(self._fields["verdict"]._description_selection(self.env)).get(inspection.verdict, ""),
            ))
        self.request_id._on_inspection_completed()
        return True

    def _check_can_complete(self):
        for inspection in self:
            if inspection.state != "draft":
                raise UserError(self.env._("%(inspection)s is already completed.", inspection=inspection.name))
            if not inspection.line_ids:
                raise UserError(self.env._(
                    "%(inspection)s has no received product to inspect: it can't be completed.",
                    inspection=inspection.name,
                ))
            short = inspection.line_ids.filtered(lambda line: line.sample_count < line.sample_required)
            if short:
                raise UserError(self.env._(
                    "%(inspection)s can't be completed with fewer samples than required:\n%(lines)s",
                    inspection=inspection.name,
                    lines="\n".join(self.env._(
                        "- %(product)s: %(taken)s sampled, %(required)s required (%(percent)s %% of %(qty)s, "
                        "rounded up)",
                        product=line.product_id.display_name, taken=line.sample_count,
                        required=line.sample_required, percent=f"{inspection.sample_percent:g}",
                        qty=f"{line.qty_received:g}",
                    ) for line in short),
                ))
            inspection.line_ids._check_outcome()

    def _check_still_open(self):
        done = self.filtered(lambda inspection: inspection.state == "done")
        if done:
            raise UserError(self.env._(
                "%(inspections)s is completed: its samples and results can no longer change.",
                inspections=format_list(self.env, done.mapped("name")),
            ))

    def action_print_report(self):
        return self.env.ref("rma_factory.action_report_rma_inspection").report_action(self)


class RmaInspectionLine(models.Model):
    """A received product of the inspected receipt, with its sample size and the outcome (R-41)."""

    _name = "rma.inspection.line"
    _description = "Return Inspection Line"
    _inherit = ["rma.request.document"]
    _order = "inspection_id, id"
    # What was received decides the sample size: it comes from the receipt, not from QC.
    _rma_process_fields = ("inspection_id", "request_line_id", "qty_received", "lot_ids")
    # No name field: what the inspector types in a sample's "Inspected Product" is the product.
    _rec_names_search = ["product_id"]

    inspection_id = fields.Many2one("rma.inspection", required=True, ondelete="cascade", index=True)
    request_line_id = fields.Many2one("rma.request.line", required=True, index=True,
                                      ondelete="cascade")
    request_id = fields.Many2one(related="inspection_id.request_id", store=True)
    company_id = fields.Many2one(related="inspection_id.company_id", store=True)
    state = fields.Selection(related="inspection_id.state")
    product_id = fields.Many2one(related="request_line_id.product_id", store=True)
    tracking = fields.Selection(related="product_id.tracking")
    uom_id = fields.Many2one(related="request_line_id.uom_id")
    lot_ids = fields.Many2many("stock.lot", string="Received Lots", readonly=True)
    qty_received = fields.Float(string="Received", digits="Product Unit", readonly=True)
    sample_required = fields.Integer(string="Required Samples", compute="_compute_sample_required", store=True)
    sample_ids = fields.One2many("rma.inspection.sample", "inspection_line_id", string="Samples")
    sample_count = fields.Integer(string="Sampled", compute="_compute_sample_counts", store=True)
    fail_count = fields.Integer(string="Failed", compute="_compute_sample_counts", store=True)
    failure_rate = fields.Float(string="Failure Rate (%)", compute="_compute_sample_counts", store=True,
                                digits=(5, 1))
    quality_verdict = fields.Selection(QUALITY_VERDICTS, string="Quality Problem")
    qty_scrap = fields.Float(string="To Scrap", digits="Product Unit", help="报废数量")
    qty_usable = fields.Float(string="Usable", digits="Product Unit", help="可用数量")
    note = fields.Text()

    _qty_not_negative = models.Constraint(
        "CHECK (qty_scrap >= 0 AND qty_usable >= 0)",
        "Quantities to scrap and usable quantities can't be negative.",
    )

    @api.constrains("qty_scrap", "qty_usable")
    def _check_quantities_not_negative(self):
        # Before the SQL constraint, which can't name the product.
        for line in self:
            if line.qty_scrap < 0 or line.qty_usable < 0:
                raise ValidationError(self.env._(
                    "%(product)s: the quantities to scrap and usable can't be negative.",
                    product=line.product_id.display_name,
                ))

    @api.depends("qty_received", "inspection_id.sample_percent")
    def _compute_sample_required(self):
        for line in self:
            line.sample_required = required_sample_size(line.qty_received, line.inspection_id.sample_percent)

    @api.depends("sample_ids.result")
    def _compute_sample_counts(self):
        for line in self:
            line.sample_count = len(line.sample_ids)
            line.fail_count = len(line.sample_ids.filtered(lambda s: s.result == "fail"))
            line.failure_rate = 100.0 * line.fail_count / line.sample_count if line.sample_count else 0.0

    @api.onchange("qty_scrap")
    def _onchange_qty_scrap(self):
        if self.qty_scrap <= self.qty_received:
            self.qty_usable = self.qty_received - self.qty_scrap

    def _compute_display_name(self):
        for line in self:
            line.display_name = line.product_id.display_name or ""

    def write(self, vals):
        # A completed inspection is the record QC signed: its lines' notes no more change than
        # its verdicts (the process itself still links what it creates later).
        if not is_process_env(self.env):
            self.inspection_id._check_still_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_the_process(self):
        # A line is a product of the receipt, with the sample size its quantity requires:
        # deleting one would let an inspection be completed with fewer samples.
        if self and not is_process_env(self.env):
            raise UserError(self.env._(
                "%(products)s: an inspected product comes from the receipt and can't be deleted.",
                products=format_list(self.env, self.mapped("product_id.display_name")),
            ))

    def _check_outcome(self):
        """Every received unit is judged: scrapped or usable, nothing more, nothing less (R-41)."""
        for line in self:
            if not line.quality_verdict:
                raise UserError(self.env._(
                    "%(product)s: say whether a quality problem is confirmed.", product=line.product_id.display_name,
                ))
            if line.uom_id.compare(line.qty_scrap + line.qty_usable, line.qty_received) != 0:
                raise UserError(self.env._(
                    "%(product)s: %(scrap)s to scrap + %(usable)s usable must equal the %(received)s received.",
                    product=line.product_id.display_name, scrap=f"{line.qty_scrap:g}",
                    usable=f"{line.qty_usable:g}", received=f"{line.qty_received:g}",
                ))


class RmaInspectionSample(models.Model):
    """One sampled unit: its lot or serial, pass or fail, the defect, a measure and a photo."""

    _name = "rma.inspection.sample"
    _description = "Return Inspection Sample"
    _inherit = ["rma.request.document"]
    _order = "inspection_id, id"
    _rma_fixed_fields = ("inspection_line_id", "inspection_id")

    inspection_line_id = fields.Many2one(
        "rma.inspection.line", string="Inspected Product", required=True, ondelete="cascade", index=True,
        domain="[('inspection_id', '=', inspection_id)]",
    )
    inspection_id = fields.Many2one(
        "rma.inspection", required=True, ondelete="cascade", index=True,
        compute="_compute_inspection_id", store=True, readonly=False, precompute=True,
    )
    request_id = fields.Many2one(related="inspection_id.request_id", store=True)
    company_id = fields.Many2one(related="inspection_id.company_id", store=True, index=True)
    product_id = fields.Many2one(related="inspection_line_id.product_id", store=True)
    tracking = fields.Selection(related="product_id.tracking")
    allowed_lot_ids = fields.Many2many(related="inspection_line_id.lot_ids")
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", domain="[('id', 'in', allowed_lot_ids)]")
    result = fields.Selection([("pass", "Pass"), ("fail", "Fail")], required=True, default="pass")
    defect_type_id = fields.Many2one("rma.defect.type", string="Defect")
    measured_value = fields.Char()
    note = fields.Char()
    photo = fields.Image(max_width=1920, max_height=1920, attachment=True)

    @api.model_create_multi
    def create(self, vals_list):
        samples = super().create(vals_list)
        samples.inspection_id._check_still_open()
        return samples

    def write(self, vals):
        self.inspection_id._check_still_open()
        return super().write(vals)

    def unlink(self):
        self.inspection_id._check_still_open()
        return super().unlink()

    @api.depends("inspection_line_id")
    def _compute_inspection_id(self):
        for sample in self:
            if sample.inspection_line_id:
                sample.inspection_id = sample.inspection_line_id.inspection_id

    @api.onchange("inspection_id")
    def _onchange_inspection_id(self):
        """A new sample row starts on the first product that still lacks samples, and on its lot
        when only one was received: the inspector mostly just records the result."""
        if self.inspection_line_id or not self.inspection_id:
            return
        # Rows of the open form are new records: compare the lines by their database id.
        taken = {}
        for sample in self.inspection_id.sample_ids:
            key = sample.inspection_line_id._origin.id
            taken[key] = taken.get(key, 0) + 1
        lines = self.inspection_id.line_ids
        line = lines.filtered(
            lambda candidate: taken.get(candidate._origin.id, 0) < candidate.sample_required
        )[:1] or lines[:1]
        self.inspection_line_id = line
        if len(line.lot_ids) == 1:
            self.lot_id = line.lot_ids

    @api.constrains("result", "defect_type_id")
    def _check_defect_type(self):
        for sample in self:
            if sample.result == "fail" and not sample.defect_type_id:
                raise ValidationError(self.env._(
                    "A failed sample of %(product)s needs its defect type.", product=sample.product_id.display_name,
                ))

    @api.constrains("lot_id", "inspection_line_id")
    def _check_lot(self):
        for sample in self:
            line = sample.inspection_line_id
            if line.tracking == "none":
                continue
            if not sample.lot_id:
                raise ValidationError(self.env._(
                    "%(product)s is tracked: give the lot or serial number of each sample.",
                    product=line.product_id.display_name,
                ))
            if sample.lot_id not in line.lot_ids:
                raise ValidationError(self.env._(
                    "%(lot)s was not received on this return (received: %(lots)s).",
                    lot=sample.lot_id.name, lots=format_list(self.env, line.lot_ids.mapped("name")) or "-",
                ))
            same_serial = line.sample_ids.filtered(lambda s, lot=sample.lot_id: s.lot_id == lot)
            if line.tracking == "serial" and len(same_serial) > 1:
                raise ValidationError(self.env._(
                    "Serial number %(serial)s is sampled twice.", serial=sample.lot_id.name,
                ))
