from odoo import fields, models


class RmaEligibilityOverrideWizard(models.TransientModel):
    """A manager accepts a request that fails the rules, with a written reason (logged)."""

    _name = "rma.eligibility.override.wizard"
    _description = "Override Return Eligibility"

    request_id = fields.Many2one("rma.request", required=True, readonly=True)
    problems = fields.Text(related="request_id.eligibility_problems")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.request_id._override_eligibility(self.reason)
        return {"type": "ir.actions.act_window_close"}
