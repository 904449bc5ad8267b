from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo database is where users try returns: its data must cover every starting point."""

    def ref(self, xmlid):
        return self.env.ref(f"rma_factory.{xmlid}")

    def test_chinese_company_in_cny(self):
        company = self.ref("company_hg_pump")
        self.assertEqual(company.currency_id.name, "CNY")
        self.assertEqual(company.country_id.code, "CN")
        self.assertTrue(company.chart_template)
        self.assertEqual(self.env.ref("base.user_admin").company_id, company)
        self.assertTrue(self.env["stock.warehouse"].search([("company_id", "=", company.id)]))
        # Deadlines are counted on Beijing time, on the calendar of Settings → Returns.
        self.assertEqual(company._rma_working_calendar().tz, "Asia/Shanghai")
        self.assertEqual(company.rma_calendar_id, company.resource_calendar_id)

    def test_one_user_per_role(self):
        expectations = {
            "user_sales_rep": "rma_factory.group_rma_user",
            "user_sales_supervisor": "rma_factory.group_rma_approver",
            "user_marketing_manager": "rma_factory.group_rma_approver",
            "user_general_manager": "rma_factory.group_rma_manager",
            "user_gm_office": "rma_factory.group_rma_manager",
            "user_qc_inspector": "rma_factory.group_rma_quality",
            "user_warehouse_keeper": "stock.group_stock_user",
            "user_finance": "account.group_account_invoice",
            "user_production": "stock.group_stock_user",
        }
        for xmlid, group in expectations.items():
            user = self.ref(xmlid)
            self.assertTrue(user.has_group(group), f"{user.login} lacks {group}")
            self.assertEqual(user.company_id, self.ref("company_hg_pump"))
        # The warehouse keeper works without Sales rights.
        self.assertFalse(self.ref("user_warehouse_keeper").has_group("sales_team.group_sale_salesman"))

    def test_products_have_references_barcodes_lots_and_warranty(self):
        products = self.env["product.product"].search([("default_code", "=like", "HG-%")])
        self.assertGreaterEqual(len(products), 10)
        for product in products:
            self.assertTrue(product.is_storable, product.display_name)
            self.assertTrue(product.barcode, product.display_name)
            self.assertGreater(product.rma_effective_warranty_months, 0, product.display_name)
        self.assertTrue(products.filtered(lambda p: p.tracking == "lot"))
        lots = self.env["stock.lot"].search([("product_id", "in", products.ids)])
        self.assertGreaterEqual(len(lots), 4)

    def test_customers_have_contacts_and_chinese_addresses(self):
        customers = self.env["res.partner"].search([("id", "in", [
            self.ref(x).id for x in ("customer_ruifeng", "customer_pudong", "customer_zhujiang",
                                      "customer_haiyi", "customer_tianfu")])])
        self.assertEqual(len(customers), 5)
        for customer in customers:
            self.assertEqual(customer.country_id.code, "CN")
            self.assertTrue(customer.phone and customer.street and customer.state_id)
            self.assertTrue(customer.child_ids, f"{customer.name} has no contact")

    def test_sale_orders_in_every_condition(self):
        now = fields.Datetime.now()

        def done_pickings(order):
            return order.picking_ids.filtered(lambda p: p.state == "done")

        def delivered_in_full_and_invoiced(order):
            for line in order.order_line:
                moves = line.move_ids.filtered(lambda m: m.state == "done")
                shipped = sum(moves.filtered(lambda m: m.picking_code == "outgoing").mapped("quantity"))
                returned = sum(moves.filtered(lambda m: m.picking_code == "incoming").mapped("quantity"))
                self.assertEqual(shipped, line.product_uom_qty, line.product_id.name)
                # The demo's received returns lower the delivered quantity, as Odoo's returns do.
                self.assertEqual(line.qty_delivered, line.product_uom_qty - returned, line.product_id.name)
                # Refunds of the demo's returns credit their sale lines (Odoo's invoiced quantity).
                credited = sum(line.invoice_lines.filtered(
                    lambda aml: aml.move_id.move_type == "out_refund" and aml.move_id.state == "posted"
                ).mapped("quantity"))
                self.assertEqual(line.qty_invoiced, line.product_uom_qty - credited, line.product_id.name)
            self.assertEqual(set(order.invoice_ids.mapped("state")), {"posted"})

        invoiced = self.ref("sale_order_ruifeng_delivered_invoiced")
        self.assertEqual(invoiced.currency_id.name, "CNY")
        delivered_in_full_and_invoiced(invoiced)

        not_invoiced = self.ref("sale_order_pudong_delivered_not_invoiced")
        self.assertTrue(done_pickings(not_invoiced))
        self.assertFalse(not_invoiced.invoice_ids)
        self.assertEqual(not_invoiced.invoice_status, "to invoice")
        lot_lines = done_pickings(not_invoiced).move_line_ids.filtered("lot_id")
        self.assertTrue(lot_lines, "lot-tracked products were delivered with their lots")

        partial = self.ref("sale_order_zhujiang_partial")
        gearbox_product = self.ref("product_gearbox_gr80")
        gearbox = partial.order_line.filtered(lambda line: line.product_id == gearbox_product)
        self.assertEqual((gearbox.qty_delivered, gearbox.product_uom_qty), (5, 8))
        self.assertTrue(partial.picking_ids.filtered(lambda p: p.state == "assigned"), "backorder is open")

        old = self.ref("sale_order_haiyi_old")
        old_date = done_pickings(old).date_done
        self.assertLess(old_date, now - timedelta(days=365 + 180), "delivered long ago, out of warranty")
        self.assertLess(max(old.order_line.product_id.mapped("rma_effective_warranty_months")), 24)

        recent = self.ref("sale_order_tianfu_parts")
        self.assertGreater(done_pickings(recent).filtered(lambda p: p.picking_type_code == "outgoing").date_done,
                           now - timedelta(days=30))
        delivered_in_full_and_invoiced(recent)

        self.assertFalse(done_pickings(self.ref("sale_order_ruifeng_open")))

    def test_return_requests_at_every_step(self):
        requests = self.env["rma.request"].search([("company_id", "=", self.ref("company_hg_pump").id)])
        states = set(requests.mapped("state"))
        self.assertTrue({"draft", "to_approve", "approved", "rejected"} <= states, states)
        waiting = requests.filtered(lambda r: r.state == "to_approve")
        self.assertEqual(waiting.current_approval_id.name, "Marketing Manager")
        self.assertIn(waiting, self.env["rma.request"].with_user(self.ref("user_marketing_manager")).search(
            [("can_approve", "=", True)]))
        approved = requests.filtered(lambda r: r.state == "approved")
        self.assertTrue(approved and all(approved.mapped("return_deadline")))
        self.assertTrue(requests.filtered(lambda r: r.eligibility_state == "ineligible"))
        self.assertTrue(self.env["rma.feedback"].search([("request_id", "in", requests.ids)]))

    def test_warehouse_has_returns_and_incidents_to_work_on(self):
        company = self.ref("company_hg_pump")
        receipts = self.env["stock.picking"].search([
            ("rma_request_id", "!=", False), ("company_id", "=", company.id), ("state", "=", "assigned")])
        self.assertGreaterEqual(len(receipts), 2, "approved requests wait for the warehouse")
        # The Chinese company's quarantine is named in Chinese (what we create reads in its language).
        self.assertEqual(receipts.picking_type_id.default_location_dest_id.name, "退货隔离区")
        incidents = self.env["rma.carrier.incident"].search([("company_id", "=", company.id)])
        self.assertEqual(set(incidents.mapped("incident_type")), {"damage", "shortage"})

    def test_quality_disposition_and_closing_to_work_on(self):
        company = self.ref("company_hg_pump")
        requests = self.env["rma.request"].with_context(active_test=False).search([("company_id", "=", company.id)])
        qc, production = self.ref("user_qc_inspector"), self.ref("user_production")
        # QC has an inspection waiting, with its activity.
        waiting = requests.filtered(lambda r: r.state == "received" and r.request_type != "transport_damage")
        self.assertEqual(waiting.inspection_ids.state, "draft")
        self.assertEqual(waiting.inspection_ids.line_ids.sample_required, 2, "11 impellers: 10 % rounded up")
        self.assertEqual(waiting.inspection_ids.activity_ids.user_id, qc)
        # In disposition: a concluded review with an overdue corrective action, an assessment
        # waiting for production's opinion, a rework order, a replacement and an outgoing check.
        processing = requests.filtered(lambda r: r.state == "processing" and r.assessment_ids)
        self.assertEqual(processing.review_ids.state, "done")
        self.assertTrue(processing.review_ids.capa_ids.filtered("is_overdue"))
        self.assertEqual(processing.assessment_ids.user_id, production)
        self.assertFalse(processing.assessment_ids.opinion)
        self.assertEqual(processing.responsible_analytic_account_id.name, "生产部")
        kinds = {d.disposition_type: d.state for d in processing.disposition_ids}
        self.assertEqual(kinds, {"scrap": "done", "rework": "confirmed", "replace": "confirmed",
                                 "return_customer": "confirmed"})
        self.assertEqual(processing.disposition_ids.repair_id.state, "confirmed")
        # One closed request with its file; an advance replacement waiting for its deposit.
        closed = requests.filtered(lambda r: r.state == "done" and r.outcome == "returned")
        self.assertTrue(closed.gm_approved_by_id and closed.qa_verified_by_id)
        self.assertGreaterEqual(closed.file_count, 1)
        advance = requests.filtered(lambda r: r.advance_replacement and r.state == "approved")
        self.assertEqual(advance.deposit_state, "requested")

    def test_rma_reports_for_the_customer_and_qa(self):
        """杭州瑞丰's portal user has an RMA report to answer, one accepted and one disagreed, whose
        reopened review QA holds; the closed request's accepted report is in its file (#14)."""
        customer = self.ref("user_portal_customer")
        reports = self.env["rma.customer.report"].with_user(customer).search([])
        self.assertEqual(set(reports.mapped("state")), {"sent", "accepted", "disagreed"})
        self.assertEqual(reports.request_id.commercial_partner_id, customer.partner_id.commercial_partner_id)
        waiting = reports.filtered(lambda r: r.state == "sent")
        self.assertEqual(waiting.request_id.state, "processing")
        disagreed = reports.filtered(lambda r: r.state == "disagreed")
        self.assertTrue(disagreed.answer_comment)
        self.assertEqual(disagreed.sudo().reopened_review_id.state, "draft")
        self.assertTrue(disagreed.request_id.sudo().activity_ids.filtered(
            lambda a: a.user_id == self.ref("user_qc_inspector")))
        closed = self.env["rma.request"].search([("state", "=", "done"), ("outcome", "=", "returned")])
        self.assertEqual(closed.customer_report_id.state, "accepted")
        files = self.env["ir.attachment"].search(closed._file_domain())
        self.assertIn(closed.customer_report_id.accepted_pdf_id, files)

    def test_finance_has_entries_to_work_on(self):
        """Refunds on an open and on a paid invoice, a discount, a deposit paid and offset, freight
        with the customer's share, a carrier claim and its withheld bill, scrap on 生产部 (#12)."""
        company = self.ref("company_hg_pump")
        finance = self.ref("user_finance")
        Move = self.env["account.move"].with_user(finance).with_company(company)
        entries = Move.search([("rma_entry_purpose", "!=", False), ("company_id", "=", company.id)])
        by_purpose = {}
        for move in entries:
            by_purpose.setdefault(move.rma_entry_purpose, []).append(move)
            self.assertEqual(move.state, "posted")
            self.assertTrue(move.rma_request_id)
        refunds = by_purpose["refund"]
        self.assertEqual(sorted(m.payment_state for m in refunds), ["not_paid", "paid"],
                         "one reconciled with its open invoice, one open after a paid invoice")
        self.assertTrue(all(m.reversed_entry_id for m in refunds))
        self.assertEqual(by_purpose["discount"][0].payment_state, "paid")
        offset = by_purpose["deposit_offset"][0]
        self.assertIn(offset.reversed_entry_id.payment_state, ("paid", "in_payment"), "the deposit was paid")
        self.assertEqual(offset.rma_request_id.deposit_state, "offset")
        self.assertTrue(by_purpose["freight_bill"] and by_purpose["freight_invoice"])
        self.assertIn(by_purpose["freight_invoice"][0].rma_request_id,
                      [bill.rma_request_id for bill in by_purpose["freight_bill"]],
                      "a freight bill with a customer share")
        claim = by_purpose["carrier_claim"][0]
        withheld = [bill for bill in by_purpose["freight_bill"] if bill.payment_state == "blocked"]
        self.assertTrue(withheld and withheld[0].rma_withheld_for)
        self.assertEqual(withheld[0].rma_request_id, claim.rma_request_id)
        scrap = self.env["account.analytic.line"].search([("rma_entry_key", "like", "scrap:"),
                                                          ("company_id", "=", company.id)])
        self.assertEqual(set(scrap.account_id.mapped("name")), {"生产部"})
        self.assertTrue(all(line.amount < 0 for line in scrap))
        costs = self.env["rma.cost.report"].with_user(finance).with_company(company).search([])
        self.assertTrue({"refund", "freight_bill", "scrap"} <= set(costs.mapped("cost_type")))

    def test_customers_were_told_in_chinese(self):
        """The demo's outgoing mail queue holds the customers' e-mails, in Chinese (R-15)."""
        mails = self.env["mail.mail"].search([("model", "=", "rma.request"), ("subject", "like", "退货申请")])
        subjects = " ".join(mails.mapped("subject"))
        for word in ("已收到", "已批准", "未能受理"):
            self.assertIn(word, subjects)
        # The customers' (staff following a request get Odoo's notification copy in their own language).
        customers = mails.recipient_ids.filtered(lambda partner: not partner.user_ids or partner.user_ids.share)
        self.assertTrue(customers)
        self.assertTrue(all(partner.lang == "zh_CN" for partner in customers))

    def test_a_sales_rep_sees_only_his_team_s_requests(self):
        rep = self.ref("user_sales_rep")
        teams = self.env["rma.request"].with_user(rep).search([]).team_id
        self.assertEqual(teams, self.ref("sales_team_east"))
