from odoo import models

from .rma_process_guard import is_process_env, speaking_env

# What an attachment is: its content, its name and the record it belongs to. (Its access token
# and the like still change: the portal shares a closed request's files.)
ATTACHMENT_CONTENT_FIELDS = {
    "name", "datas", "raw", "db_datas", "store_fname", "url", "type", "mimetype", "description",
    "res_model", "res_id", "res_field",
}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def write(self, vals):
        moved_or_changed = ATTACHMENT_CONTENT_FIELDS.intersection(vals)
        if moved_or_changed:
            self._rma_check_file_open()
        result = super().write(vals)
        if {"res_model", "res_id"}.intersection(vals):
            self._rma_check_file_open()
        return result

    def unlink(self):
        self._rma_check_file_open()
        return super().unlink()

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
