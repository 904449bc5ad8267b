from odoo import api, models
from odoo.tools import html2plaintext


class RmaRequest(models.Model):
    """Intake from an incoming e-mail alias (R-12): a draft with the mail body and attachments."""

    _inherit = "rma.request"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        partner = self._partner_from_email(msg_dict.get("email_from"), values.get("company_id"))
        body = msg_dict.get("body") or ""
        values.setdefault("description", body)
        values.setdefault("client_reference", (msg_dict.get("subject") or "")[:120] or False)
        values.setdefault("request_type", "usage_failure")
        values.setdefault("remarks", html2plaintext(body)[:2000] if body else False)
        if partner:
            values["partner_id"] = partner.commercial_partner_id.id
            if partner.parent_id:
                values["contact_id"] = partner.id
            salesperson = partner.commercial_partner_id.user_id
            if salesperson and not salesperson.share:
                values.setdefault("user_id", salesperson.id)
        else:
            # partner_id is required: an unknown sender becomes a new contact to be completed by sales.
            name, email = self.env["res.partner"]._parse_partner_name(msg_dict.get("email_from") or "")
            values["partner_id"] = self.env["res.partner"].create(
                {"name": name or email or self.env._("Unknown sender"), "email": email}
            ).id
        request = super().message_new(msg_dict, custom_values=values)
        request._message_subscribe_sender_partner()
        return request

    def _partner_from_email(self, email_from, company_id=None):
        if not email_from:
            return self.env["res.partner"]
        partners = self._mail_find_partner_from_emails([email_from], force_create=False)
        return partners[0] if partners and partners[0] else self.env["res.partner"]

    def _message_subscribe_sender_partner(self):
        for request in self:
            contact = request.contact_id or request.partner_id
            if contact.email:
                request.message_subscribe(partner_ids=contact.ids)
