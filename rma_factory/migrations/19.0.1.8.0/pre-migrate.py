"""19.0.1.8.0 (portal): the acknowledgement e-mail now links to the request on the portal. The
templates are noupdate (the company edits them), so an update never reloads them: this one is
removed here and the update creates it again from the module, with its translations. A company
that edited it gets the module's version back (CHANGELOG)."""
from odoo.tools import SQL

TEMPLATES = ("mail_template_rma_submitted",)


def migrate(cr, version):
    cr.execute(SQL("""
        WITH removed AS (
            DELETE FROM ir_model_data
             WHERE module = 'rma_factory' AND model = 'mail.template' AND name IN %s
         RETURNING res_id
        )
        DELETE FROM mail_template WHERE id IN (SELECT res_id FROM removed)
    """, TEMPLATES))
