from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_list

from .rma_request import DISPOSITION_STATES, ENDED_STATES


class RmaRequest(models.Model):
    """Execution verified by QA (R-52), the GM approval of the internal disposition, closing
    (结案) and archiving with the complete file (综合备案, R-71)."""

    _inherit = "rma.request"
    # Archiving too: only an ended request is archived (action_archive), by QA or management.
    _rma_process_fields = (
        "qa_verified_by_id", "qa_verified_date", "gm_approved_by_id", "gm_approved_date", "closed_by_id",
        "active",
    )

    active = fields.Boolean(default=True, tracking=True)
    qa_verification_note = fields.Text(string="QA Verification of the Execution", copy=False, groups="base.group_user")
    qa_verified_by_id = fields.Many2one("res.users", string="QA Verified By", readonly=True, copy=False)
    qa_verified_date = fields.Datetime(string="QA Verified On", readonly=True, copy=False)
    gm_opinion = fields.Text(string="GM's Opinion", copy=False, groups="base.group_user")
    gm_approved_by_id = fields.Many2one("res.users", string="GM Approved By", readonly=True, copy=False)
    gm_approved_date = fields.Datetime(string="GM Approved On", readonly=True, copy=False)
    archive_note = fields.Text(string="Filing Result", copy=False, help="备案结果", groups="base.group_user")
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    file_count = fields.Integer(string="File", compute="_compute_file_count")
    can_qa_verify = fields.Boolean(compute="_compute_closing_buttons")
    can_gm_decide = fields.Boolean(compute="_compute_closing_buttons")
    can_close = fields.Boolean(compute="_compute_closing_buttons")
    can_archive = fields.Boolean(compute="_compute_closing_buttons")

    @api.depends("state", "active", "disposition_ids.state")
    @api.depends_context("uid")
    def _compute_closing_buttons(self):
        is_quality = self.env.user.has_group("rma_factory.group_rma_quality")
        is_manager = self.env.user.has_group("rma_factory.group_rma_manager")
        for request in self:
            state = request.state
            request.can_qa_verify = (
                is_quality and state in DISPOSITION_STATES and request.disposition_count
                and not request.has_open_disposition
            )
            request.can_gm_decide = is_manager and state == "verified"
            request.can_close = is_quality and state == "gm_approved"
            request.can_archive = is_quality and state in ENDED_STATES and request.active

    def action_archive(self):
        if any(request.state not in ENDED_STATES for request in self):
            raise UserError(self.env._("Only closed or cancelled requests are archived."))
        self._check_action_allowed("can_archive", self.env._("archive"))
        return super(RmaRequest, self._rma_process()).action_archive()

    def action_unarchive(self):
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise AccessError(self.env._("QA or management takes a request out of the archive."))
        return super(RmaRequest, self._rma_process()).action_unarchive()

    def _check_editable(self, vals):
        result = super()._check_editable(vals)
        # Each is its signer's own words, printed beside their signature.
        is_quality = self.env.user.has_group("rma_factory.group_rma_quality")
        self._check_field_rule(
            vals, {"qa_verification_note"},
            lambda request: is_quality and request.state in DISPOSITION_STATES,
            self.env._("QA writes it while the dispositions are executed, before verifying them."),
        )
        self._check_field_rule(
            vals, {"gm_opinion"}, lambda request: request.can_gm_decide,
            self.env._("the general manager writes it when deciding on the verified request."),
        )
        return result

    # ------------------------------------------------------------------ QA verification

    def action_qa_verify(self):
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise UserError(self.env._("Only QA verifies the execution."))
        for request in self:
            request._check_ready_for_verification()
        self._check_action_allowed("can_qa_verify", self.env._("verify the execution of"))
        self._transition("verify", {"qa_verified_by_id": self.env.user.id,
                                    "qa_verified_date": fields.Datetime.now()})

    def _on_verified(self):
        result = super()._on_verified()
        for request in self:
            request._log_action(self.env._(
                "Execution verified by QA (%(user)s): %(note)s",
                user=self.env.user.name, note=request.qa_verification_note,
            ))
            request._schedule_gm_final_approval()
        return result

    def _check_ready_for_verification(self):
        self.ensure_one()
        if self.state not in DISPOSITION_STATES:
            raise UserError(self.env._("%(request)s has nothing to verify yet.", request=self.name))
        if not (self.qa_verification_note or "").strip():
            raise UserError(self.env._("Write QA's verification of the execution result first."))
        open_dispositions = self.disposition_ids.filtered(lambda d: d.state in ("draft", "confirmed"))
        if open_dispositions:
            raise UserError(self.env._(
                "These dispositions are not finished: %(dispositions)s.",
                dispositions=format_list(self.env, open_dispositions.mapped("display_name")),
            ))
        undisposed = self.line_ids.filtered(lambda line: line.uom_id.compare(line.qty_disposed, line.qty_received) < 0)
        if undisposed:
            raise UserError(self.env._(
                "Every returned unit needs a disposition: %(lines)s.",
                lines=format_list(self.env, [self.env._(
                    "%(product)s %(disposed)s of %(received)s", product=line.product_id.display_name,
                    disposed=f"{line.qty_disposed:g}", received=f"{line.qty_received:g}",
                ) for line in undisposed]),
            ))

    # ------------------------------------------------------------------ GM approval

    def action_gm_approve(self):
        self._check_manager()
        for request in self:
            if request.state != "verified":
                raise UserError(self.env._("%(request)s waits for QA's verification.", request=request.name))
            if not request.responsibility_category_id:
                raise UserError(self.env._(
                    "Decide the responsibility of %(request)s before the GM approval.", request=request.name,
                ))
        self._check_action_allowed("can_gm_decide", self.env._("give the GM approval of"))
        self._transition("gm_approve", {"gm_approved_by_id": self.env.user.id,
                                        "gm_approved_date": fields.Datetime.now()})
        for request in self:
            request._log_action(self.env._(
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
        self._check_action_allowed("can_gm_decide", self.env._("send back"))
        self._transition("send_back", {"qa_verified_by_id": False, "qa_verified_date": False})
        for request in self:
            request._log_action(self.env._(
                "Sent back by %(user)s: %(opinion)s", user=self.env.user.name, opinion=request.gm_opinion,
            ))

    def _schedule_gm_final_approval(self):
        """The manager who signed the request's approval (the GM or the GM office) gets the GM
        approval of its internal disposition as an activity."""
        self.ensure_one()
        signer = self.approval_line_ids.filtered(
            lambda a: a.state == "approved" and a.user_id.has_group("rma_factory.group_rma_manager")
        ).sorted("sequence")[-1:].user_id
        if signer:
            self.activity_schedule(
                "rma_factory.mail_activity_final_approval", user_id=signer.id,
                summary=self.env._("GM approval of the internal disposition"),
            )

    def _on_gm_approved(self):
        result = super()._on_gm_approved()
        self._finish_gm_final_approval_activity()
        return result

    def _on_sent_back(self):
        result = super()._on_sent_back()
        self._finish_gm_final_approval_activity()
        return result

    def _finish_gm_final_approval_activity(self):
        self.activity_feedback(["rma_factory.mail_activity_final_approval"])

    def _check_manager(self):
        if not self.env.user.has_group("rma_factory.group_rma_manager"):
            raise UserError(self.env._("Only the general manager gives the GM approval."))

    # ------------------------------------------------------------------ closing and the file

    def action_close(self):
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise UserError(self.env._("QA or management closes a request."))
        for request in self:
            if request.state != "gm_approved":
                raise UserError(self.env._(
                    "%(request)s can be closed after the GM approval.", request=request.name,
                ))
            open_capas = request.review_ids.capa_ids.filtered(lambda c: c.state in ("open", "done"))
            if open_capas:
                raise UserError(self.env._(
                    "Corrective actions are still waiting for QA's verification: %(actions)s.",
                    actions=format_list(self.env, open_capas.mapped("display_name")),
                ))
        self._check_before_closing()
        self._check_action_allowed("can_close", self.env._("close"))
        self._transition("close", {"outcome": "returned", "closed_date": fields.Datetime.now(),
                                   "closed_by_id": self.env.user.id})
        for request in self:
            # After the transition: the filed forms carry the closing's signature.
            request._attach_file()
            request._log_action(self.env._("Request closed by %(user)s.", user=self.env.user.name))

    def _on_settled(self):
        result = super()._on_settled()
        # Settled before the return is a closing too: its forms are filed the same way.
        for request in self:
            request._attach_file()
        return result

    # The final paper forms of the request, filed at closing (综合备案, R-71).
    FILED_FORMS = ("rma_factory.action_report_rma_request_form", "rma_factory.action_report_rma_approval_sheet")

    def _attach_file(self):
        """File on the request itself its final forms and the documents that only live
        elsewhere: the inspection reports and the photos of the samples."""
        self.ensure_one()
        Attachment = self.env["ir.attachment"].sudo()
        safe_name = self.name.replace("/", "-")
        for xmlid in self.FILED_FORMS:
            report = self.env.ref(xmlid).sudo()
            content, _fmt = report._render_qweb_pdf(report.report_name, self.ids)
            self._file_pdf(f"{safe_name} {report.name.replace('/', '-')}.pdf", content)
        report = self.env.ref("rma_factory.action_report_rma_inspection").sudo()
        for inspection in self.inspection_ids:
            content, _fmt = report._render_qweb_pdf(report.report_name, inspection.ids)
            self._file_pdf(f"{inspection.name.replace('/', '-')}.pdf", content)
        for index, sample in enumerate(self.inspection_ids.sample_ids.filtered("photo"), start=1):
            Attachment.create({
                "name": f"{sample.inspection_id.name.replace('/', '-')}-{index}.png",
                "datas": sample.photo,
                "res_model": self._name,
                "res_id": self.id,
            })

    def _file_pdf(self, name, content):
        self.env["ir.attachment"].sudo().create({
            "name": name, "raw": content, "res_model": self._name, "res_id": self.id, "mimetype": "application/pdf",
        })

    def _file_domain(self):
        self.ensure_one()
        # sudo: the file lists the attachments of documents the reader may not open themselves.
        request = self.sudo()
        documents = [
            (self._name, self.ids),
            ("rma.inspection", request.inspection_ids.ids),
            ("rma.review", request.review_ids.ids),
            ("rma.capa", request.review_ids.capa_ids.ids),
            ("rma.assessment", request.assessment_ids.ids),
            ("stock.picking", (request.receipt_ids | request.disposition_ids.picking_id).ids),
            ("repair.order", request.disposition_ids.repair_id.ids),
        ]
        domain = []
        for model, ids in documents:
            # Attachments are read with their document's rights: a reader who may not open a kind
            # of document (the warehouse and the reviews) does not list its files either.
            if ids and self.env[model].has_access("read"):
                domain = (["|"] if domain else []) + domain + ["&", ("res_model", "=", model), ("res_id", "in", ids)]
        return domain or [("id", "=", 0)]

    def _compute_file_count(self):
        for request in self:
            request.file_count = self.env["ir.attachment"].search_count(request._file_domain()) \
                if request.id else 0

    def action_view_file(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("File of %(request)s", request=self.name),
            "res_model": "ir.attachment",
            "view_mode": "kanban,list,form",
            "domain": self._file_domain(),
            "context": {"default_res_model": self._name, "default_res_id": self.id, "create": False},
        }
