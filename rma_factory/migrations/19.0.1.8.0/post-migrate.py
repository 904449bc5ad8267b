"""19.0.1.8.0 (portal): the acknowledgement e-mail now links to the request on the portal. The
templates are noupdate (the company edits them), so an update never reloads them: this one is
reset from the module with its translations (Odoo's own *Reset Template*, which keeps the record
and what refers to it). A company that edited it gets the module's version back (CHANGELOG)."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("rma_factory.mail_template_rma_submitted", raise_if_not_found=False)
    if template:
        template.reset_template()
