from odoo.tests import tagged

from .common import RmaCommon

MIME = """\
Return-Path: <wang@rma-customer.example.com>
From: Buyer Wang <wang@rma-customer.example.com>
To: returns@example.com
Subject: 退货申请 CP-50 漏水
Message-ID: <rma-intake-test-1@rma-customer.example.com>
Date: Tue, 06 Oct 2026 09:12:00 +0800
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

您好，上月收到的两台泵机械密封漏水，照片见附件，申请退货。

--BOUNDARY
Content-Type: image/png; name="leak.png"
Content-Disposition: attachment; filename="leak.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==
--BOUNDARY--
"""


@tagged("post_install", "-at_install")
class TestRmaRequestMail(RmaCommon):
    def test_incoming_mail_creates_a_draft_with_body_and_attachment(self):
        self.customer.user_id = self.sales_rep
        request_id = self.env["mail.thread"].message_process("rma.request", MIME)
        request = self.env["rma.request"].browse(request_id)
        self.assertEqual(request.state, "draft")
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.contact_id, self.contact)
        self.assertEqual(request.user_id, self.sales_rep)
        self.assertIn("机械密封漏水", request.description)
        self.assertEqual(request.client_reference, "退货申请 CP-50 漏水")
        attachments = self.env["ir.attachment"].search([("res_model", "=", "rma.request"), ("res_id", "=", request.id)])
        self.assertEqual(attachments.mapped("name"), ["leak.png"])
        self.assertIn(self.contact, request.message_partner_ids)

    def test_every_mail_gets_a_number_and_an_acknowledgement(self):
        """The subject is not the request's number: two mails with the same subject make two
        requests, each numbered by the sequence, and each sender is told the number."""
        Request = self.env["rma.request"]
        first = Request.browse(self.env["mail.thread"].message_process("rma.request", MIME))
        second = Request.browse(self.env["mail.thread"].message_process(
            "rma.request", MIME.replace("rma-intake-test-1", "rma-intake-test-3")))
        self.assertEqual(len(first | second), 2)
        for request in first | second:
            self.assertRegex(request.name, r"^RMA/\d{4}/\d{5}$")
            self.assertIn("退货申请 CP-50 漏水", request.description)
        sequence = self.env.ref("rma_factory.seq_rma_request")
        self.assertEqual(sequence.implementation, "no_gap")
        self.assertEqual(int(second.name[-5:]), int(first.name[-5:]) + 1, "numbers follow each other")
        mails = self.env["mail.mail"].search([("model", "=", "rma.request"), ("res_id", "=", second.id)])
        acknowledgement = mails.filtered(lambda mail: second.name in (mail.subject or ""))
        self.assertEqual(acknowledgement.recipient_ids, self.contact)

    def test_unknown_sender_becomes_a_new_contact(self):
        raw = MIME.replace("Buyer Wang <wang@rma-customer.example.com>", "Li <li@new-buyer.example.com>") \
            .replace("rma-intake-test-1", "rma-intake-test-2")
        request = self.env["rma.request"].browse(self.env["mail.thread"].message_process("rma.request", raw))
        self.assertEqual(request.partner_id.email, "li@new-buyer.example.com")
        self.assertEqual(request.state, "draft")

    def test_alias_routes_to_requests(self):
        alias = self.env.ref("rma_factory.mail_alias_rma_request")
        self.assertEqual(alias.alias_model_id.model, "rma.request")
        self.assertEqual(alias.alias_name, "returns")
