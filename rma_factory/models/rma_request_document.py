from odoo import api, models


class RmaRequestDocument(models.AbstractModel):
    """A document that belongs to a return request: once the request is closed (结案) its file
    is final, so its documents refuse any change (R-71)."""

    _name = "rma.request.document"
    _description = "Return Request Document"
    _inherit = ["rma.process.guard"]

    def _rma_requests(self):
        return self.request_id

    @api.model_create_multi
    def create(self, vals_list):
        # Checked before creating too, so that the user hears "closed" rather than a constraint.
        self.env["rma.request"].sudo().browse(
            {vals["request_id"] for vals in vals_list if vals.get("request_id")}
        )._check_not_closed()
        records = super().create(vals_list)
        records._rma_requests().sudo()._check_not_closed()
        return records

    # sudo: a document's user (a corrective action's owner, an assessed person) may not see the
    # request itself; whether it is closed still applies to them.
    def write(self, vals):
        self._rma_requests().sudo()._check_not_closed()
        return super().write(vals)

    def unlink(self):
        self._rma_requests().sudo()._check_not_closed()
        return super().unlink()
