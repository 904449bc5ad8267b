from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import format_list


class RmaRequest(models.Model):
    """Submission and the approval chain (R-20)."""

    _inherit = "rma.request"
    _rma_process_fields = ("submitted_date", "approved_date", "rejection_reason")

    approval_line_ids = fields.One2many("rma.approval.line", "request_id", string="Approvals",
                                        copy=False)
    approval_history_ids = fields.One2many(
        "rma.approval.line", "request_id", string="Superseded Approvals", copy=False,
        domain=[("active", "=", False)], context={"active_test": False},
    )
    current_approval_id = fields.Many2one(
        "rma.approval.line", compute="_compute_current_approval", string="Current Step"
    )
    current_approval_group_id = fields.Many2one(
        "res.groups", compute="_compute_current_approval", string="Approvers"
    )
    approval_waiting_for = fields.Char(compute="_compute_current_approval", string="Waiting For")
    can_reassign_approval = fields.Boolean(compute="_compute_current_approval")
    can_approve = fields.Boolean(
        compute="_compute_current_approval", search="_search_can_approve", string="To Approve by Me"
    )
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    submitted_date = fields.Datetime(readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)

    @api.depends("approval_line_ids.state", "approval_line_ids.signer_id", "state")
    @api.depends_context("uid")
    def _compute_current_approval(self):
        user = self.env.user
        is_manager = user.has_group("rma_factory.group_rma_manager")
        for request in self:
            current = request._current_approval()
            request.current_approval_id = current
            request.current_approval_group_id = current.group_id
            request.approval_waiting_for = self.env._(
                "%(step)s: %(signer)s", step=current.name, signer=current.signer_display,
            ) if current else False
            request.can_approve = bool(current) and request._may_sign(current, user)
            request.can_reassign_approval = bool(current) and is_manager

    def _current_approval(self):
        """The step waiting for its signature: the first pending one (the model's order)."""
        self.ensure_one()
        if self.state != "to_approve":
            return self.env["rma.approval.line"]
        return self.approval_line_ids.filtered(lambda a: a.state == "pending")[:1]

    def _may_sign(self, approval, user):
        """Whether `user` signs `approval`: one of its signers, who signed no other step of the
        request (no one signs two steps, managers included)."""
        signed_other = self.approval_line_ids.filtered(
            lambda a: a != approval and a.state == "approved" and a.user_id == user
        )
        return user in approval._signers() and not signed_other

    def _search_can_approve(self, operator, value):
        if operator != "in" or list(value) != [True]:
            return NotImplemented
        # The current step of a request is its first pending approval (the model's order).
        pending = self.env["rma.approval.line"].sudo().search(
            [("state", "=", "pending"), ("request_id.state", "=", "to_approve")]
        )
        current_by_request = {}
        for approval in pending:
            current_by_request.setdefault(approval.request_id, approval)
        user = self.env.user
        return Domain("id", "in", [
            request.id for request, approval in current_by_request.items() if request._may_sign(approval, user)
        ])

    # ------------------------------------------------------------------ lifecycle hooks

    def _on_submitted(self):
        result = super()._on_submitted()
        self.write({"submitted_date": fields.Datetime.now(), "rejection_reason": False})
        self._build_approval_lines()
        self._log_action(self.env._("Submitted for approval."))
        self._schedule_approval_activities()
        # A request that no step applies to is approved at once.
        self.filtered(lambda r: not r.approval_line_ids)._transition("approve", self._approval_values())
        return result

    def _on_withdrawn(self):
        result = super()._on_withdrawn()
        self._clear_approval_lines()
        return result

    def _on_rejected(self):
        result = super()._on_rejected()
        self._close_approval_activities()
        return result

    def _on_lines_changed(self):
        """Lines or what the approvers signed changed while waiting for approval: what was
        approved no longer holds."""
        result = super()._on_lines_changed()
        for request in self.filtered(lambda r: r.state == "to_approve"):
            approvers = request.approval_line_ids.filtered(lambda a: a.state == "approved").user_id
            request._build_approval_lines()
            request._schedule_approval_activities()
            if not request.approval_line_ids:
                request._transition("approve", request._approval_values())
            if approvers:
                request._log_action(self.env._(
                    "The request changed after approval by %(users)s: the approval starts again.",
                    users=format_list(self.env, approvers.mapped("name")),
                ))
        return result

    @api.model
    def _approval_values(self):
        return {"approved_date": fields.Datetime.now()}

    def _build_approval_lines(self):
        """Create the approval lines of the steps that apply to each request's company and total."""
        steps = self.env["rma.approval.step"].search(
            [("company_id", "in", [*self.company_id.ids, False])]
        )
        self._clear_approval_lines()
        values = []
        for request in self:
            values += [
                {
                    "request_id": request.id,
                    "company_id": request.company_id.id,  # stored related: given, not written after
                    "step_id": step.id,
                    "sequence": step.sequence,
                    **step._signer_values(request),
                }
                for step in steps
                if step._applies_to(request)
            ]
        self.env["rma.approval.line"].sudo()._rma_process().create(values)

    def _clear_approval_lines(self):
        """The approval starts again: the current steps become history (superseded), signatures
        included; nothing is deleted."""
        # A first submission has nothing to clear (no approval lines, hence no approval task).
        self.filtered("approval_line_ids")._close_approval_activities()
        self.sudo().approval_line_ids._rma_process().write(
            {"active": False, "superseded_date": fields.Datetime.now()}
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_keeps_signatures(self):
        signed = self.with_context(active_test=False).approval_line_ids.filtered(lambda a: a.state != "pending")
        if signed:
            raise UserError(self.env._(
                "%(requests)s carries signed approvals: it can't be deleted. Cancel and archive it instead.",
                requests=format_list(self.env, signed.request_id.mapped("name")),
            ))

    def _schedule_approval_activities(self):
        """Whoever signs the waiting step gets a To-Do, in their own language (R-03).

        The To-Dos of the step just signed pass to the next step's signers (one approval task
        travels along the chain, created when the approval began): rewriting a task costs a
        third of removing it and creating another. Extra tasks end, missing ones are created."""
        today = fields.Date.context_today(self)
        for request in self:
            tasks = request._rma_tasks("rma_factory.mail_activity_approval")
            current = request._current_approval()
            signed = request.approval_line_ids.filtered(lambda a: a.state == "approved").user_id
            wanted = {}
            for signer in (current._signers() - signed) if current else self.env["res.users"]:
                in_lang = request.with_context(lang=signer.lang)
                wanted[signer] = in_lang.env._("Approve %(request)s: %(step)s", request=request.name,
                                               step=current.with_context(lang=signer.lang).name)
            # A signer already asked for this very step keeps their task as it is.
            up_to_date = self.env["mail.activity"]
            for task in tasks:
                if wanted.get(task.user_id) == task.summary:
                    up_to_date |= task
                    del wanted[task.user_id]
            free = tasks - up_to_date
            handed_over = self.env["mail.activity"]
            for task, (signer, summary) in zip(free, list(wanted.items()), strict=False):
                request._hand_over_activity(task, signer, summary, today)
                handed_over |= task
                del wanted[signer]
            (free - handed_over).unlink()
            for signer, summary in wanted.items():
                request.with_context(lang=signer.lang).activity_schedule(
                    "rma_factory.mail_activity_approval", user_id=signer.id, summary=summary,
                )

    def _close_approval_activities(self):
        """The approval stopped short (rejected, withdrawn, started again): its To-Dos are
        withdrawn (the signatures and their messages are the record). The last signature
        instead marks its To-Do done (_action_approve_step)."""
        self.activity_unlink(["rma_factory.mail_activity_approval"])

    # ------------------------------------------------------------------ approve / reject

    def _check_can_decide(self, approval=None):
        """The current step, if the user may sign it; approval: the step the user meant to sign."""
        self.ensure_one()
        if self.state != "to_approve":
            raise UserError(self.env._(
                "%(request)s is not waiting for approval.", request=self.name
            ))
        current = self.current_approval_id
        if not current:
            raise UserError(self.env._("%(request)s has no step left to approve.", request=self.name))
        if approval and approval != current:
            raise UserError(self.env._(
                "Step '%(step)s' of %(request)s can't be signed now: the current step is '%(current)s'.",
                step=approval.name, request=self.name, current=current.name,
            ))
        already = self.approval_line_ids.filtered(
            lambda a: a != current and a.state == "approved" and a.user_id == self.env.user
        )
        if already:
            raise UserError(self.env._(
                "You already approved %(request)s at step '%(step)s': the next step needs another "
                "approver.", request=self.name, step=already[0].name,
            ))
        if self.env.user not in current._signers():
            if current.signer_id:
                raise AccessError(self.env._(
                    "Step '%(step)s' of %(request)s is signed by %(signer)s.",
                    step=current.name, request=self.name, signer=current.signer_id.name,
                ))
            raise AccessError(self.env._(
                "Step '%(step)s' of %(request)s is decided by the group '%(group)s', "
                "which you are not a member of.",
                step=current.name, request=self.name, group=current.group_id.display_name,
            ))
        return current

    def _sign_current_step(self, decision, opinion, approval=None):
        """Sign the current step (签字 / 签字时间) and return it."""
        # Lock the request row first: a double click or two approvers at once must not both sign.
        self.env.cr.execute("SELECT id FROM rma_request WHERE id = %s FOR UPDATE NOWAIT", [self.id])
        self.invalidate_recordset(["state"])
        self.approval_line_ids.invalidate_recordset()
        current = self._check_can_decide(approval)
        current.sudo()._rma_process().write({
            "state": decision, "user_id": self.env.user.id, "date": fields.Datetime.now(), "opinion": opinion,
        })
        return current

    def _action_approve_step(self, opinion=False, approval=None):
        self.ensure_one()
        current = self._sign_current_step("approved", opinion, approval)
        self._log_action(self.env._(
            "Step '%(step)s' approved by %(user)s.%(opinion)s",
            step=current.name, user=self.env.user.name,
            opinion=self.env._(" Opinion: %s", opinion) if opinion else "",
        ))
        if not self.approval_line_ids.filtered(lambda a: a.state == "pending"):
            # The last step's task is done, as Odoo 19 marks a task done: archived with its date
            # (the signature's message is its feedback).
            self._rma_tasks("rma_factory.mail_activity_approval").action_archive()
            self._transition("approve", self._approval_values())
        else:
            self._schedule_approval_activities()
        return True

    def _action_reject(self, reason, approval=None):
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(self.env._("A rejection needs a reason, for the sales rep and the customer."))
        current = self._sign_current_step("rejected", reason, approval)
        self._transition("reject", {"rejection_reason": reason})
        self._log_action(self.env._(
            "Rejected at step '%(step)s' by %(user)s. Reason: %(reason)s",
            step=current.name, user=self.env.user.name, reason=reason,
        ))
        self.with_context(lang=self.user_id.lang).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.user_id.id,
            summary=self.env._("Return request rejected"),
            note=self.env._("Reason: %s", reason),
        )
        return True

    # ------------------------------------------------------------------ reassignment

    def _reassign_current_step(self, user, reason):
        """A manager gives the waiting step to another signer (an absent signer is replaced)."""
        self.ensure_one()
        if not self.env.user.has_group("rma_factory.group_rma_manager"):
            raise AccessError(self.env._("Only a Returns manager reassigns an approval step."))
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the step goes to another signer."))
        current = self._current_approval()
        if not current:
            raise UserError(self.env._("%(request)s is not waiting for approval.", request=self.name))
        if not user or user.share or not user.has_group("rma_factory.group_rma_user"):
            raise UserError(self.env._("The new signer must be a Returns user."))
        if self.approval_line_ids.filtered(lambda a: a.state == "approved" and a.user_id == user):
            raise UserError(self.env._(
                "%(user)s already signed a step of %(request)s: no one signs two steps.",
                user=user.name, request=self.name,
            ))
        previous = current.signer_display
        current.sudo()._rma_process().write({
            "signer_id": user.id, "group_id": False,
            "reassign_note": self.env._("%(manager)s: %(previous)s → %(user)s. %(reason)s",
                                        manager=self.env.user.name, previous=previous, user=user.name,
                                        reason=reason),
        })
        self._schedule_approval_activities()
        self._log_action(self.env._(
            "Step '%(step)s' reassigned by %(manager)s from %(previous)s to %(user)s. Reason: %(reason)s",
            step=current.name, manager=self.env.user.name, previous=previous, user=user.name, reason=reason,
        ))
        return True

    def action_open_reassign_approval(self):
        self._check_action_allowed("can_reassign_approval", self.env._("reassign the approval step of"))
        return self._open_wizard("rma.approval.reassign.wizard", self.env._("Reassign Approval Step"))

    def action_approve(self):
        self._check_can_decide()
        self._check_action_allowed("can_approve", self.env._("approve"))
        return self._open_wizard("rma.approval.wizard", self.env._("Approve"), {"default_decision": "approve"})

    def action_reject(self):
        self._check_can_decide()
        self._check_action_allowed("can_approve", self.env._("reject"))
        return self._open_wizard("rma.approval.wizard", self.env._("Reject"), {"default_decision": "reject"})
