"""What the paper forms (R-80) print besides the records' own fields: the checkboxes of the
paper (☑/☐), signatures in the reader's time zone, the total in Chinese capitals, and the
selection labels in the reader's language.

One abstract model per form template (Odoo looks for ``report.<template>``); they share
``rma.form.report``."""
from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, format_date, format_datetime, html2plaintext

from .rmb import rmb_in_capitals

CHECKED, UNCHECKED = "☑", "☐"
# The hidden text each form starts with: ir.actions.report finds where a form begins in a PDF
# of several forms from it, to number the pages of each form (wkhtmltopdf here has no footer).
FORM_START_MARKER = "rma-form-start"


class RmaFormReport(models.AbstractModel):
    _name = "rma.form.report"
    _description = "Returns Paper Form"
    # The forms a customer receives (their request form, the RMA report); the others are the
    # company's internal file: signatures, opinions, analyses.
    _rma_customer_form = False

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self._rma_customer_form and not self.env.su and not self.env.user._is_internal():
            raise AccessError(self.env._("This form is internal to the company: customers are not given it."))
        report_name = self._name.removeprefix("report.")
        report = self.env["ir.actions.report"]._get_report_from_name(report_name)
        docs = self.env[report.model].browse(docids)
        # A form is the paper file of its record: who may read the record prints all of it (the
        # review, the dispositions, the entries...), as the paper passes from hand to hand; only
        # the assessed people's points and amounts stay with those who may read assessments.
        docs.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": report.model,
            "docs": self._rma_form_docs(docs).sudo(),
            # The copy a customer prints on the portal (rendered as the process) leaves them out too.
            "may_read_assessments": self.env["rma.assessment"].has_access("read")
            and not self.env.context.get("rma_portal_report"),
            "box": self._rma_box,
            "choices": self._rma_choices,
            "label": self._rma_label,
            "fmt_dt": self._rma_format_datetime,
            "fmt_date": self._rma_format_date,
            "qty": self._rma_format_quantity,
            "text": self._rma_plain_text,
            "capitals": rmb_in_capitals,
            "form_start_marker": FORM_START_MARKER,
        }

    def _rma_form_docs(self, docs):
        return docs

    @staticmethod
    def _rma_box(checked):
        return CHECKED if checked else UNCHECKED

    def _rma_choices(self, record, field_name, keys=None):
        """The options of a selection field as printed boxes: [(key, label, checked)]."""
        options = record._fields[field_name]._description_selection(self.env)
        return [(key, label, record[field_name] == key) for key, label in options if keys is None or key in keys]

    def _rma_label(self, record, field_name):
        return dict(record._fields[field_name]._description_selection(self.env)).get(record[field_name], "")

    def _rma_format_datetime(self, value):
        return format_datetime(self.env, value, tz=self.env.user.tz or "Asia/Shanghai", dt_format="yyyy-MM-dd HH:mm") \
            if value else ""

    def _rma_format_date(self, value):
        return format_date(self.env, value, date_format="yyyy-MM-dd") if value else ""

    @staticmethod
    def _rma_format_quantity(value):
        return f"{value:g}" if value else "0"

    @staticmethod
    def _rma_plain_text(html):
        return (html2plaintext(html or "") or "").strip()


class RmaInspectionReport(models.AbstractModel):
    _name = "report.rma_factory.report_rma_inspection"
    _inherit = "rma.form.report"
    _description = "Inspection Report"


class RmaRequestFormReport(models.AbstractModel):
    _name = "report.rma_factory.report_rma_request_form"
    _inherit = "rma.form.report"
    _description = "Customer Return / Exchange Request Form"
    _rma_customer_form = True


class RmaApprovalSheetReport(models.AbstractModel):
    _name = "report.rma_factory.report_rma_approval_sheet"
    _inherit = "rma.form.report"
    _description = "Customer Return Handling Sheet"

    @api.model
    def _get_report_values(self, docids, data=None):
        return dict(super()._get_report_values(docids, data=data), gm_threshold=self._rma_gm_threshold)

    def _rma_gm_threshold(self, request):
        """The footnote's "over 500 → GM": the amount from which the configured GM step signs."""
        step = self.env["rma.approval.step"].sudo().search([
            ("company_id", "in", [False, request.company_id.id]),
            ("group_id", "=", self.env.ref("rma_factory.group_rma_manager").id),
            ("min_amount", ">", 0),
        ], order="min_amount", limit=1)
        return format_amount(self.env, step.min_amount, step.currency_id or request.currency_id) if step else ""


class RmaDetailListReport(models.AbstractModel):
    _name = "report.rma_factory.report_rma_detail_list"
    _inherit = "rma.form.report"
    _description = "Return Detail List"


class RmaShortageReport(models.AbstractModel):
    _name = "report.rma_factory.report_rma_shortage"
    _inherit = "rma.form.report"
    _description = "Shortage Report"


class RmaReworkOrderReport(models.AbstractModel):
    _name = "report.rma_factory.report_rma_rework_order"
    _inherit = "rma.form.report"
    _description = "Returned Product Rework Order"

    def _rma_form_docs(self, docs):
        others = docs.filtered(lambda repair: not repair.rma_disposition_id)
        if others:
            raise UserError(self.env._(
                "%(repairs)s did not come from a return: the rework order of a returned product prints only "
                "for the repairs of a rework disposition.", repairs=", ".join(others.mapped("name")),
            ))
        return docs


class RmaCapaReport(models.AbstractModel):
    _name = "report.rma_factory.report_rma_capa"
    _inherit = "rma.form.report"
    _description = "Corrective and Preventive Action Sheet"


class RmaFeedbackLogReport(models.AbstractModel):
    _name = "report.rma_factory.report_rma_feedback_log"
    _inherit = "rma.form.report"
    _description = "Customer Feedback Log"


class RmaRequestFeedbackLogReport(models.AbstractModel):
    _name = "report.rma_factory.report_rma_request_feedback_log"
    _inherit = "rma.form.report"
    _description = "Customer Feedback Log of a Request"


class RmaCustomerReportReport(models.AbstractModel):
    _name = "report.rma_factory.report_rma_customer_report"
    _inherit = "rma.form.report"
    _description = "RMA Report"
    _rma_customer_form = True
