"""The customer's return requests on the portal (#14 parts 1, 2, 7): every route as the customer,
another customer, a visitor with the request's token and one without; the uploads; the request
sent from the portal; and what a portal user may not do over JSON-RPC."""
import io
import re

from markupsafe import escape
from PIL import Image

from odoo import Command, http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import JsonRpcMixin, RmaCommon


def png_bytes(size=(8, 8), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestRmaPortal(HttpCase, JsonRpcMixin, RmaCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="rma_portal", groups="base.group_portal", partner_id=cls.contact.id,
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)], lang="en_US",
        )
        cls.other_contact = cls.env["res.partner"].create({
            "name": "Other Buyer", "parent_id": cls.other_customer.id, "email": "other@rma-other.example.com",
        })
        cls.other_portal_user = new_test_user(
            cls.env, login="rma_portal_other", groups="base.group_portal", partner_id=cls.other_contact.id,
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)], lang="en_US",
        )
        cls.own_request = cls._request_from_order(cls._deliver(cls.customer, [(cls.product, 2)]))
        cls.own_request._portal_ensure_token()
        cls.other_request = cls._request_from_order(cls._deliver(cls.other_customer, [(cls.product, 2)]))
        cls.other_request._portal_ensure_token()
        cls.order = cls._deliver(cls.customer, [(cls.product, 5), (cls.product_b, 10)])
        cls.other_order = cls._deliver(cls.other_customer, [(cls.product_b, 3)])
        cls.photo = cls.env["ir.attachment"].create({
            "name": "leak.png", "raw": png_bytes(), "res_model": "rma.request", "res_id": cls.own_request.id,
        })
        # A file some staff attached, whatever its type: never served as what it claims.
        cls.html_file = cls.env["ir.attachment"].create({
            "name": "note.html", "raw": b"<script>alert(1)</script>", "mimetype": "text/html",
            "res_model": "rma.request", "res_id": cls.own_request.id,
        })
        cls.own_request.photo_ids = [Command.set((cls.photo | cls.html_file).ids)]
        # Staff's internal note with a file: not the customer's to read.
        cls.internal_file = cls.env["ir.attachment"].create({
            "name": "margin.xlsx", "raw": b"PK internal", "res_model": "rma.request", "res_id": cls.own_request.id,
        })
        cls.own_request.message_post(body="Our margin", attachment_ids=cls.internal_file.ids,
                                     subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------ helpers

    def _get(self, url, **kw):
        return self.url_open(url, allow_redirects=False, **kw)

    def _new_request_form(self, order, quantities, reason="Leaks after a week", **extra):
        moves = order._rma_delivered_moves()
        data = {"csrf_token": http.Request.csrf_token(self), "order_id": order.id,
                "description": "Water on the floor", "client_reference": "PO-77", **extra}
        for move in moves:
            qty = quantities.get(move.product_id, 0)
            data.update({f"qty_{move.id}": qty, f"reason_{move.id}": reason if qty else "",
                         f"wish_{move.id}": "exchange"})
        return data

    def _post_new(self, data, photos=()):
        files = [("photos", (name, content, "image/jpeg")) for name, content in photos]
        return self.url_open("/my/returns/new", data=data, files=files or None, allow_redirects=False)

    def _portal_requests(self):
        return self.env["rma.request"].search([
            ("intake_channel", "=", "portal"), ("partner_id", "=", self.customer.id),
        ])

    def _in_page(self, message, body):
        """`message` (already in the user's language) is shown, escaped as QWeb does."""
        self.assertIn(str(escape(message)), body)

    # ------------------------------------------------------------------ record rules

    def test_record_rules_of_a_portal_user(self):
        Request = self.env["rma.request"].with_user(self.portal_user)
        self.assertIn(self.own_request, Request.search([]))
        self.assertNotIn(self.other_request, Request.search([]))
        Line = self.env["rma.request.line"].with_user(self.portal_user)
        self.assertEqual(Line.search([("request_id", "in", (self.own_request | self.other_request).ids)]),
                         self.own_request.line_ids)
        self.assertFalse(self.env["rma.request.state.log"].with_user(self.portal_user).has_access("read"))
        # The request's files are read through the request's page only (its rules or its token),
        # never directly (/web/content, JSON-RPC), not even by the customer.
        for user in (self.portal_user, self.other_portal_user):
            with self.assertRaises(AccessError):
                self.photo.with_user(user).check_access("read")
        # Only the portal writes where a request came from.
        with self.assertRaises(UserError):
            self.own_request.with_user(self.sales_rep).write({"intake_channel": "portal"})

    # ------------------------------------------------------------------ list and home

    def test_list_search_filter_and_home_count(self):
        self.authenticate("rma_portal", "rma_portal")
        body = self._get("/my/returns").text
        self.assertIn(self.own_request.name, body)
        self.assertNotIn(self.other_request.name, body)
        self.assertNotIn(self.own_request.name, self._get("/my/returns?filterby=closed").text)
        self.assertIn(self.own_request.name, self._get("/my/returns?filterby=open&sortby=name").text)
        found = self._get(f"/my/returns?search={self.own_request.name}&search_in=name").text
        self.assertIn(self.own_request.name, found)
        self.assertNotIn(self.own_request.name, self._get("/my/returns?search=nothing-like-it&search_in=all").text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["rma_request_count"]})
        self.assertEqual(counters["rma_request_count"], 1)
        self.assertIn("/my/returns", self._get("/my/home").text)

    def test_anonymous_visitor_is_sent_to_login(self):
        for url in ("/my/returns", f"/my/returns/{self.own_request.id}", "/my/returns/new"):
            with self.subTest(url=url):
                response = self._get(url)
                self.assertIn(response.status_code, (302, 303))
                self.assertIn("/web/login", response.headers["Location"])

    # ------------------------------------------------------------------ one request

    def test_detail_own_other_missing(self):
        self.authenticate("rma_portal", "rma_portal")
        response = self._get(f"/my/returns/{self.own_request.id}")
        self.assertEqual(response.status_code, 200)
        for marker in ("o_rma_step_submitted", "o_rma_step_approved", "o_rma_step_received", "o_rma_step_inspected",
                       "o_rma_step_closed", "o_rma_document_request_form", "o_portal_chatter", "o_rma_portal_line"):
            self.assertIn(marker, response.text)
        self.assertIn("Submitted", response.text)  # the customer's label, not "Draft"
        self.assertEqual(self._get(f"/my/returns/{self.other_request.id}").status_code, 403)
        self.assertEqual(self._get("/my/returns/999999999").status_code, 404)
        # Someone else's token does not open another request either.
        url = f"/my/returns/{self.other_request.id}?access_token={self.own_request.access_token}"
        self.assertEqual(self._get(url).status_code, 403)

    def test_timeline_of_an_approved_request(self):
        _order, approved = self._approved([(self.product, 1)])
        steps = {step["key"]: step for step in approved._portal_timeline()}
        self.assertTrue(steps["approved"]["done"])
        self.assertTrue(steps["approved"]["date"])
        self.assertTrue(steps["approved"]["address"], "the address to send the goods to")
        self.assertFalse(steps["received"]["done"])
        self.assertEqual(approved.portal_state, "send_goods")
        self.assertIn("Please send the goods back by", steps["approved"]["details"][0])
        # Settled by a discount instead: nothing is to be sent back any more.
        approved.with_user(self.supervisor)._settle_by_discount(100.0, "折让代替退货")
        steps = {step["key"]: step for step in approved._portal_timeline()}
        self.assertEqual((steps["approved"]["details"], steps["approved"].get("address")), ([], None))

    def test_token_access_without_login(self):
        token = self.own_request.access_token
        response = self._get(f"/my/returns/{self.own_request.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own_request.name, response.text)
        self.assertEqual(self._get(f"/my/returns/{self.own_request.id}?access_token=wrong").status_code, 403)
        self.assertEqual(self.own_request.get_portal_url(), f"/my/returns/{self.own_request.id}?access_token={token}")

    def test_request_form_download(self):
        url = self.own_request.get_portal_url(report_type="pdf", download=True)
        response = self._get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertEqual(self._get(f"/my/returns/{self.own_request.id}?report_type=pdf&document=nope&access_token="
                                   f"{self.own_request.access_token}").status_code, 404)
        self.authenticate("rma_portal_other", "rma_portal_other")
        self.assertEqual(self._get(f"/my/returns/{self.own_request.id}?report_type=pdf").status_code, 403)

    def test_files_through_the_request_only(self):
        token = self.own_request.access_token
        base = f"/my/returns/{self.own_request.id}/files"
        photo = self._get(f"{base}/{self.photo.id}?access_token={token}")
        self.assertEqual(photo.status_code, 200)
        self.assertEqual(photo.headers["Content-Type"], "image/png")
        self.assertEqual(photo.headers["X-Content-Type-Options"], "nosniff")
        html_file = self._get(f"{base}/{self.html_file.id}?access_token={token}")
        self.assertEqual(html_file.headers["Content-Type"], "application/octet-stream")
        self.assertTrue(html_file.headers["Content-Disposition"].startswith("attachment"))
        self.assertEqual(self._get(f"{base}/{self.internal_file.id}?access_token={token}").status_code, 404)
        # Another request's token, or an attachment that is not the request's.
        other = f"/my/returns/{self.other_request.id}/files/{self.photo.id}" \
            f"?access_token={self.other_request.access_token}"
        self.assertEqual(self._get(other).status_code, 404)
        self.assertEqual(self._get(f"{base}/{self.photo.id}?access_token=wrong").status_code, 403)
        self.authenticate("rma_portal_other", "rma_portal_other")
        self.assertEqual(self._get(f"{base}/{self.photo.id}").status_code, 403)
        # Not around the request either, not even for its own customer.
        self.authenticate("rma_portal", "rma_portal")
        self.assertIn(self._get(f"/web/content/{self.photo.id}").status_code, (403, 404))
        self.assertEqual(self._get(f"{base}/{self.photo.id}").status_code, 200)

    # ------------------------------------------------------------------ a new request

    def test_new_request_pages(self):
        self.authenticate("rma_portal", "rma_portal")
        picker = self._get("/my/returns/new").text
        self.assertIn(self.order.name, picker)
        self.assertNotIn(self.other_order.name, picker)
        form = self._get(f"/my/returns/new?order_id={self.order.id}").text
        self.assertIn("RMA Seal", form)
        self.assertIn("In warranty until", form)
        self.assertEqual(self._get(f"/my/returns/new?order_id={self.other_order.id}").status_code, 404)
        order_page = self._get(f"/my/orders/{self.order.id}").text
        self.assertIn(f"/my/returns/new?order_id={self.order.id}", order_page)

    def test_csrf_token_required(self):
        self.authenticate("rma_portal", "rma_portal")
        data = self._new_request_form(self.order, {self.product: 1})
        del data["csrf_token"]
        self.assertEqual(self._post_new(data).status_code, 400)
        self.assertFalse(self._portal_requests())

    def test_submit_a_request_with_photos(self):
        self.authenticate("rma_portal", "rma_portal")
        data = self._new_request_form(self.order, {self.product: 2, self.product_b: 3})
        response = self._post_new(data, photos=[("leak.jpg", png_bytes()), ("seal.png", png_bytes((4, 4)))])
        self.assertEqual(response.status_code, 303, response.text[:500])
        new = self._portal_requests()
        self.assertEqual(len(new), 1)
        self.assertIn(f"/my/returns/{new.id}", response.headers["Location"])
        self.assertEqual(new.partner_id, self.customer)
        self.assertEqual(new.contact_id, self.contact)
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.user_id, self.sales_rep)
        self.assertEqual(new.client_reference, "PO-77")
        self.assertEqual(sorted(new.line_ids.mapped("quantity")), [2, 3])
        self.assertEqual(set(new.line_ids.mapped("reason")), {"Leaks after a week"})
        self.assertEqual(set(new.line_ids.mapped("customer_wish")), {"exchange"})
        self.assertEqual(new.customer_wish, "exchange")
        self.assertEqual(new.line_ids.origin_move_id, self.order._rma_delivered_moves())
        self.assertEqual(len(new.photo_ids), 2)
        self.assertEqual(set(new.photo_ids.mapped("mimetype")), {"image/png"})
        self.assertEqual(set(new.photo_ids.mapped("res_model")), {"rma.request"})
        activity = new.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("rma_factory.mail_activity_portal_request"))
        self.assertEqual(activity.user_id, self.sales_rep)
        ack = self.env["mail.mail"].search([("model", "=", "rma.request"), ("res_id", "=", new.id)])
        self.assertTrue(ack.filtered(lambda m: self.contact in m.recipient_ids and new.name in m.subject))
        note = new.message_ids.filtered(lambda m: "on the customer portal" in m.body)
        self.assertEqual(note.author_id, self.contact)
        self.assertIn("<p>Water on the floor</p>", note.body)
        # The customer reads it on the portal at once.
        page = self._get(response.headers["Location"]).text
        self.assertIn("o_rma_portal_sent", page)
        self.assertIn("leak.jpg", page)
        # What was requested is no longer available for a second request.
        again = self._post_new(self._new_request_form(self.order, {self.product: 4}))
        self.assertEqual(again.status_code, 400)
        self.assertEqual(len(self._portal_requests()), 1)

    def test_submit_refuses_ids_and_quantities_not_the_customers(self):
        self.authenticate("rma_portal", "rma_portal")
        too_many = self._post_new(self._new_request_form(self.order, {self.product: 6}))
        self.assertEqual(too_many.status_code, 400)
        self.assertIn("at most 5", too_many.text)
        other = self._new_request_form(self.other_order, {self.product_b: 1})
        self.assertEqual(self._post_new(other).status_code, 404)
        # A move of someone else's delivery slipped into the own order's form is ignored.
        move = self.other_order._rma_delivered_moves()
        data = self._new_request_form(self.order, {})
        data.update({f"qty_{move.id}": 1, f"reason_{move.id}": "not mine"})
        self.assertEqual(self._post_new(data).status_code, 400)
        no_reason = self._new_request_form(self.order, {self.product: 1}, reason="")
        self.assertEqual(self._post_new(no_reason).status_code, 400)
        self.assertFalse(self._portal_requests())

    def test_uploads_refused(self):
        self.company.write({"rma_portal_photo_max_mb": 1, "rma_portal_photo_max_count": 2})
        self.portal_user.lang = "zh_CN"
        self.authenticate("rma_portal", "rma_portal")
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        cases = {
            "text": ([("notes.jpg", b"just some text, renamed")], zh._(
                "The file %(name)s is not a photo: only JPEG, PNG, GIF or WebP images can be attached.",
                name="notes.jpg")),
            "executable": ([("setup.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200)], zh._(
                "The file %(name)s is not a photo: only JPEG, PNG, GIF or WebP images can be attached.",
                name="setup.jpg")),
            "png header only": ([("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)], zh._(
                "The file %(name)s is not a photo: only JPEG, PNG, GIF or WebP images can be attached.",
                name="fake.png")),
            "too large": ([("big.png", png_bytes() + b"\x00" * (1024 * 1024 + 10))], zh._(
                "The photo %(name)s is too large (%(size)s MB): each photo may be at most %(max)s MB.",
                name="big.png", size="1.0", max=1)),
            "too many": ([(f"p{i}.png", png_bytes()) for i in range(3)], zh._(
                "Too many photos: at most %(max)s photos can be attached to a request (you sent %(count)s).",
                max=2, count=3)),
        }
        for case, (photos, message) in cases.items():
            with self.subTest(case=case):
                response = self._post_new(self._new_request_form(self.order, {self.product: 1}), photos=photos)
                self.assertEqual(response.status_code, 400)
                self._in_page(message, response.text)
                if re.search("[\u4e00-\u9fff]", message) is None:
                    # The zh_CN translation of the message comes with the branch's translations.
                    continue
                self.assertRegex(response.text, "o_rma_portal_error[^>]*>[^<]*[\u4e00-\u9fff]")
        self.assertFalse(self._portal_requests())

    # ------------------------------------------------------------------ JSON-RPC and chatter

    def test_portal_user_writes_nothing_over_jsonrpc(self):
        request = self.own_request
        before = (request.client_reference, request.state)
        for method, args in (
            ("write", [[request.id], {"client_reference": "changed"}]),
            ("write", [[request.id], {"state": "done"}]),
            ("create", [{"partner_id": self.customer.id}]),
            ("unlink", [[request.id]]),
            ("action_submit", [[request.id]]),
        ):
            with self.subTest(method=method):
                _result, error = self._call("rma_portal", "rma.request", method, args)
                self.assertTrue(error, f"{method} refused")
                self.assertRegex(error, "AccessError|UserError")
        _result, error = self._call("rma_portal", "rma.request.line", "write",
                                    [request.line_ids.ids, {"quantity": 1}])
        self.assertRegex(error, "AccessError")
        result, error = self._call("rma_portal", "rma.request", "read", [[self.other_request.id], ["name"]])
        self.assertRegex(error or "", "AccessError")
        self.env.invalidate_all()
        self.assertEqual((request.client_reference, request.state), before)

    def test_customer_message_lands_in_the_chatter_and_notifies_the_rep(self):
        request = self.own_request
        request.message_subscribe(partner_ids=self.sales_rep.partner_id.ids)
        self.authenticate("rma_portal", "rma_portal")
        result = self.make_jsonrpc_request("/mail/message/post", {
            "thread_model": "rma.request", "thread_id": request.id,
            "post_data": {"body": "When will you collect the pump?", "message_type": "comment",
                          "subtype_xmlid": "mail.mt_comment"},
            "token": request.access_token,
        })
        message = self.env["mail.message"].browse(result["message_id"])
        self.assertEqual(message.model, "rma.request")
        self.assertEqual(message.res_id, request.id)
        self.assertEqual(message.author_id, self.contact)
        self.assertIn(self.sales_rep.partner_id, message.notification_ids.res_partner_id)
        # Not on someone else's request.
        with self.assertRaises(Exception):  # noqa: B017 - NotFound over JSON-RPC
            self.make_jsonrpc_request("/mail/message/post", {
                "thread_model": "rma.request", "thread_id": self.other_request.id,
                "post_data": {"body": "hi", "message_type": "comment"},
            })

    # ------------------------------------------------------------------ in the browser

    def test_tour_customer_sends_a_request_with_a_photo(self):
        self.start_tour("/my/returns", "rma_factory_portal_request", login="rma_portal")
        new = self._portal_requests()
        self.assertEqual(len(new), 1)
        self.assertEqual(new.line_ids.quantity, 1)
        self.assertEqual(new.line_ids.reason, "运行一周后漏水")
        self.assertEqual(new.photo_ids.mapped("name"), ["leak.png"])
        self.assertEqual(new.photo_ids.mimetype, "image/png")
