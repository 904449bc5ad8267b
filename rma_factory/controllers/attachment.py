from odoo import http
from odoo.addons.mail.controllers.attachment import AttachmentController
from odoo.http import request


class RmaAttachmentController(AttachmentController):
    """The chatter of every internal user who opens a record makes a preview of each PDF
    attached without one and sends it back; Odoo answers 404 to whoever may read the PDF but not
    change it, and the web client shows that as an error dialog. On a return, most people who
    read the file may not change it (the request's archived forms once it is closed, the RMA
    report for the warehouse or Finance): for them the preview is not saved, quietly, and the
    file stays as it is."""

    @http.route()
    def mail_attachement_update_thumbnail(self, attachment_id, thumbnail=None, access_token=None):
        attachment = request.env["ir.attachment"].browse(int(attachment_id)).exists()
        # sudo: which record a readable attachment belongs to decides nothing but this skip.
        if attachment and (attachment.sudo().res_model or "").startswith("rma.") \
                and attachment.has_access("read") and not attachment.has_access("write"):
            return None
        return super().mail_attachement_update_thumbnail(attachment_id, thumbnail=thumbnail,
                                                         access_token=access_token)
