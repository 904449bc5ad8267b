from odoo import api, fields, models
from odoo.tools import SQL

from .rma_request import REQUEST_STATES


class RmaRequestStateLog(models.Model):
    """How long a request stayed in each state (cycle time per stage, R-82). One row per stay:
    written by the request's transitions only (``_transition()``, for the whole recordset at
    once), read-only for every role; the accounting's rules of a stage trigger on its stay's
    creation. Odoo's ``mail.tracking.duration.mixin`` does this
    for many2one stages only; our stage is a selection."""

    _name = "rma.request.state.log"
    _description = "Return Request Stage Duration"
    _order = "request_id, date_start, id"
    _rec_name = "request_id"

    request_id = fields.Many2one("rma.request", string="Return Request", required=True, ondelete="cascade",
                                 index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    state = fields.Selection(REQUEST_STATES, string="Stage", required=True, readonly=True)
    date_start = fields.Datetime(string="Entered On", required=True, readonly=True)
    date_end = fields.Datetime(string="Left On", readonly=True, help="Empty while the request is in this stage.")
    duration_hours = fields.Float(string="Duration (hours)", readonly=True, aggregator="avg", digits=(16, 1))
    duration_days = fields.Float(string="Duration (days)", readonly=True, aggregator="avg", digits=(16, 2))
    user_id = fields.Many2one("res.users", string="Moved By", readonly=True,
                              help="Who moved the request into this stage.")

    _open_stay = models.Index("(request_id) WHERE date_end IS NULL")

    @api.model
    def _log_transitions(self, previous, target, when=None):
        """`previous`: {request: state before the transition}, called once the target state is
        written. Close each request's open stay, open one in `target`; a request without any stay
        yet gets its first one (its previous state since its creation). The stays that end are
        written by one SQL statement whatever the number of requests; the new ones are created
        through the ORM, in one batch, because the automation rules of the accounting (R-60,
        ``data/rma_automation_data.xml``) trigger on them: a request enters a stage exactly when
        its stay there begins, and rules on the request itself would make Odoo's base_automation
        search its rules on every write and stored compute of a request."""
        if not previous:
            return
        when = when or fields.Datetime.now()
        ids = [request.id for request in previous]
        seconds = SQL("EXTRACT(EPOCH FROM (%s::timestamp - l.date_start))", when)
        self.env.cr.execute(SQL(
            """
            WITH requests AS (
                SELECT * FROM unnest(%(ids)s::int[], %(companies)s::int[], %(states)s::varchar[],
                                     %(created)s::timestamp[]) AS r(id, company_id, state, create_date)
            ), closed AS (
                UPDATE rma_request_state_log l
                   SET date_end = %(when)s, duration_hours = %(seconds)s / 3600.0,
                       duration_days = %(seconds)s / 86400.0, write_uid = %(uid)s, write_date = %(when)s
                 WHERE l.request_id = ANY(%(ids)s) AND l.date_end IS NULL
            )
            INSERT INTO rma_request_state_log (request_id, company_id, state, date_start, date_end,
                                               duration_hours, duration_days, user_id,
                                               create_uid, create_date, write_uid, write_date)
            SELECT r.id, r.company_id, r.state, r.create_date, %(when)s,
                   EXTRACT(EPOCH FROM (%(when)s::timestamp - r.create_date)) / 3600.0,
                   EXTRACT(EPOCH FROM (%(when)s::timestamp - r.create_date)) / 86400.0,
                   NULL, %(uid)s, %(when)s, %(uid)s, %(when)s
              FROM requests r
             WHERE NOT EXISTS (SELECT 1 FROM rma_request_state_log l WHERE l.request_id = r.id)
            """,
            ids=ids,
            companies=[request.company_id.id for request in previous],
            states=list(previous.values()),
            created=[min(request.create_date or when, when) for request in previous],
            when=when, uid=self.env.uid, seconds=seconds,
        ))
        self.invalidate_model()
        # Read-only for every role: only the transition writes it.
        self.sudo().create([{
            "request_id": request.id, "company_id": request.company_id.id, "state": target,
            "date_start": when, "user_id": self.env.uid,
        } for request in previous])
