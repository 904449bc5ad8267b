import base64

from odoo import models

from .rma_process_guard import is_process_env, speaking_env

# What names a file and ties it to its record. (Its storage, access token and the like still
# change: the portal shares a closed request's files, an administrator moves the filestore.)
ATTACHMENT_IDENTITY_FIELDS = {"name", "description", "res_model", "res_id", "res_field"}
ATTACHMENT_CONTENT_FIELDS = {"raw", "datas"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def write(self, vals):
        if ATTACHMENT_IDENTITY_FIELDS.intersection(vals) or self._rma_content_changes(vals):
            self._rma_check_file_open()
        # Moving a file onto a record is adding it there, as the chatter does when it posts a
        # pending upload: allowed, like any new file.
        return super().write(vals)

    def unlink(self):
        self._rma_check_file_open()
        return super().unlink()

    def _rma_content_changes(self, vals):
        """Whether `vals` give other bytes than a file has (rewriting the same bytes, as a
        storage migration does, changes nothing)."""
        if not ATTACHMENT_CONTENT_FIELDS.intersection(vals):
            return False
        new = self._rma_new_content(vals)
        return any(attachment.checksum != self._compute_checksum(new) for attachment in self.sudo())

    @staticmethod
    def _rma_new_content(vals):
        if "raw" in vals:
            raw = vals["raw"] or b""
            return raw.encode() if isinstance(raw, str) else raw
        return base64.b64decode(vals["datas"] or b"")

    def _rma_check_file_open(self):
        """A closed request's file is final (结案, 综合备案, R-71): the forms, photos and reports
        attached to it or to its documents are neither replaced nor removed. (New files may still
        come with the chatter, as its messages do.)"""
        if is_process_env(self.env):
            return
        env = speaking_env(self)  # a script's call on an attachment brings no language
        by_model = {}
        for attachment in self.sudo():
            if attachment.res_id and attachment.res_model and attachment.res_model.startswith("rma."):
                by_model.setdefault(attachment.res_model, set()).add(attachment.res_id)
        for model_name, ids in by_model.items():
            if model_name not in env:
                continue
            records = env[model_name].sudo().browse(ids).exists()
            if model_name == "rma.request":
                records._check_not_closed()
            elif hasattr(records, "_rma_requests"):
                records._rma_requests()._check_not_closed()
