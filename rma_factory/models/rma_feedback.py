from odoo import api, fields, models


class RmaFeedback(models.Model):
    """Customer feedback and how it was handled (顾客反馈及处理记录, R-72)."""

    _name = "rma.feedback"
    _description = "Customer Feedback"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    request_id = fields.Many2one("rma.request", string="Return Request", index=True, check_company=True,
                                 ondelete="cascade")
    # Computed, not defaulted: a default company would keep the web client's form from computing
    # the customer of a new entry from its request (one compute fills both).
    company_id = fields.Many2one("res.company", required=True,
                                 compute="_compute_from_request", store=True, readonly=False,
                                 precompute=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, check_company=True,
                                 compute="_compute_from_request", store=True, readonly=False,
                                 precompute=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    content = fields.Text(string="Feedback", required=True)
    measure = fields.Text(string="Measure Taken")
    handler_id = fields.Many2one("res.users", string="Handled By", default=lambda self: self.env.user,
                                 domain="[('share', '=', False)]", tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("in_progress", "In Progress"), ("done", "Resolved")],
        default="open", required=True, tracking=True, string="Status",
    )

    @api.depends("request_id")
    def _compute_from_request(self):
        for feedback in self:
            if feedback.request_id:
                feedback.company_id = feedback.request_id.company_id
                feedback.partner_id = feedback.request_id.commercial_partner_id
            else:
                feedback.company_id = feedback.company_id or self.env.company
                feedback.partner_id = feedback.partner_id
