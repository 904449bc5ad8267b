"""19.0.1.6.0 (accounting): the companies' returns accounting settings are filled from their
charts, as a new install does."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"].search([])._rma_set_default_accounting()
