"""19.0.1.9.0: a request's number takes the year of its request date (the sequence's date range),
not of the day it is entered: a request back-dated to last year got this year's prefix with last
year's counter, and the number of another request. The sequence is noupdate (a company may renumber
its forms), so its prefix is corrected here only where it is still the module's old one."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    sequence = env.ref("rma_factory.seq_rma_request", raise_if_not_found=False)
    if sequence and sequence.prefix == "RMA/%(year)s/":
        sequence.prefix = "RMA/%(range_year)s/"
