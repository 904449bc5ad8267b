from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

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
            request.with_user(self.sales_rep).write({
                "verification_result": "confirmed", "verification_note": "Seal leaks on 3 of 5 pumps",
            })
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
