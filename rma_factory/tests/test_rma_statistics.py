"""Reporting (#13, R-81, R-82): the monthly statistics workbook and the export of a list, read
back with openpyxl; the analysis views' numbers (return rate, cycle time per stage) on data sets
built for the test; the monthly scheduled action; the builder's query count."""
import base64
import io
import re
from datetime import datetime, timedelta

import openpyxl
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import RmaQualityCommon

SHEETS = ("By Customer", "By Product", "By Reason", "By Responsibility", "By Disposition", "Replenishments")
MEASURES = ("Requests", "Qty Requested", "Qty Received", "Qty Scrapped", "Qty Reworked", "Qty Replaced",
            "Amount", "Refunds", "Execution Costs")


def read_book(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_table(sheet):
    """(headers, data rows, total row) of a sheet of ours: header on row 4, total on the last row;
    subtotal rows (their label cell says Subtotal / 小计) are left out of the data rows."""
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    headers, body, total = rows[0], rows[1:-1], rows[-1]
    data = [row for row in body if not any(isinstance(v, str) and v.startswith("=") for v in row)]
    return list(headers), data, total


@tagged("post_install", "-at_install")
class TestRmaStatistics(RmaQualityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "UTC"
        cls.today = fields.Date.context_today(cls.env["rma.request"])
        cls.manager = new_test_user(
            cls.env, login="rma_stat_gm", groups="base.group_user,rma_factory.group_rma_manager", lang="en_US",
            company_id=cls.company.id, company_ids=[fields.Command.set(cls.company.ids)],
        )
        # Request A (sales rep, east): 2 pumps + 3 seals, received and inspected; the 2 pumps scrapped
        # (execution cost 30), the 3 seals to be replaced (planned).
        _order, cls.request_a = cls._inspected([(cls.product, 2), (cls.product_b, 3)], scrap={cls.product: 2})
        line_pump = cls.request_a.line_ids.filtered(lambda line: line.product_id == cls.product)
        line_seal = cls.request_a.line_ids - line_pump
        scrap = cls.env["rma.disposition"].create({
            "request_id": cls.request_a.id, "request_line_id": line_pump.id, "disposition_type": "scrap",
            "quantity": 2, "execution_cost": 30.0,
        })
        scrap.with_user(cls.inspector).action_start()
        cls.env["rma.disposition"].create({
            "request_id": cls.request_a.id, "request_line_id": line_seal.id, "disposition_type": "replace",
            "quantity": 3,
        })
        # Request B (the west team's rep): 4 pumps of another customer, a wrong shipment, draft.
        order_b = cls._deliver(cls.other_customer, [(cls.product, 4)], team=cls.team_west, user=cls.sales_rep_west)
        cls.request_b = cls._request_from_order(order_b, user=cls.sales_rep_west, request_type="wrong_shipment")
        # Request C (sales rep): last month's, 7 seals; in no sheet of this month.
        cls.request_c = cls._request_from_order(cls._deliver(cls.customer, [(cls.product_b, 7)]))
        cls.request_c.request_date = cls.today - relativedelta(months=1)
        # A shortage of 4 seals on a delivery to the customer, replenished (补件) and shipped.
        keeper = cls._warehouse_user("rma_stat_keeper")
        logistics = cls._warehouse_user("rma_stat_logistics", "stock.group_stock_manager")
        delivery = cls._deliver(cls.customer, [(cls.product_b, 10)]).picking_ids
        form = Form(cls.env["rma.carrier.incident"].with_user(keeper))
        form.incident_type = "shortage"
        form.picking_id = delivery
        form.arrival_datetime = fields.Datetime.now() - timedelta(hours=2)
        form.carrier_name = "顺丰快运"
        with form.line_ids.edit(0) as line:
            line.received_qty = 6
        incident = form.save()
        incident.action_check()
        incident.with_user(logistics).action_confirm()
        replenishment = incident.replenishment_picking_id
        for move in replenishment.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        replenishment.button_validate()
        cls.replenished_qty = 4.0

    # ------------------------------------------------------------------ helpers

    def _monthly(self, user=None, lang="en_US"):
        user = user or self.manager
        user.lang = lang
        stats = self.env["rma.monthly.statistics"].with_user(user).with_context(lang=lang).create({
            "company_id": self.company.id, "year": self.today.year, "month": str(self.today.month),
        })
        stats.action_generate()
        self.assertEqual(stats.generated_by_id, user)
        self.assertEqual(stats.attachment_id.mimetype,
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return stats, read_book(stats.attachment_id.raw)

    def _expected(self):
        """What the month holds, from the data set above: requests A and B."""
        pump, seal = self.product.lst_price, self.product_b.lst_price
        return {
            "Requests": 2, "Qty Requested": 2 + 3 + 4, "Qty Received": 2 + 3, "Qty Scrapped": 2,
            "Qty Reworked": 0, "Qty Replaced": 3, "Amount": 2 * pump + 3 * seal + 4 * pump, "Refunds": 0,
            "Execution Costs": 30.0,
        }

    def _assert_totals(self, sheet, expected, label_columns=1):
        headers, data, total = sheet_table(sheet)
        for name, value in expected.items():
            col = headers.index(name)
            cell = total[col]
            if name == "Requests" and label_columns == 2:
                # products split a request: the total is the month's distinct count, a number
                self.assertEqual(cell, value, f"{sheet.title}: {name}")
                continue
            self.assertRegex(str(cell), r"^=SUBTOTAL\(9,[A-Z]+\d+:[A-Z]+\d+\)$", f"{sheet.title}: {name} is a formula")
            first, last = re.findall(r"[A-Z]+(\d+)", cell)
            self.assertEqual((int(first), int(last)), (5, 4 + len(sheet_table(sheet)[1]) + (
                len([r for r in list(sheet.iter_rows(min_row=5, values_only=True))[:-1]
                     if any(isinstance(v, str) and v.startswith("=") for v in r)]))), "the range covers every row")
            self.assertAlmostEqual(sum(row[col] or 0 for row in data), value, msg=f"{sheet.title}: {name}")
        return headers, data

    # ------------------------------------------------------------------ the monthly workbook

    def test_monthly_workbook_in_english(self):
        stats, book = self._monthly()
        self.assertEqual(book.sheetnames, list(SHEETS))
        expected = self._expected()
        first_sheet = book["By Customer"]
        self.assertIn("Customer Returns, Exchanges and Replenishments", first_sheet["A1"].value)
        self.assertIn(self.today.strftime("%B %Y"), first_sheet["A1"].value)
        self.assertIn("by request date", first_sheet["A2"].value)
        self.assertEqual(first_sheet.freeze_panes, "B5")
        self.assertEqual(first_sheet.page_setup.orientation, "landscape")
        self.assertTrue(first_sheet.sheet_properties.pageSetUpPr.fitToPage)
        self.assertIn(first_sheet.page_setup.fitToWidth, (None, 1), "one page wide (1 is the default)")
        self.assertEqual(first_sheet.page_setup.fitToHeight, 0, "as many pages long as needed")
        self.assertEqual(first_sheet.print_title_rows, "$4:$4")

        headers, data = self._assert_totals(first_sheet, dict(expected, **{"Qty Replenished": self.replenished_qty}))
        self.assertEqual(headers, ["Customer", *MEASURES, "Qty Replenished"])
        by_customer = {row[0]: row for row in data}
        self.assertEqual(set(by_customer), {self.customer.display_name, self.other_customer.display_name})
        other = by_customer[self.other_customer.display_name]
        self.assertEqual(other[headers.index("Qty Requested")], 4)
        self.assertEqual(other[headers.index("Qty Replenished")], 0)

        headers, data = self._assert_totals(book["By Product"], dict(
            expected, **{"Qty Replenished": self.replenished_qty}), label_columns=2)
        self.assertEqual(headers[:2], ["Product Category", "Product"])
        subtotals = [row for row in book["By Product"].iter_rows(min_row=5, values_only=True) if row[1] == "Subtotal"]
        self.assertEqual([row[0] for row in subtotals], [self.category.display_name], "one subtotal per category")
        self.assertTrue(all(str(v).startswith("=SUBTOTAL(9,") for v in subtotals[0][3:]))
        seal = next(row for row in data if row[1] == self.product_b.display_name)
        self.assertEqual(seal[headers.index("Qty Replenished")], self.replenished_qty)

        reason_labels = dict(self.env["rma.request"]._fields["request_type"]._description_selection(self.env))
        _headers, data = self._assert_totals(book["By Reason"], expected)
        self.assertEqual({row[0]: row[1] for row in data},
                         {reason_labels["usage_failure"]: 1, reason_labels["wrong_shipment"]: 1})
        self._assert_totals(book["By Responsibility"], expected)
        _headers, data = self._assert_totals(book["By Disposition"], expected, label_columns=2)
        self.assertEqual(len(data), 3, "scrap, replace, and no disposition (request B)")
        headers, data, total = sheet_table(book["Replenishments"])
        self.assertEqual([row[headers.index("Qty Replenished")] for row in data], [self.replenished_qty])
        self.assertTrue(str(total[headers.index("Qty Replenished")]).startswith("=SUBTOTAL(9,"))

        # Another month: none of these requests; last month holds request C only.
        stats.month = str((self.today - relativedelta(months=1)).month)
        stats.year = (self.today - relativedelta(months=1)).year
        stats.action_generate()
        headers, data, _total = sheet_table(read_book(stats.attachment_id.raw)["By Customer"])
        self.assertEqual([(row[0], row[headers.index("Qty Requested")]) for row in data],
                         [(self.customer.display_name, 7)])

    def test_monthly_workbook_in_chinese(self):
        _stats, book = self._monthly(lang="zh_CN")
        Builder = self.env["rma.statistics.xlsx"].with_context(lang="zh_CN")
        self.assertEqual(book.sheetnames, [Builder.env._(name) for name in SHEETS])
        sheet = book.worksheets[0]
        month = f"{self.today.year}年{self.today.month}月"
        self.assertIn(month, sheet["A1"].value)
        title = Builder.env._("Customer Returns, Exchanges and Replenishments: %(month)s", month=month)
        self.assertEqual(sheet["A1"].value, title)
        if title != f"Customer Returns, Exchanges and Replenishments: {month}":  # zh_CN.po has the title
            self.assertEqual(title, f"{month}客户退换货、补件统计表")
        headers, _data, _total = sheet_table(sheet)
        self.assertEqual(headers, [Builder.env._(name) for name in ("Customer", *MEASURES, "Qty Replenished")])

    def test_monthly_statistics_one_per_company_and_month(self):
        self._monthly()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["rma.monthly.statistics"].create({
                "company_id": self.company.id, "year": self.today.year, "month": str(self.today.month),
            })

    # ------------------------------------------------------------------ the scheduled action

    def test_the_workbook_and_its_signature_are_the_generations(self):
        stats, _book = self._monthly()
        other = self.env["ir.attachment"].create({"name": "fake.xlsx", "raw": b"x"})
        for values in ({"generated_by_id": self.env.user.id}, {"attachment_id": other.id},
                       {"generated_date": "2020-01-01 00:00:00"}):
            with self.subTest(values=values), self.assertRefused(UserError, "can't be set directly", stats):
                stats.with_user(self.manager).write(values)

    def test_monthly_cron_attaches_the_workbook_and_notifies_the_managers(self):
        self.request_c.flush_recordset()
        self.env["rma.monthly.statistics"]._cron_generate_last_month()
        last_month = self.today.replace(day=1) - relativedelta(months=1)
        stats = self.env["rma.monthly.statistics"].search([
            ("company_id", "=", self.company.id), ("year", "=", last_month.year), ("month", "=", str(last_month.month)),
        ])
        self.assertEqual(len(stats), 1)
        self.assertTrue(stats.attachment_id)
        messages = stats.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(messages), 1, "one message, not one per manager")
        self.assertEqual(messages.attachment_ids, stats.attachment_id)
        managers = self.env["res.users"].search([
            ("all_group_ids", "in", self.env.ref("rma_factory.group_rma_manager").id),
            ("company_ids", "in", self.company.id), ("share", "=", False),
        ])
        self.assertIn(self.manager, managers)
        self.assertIn(self.gm, managers)
        self.assertEqual(set(messages.notification_ids.res_partner_id.ids), set(managers.partner_id.ids))
        self.assertNotIn(self.sales_rep.partner_id, messages.partner_ids)
        headers, data, _total = sheet_table(read_book(stats.attachment_id.raw).worksheets[0])
        self.assertEqual([row[headers.index(stats.env._("Qty Requested"))] for row in data], [7])
        self.assertTrue(self.env.ref("rma_factory.ir_cron_monthly_statistics").active)

    # ------------------------------------------------------------------ the export of a list

    def _export(self, user, **context):
        action = self.env.ref("rma_factory.rma_request_action_export_xlsx").with_user(user)
        result = action.with_context(active_model="rma.request", **context).run()
        self.assertEqual(result["type"], "ir.actions.act_url")
        export_id = int(re.search(r"rma\.statistics\.export/(\d+)/file", result["url"]).group(1))
        export = self.env["rma.statistics.export"].with_user(user).browse(export_id)
        return read_book(base64.b64decode(export.file))

    def test_export_selected_rows_as_a_sales_rep(self):
        book = self._export(self.sales_rep, active_ids=self.request_a.ids, active_id=self.request_a.id)
        headers, data, total = sheet_table(book.worksheets[0])
        self.assertEqual(headers[:3], ["Number", "Request Date", "Customer"])
        self.assertEqual([row[0] for row in data], [self.request_a.name] * 2, "one row per request line")
        qty = headers.index("Qty Requested")
        self.assertEqual(sorted(row[qty] for row in data), [2, 3])
        self.assertRegex(total[qty], r"^=SUBTOTAL\(9,")
        self.assertEqual(book.worksheets[0].freeze_panes, "B5")

    def test_export_whole_filter_as_a_sales_rep(self):
        # "Select all" on the list: the domain of the list's filter, within what the rep may read.
        book = self._export(self.sales_rep, active_ids=self.request_a.ids, active_domain=[("state", "!=", "cancel")])
        _headers, data, _total = sheet_table(book.worksheets[0])
        names = {row[0] for row in data}
        self.assertIn(self.request_a.name, names)
        self.assertIn(self.request_c.name, names)
        self.assertNotIn(self.request_b.name, names, "another team's request")
        self.assertEqual(len(data), len((self.request_a | self.request_c).line_ids))

    def test_analysis_rows_follow_the_request_rules(self):
        Report = self.env["rma.return.line.report"]
        mine = Report.with_user(self.sales_rep).search([])
        self.assertEqual(mine.request_id, self.request_a | self.request_c)
        self.assertEqual(Report.with_user(self.supervisor).search([("request_id", "=", self.request_b.id)]).request_id,
                         self.request_b)
        self.assertEqual(Report.with_user(self.sales_rep_west).search([]).request_id, self.request_b)

    # ------------------------------------------------------------------ query counts

    def test_builder_query_count_does_not_grow_with_lines(self):
        Builder = self.env["rma.statistics.xlsx"].with_user(self.manager)

        def count():
            self.env.invalidate_all()
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            Builder._build_monthly(self.company, self.today)
            return self.env.cr.sql_log_count - before

        count()  # caches
        small = count()
        parts = self._create_parts(30)
        self._request_from_order(self._deliver(self.customer, [(part, 2) for part in parts]))
        self.env["rma.request.line"].flush_model()
        count()  # creating records cleared Odoo's caches (access rules): fill them again
        large = count()
        self.assertEqual(large, small, "the same queries for 5 or 35 more lines")
        self.assertLess(small, 30)

    # ------------------------------------------------------------------ return rate

    def test_return_rate_is_returned_over_delivered_of_the_group(self):
        product = self._create_product("RMA Rate Pump", 100.0)
        self._stock(product, 100)
        order_one = self._deliver(self.customer, [(product, 10)])
        self._deliver(self.other_customer, [(product, 30)])
        # 2 back from the first customer through a plain Odoo return, 1 more later.
        for qty in (2, 1):
            wizard = self.env["stock.return.picking"].with_context(
                active_id=order_one.picking_ids[0].id, active_model="stock.picking").create({})
            wizard.product_return_moves.write({"quantity": qty})
            returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
            for move in returned.move_ids:
                move.quantity = qty
                move.picked = True
            returned.button_validate()
        Rate = self.env["rma.return.rate.report"].with_user(self.supervisor)
        self.env.flush_all()
        [(delivered, returned, rate)] = Rate._read_group(
            [("product_id", "=", product.id)], [], ["qty_delivered:sum", "qty_returned:sum", "return_rate:avg"])
        self.assertEqual((delivered, returned), (40, 3))
        self.assertAlmostEqual(rate, 100 * 3 / 40, msg="sum(returned) / sum(delivered), not a mean of ratios")
        by_partner = dict(Rate._read_group([("product_id", "=", product.id)], ["partner_id"], ["return_rate:avg"]))
        self.assertAlmostEqual(by_partner[self.customer], 100 * 3 / 10)
        self.assertAlmostEqual(by_partner[self.other_customer], 0)
        # As the pivot asks it (formatted_read_group).
        [group] = Rate.formatted_read_group([("product_id", "=", product.id)], ["product_id"], ["return_rate:avg"])
        self.assertAlmostEqual(group["return_rate:avg"], 100 * 3 / 40)

    # ------------------------------------------------------------------ cycle time

    def test_cycle_time_per_stage(self):
        start = datetime.combine(self.today + timedelta(days=1), datetime.min.time()).replace(hour=9)
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        with freeze_time(start):
            request.action_submit()
        with freeze_time(start + timedelta(hours=30)):
            self._approve_all(request)
        with freeze_time(start + timedelta(hours=72)):
            self._receive(request.receipt_ids)
        self.assertEqual(request.state, "received")
        logs = self.env["rma.request.state.log"].search([("request_id", "=", request.id)])
        self.assertEqual(logs.mapped("state"), ["draft", "to_approve", "approved", "received"])
        by_state = {log.state: log for log in logs}
        self.assertAlmostEqual(by_state["to_approve"].duration_hours, 30)
        self.assertAlmostEqual(by_state["approved"].duration_hours, 42)
        self.assertAlmostEqual(by_state["approved"].duration_days, 42 / 24)
        self.assertEqual(by_state["to_approve"].user_id, self.sales_rep, "who moved it there")
        self.assertFalse(by_state["received"].date_end, "the current stage is open")
        self.assertEqual(by_state["received"].date_start, start + timedelta(hours=72))
        # A second request waits 10 hours for approval: the average of the month is 20 hours.
        other = self._request_from_order(self._deliver(self.customer, [(self.product, 1)]))
        with freeze_time(start):
            other.action_submit()
        with freeze_time(start + timedelta(hours=10)):
            self._approve_all(other)
        Log = self.env["rma.request.state.log"].with_user(self.supervisor)
        groups = dict(Log._read_group([("request_id", "in", (request | other).ids), ("state", "=", "to_approve")],
                                      ["date_start:month"], ["duration_hours:avg"]))
        self.assertEqual(list(groups.values()), [20])
        # read-only for every role, the sales rep sees the stays of their own requests
        self.assertFalse(Log.has_access("write") or Log.has_access("create"))
        self.assertEqual(self.env["rma.request.state.log"].with_user(self.sales_rep_west).search(
            [("request_id", "=", request.id)]), self.env["rma.request.state.log"])
