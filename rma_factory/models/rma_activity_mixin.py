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
        return super(RmaActivityMixin, self._rma_task_env()).activity_schedule(
            act_type_xmlid, date_deadline, summary, note, **act_values
        )

    def _rma_tasks(self, act_type_xmlid):
        """The open tasks of that type on this record (its activities, compared by the type's
        cached id: env.ref would check the type still exists, a query each time)."""
        type_id = self.env["ir.model.data"]._xmlid_to_res_id(act_type_xmlid)
        return self.activity_ids.filtered(lambda activity: activity.activity_type_id.id == type_id)

    def _hand_over_activity(self, activity, user, summary, date_deadline):
        """The task passes to the next person who must act (Odoo's own "Assigned to" change):
        they are notified as for a new task and follow the record."""
        activity.with_env(self._rma_task_env().env).write(
            {"user_id": user.id, "summary": summary, "date_deadline": date_deadline}
        )

    def _rma_task_env(self):
        """Self, without the "assigned to you" e-mail when the company turned Task E-mails off."""
        company = (self[:1].company_id if "company_id" in self._fields else None) or self.env.company
        if not company.sudo().rma_activity_email:
            return self.with_context(mail_activity_quick_update=True)
        return self
