"""Zero cost outside returns (#15 part 1): with rma_factory installed, a plain sale → delivery →
invoice → Odoo return → credit note reads and writes nothing of ours. Our stored fields depend
on our own records only, so Odoo's ORM never searches our tables when a sale order, a move, a
partner, a product or an invoice of the company changes; and our overrides of Odoo's flows stop
before any query when no return is involved."""
import re
from contextlib import contextmanager

from odoo.tests import Form, tagged

from .common import RmaCommon

# A query that reads or writes one of our tables (our columns on Odoo's tables are not a cost:
# they are read with the rows Odoo reads anyway).
OUR_TABLES = re.compile(r'\b(FROM|JOIN|UPDATE|INTO)\s+"?rma_', re.IGNORECASE)


@tagged("post_install", "-at_install")
class TestRmaZeroCost(RmaCommon):

    @contextmanager
    def _our_queries(self):
        queries = []
        with contextmanager(self._patchExecute)(queries):
            yield queries
        queries[:] = [query for query in queries if OUR_TABLES.search(str(query))]

    def test_plain_sale_delivery_invoice_return_and_credit_note(self):
        # A request exists in the company: the flow below is not about it and must not see it.
        self._request_from_order(self._deliver(self.customer, [(self.product, 1)]))
        with self._our_queries() as queries:
            order = self._deliver(self.customer, [(self.product, 3), (self.product_b, 5)])
            invoice = order._create_invoices()
            invoice.action_post()
            delivery = order.picking_ids
            wizard = Form(self.env["stock.return.picking"].with_context(
                active_id=delivery.id, active_ids=delivery.ids, active_model="stock.picking")).save()
            for line in wizard.product_return_moves:
                line.quantity = 1
            returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
            for move in returned.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            returned.button_validate()
            reversal = self.env["account.move.reversal"].with_context(
                active_model="account.move", active_ids=invoice.ids).create({
                    "reason": "Returned goods", "journal_id": invoice.journal_id.id,
                })
            credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
            credit_note.action_post()
            # What a user opens meanwhile: the documents' forms read our fields too.
            (invoice | credit_note).read(["rma_withheld_for", "rma_entry_purpose"])
            order.partner_id.write({"name": "RMA Customer Co (renamed)"})
            self.product.write({"list_price": 1100.0})
        self.assertEqual(returned.state, "done")
        self.assertEqual((credit_note.state, credit_note.move_type), ("posted", "out_refund"))
        self.assertEqual(queries, [], "no query on our tables in a plain flow")

    def test_a_product_s_new_warranty_still_reaches_draft_requests(self):
        """The warranty follows the product from the product's side now (not from a dependency
        every product write pays)."""
        old = self._deliver(self.customer, [(self.product, 2)], days_ago=400)
        request = self._request_from_order(old)
        self.assertFalse(request.in_warranty)
        self.category.rma_warranty_months = 24
        self.assertTrue(request.in_warranty, "the category's new warranty")
        self.category.rma_warranty_months = 12
        self.assertFalse(request.in_warranty)
        self.product.rma_warranty_months = 36
        self.assertTrue(request.in_warranty, "the product's own warranty")
        self.assertEqual(request.line_ids.warranty_months, 36)
