from odoo import models


class RmaActivityMixin(models.AbstractModel):
    """The tasks of the returns process (R-03): whoever must act next gets an activity.

    Odoo also e-mails the assignee of every activity someone else schedules ("... assigned to
    you"); a return gives a dozen tasks, each notice costing its rendering and a queued e-mail.
    The company decides (Settings → Returns → Task E-mails): off, the task reaches its assignee in
    the Activities menu (counter updated live) and on the record, without the e-mail.
    """

    _name = "rma.activity.mixin"
    _inherit = ["mail.activity.mixin"]
    _description = "Returns Task"

    def activity_schedule(self, act_type_xmlid="", date_deadline=None, summary="", note="", **act_values):
        company = (self[:1].company_id if "company_id" in self._fields else None) or self.env.company
        if not company.sudo().rma_activity_email:
            self = self.with_context(mail_activity_quick_update=True)
        return super().activity_schedule(act_type_xmlid, date_deadline, summary, note, **act_values)
