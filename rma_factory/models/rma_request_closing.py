from odoo import fields, models
from odoo.exceptions import UserError

# What may still change on a closed request: its chatter, activities and archiving.
FIELDS_WRITABLE_WHEN_CLOSED = {"active", "message_main_attachment_id"}


class RmaRequest(models.Model):
    """Execution verified by QA (R-52), the GM's final approval of the internal disposition, closing
    (结案) and archiving with the complete file (综合备案, R-71)."""

    _inherit = "rma.request"

    active = fields.Boolean(default=True, tracking=True)
    qa_verification_note = fields.Text(string="Verification of the Execution", copy=False)
    qa_verified_by_id = fields.Many2one("res.users", string="QA Verified By", readonly=True, copy=False)
    qa_verified_date = fields.Datetime(string="QA Verified On", readonly=True, copy=False)
    gm_opinion = fields.Text(string="GM's Opinion", copy=False)
    gm_approved_by_id = fields.Many2one("res.users", string="Final Approval By", readonly=True, copy=False)
    gm_approved_date = fields.Datetime(string="Final Approval On", readonly=True, copy=False)
    archive_note = fields.Text(string="Filing Result", copy=False, help="备案结果")
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    dossier_count = fields.Integer(string="File", compute="_compute_dossier_count")

    # ------------------------------------------------------------------ read-only once closed

    def write(self, vals):
        closed = self.filtered(lambda r: r.state == "done")
        if closed and not set(vals) <= FIELDS_WRITABLE_WHEN_CLOSED:
            closed._check_not_closed()
        return super().write(vals)

    def _check_not_closed(self):
        closed = self.filtered(lambda r: r.state == "done")
        if closed:
            raise UserError(self.env._(
                "%(requests)s is closed: its file can no longer change.",
                requests=", ".join(closed.mapped("name")),
            ))

    def action_archive(self):
        if any(request.state not in ("done", "cancel") for request in self):
            raise UserError(self.env._("Only closed or cancelled requests are archived."))
        return super().action_archive()

    # ------------------------------------------------------------------ QA verification

    def action_qa_verify(self):
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise UserError(self.env._("Only QA verifies the execution."))
        for request in self:
            request._check_ready_for_verification()
        self.write({"state": "verified", "qa_verified_by_id": self.env.user.id,
                    "qa_verified_date": fields.Datetime.now()})
        for request in self:
            request.message_post(body=self.env._(
                "Execution verified by QA (%(user)s): %(note)s",
                user=self.env.user.name, note=request.qa_verification_note,
            ))
            request._schedule_gm_final_approval()

    def _check_ready_for_verification(self):
        self.ensure_one()
        if self.state not in ("inspected", "processing"):
            raise UserError(self.env._("%(request)s has nothing to verify yet.", request=self.name))
        if not (self.qa_verification_note or "").strip():
            raise UserError(self.env._("Write QA's verification of the execution result first."))
        open_dispositions = self.disposition_ids.filtered(lambda d: d.state in ("draft", "confirmed"))
        if open_dispositions:
            raise UserError(self.env._(
                "These dispositions are not finished: %(dispositions)s.",
                dispositions=", ".join(open_dispositions.mapped("display_name")),
            ))
        undisposed = self.line_ids.filtered(lambda line: line.uom_id.compare(line.qty_disposed, line.qty_received) < 0)
        if undisposed:
            raise UserError(self.env._(
                "Every returned unit needs a disposition: %(lines)s.",
                lines=", ".join(self.env._(
                    "%(product)s %(disposed)s of %(received)s", product=line.product_id.display_name,
                    disposed=f"{line.qty_disposed:g}", received=f"{line.qty_received:g}",
                ) for line in undisposed),
            ))

    # ------------------------------------------------------------------ GM final approval

    def action_gm_approve(self):
        self._check_manager()
        for request in self:
            if request.state != "verified":
                raise UserError(self.env._("%(request)s waits for QA's verification.", request=request.name))
            if not request.responsibility_category_id:
                raise UserError(self.env._(
                    "Decide the responsibility of %(request)s before the final approval.", request=request.name,
                ))
        self.write({"state": "gm_approved", "gm_approved_by_id": self.env.user.id,
                    "gm_approved_date": fields.Datetime.now()})
        self._finish_gm_final_approval_activity()
        for request in self:
            request.message_post(body=self.env._(
                "Internal disposition approved by %(user)s: %(opinion)s",
                user=self.env.user.name, opinion=request.gm_opinion or "-",
            ))

    def action_gm_send_back(self):
        self._check_manager()
        for request in self:
            if request.state != "verified":
                raise UserError(self.env._("Only a verified request is sent back."))
            if not (request.gm_opinion or "").strip():
                raise UserError(self.env._("Write in the GM's opinion what must be redone."))
        self.write({"state": "processing", "qa_verified_by_id": False, "qa_verified_date": False})
        self._finish_gm_final_approval_activity()
        for request in self:
            request.message_post(body=self.env._(
                "Sent back by %(user)s: %(opinion)s", user=self.env.user.name, opinion=request.gm_opinion,
            ))

    def _schedule_gm_final_approval(self):
        """The manager who signed the request's approval (the GM or the GM office) gets the final
        approval of its internal disposition as an activity."""
        self.ensure_one()
        manager_group = self.env.ref("rma_factory.group_rma_manager")
        signer = self.approval_line_ids.filtered(
            lambda a: a.user_id and a.group_id == manager_group).sorted("sequence")[-1:].user_id
        if signer:
            self.activity_schedule(
                "rma_factory.mail_activity_final_approval", user_id=signer.id,
                summary=self.env._("Final approval of the internal disposition"),
            )

    def _finish_gm_final_approval_activity(self):
        self.activity_feedback(["rma_factory.mail_activity_final_approval"])

    def _check_manager(self):
        if not self.env.user.has_group("rma_factory.group_rma_manager"):
            raise UserError(self.env._("Only the general manager gives the final approval."))

    # ------------------------------------------------------------------ closing and the file

    def action_close(self):
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise UserError(self.env._("QA or management closes a request."))
        for request in self:
            if request.state != "gm_approved":
                raise UserError(self.env._(
                    "%(request)s can be closed after the GM's final approval.", request=request.name,
                ))
            open_capas = request.review_ids.capa_ids.filtered(lambda c: c.state in ("open", "done"))
            if open_capas:
                raise UserError(self.env._(
                    "Corrective actions are still waiting for QA's verification: %(actions)s.",
                    actions=", ".join(open_capas.mapped("display_name")),
                ))
        for request in self:
            request._attach_file()
        self.write({"state": "done", "outcome": "returned", "closed_date": fields.Datetime.now(),
                    "closed_by_id": self.env.user.id})
        self.activity_unlink(self._request_activity_xmlids())
        for request in self:
            request.message_post(body=self.env._("Request closed by %(user)s.", user=self.env.user.name))

    def _attach_file(self):
        """File the documents that only live elsewhere on the request itself: the inspection
        reports and the photos of the samples."""
        self.ensure_one()
        Attachment = self.env["ir.attachment"].sudo()
        report = self.env.ref("rma_factory.action_report_rma_inspection").sudo()
        for inspection in self.inspection_ids:
            content, _fmt = report._render_qweb_pdf(report.report_name, inspection.ids)
            Attachment.create({
                "name": f"{inspection.name.replace('/', '-')}.pdf",
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            })
        for index, sample in enumerate(self.inspection_ids.sample_ids.filtered("photo"), start=1):
            Attachment.create({
                "name": f"{sample.inspection_id.name.replace('/', '-')}-{index}.png",
                "datas": sample.photo,
                "res_model": self._name,
                "res_id": self.id,
            })

    def _dossier_domain(self):
        self.ensure_one()
        documents = [
            (self._name, self.ids),
            ("rma.inspection", self.inspection_ids.ids),
            ("rma.review", self.review_ids.ids),
            ("rma.capa", self.review_ids.capa_ids.ids),
            ("rma.assessment", self.assessment_ids.ids),
            ("stock.picking", (self.receipt_ids | self.disposition_ids.picking_id).ids),
            ("repair.order", self.disposition_ids.repair_id.ids),
        ]
        domain = []
        for model, ids in documents:
            if ids:
                domain = (["|"] if domain else []) + domain + ["&", ("res_model", "=", model), ("res_id", "in", ids)]
        return domain or [("id", "=", 0)]

    def _compute_dossier_count(self):
        for request in self:
            request.dossier_count = self.env["ir.attachment"].search_count(request._dossier_domain()) \
                if request.id else 0

    def action_view_dossier(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("File of %(request)s", request=self.name),
            "res_model": "ir.attachment",
            "view_mode": "kanban,list,form",
            "domain": self._dossier_domain(),
            "context": {"default_res_model": self._name, "default_res_id": self.id, "create": False},
        }


class RmaRequestLine(models.Model):
    _name = "rma.request.line"
    _inherit = ["rma.request.line", "rma.request.document"]
