from datetime import datetime, time

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .rma_request import ENDED_STATES

VERIFICATION_RESULTS = [("confirmed", "Problem Confirmed"), ("not_confirmed", "Problem Not Confirmed")]
# The rep records the on-site verification once the request is submitted, until it ends.
VERIFICATION_STATES = ("to_approve", "approved", "partially_received", "received")


class RmaRequest(models.Model):
    """On-site verification (R-14) and the return deadline (R-22), on working days."""

    _inherit = "rma.request"
    # The rep records the verification through its wizard (it checks the state and the note).
    _rma_process_fields = (
        "verification_deadline", "return_deadline", "verification_date", "verification_result",
        "verification_note",
    )

    verification_deadline = fields.Date(readonly=True, copy=False, tracking=True)
    verification_date = fields.Date(string="On-site Verified On", readonly=True, copy=False, tracking=True)
    verification_result = fields.Selection(
        VERIFICATION_RESULTS, string="On-site Verification", readonly=True, copy=False, tracking=True,
    )
    verification_note = fields.Text(
        string="On-site Verification Notes", readonly=True, copy=False, groups="base.group_user",
    )
    verification_overdue = fields.Boolean(
        compute="_compute_overdue", search="_search_verification_overdue"
    )
    return_deadline = fields.Date(readonly=True, copy=False, tracking=True,
                                  string="Goods Due Back By")
    return_overdue = fields.Boolean(compute="_compute_overdue", search="_search_return_overdue")
    can_record_verification = fields.Boolean(compute="_compute_can_record_verification")

    @api.depends("state", "verification_result")
    @api.depends_context("uid")
    def _compute_can_record_verification(self):
        writable = self._sales_side_requests()
        for request in self:
            request.can_record_verification = (
                request in writable and request.state in VERIFICATION_STATES and not request.verification_result
            )

    def action_open_record_verification(self):
        self._check_action_allowed("can_record_verification", self.env._("record the on-site verification of"))
        return self._open_wizard("rma.verification.wizard", self.env._("Record On-site Verification"))

    def _record_verification(self, result, date, note, photos):
        """The rep's on-site verification: result, date, what was found, photos; the activity ends."""
        self.ensure_one()
        if self.state not in VERIFICATION_STATES:
            raise UserError(self.env._(
                "%(request)s is not waiting for an on-site verification.", request=self.name))
        self._check_action_allowed("can_record_verification", self.env._("record the on-site verification of"))
        if not (note or "").strip():
            raise UserError(self.env._("Write what was found at the customer."))
        if date and fields.Date.to_date(date) > fields.Date.context_today(self):
            raise UserError(self.env._(
                "The verification date %(date)s is in the future.", date=format_date(self.env, date)))
        self._check_own_uploads(photos)
        # The photos become the request's own attachments (the wizard's are temporary).
        photos.sudo().write({"res_model": self._name, "res_id": self.id})
        self._rma_process().write({
            "verification_result": result, "verification_date": date, "verification_note": note,
            "photo_ids": [Command.link(photo.id) for photo in photos],
        })

    def _check_own_uploads(self, photos):
        """Photos of a wizard are the ones its user just uploaded to it: an attachment of another
        record (another request's, an invoice's) does not move to this one."""
        photos = photos.sudo()
        foreign = photos.filtered(
            lambda photo: photo.create_uid != self.env.user
            or (photo.res_model and photo.res_model != "rma.verification.wizard")
        )
        if foreign:
            raise UserError(self.env._(
                "%(photos)s: only photos uploaded in this window can be attached to the verification.",
                photos=", ".join(foreign.mapped("name")),
            ))

    @api.depends("verification_deadline", "verification_result", "return_deadline", "state")
    @api.depends_context("tz")
    def _compute_overdue(self):
        today = fields.Date.context_today(self)
        for request in self:
            request.verification_overdue = bool(
                request.verification_deadline and not request.verification_result
                and request.verification_deadline < today and request.state not in ENDED_STATES
            )
            request.return_overdue = bool(
                request.state == "approved" and request.return_deadline and request.return_deadline < today
            )

    def _search_verification_overdue(self, operator, value):
        # Odoo 19 hands boolean searches over as ('in', [True]) and negates the rest itself.
        if operator != "in" or list(value) != [True]:
            return NotImplemented
        return [
            ("verification_deadline", "<", fields.Date.context_today(self)),
            ("verification_result", "=", False),
            ("state", "not in", ENDED_STATES),
        ]

    def _search_return_overdue(self, operator, value):
        if operator != "in" or list(value) != [True]:
            return NotImplemented
        return [
            ("state", "=", "approved"),
            ("return_deadline", "<", fields.Date.context_today(self)),
        ]

    # ------------------------------------------------------------------ lifecycle hooks

    def _on_submitted(self):
        result = super()._on_submitted()
        self._schedule_onsite_verification()
        return result

    def _on_approved(self):
        result = super()._on_approved()
        self._set_return_deadline()
        for request in self:
            request._log_action(self.env._(
                "Approved. The customer has until %(deadline)s to send the goods back.",
                deadline=format_date(self.env, request.return_deadline),
            ))
        return result

    def _on_received(self):
        result = super()._on_received()
        self.activity_unlink(["rma_factory.mail_activity_return_overdue"])
        return result

    def _on_written(self, vals):
        result = super()._on_written(vals)
        if vals.get("verification_result"):
            self.activity_feedback(
                ["rma_factory.mail_activity_onsite_verification"],
                feedback=self.env._("On-site verification recorded."),
            )
            for request in self.filtered(lambda r: not r.verification_date):
                request.verification_date = fields.Date.context_today(request)
        return result

    # ------------------------------------------------------------------ working days

    def _working_days_after(self, start_date, days):
        """The date `days` working days after start_date, on the working calendar of Settings →
        Returns (the company's own by default), its public holidays included."""
        self.ensure_one()
        calendar = self.company_id._rma_working_calendar()
        if not calendar:
            return fields.Date.add(start_date, days=days)
        # Counting starts after the end of start_date in the calendar's own time zone,
        # so that the next working day is day 1.
        start = pytz.timezone(calendar.tz or "UTC").localize(datetime.combine(start_date, time(23, 59, 59)))
        end = calendar.plan_days(days, start, compute_leaves=True)
        return end.date() if end else fields.Date.add(start_date, days=days)

    def _schedule_onsite_verification(self):
        today = fields.Date.context_today(self)
        for request in self.filtered(lambda r: not r.verification_result):
            deadline = request._working_days_after(today, request.company_id.rma_verification_days)
            request.verification_deadline = deadline
            if not request._rma_tasks("rma_factory.mail_activity_onsite_verification"):
                # The activity's summary is copied in the language of the one who will read it.
                request = request.with_context(lang=request.user_id.lang)
                request.activity_schedule(
                    "rma_factory.mail_activity_onsite_verification", date_deadline=deadline,
                    user_id=request.user_id.id, summary=request.env._("Verify the returned goods at the customer"),
                )

    def _set_return_deadline(self):
        today = fields.Date.context_today(self)
        for request in self:
            request.return_deadline = request._working_days_after(today, request.company_id.rma_return_days)

    @api.model
    def _cron_remind_overdue_returns(self):
        """Daily: remind the sales rep of every approved request whose goods are late."""
        overdue = self.search([("return_overdue", "=", True)])
        activity_type = self.env.ref("rma_factory.mail_activity_return_overdue")
        for request in overdue:
            if activity_type not in request.activity_ids.activity_type_id:
                request = request.with_context(lang=request.user_id.lang)
                request.activity_schedule(
                    "rma_factory.mail_activity_return_overdue", user_id=request.user_id.id,
                    summary=request.env._("The customer's goods are late: follow up"),
                    note=self.env._(
                        "The goods were due back by %(deadline)s. Contact %(customer)s.",
                        deadline=format_date(request.env, request.return_deadline),
                        customer=request.partner_id.name,
                    ),
                )
