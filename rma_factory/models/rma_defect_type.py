from odoo import fields, models


class RmaDefectType(models.Model):
    """Configurable list of defects QC records on failed samples (缺陷类型)."""

    _name = "rma.defect.type"
    _description = "Return Defect Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
