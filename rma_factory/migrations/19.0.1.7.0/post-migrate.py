"""19.0.1.7.0 (reporting): the stage durations of the requests that existed before, rebuilt
from the dates they recorded: created (draft), submitted, approved, last receipt done (received),
last inspection completed (inspected), QA verified, GM approved, closed. The stages whose entry
left no date (processing, a rejection, a reset) are part of the stay before them; the current
stage stays open."""
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(SQL("""
        SELECT req.id, req.company_id, req.state, req.create_date, req.submitted_date, req.approved_date,
               (SELECT MAX(p.date_done) FROM stock_picking p WHERE p.rma_request_id = req.id AND p.state = 'done'),
               (SELECT MAX(i.date_done) FROM rma_inspection i WHERE i.request_id = req.id AND i.state = 'done'),
               req.qa_verified_date, req.gm_approved_date, req.closed_date, req.write_date, req.create_uid
          FROM rma_request req
         WHERE NOT EXISTS (SELECT 1 FROM rma_request_state_log l WHERE l.request_id = req.id)
    """))
    rows = []
    for (request_id, company_id, state, created, submitted, approved, received, inspected, verified,
         gm_approved, closed, written, uid) in cr.fetchall():
        milestones = [("draft", created), ("to_approve", submitted), ("approved", approved),
                      ("received", received), ("inspected", inspected), ("verified", verified),
                      ("gm_approved", gm_approved), (state if state in ("done", "cancel") else "done", closed)]
        stays = [(name, when) for name, when in milestones if when]
        stays.sort(key=lambda stay: stay[1])
        if stays[-1][0] != state:
            stays.append((state, max(written or stays[-1][1], stays[-1][1])))
        for index, (name, start) in enumerate(stays):
            end = stays[index + 1][1] if index + 1 < len(stays) else None
            hours = (end - start).total_seconds() / 3600 if end else None
            rows.append((request_id, company_id, name, start, end, hours, hours / 24 if end else None, uid))
    for row in rows:
        cr.execute(SQL("""
            INSERT INTO rma_request_state_log (request_id, company_id, state, date_start, date_end, duration_hours,
                                               duration_days, user_id, create_uid, create_date, write_uid, write_date)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 1, now() at time zone 'utc', 1, now() at time zone 'utc')
        """, *row))
    env["rma.request.state.log"].invalidate_model()
