"""The customer's side of a request (R-12, R-01, #14): the portal document (portal.mixin), what the
customer sees of its progress, and the request a customer sends from the portal.

The controller (``controllers/portal.py``) only parses the form: every id it got is checked here
against the customer's own deliveries before anything is created, as the process (sudo)."""
import io
import uuid

from dateutil.relativedelta import relativedelta
from PIL import Image

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_date, plaintext2html
from odoo.tools.mimetypes import guess_mimetype

from .rma_request import CUSTOMER_WISHES

# Internal states as the customer understands them: the approval chain, the quarantine and the
# internal verification steps are one step each for them.
PORTAL_STATES = [
    ("submitted", "Submitted"),
    ("review", "Under Review"),
    ("not_accepted", "Not Accepted"),
    ("send_goods", "Approved: Send the Goods"),
    ("partly_received", "Goods Partly Received"),
    ("inspection", "Under Inspection"),
    ("processing", "Being Processed"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
PORTAL_STATE_OF = {
    "draft": "submitted",
    "to_approve": "review",
    "rejected": "not_accepted",
    "approved": "send_goods",
    "partially_received": "partly_received",
    "received": "inspection",
    "inspected": "processing",
    "processing": "processing",
    "verified": "processing",
    "gm_approved": "processing",
    "done": "closed",
    "cancel": "cancelled",
}
# The state filters of /my/returns: internal states behind each.
PORTAL_FILTER_STATES = {
    "open": ("draft", "to_approve", "approved", "partially_received", "received", "inspected", "processing",
             "verified", "gm_approved"),
    "send_goods": ("approved", "partially_received"),
    "closed": ("done",),
    "cancelled": ("rejected", "cancel"),
}
# What a photo may be: checked on the content (the name proves nothing).
PHOTO_MIMETYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}


class RmaRequest(models.Model):
    """The request as a portal document: its link, its customer-facing state and timeline, its
    documents, and the request a customer sends themselves."""

    _inherit = "rma.request"
    _rma_process_fields = ("intake_channel",)

    intake_channel = fields.Selection(
        [("internal", "Sales"), ("mail", "E-mail"), ("portal", "Customer Portal")],
        string="Received Through", default="internal", readonly=True, copy=False, index=True,
        help="How the request reached us: entered by sales, from an e-mail, or sent by the customer "
        "on the portal.",
    )
    portal_state = fields.Selection(PORTAL_STATES, string="Status", compute="_compute_portal_state")
    # The portal link's token exists from the start: the first notification with a link (at submit)
    # then writes nothing more on the request.
    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))

    @api.depends("state")
    def _compute_portal_state(self):
        for request in self:
            request.portal_state = PORTAL_STATE_OF.get(request.state, "submitted")

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/returns/{request.id}"
        return result

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Return Request %(number)s", number=self.name)

    # The mail gateway's entry, never a client's: it records the intake channel and mails the
    # customer as if an e-mail had come in.
    @api.private
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        request = super().message_new(msg_dict, custom_values=custom_values)
        request._rma_process().write({"intake_channel": "mail"})
        return request

    # ------------------------------------------------------------------ what the customer sees

    def _portal_timeline(self):
        """The stages as the customer follows them: [{key, label, date, done, details, address}].
        Dates come from the request's own records and its stage log (read as the process: the
        customer does not read the log itself)."""
        self.ensure_one()
        request = self.sudo()
        entered = {}
        for log in request.env["rma.request.state.log"].search([("request_id", "=", request.id)],
                                                              order="date_start, id"):
            entered.setdefault(log.state, log.date_start)
        state = request.state
        reached = {step: state in states for step, states in {
            "approved": ("approved", "partially_received", "received", "inspected", "processing", "verified",
                         "gm_approved", "done"),
            "received": ("partially_received", "received", "inspected", "processing", "verified", "gm_approved",
                         "done"),
            "inspected": ("inspected", "processing", "verified", "gm_approved", "done"),
        }.items()}
        if request.outcome in ("discount", "withdrawn"):
            reached = dict.fromkeys(reached, False) | {"approved": bool(request.approved_date)}
        submitted = request.create_date if request.intake_channel == "portal" else \
            (entered.get("to_approve") or request.submitted_date or request.create_date)
        steps = [{"key": "submitted", "label": self.env._("Submitted"), "date": submitted, "done": True,
                  "details": []}]
        if state == "rejected":
            steps.append({"key": "not_accepted", "label": self.env._("Not accepted"),
                          "date": entered.get("rejected"), "done": True,
                          "details": [request.rejection_reason] if request.rejection_reason else []})
        else:
            approved = {"key": "approved", "label": self.env._("Approved"),
                        "date": entered.get("approved") or request.approved_date,
                        "done": reached["approved"], "details": []}
            # Only while the goods are expected: not once cancelled or settled without a return.
            if reached["approved"] and not reached["received"] and state in ("approved", "partially_received"):
                if request.return_deadline:
                    approved["details"].append(self.env._(
                        "Please send the goods back by %(deadline)s.",
                        deadline=format_date(self.env, request.return_deadline),
                    ))
                approved["address"] = request._rma_return_address()
            steps.append(approved)
        received_lines = request.line_ids.filtered("qty_received")
        steps.append({
            "key": "received", "label": self.env._("Goods received"),
            "date": entered.get("partially_received") or entered.get("received"), "done": reached["received"],
            "details": [self.env._("%(product)s: %(received)s of %(requested)s %(uom)s received",
                                   product=line.product_id.display_name, received=f"{line.qty_received:g}",
                                   requested=f"{line.quantity:g}", uom=line.uom_id.name)
                        for line in received_lines],
        })
        steps.append({"key": "inspected", "label": self.env._("Inspected"), "date": entered.get("inspected"),
                      "done": reached["inspected"], "details": []})
        steps += request._portal_timeline_answer_steps()
        if state == "cancel":
            steps.append({"key": "cancelled", "label": self.env._("Cancelled"), "date": entered.get("cancel"),
                          "done": True, "details": []})
        else:
            steps.append({"key": "closed", "label": self.env._("Closed"),
                          "date": entered.get("done") or request.closed_date,
                          "done": state == "done", "details": []})
        return steps

    def _portal_timeline_answer_steps(self):
        """Steps between the inspection and the closing: the RMA report and the customer's answer
        (R-70) add theirs here."""
        return []

    def _portal_documents(self):
        """What the customer downloads from the request's page: [{key, name, url}]. The request
        form always; the RMA report (R-70) extends this list."""
        self.ensure_one()
        return [{
            "key": "request_form",
            "name": self.env._("Return request form (PDF)"),
            "url": self.get_portal_url(report_type="pdf", download=True),
        }]

    def _portal_report_ref(self, document_key):
        """The report action of a document of `_portal_documents`, by its key."""
        return {"request_form": "rma_factory.action_report_rma_request_form"}.get(document_key)

    def _portal_files(self):
        """Every file the customer may download through the request's link: the photos and
        what the stages add (the RMA reports' PDFs)."""
        return self._portal_photos()

    def _portal_photos(self):
        """The photos and files of the request the customer may download (through the request's
        own link): the photos and the attachments of its public messages."""
        self.ensure_one()
        request = self.sudo()
        # What the portal chatter shows the customer too: no internal note, no log.
        messages = request.message_ids.filtered(
            lambda m: m.message_type in ("comment", "email") and not m.is_internal and not m.subtype_id.internal
        )
        return (request.photo_ids | messages.attachment_ids).filtered(lambda a: a.type == "binary")

    # ------------------------------------------------------------------ a request from the portal

    @api.model
    def _portal_delivered_orders(self, partner):
        """The confirmed orders of `partner`'s commercial entity with goods delivered."""
        orders = self.env["sale.order"].sudo().search([
            ("partner_id", "child_of", partner.commercial_partner_id.id), ("state", "=", "sale"),
        ], order="date_order desc, id desc")
        return orders.filtered("rma_can_request")

    @api.model
    def _portal_returnable_moves(self, order):
        """[(move, available quantity, warranty end, in warranty)] for what `order` delivered that
        can still be requested (delivered minus returned and minus other requests)."""
        Line = self.env["rma.request.line"].sudo()
        moves = order.sudo()._rma_delivered_moves()
        available = Line._available_quantities(moves)
        # A draft holds no quantity for sales (they submit it when ready), but what the customer
        # already sent from the portal is asked for: the customer can't send it twice.
        sent = {move.id: quantity for move, quantity in Line._read_group(
            [("origin_move_id", "in", moves.ids), ("request_id.state", "=", "draft"),
             ("request_id.intake_channel", "=", "portal")],
            ["origin_move_id"], ["quantity:sum"],
        )}
        today = fields.Date.context_today(self)
        result = []
        for move in moves:
            quantity = available[move.id] - sent.get(move.id, 0.0)
            if float_compare(quantity, 0, precision_rounding=move.product_uom.rounding) <= 0:
                continue
            months = move.product_id.product_tmpl_id.rma_effective_warranty_months
            end = move.date.date() + relativedelta(months=months) if months and move.date else False
            result.append((move, quantity, end, bool(end and today <= end)))
        return result

    @api.model
    def _portal_check_photos(self, company, files):
        """`files`: [(file name, content)]. Refuse anything but images within the company's size
        and count limits; return [(file name, content, mimetype)]."""
        files = [(name, data) for name, data in files if data]
        max_count = company.rma_portal_photo_max_count
        max_bytes = company.rma_portal_photo_max_mb * 1024 * 1024
        if len(files) > max_count:
            raise UserError(self.env._(
                "Too many photos: at most %(max)s photos can be attached to a request (you sent %(count)s).",
                max=max_count, count=len(files),
            ))
        checked = []
        for name, data in files:
            if len(data) > max_bytes:
                raise UserError(self.env._(
                    "The photo %(name)s is too large (%(size)s MB): each photo may be at most %(max)s MB.",
                    name=name, size=f"{len(data) / 1024 / 1024:.1f}", max=company.rma_portal_photo_max_mb,
                ))
            mimetype = guess_mimetype(data, default="application/octet-stream")
            if mimetype not in PHOTO_MIMETYPES or not self._portal_is_image(data, PHOTO_MIMETYPES[mimetype]):
                raise UserError(self.env._(
                    "The file %(name)s is not a photo: only JPEG, PNG, GIF or WebP images can be attached.",
                    name=name,
                ))
            checked.append((name, data, mimetype))
        return checked

    @staticmethod
    def _portal_is_image(data, image_format):
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.format != image_format:
                    return False
                image.verify()
        except Exception:  # Pillow raises many kinds of errors on a bad file
            return False
        return True

    @api.model
    def _portal_create_request(self, partner, order, lines, values, photos):
        """Create the request a customer (`partner`, a portal user's partner) sends for `order`.

        `lines`: [{"move_id", "quantity", "reason", "wish", "lot_id"}] as the form sent them (ids
        not trusted: each is checked against the order's own deliveries to the customer);
        `values`: contact_phone, contact_address, client_reference, description (text);
        `photos`: [(file name, content)]. Created as the process for the customer's sales rep, who
        gets an activity; the customer gets the acknowledgement e-mail."""
        commercial = partner.commercial_partner_id
        order = order.sudo()
        if not order.exists() or order.partner_id.commercial_partner_id != commercial or order.state != "sale":
            raise UserError(self.env._("This order is not one of yours."))
        returnable = {move.id: (move, quantity) for move, quantity, _end, _ok in self._portal_returnable_moves(order)}
        line_values = []
        for line in lines:
            move_id, quantity = line.get("move_id"), line.get("quantity") or 0.0
            if not quantity:
                continue
            if move_id not in returnable:
                raise UserError(self.env._("This product was not delivered to you on %(order)s.", order=order.name))
            move, available = returnable[move_id]
            if quantity < 0 or float_compare(quantity, available, precision_rounding=move.product_uom.rounding) > 0:
                raise UserError(self.env._(
                    "%(product)s: you can return at most %(available)s %(uom)s.",
                    product=move.product_id.display_name, available=f"{available:g}", uom=move.product_uom.name,
                ))
            lots = move.move_line_ids.lot_id
            lot_id = line.get("lot_id")
            lot = lots.filtered(lambda lot, lot_id=lot_id: lot.id == lot_id)
            if lot_id and not lot:
                raise UserError(self.env._(
                    "%(product)s: this lot was not delivered to you.", product=move.product_id.display_name,
                ))
            if not (line.get("reason") or "").strip():
                raise UserError(self.env._(
                    "%(product)s: please tell us why you return it.", product=move.product_id.display_name,
                ))
            wish = line.get("wish") if line.get("wish") in dict(CUSTOMER_WISHES) else "return"
            line_values.append({
                "origin_move_id": move.id, "quantity": quantity, "reason": line["reason"].strip()[:2000],
                "lot_id": (lot or (lots if len(lots) == 1 else lots.browse()))[:1].id or False,
                "customer_wish": wish,
            })
        if not line_values:
            raise UserError(self.env._("Choose at least one product and the quantity to return."))
        checked_photos = self._portal_check_photos(order.company_id, photos)
        rep = next((user for user in (order.user_id, commercial.user_id, order.team_id.user_id)
                    if user and not user.share and user.active), self.env.ref("base.user_admin"))
        wishes = [vals["customer_wish"] for vals in line_values]
        description = (values.get("description") or "").strip()[:5000]
        request_values = {
            "partner_id": commercial.id,
            "contact_id": partner.id if partner.parent_id else False,
            "company_id": order.company_id.id,
            "user_id": rep.id,
            "team_id": order.team_id.id or rep.sale_team_id.id,
            "customer_wish": max(set(wishes), key=wishes.count),
            "request_type": "usage_failure",
            "client_reference": (values.get("client_reference") or "").strip()[:60] or False,
            "description": plaintext2html(description) if description else False,
            "line_ids": [fields.Command.create(vals) for vals in line_values],
            "intake_channel": "portal",
        }
        for key, size in (("contact_phone", 40), ("contact_address", 200)):
            if (values.get(key) or "").strip():
                request_values[key] = values[key].strip()[:size]
        request = self.sudo().with_company(order.company_id)._rma_process().with_context(
            mail_create_nolog=True).create(request_values)
        if checked_photos:
            attachments = self.env["ir.attachment"].sudo().create([{
                "name": name, "raw": data, "mimetype": mimetype,
                "res_model": "rma.request", "res_id": request.id,
            } for name, data, mimetype in checked_photos])
            request.photo_ids = [fields.Command.link(attachment.id) for attachment in attachments]
        request.message_subscribe(partner_ids=(partner | rep.partner_id).ids)
        request.message_post(
            body=plaintext2html(self.env._("Sent by %(customer)s on the customer portal.", customer=partner.name))
            + (plaintext2html(description) if description else ""),
            author_id=partner.id, message_type="comment", subtype_xmlid="mail.mt_note",
            attachment_ids=request.photo_ids.ids,
        )
        request.activity_schedule(
            "rma_factory.mail_activity_portal_request", user_id=rep.id,
            summary=self.env._("Return request from the portal: check it and submit it"),
        )
        request._on_received_from_customer()
        return request


class RmaRequestLine(models.Model):
    _inherit = "rma.request.line"

    customer_wish = fields.Selection(CUSTOMER_WISHES, string="Customer's Wish",
                                     help="What the customer asks for this product (their portal request).")
