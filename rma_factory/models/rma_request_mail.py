from odoo import api, models
from odoo.tools import html2plaintext, html_escape

# The e-mail the customer gets when the request moves along a transition.
CUSTOMER_MAIL_TEMPLATES = {
    "submit": "rma_factory.mail_template_rma_submitted",
    "approve": "rma_factory.mail_template_rma_approved",
    "reject": "rma_factory.mail_template_rma_rejected",
}


class RmaRequest(models.Model):
    """Intake from an incoming e-mail alias (R-12): a draft with the mail body and attachments; and
    the e-mails that keep the customer informed (R-15, R-20)."""

    _inherit = "rma.request"

    # The mail gateway's entry, never a client's: it records the intake channel and mails the
    # customer as if an e-mail had come in.
    @api.private
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        # An unknown sender becomes a new contact, for sales to complete (partner_id is required).
        partner = self._partner_from_email(msg_dict.get("email_from"))
        body = msg_dict.get("body") or ""
        subject = (msg_dict.get("subject") or "").strip()
        # The request gets its number from the sequence (mail.thread would name it after the
        # subject, and a second mail with the same subject would be lost on the number's
        # uniqueness); the subject opens the description.
        values["name"] = self.env._("New")
        values.setdefault("description", (f"<p><b>{html_escape(subject)}</b></p>" if subject else "") + body)
        values.setdefault("client_reference", subject[:60] or False)
        values.setdefault("request_type", "usage_failure")
        values.setdefault("remarks", html2plaintext(body)[:2000] if body else False)
        values["partner_id"] = partner.commercial_partner_id.id
        if partner.parent_id:
            values["contact_id"] = partner.id
        salesperson = partner.commercial_partner_id.user_id
        if salesperson and not salesperson.share:
            values.setdefault("user_id", salesperson.id)
        request = super().message_new(msg_dict, custom_values=values)
        request._message_subscribe_sender_partner()
        # The sender hears at once that the mail is registered, and under which number.
        request._mail_customer("rma_factory.mail_template_rma_mail_received")
        return request

    def _partner_from_email(self, email_from):
        partners = self._mail_find_partner_from_emails([email_from or ""], force_create=True)
        partner = partners[0] if partners and partners[0] else self.env["res.partner"]
        if not partner:
            partner = self.env["res.partner"].create({"name": email_from or self.env._("Unknown sender")})
        return partner

    def _message_subscribe_sender_partner(self):
        for request in self:
            contact = request.contact_id or request.partner_id
            if contact.email:
                request.message_subscribe(partner_ids=contact.ids)

    # ------------------------------------------------------------------ the customer is told

    def _on_transition_done(self, name):
        result = super()._on_transition_done(name)
        template = CUSTOMER_MAIL_TEMPLATES.get(name)
        if template:
            self._mail_customer(template)
        return result

    def _on_received_from_customer(self):
        result = super()._on_received_from_customer()
        # The customer hears at once that the request arrived, and under which number.
        self._mail_customer("rma_factory.mail_template_rma_submitted")
        return result

    def _mail_customer(self, template_xmlid):
        """Queue the template's e-mail to the customer contact, in the contact's language."""
        # The cached id (env.ref would check the template still exists, a query per e-mail): a
        # deleted template has lost its XML id too.
        template = self.env["mail.template"].browse(self.env["ir.model.data"]._xmlid_to_res_id(template_xmlid))
        if not template:
            return
        for request in self.filtered(lambda r: (r.contact_id or r.partner_id).email):
            # sudo: the rep, the approver or the warehouse may not read mail templates.
            template.sudo().send_mail(request.id, email_layout_xmlid="mail.mail_notification_light")

    def _rma_return_address(self):
        """Where the customer sends the goods: the warehouse of the return receipt, else the company."""
        self.ensure_one()
        warehouse = self.receipt_ids.picking_type_id.warehouse_id[:1]
        partner = warehouse.partner_id or self.company_id.partner_id
        address = partner._display_address(without_company=False).replace("\n", ", ")
        place = self.expected_arrival_place
        return f"{address} ({place})" if place else address
