from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _load(self, template_code, company, install_demo, force_create=True):
        # A company set up after the module: its returns' accounts come from its new chart.
        result = super()._load(template_code, company, install_demo, force_create=force_create)
        company._rma_set_default_accounting()
        return result
