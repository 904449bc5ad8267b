import io

from odoo import models
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from ..report.rma_form_report import FORM_START_MARKER


class IrActionsReport(models.Model):
    """Page numbers on our paper forms. Debian's wkhtmltopdf (unpatched Qt) drops the footer that
    would carry them, so they are drawn onto the rendered PDF: "page / pages" counted per form
    when several forms print in one PDF (the form number is in each form's own heading)."""

    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        content, report_format = super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        # Another app's report (an invoice) costs nothing more: ours are named rma_factory.*.
        if report_format != "pdf" or (isinstance(report_ref, str) and not report_ref.startswith("rma_factory.")):
            return content, report_format
        report = self._get_report(report_ref)
        if report.report_name.startswith("rma_factory."):
            content = _number_form_pages(content)
        return content, report_format


def _number_form_pages(content):
    # Imported when a form is printed, as Odoo's own add_banner() does.
    from reportlab.pdfgen import canvas

    reader = PdfFileReader(io.BytesIO(content), strict=False)
    pages = list(reader.pages)
    starts = [index for index, page in enumerate(pages) if FORM_START_MARKER in (page.extract_text() or "")]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    bounds = list(zip(starts, [*starts[1:], len(pages)], strict=True))
    packet = io.BytesIO()
    stamp = canvas.Canvas(packet)
    for first, end in bounds:
        for index in range(first, end):
            width = float(abs(pages[index].mediabox.width))
            stamp.setPageSize((width, float(abs(pages[index].mediabox.height))))
            stamp.setFont("Helvetica", 8)
            stamp.drawRightString(width - 28, 14, f"{index - first + 1} / {end - first}")
            stamp.showPage()
    stamp.save()
    numbers = PdfFileReader(packet, strict=False)
    writer = PdfFileWriter()
    for index, page in enumerate(pages):
        page.merge_page(numbers.pages[index])
        writer.add_page(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
