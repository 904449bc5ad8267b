import base64

from odoo import fields, models
from odoo.fields import Domain


class RmaRequest(models.Model):
    """The export of a list of requests to Excel (R-81), from the list's Action menu."""

    _inherit = "rma.request"

    def action_export_xlsx(self):
        """The selected requests, or every request of the list's filter when the user selected
        them all (the web client passes the domain), as a workbook to download."""
        requests = self
        context = self.env.context
        if context.get("active_model") == self._name and context.get("active_domain") is not None:
            # "Select all": the client sends the first ids only, the domain covers them all.
            requests = self.search(Domain(context["active_domain"]))
        # What the user may read (the list's search already applied the record rules; ids sent by
        # a client are checked here); the analysis rows of those requests are then read as the
        # process, so that the warehouse, which reads every request, exports them too.
        requests = requests._filtered_access("read")
        content = self.env["rma.statistics.xlsx"]._build_export(requests)
        export = self.env["rma.statistics.export"].create({
            "file": base64.b64encode(content),
            "file_name": self.env._("Return Requests %(date)s.xlsx", date=fields.Date.context_today(self).isoformat()),
        })
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/rma.statistics.export/{export.id}/file/{export.file_name}?download=true",
            "target": "self",
        }
