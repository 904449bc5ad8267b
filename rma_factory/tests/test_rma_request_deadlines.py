from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaRequestDeadlines(RmaCommon):
    """Verification within 3 working days of submission, goods back within 7 of approval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A Monday-to-Friday calendar with a public holiday on Friday 2026-10-09.
        cls.calendar = cls.env["resource.calendar"].create({
            "name": "RMA 5x8", "tz": "Asia/Shanghai", "company_id": cls.company.id,
            "attendance_ids": [
                (0, 0, {"name": f"Day {d}", "dayofweek": str(d), "hour_from": h_from, "hour_to": h_to,
                        "day_period": period})
                for d in range(5) for h_from, h_to, period in ((8, 12, "morning"), (13, 17, "afternoon"))
            ],
        })
        cls.env["resource.calendar.leaves"].create({
            "name": "National Day bridge", "calendar_id": cls.calendar.id,
            "date_from": datetime(2026, 10, 9, 0, 0), "date_to": datetime(2026, 10, 9, 15, 59),
        })
        cls.company.resource_calendar_id = cls.calendar

    def test_verification_deadline_counts_working_days_and_holidays(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        with freeze_time("2026-10-07 09:00:00"):  # Wednesday
            request.with_user(self.sales_rep).action_submit()
        # Thu 8 (1), Fri 9 holiday, Mon 12 (2), Tue 13 (3).
        self.assertEqual(request.verification_deadline, date(2026, 10, 13))
        activity = request.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("rma_factory.mail_activity_onsite_verification"))
        self.assertEqual(activity.user_id, self.sales_rep)
        self.assertEqual(activity.date_deadline, date(2026, 10, 13))

        with freeze_time("2026-10-14"):
            overdue = self.env["rma.request"].search([("verification_overdue", "=", True)])
            self.assertIn(request, overdue)
            # The Record Verification wizard's call (the fields themselves are the process's).
            request.with_user(self.sales_rep)._record_verification(
                "confirmed", date(2026, 10, 14), "Seal leaks on 3 of 5 pumps", self.env["ir.attachment"],
            )
            self.assertEqual(request.verification_date, date(2026, 10, 14))
            self.assertFalse(request.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref("rma_factory.mail_activity_onsite_verification")))
            self.assertNotIn(request, self.env["rma.request"].search([("verification_overdue", "=", True)]))

    def test_return_deadline_and_overdue_reminder(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        with freeze_time("2026-10-07 09:00:00"):
            request.action_submit()
            self._approve_all(request)
        # 7 working days after Wed 7: Thu 8, Mon 12 .. Fri 16, Mon 19 (Fri 9 is a holiday).
        self.assertEqual(request.return_deadline, date(2026, 10, 19))
        overdue_type = self.env.ref("rma_factory.mail_activity_return_overdue")
        with freeze_time("2026-10-19"):
            self.env["rma.request"]._cron_remind_overdue_returns()
            self.assertFalse(request.activity_ids.filtered(lambda a: a.activity_type_id == overdue_type))
        with freeze_time("2026-10-20"):
            self.assertIn(request, self.env["rma.request"].search([("return_overdue", "=", True)]))
            self.env["rma.request"]._cron_remind_overdue_returns()
            self.env["rma.request"]._cron_remind_overdue_returns()  # a second run adds nothing
            reminders = request.activity_ids.filtered(lambda a: a.activity_type_id == overdue_type)
            self.assertEqual(len(reminders), 1)
            self.assertEqual(reminders.user_id, self.sales_rep)

    def test_deadlines_follow_settings_returns(self):
        """The administrator changes the days and the calendar in Settings → Returns: new requests
        use them."""
        saturday_calendar = self.env["resource.calendar"].create({
            "name": "RMA 6x4", "tz": "Asia/Shanghai", "company_id": self.company.id,
            "attendance_ids": [
                (0, 0, {"name": f"Day {d}", "dayofweek": str(d), "hour_from": 8, "hour_to": 12,
                        "day_period": "morning"})
                for d in range(6)
            ],
        })
        settings = Form(self.env["res.config.settings"])
        settings.rma_verification_days = 2
        settings.rma_return_days = 4
        settings.rma_calendar_id = saturday_calendar
        settings.save().execute()
        self.assertEqual(
            (self.company.rma_verification_days, self.company.rma_return_days, self.company.rma_calendar_id),
            (2, 4, saturday_calendar),
        )
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        with freeze_time("2026-10-07 09:00:00"):  # Wednesday
            request.with_user(self.sales_rep).action_submit()
            self._approve_all(request)
        # Thu 8 (1), Fri 9 (2): Saturdays work, and this calendar has no holiday on the 9th.
        self.assertEqual(request.verification_deadline, date(2026, 10, 9))
        # Thu 8, Fri 9, Sat 10, Mon 12.
        self.assertEqual(request.return_deadline, date(2026, 10, 12))

        with self.assertRefused(Exception, "rma_periods_positive"), mute_logger("odoo.sql_db"):
            self.company.rma_return_days = 0
            self.company.flush_recordset()

    def test_settings_page_shows_returns_in_chinese(self):
        view = self.env.ref("rma_factory.res_config_settings_view_form")
        arch = self.env["res.config.settings"].with_context(lang="zh_CN").get_views([(view.id, "form")])
        form = arch["views"]["form"]["arch"]
        for label in ("退换货", "现场核实", "工作日历", "抽检比例"):
            self.assertIn(label, form)

    def test_the_rep_records_the_verification_with_a_button(self):
        order = self._deliver(self.customer, [(self.product, 1)])
        request = self._request_from_order(order)
        as_rep = request.with_user(self.sales_rep)
        self.assertFalse(as_rep.can_record_verification, "nothing to verify before submitting")
        as_rep.action_submit()
        self.assertTrue(as_rep.can_record_verification)
        action = as_rep.action_open_record_verification()
        form = Form(self.env[action["res_model"]].with_user(self.sales_rep).with_context(**action["context"]))
        form.result = "confirmed"
        form.note = "5 台中 3 台机械密封漏水"
        form.photo_ids.add(self.env["ir.attachment"].with_user(self.sales_rep).create({
            "name": "seal.png", "datas": "iVBORw0KGgo=", "res_model": "rma.verification.wizard",
        }))
        form.save().action_confirm()
        self.assertEqual((request.verification_result, request.verification_note),
                         ("confirmed", "5 台中 3 台机械密封漏水"))
        self.assertTrue(request.verification_date)
        self.assertEqual(request.photo_ids.mapped("name"), ["seal.png"])
        self.assertEqual((request.photo_ids.res_model, request.photo_ids.res_id), ("rma.request", request.id))
        self.assertFalse(request.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("rma_factory.mail_activity_onsite_verification")),
            "the verification activity is done")
        self.assertFalse(as_rep.can_record_verification, "recorded once")
