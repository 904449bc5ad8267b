from odoo import fields, models


class RmaStatisticsExport(models.TransientModel):
    """A workbook exported from a list of requests, kept until Odoo vacuums transient records:
    the user downloads it right away."""

    _name = "rma.statistics.export"
    _description = "Return Requests Export"

    file = fields.Binary(readonly=True, attachment=True)
    file_name = fields.Char(readonly=True)
