"""19.0.1.5.0: the form numbers have no gaps. Their sequences sit in a noupdate block, so the
switch to no_gap is made here, keeping the next number of each (and of each year's range)."""
from odoo import SUPERUSER_ID, api

SEQUENCE_XMLIDS = ("seq_rma_request", "seq_rma_carrier_incident", "seq_rma_inspection")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in SEQUENCE_XMLIDS:
        sequence = env.ref(f"rma_factory.{xmlid}", raise_if_not_found=False)
        if not sequence or sequence.implementation == "no_gap":
            continue
        # Read from the PostgreSQL sequences before Odoo drops them.
        next_numbers = {date_range: date_range.number_next_actual for date_range in sequence.date_range_ids}
        next_number = sequence.number_next_actual
        sequence.write({"implementation": "no_gap"})
        sequence.write({"number_next": next_number})
        for date_range, number in next_numbers.items():
            date_range.write({"number_next": number})
