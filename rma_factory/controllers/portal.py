"""The customer's return requests on the portal (R-12, #14): /my/returns, one request, its files,
and a new request. Access: the record rules of base.group_portal (the customer's commercial
partner) or the request's access token; every id of a form is checked against the customer's own
records by the model (``rma.request._portal_create_request``)."""
from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.fields import Domain
from odoo.http import content_disposition, request

from ..models.rma_request import CUSTOMER_WISHES
from ..models.rma_request_portal import PHOTO_MIMETYPES, PORTAL_FILTER_STATES


class RmaCustomerPortal(CustomerPortal):
    _rma_items_per_page = 20

    # ------------------------------------------------------------------ /my home and list

    def _rma_requests_domain(self):
        partner = request.env.user.partner_id
        return Domain("commercial_partner_id", "=", partner.commercial_partner_id.id)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "rma_request_count" in counters:
            Request = request.env["rma.request"]
            values["rma_request_count"] = Request.search_count(self._rma_requests_domain()) \
                if Request.has_access("read") else 0
        return values

    def _rma_searchbar_sortings(self):
        env = request.env
        return {
            "date": {"label": env._("Newest"), "order": "request_date desc, id desc"},
            "name": {"label": env._("Number"), "order": "name desc"},
            "state": {"label": env._("Status"), "order": "state, request_date desc"},
        }

    def _rma_searchbar_filters(self):
        env = request.env
        labels = {
            "all": env._("All"), "open": env._("In progress"), "send_goods": env._("Goods to send back"),
            "closed": env._("Closed"), "cancelled": env._("Cancelled or not accepted"),
        }
        filters = {"all": {"label": labels["all"], "domain": Domain.TRUE}}
        for key, states in PORTAL_FILTER_STATES.items():
            filters[key] = {"label": labels[key], "domain": Domain("state", "in", states)}
        return filters

    def _rma_searchbar_inputs(self):
        env = request.env
        return {
            "all": {"input": "all", "label": env._("Search in All")},
            "name": {"input": "name", "label": env._("Search in Number")},
            "product": {"input": "product", "label": env._("Search in Products")},
            "reference": {"input": "reference", "label": env._("Search in Your Reference")},
        }

    @staticmethod
    def _rma_search_domain(search_in, search):
        terms = {
            "name": Domain("name", "ilike", search),
            "product": Domain("line_ids.product_id", "ilike", search),
            "reference": Domain("client_reference", "ilike", search),
        }
        if search_in in terms:
            return terms[search_in]
        return Domain.OR(terms.values())

    @http.route(["/my/returns", "/my/returns/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_returns(self, page=1, sortby=None, filterby=None, search=None, search_in="all", **kw):
        Request = request.env["rma.request"]
        sortings = self._rma_searchbar_sortings()
        filters = self._rma_searchbar_filters()
        inputs = self._rma_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        domain = self._rma_requests_domain() & filters[filterby]["domain"]
        if search:
            domain &= self._rma_search_domain(search_in, search)
        pager = portal_pager(
            url="/my/returns", total=Request.search_count(domain), page=page, step=self._rma_items_per_page,
            url_args={"sortby": sortby, "filterby": filterby, "search": search, "search_in": search_in},
        )
        requests = Request.search(domain, order=sortings[sortby]["order"], limit=self._rma_items_per_page,
                                  offset=pager["offset"])
        request.session["my_rma_requests_history"] = requests.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update({
            "rma_requests": requests.sudo(), "page_name": "rma_request", "pager": pager,
            "default_url": "/my/returns", "searchbar_sortings": sortings, "sortby": sortby,
            "searchbar_filters": filters, "filterby": filterby, "searchbar_inputs": inputs,
            "search_in": search_in, "search": search,
        })
        return request.render("rma_factory.portal_my_rma_requests", values)

    # ------------------------------------------------------------------ one request

    def _rma_check_access(self, request_id, access_token=None):
        """The request, sudo, if the user may read it or the token is its own; else 404 (no such
        request), 403 (someone else's), or the login page for a visitor without a token."""
        try:
            return self._document_check_access("rma.request", request_id, access_token=access_token)
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            if request.env.user._is_public() and not access_token:
                raise _LoginRequired(f"/my/returns/{request_id}") from error
            raise Forbidden() from error

    @http.route(["/my/returns/<int:request_id>"], type="http", auth="public", website=True)
    def portal_my_return(self, request_id, access_token=None, report_type=None, download=False,
                         document="request_form", **kw):
        try:
            request_sudo = self._rma_check_access(request_id, access_token)
        except _LoginRequired as login:
            return request.redirect(login.url)
        redirect = self._rma_customer_language_redirect(request_sudo)
        if redirect:
            return redirect
        if report_type in ("html", "pdf", "text"):
            report_ref = request_sudo._portal_report_ref(document)
            if not report_ref:
                raise NotFound()
            # Printed for the customer: what only staff may read (the assessments) stays out.
            request.update_context(rma_portal_report=True)
            return self._show_report(model=request_sudo, report_type=report_type, report_ref=report_ref,
                                     download=download)
        values = self._prepare_portal_layout_values()
        values.update({
            "rma_request": request_sudo,
            "page_name": "rma_request",
            "timeline": request_sudo._portal_timeline(),
            "documents": request_sudo._portal_documents(),
            "photos": request_sudo._portal_photos(),
            "message": kw.get("message"),
            "answer_message": kw.get("answer"),
            "answer_error": kw.get("answer_error"),
        })
        values = self._get_page_view_values(request_sudo, access_token, values, "my_rma_requests_history", False)
        # The chatter posts with the request's token: a logged-in customer who reads the request
        # (record rules) writes nothing on it but their messages.
        values["token"] = request_sudo._portal_ensure_token()
        return request.render("rma_factory.portal_my_rma_request", values)

    def _rma_customer_language_redirect(self, request_sudo):
        """A visitor who opens the e-mailed link (no account, no language chosen in the URL)
        reads the page in the customer's language, as the e-mail was written: a customer of a
        Chinese factory reads Chinese even where the company's default language is English."""
        if not request.env.user._is_public() or request.httprequest.method != "GET" or \
                request.cookies.get("frontend_lang"):
            return None  # logged in (their own language), or the visitor already has a language
        code = (request_sudo.contact_id or request_sudo.partner_id).lang
        if not code or code == request.lang.code or code not in request.env["res.lang"]._get_frontend():
            return None
        # A language in the URL (/en/my/returns/...) was the visitor's choice: it set the cookie.
        path = request.httprequest.path
        lang = request.env["res.lang"]._get_data(code=code)
        query = request.httprequest.query_string.decode()
        return request.redirect(f"/{lang.url_code}{path}" + (f"?{query}" if query else ""))

    @http.route(["/my/returns/<int:request_id>/report/answer"], type="http", auth="public", methods=["POST"],
                website=True)
    def portal_my_return_answer(self, request_id, access_token=None, report_id=None, answer=None, comment=None,
                                **kw):
        """The customer's answer to the current RMA report (R-70): logged in, or through the
        e-mailed link (its token) without logging in. Staff record an answer in the back end."""
        try:
            request_sudo = self._rma_check_access(request_id, access_token)
        except _LoginRequired as login:
            return request.redirect(login.url)
        user = request.env.user
        if not user._is_public() and not user.share:
            raise Forbidden()
        report = request_sudo.customer_report_id
        if not report or str(report.id) != str(report_id):
            raise NotFound()
        # Who answers: the logged-in customer, else (the e-mailed link) the request's contact.
        partner = user.partner_id
        if user._is_public() or partner.commercial_partner_id != request_sudo.commercial_partner_id:
            partner = request_sudo.contact_id or request_sudo.partner_id
        try:
            if answer not in ("accept", "disagree"):
                raise UserError(request.env._("Please choose whether you accept the corrective action or disagree."))
            # A refusal (or a failure after the answer was written) leaves nothing half-written.
            with request.env.cr.savepoint():
                report._customer_answer(partner, answer == "accept", comment)
        except UserError as error:
            return self.portal_my_return(request_id, access_token=access_token, answer_error=str(error))
        query = urlencode({"access_token": request_sudo.access_token,
                           "answer": "accepted" if answer == "accept" else "disagreed"})
        return request.redirect(f"{request_sudo.access_url}?{query}#rma_report")

    @http.route(["/my/returns/<int:request_id>/files/<int:attachment_id>"], type="http", auth="public")
    def portal_my_return_file(self, request_id, attachment_id, access_token=None, download=False, **kw):
        """A photo or file of the request, only through the request (its rules or its token); an
        image is shown as what its content is, anything else is downloaded as plain bytes."""
        try:
            request_sudo = self._rma_check_access(request_id, access_token)
        except _LoginRequired as login:
            return request.redirect(login.url)
        attachment = request_sudo._portal_files().filtered(lambda a: a.id == attachment_id)
        if not attachment:
            raise NotFound()
        data = attachment.raw or b""
        # Only what we made is served as a PDF; anything uploaded that is not an image, as bytes.
        reports = request_sudo._portal_customer_reports()
        served_types = PHOTO_MIMETYPES.keys() | (
            {"application/pdf"} if attachment in reports.pdf_id | reports.accepted_pdf_id else set())
        mimetype = attachment.mimetype if attachment.mimetype in served_types else "application/octet-stream"
        disposition = "attachment" if download or mimetype == "application/octet-stream" else "inline"
        return request.make_response(data, headers=[
            ("Content-Type", mimetype),
            ("Content-Length", str(len(data))),
            ("Content-Disposition", content_disposition(attachment.name, disposition_type=disposition)),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", "default-src 'none'"),
        ])

    # ------------------------------------------------------------------ a new request

    def _rma_new_values(self, order_id=None, error=None, form=None):
        partner = request.env.user.partner_id
        Request = request.env["rma.request"]
        orders = Request._portal_delivered_orders(partner)
        order = orders.filtered(lambda o: o.id == order_id)[:1] if order_id else orders.browse()
        values = self._prepare_portal_layout_values()
        company = order.company_id or request.env.company
        values.update({
            "page_name": "rma_request_new",
            "orders": orders,
            "order": order,
            "returnable": Request._portal_returnable_moves(order) if order else [],
            "wishes": CUSTOMER_WISHES,
            "wish_labels": dict(Request._fields["customer_wish"]._description_selection(request.env)),
            "partner": partner,
            "address": partner._display_address(without_company=True).replace("\n", " "),
            "max_photos": company.rma_portal_photo_max_count,
            "max_photo_mb": company.rma_portal_photo_max_mb,
            "error": error,
            "form": form or {},
        })
        return values

    @http.route(["/my/returns/new"], type="http", auth="user", methods=["GET"], website=True)
    def portal_my_return_new(self, order_id=None, **kw):
        order_id = int(order_id) if order_id and str(order_id).isdigit() else None
        values = self._rma_new_values(order_id)
        if order_id and not values["order"]:
            raise NotFound()
        return request.render("rma_factory.portal_my_rma_request_new", values)

    @http.route(["/my/returns/new"], type="http", auth="user", methods=["POST"], website=True)
    def portal_my_return_create(self, order_id=None, **post):
        order_id = int(order_id) if order_id and str(order_id).isdigit() else None
        values = self._rma_new_values(order_id)
        order = values["order"]
        if not order:
            raise NotFound()
        lines = []
        try:
            for move, _available, _end, _in_warranty in values["returnable"]:
                lines.append({
                    "move_id": move.id,
                    "quantity": self._rma_float(post.get(f"qty_{move.id}")),
                    "reason": post.get(f"reason_{move.id}") or "",
                    "wish": post.get(f"wish_{move.id}"),
                    "lot_id": int(post[f"lot_{move.id}"]) if (post.get(f"lot_{move.id}") or "").isdigit() else False,
                })
            photos = [(upload.filename or "photo", upload.read())
                      for upload in request.httprequest.files.getlist("photos") if upload.filename]
            new_request = request.env["rma.request"]._portal_create_request(
                request.env.user.partner_id, order, lines,
                {key: post.get(key) for key in ("contact_phone", "contact_address", "client_reference", "description")},
                photos,
            )
        except UserError as error:
            values = self._rma_new_values(order_id, error=str(error), form=post)
            return request.render("rma_factory.portal_my_rma_request_new", values, status=400)
        return request.redirect(f"{new_request.access_url}?{urlencode({'message': 'sent'})}")

    @staticmethod
    def _rma_float(value):
        try:
            return float(value or 0)
        except ValueError as error:
            raise UserError(request.env._("Please enter the quantities as numbers.")) from error


class _LoginRequired(Exception):
    """A visitor without a token: the request's page asks them to log in first."""

    def __init__(self, path):
        super().__init__(path)
        self.url = f"/web/login?{urlencode({'redirect': path})}"
