from odoo.tests import tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaRequestCustomerMail(RmaCommon):
    """The customer is told (R-15, R-20): an acknowledgement when the request is submitted, the
    deadline and the address when it is approved, the reason when it is rejected — queued in the
    outgoing mail, in the customer contact's language."""

    def _request(self, **values):
        order = self._deliver(self.customer, [(self.product, 1)])
        return self._request_from_order(order, contact_id=self.contact, **values)

    def _mails(self, request):
        """The e-mails to the customer (the signers' activity notices go to colleagues)."""
        return self.env["mail.mail"].search([
            ("model", "=", "rma.request"), ("res_id", "=", request.id),
            ("recipient_ids", "in", (request.contact_id or request.partner_id).ids),
        ], order="id")

    def test_acknowledgement_approval_and_rejection_reach_the_customer(self):
        request = self._request(expected_arrival_place="Returns dock 2")
        request.with_user(self.sales_rep).action_submit()
        ack = self._mails(request)
        self.assertEqual(len(ack), 1)
        self.assertEqual(ack.recipient_ids, self.contact)
        self.assertIn(request.name, ack.subject)
        self.assertIn("received", ack.subject)
        self.assertIn("RMA Pump", ack.body_html)
        # The customer follows it on the portal through the link, without an account.
        self.assertIn(f"/my/returns/{request.id}?access_token={request.access_token}", ack.body_html)
        self.assertEqual(ack.state, "outgoing")

        self._approve_all(request)
        approved = self._mails(request) - ack
        self.assertEqual(len(approved), 1)
        self.assertIn("approved", approved.subject)
        self.assertIn(request.return_deadline.strftime("%m/%d/%Y"), approved.body_html)
        self.assertIn("Returns dock 2", approved.body_html)
        warehouse_address = self.warehouse.partner_id.city or self.company.partner_id.city
        if warehouse_address:
            self.assertIn(warehouse_address, approved.body_html)

        rejected = self._request()
        rejected.with_user(self.sales_rep).action_submit()
        rejected.with_user(self.supervisor)._action_reject("型号为客户自选，非质量问题")
        mail = self._mails(rejected)[-1]
        self.assertIn("not accepted", mail.subject)
        self.assertIn("型号为客户自选，非质量问题", mail.body_html)

    def test_a_chinese_customer_reads_chinese(self):
        self.contact.lang = "zh_CN"
        request = self._request()
        request.with_user(self.sales_rep).action_submit()
        mail = self._mails(request)
        self.assertIn("已收到", mail.subject)
        self.assertIn("我们已收到您的退货申请", mail.body_html)
        self.assertIn("您可以在我们的门户上查看进度", mail.body_html)

    def test_templates_are_editable_as_odoo_s_own(self):
        template = self.env.ref("rma_factory.mail_template_rma_approved")
        self.assertEqual(template.model, "rma.request")
        # Settings → Technical → Email Templates: the administrator rewords it.
        template.subject = "{{ object.name }}: please send the goods"
        request = self._request()
        request.action_submit()
        self._approve_all(request)
        self.assertEqual(self._mails(request)[-1].subject, f"{request.name}: please send the goods")
