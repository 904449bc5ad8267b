from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain


class RmaRequest(models.Model):
    """Submission and the approval chain (R-20)."""

    _inherit = "rma.request"

    approval_line_ids = fields.One2many("rma.approval.line", "request_id", string="Approvals",
                                        copy=False)
    current_approval_id = fields.Many2one(
        "rma.approval.line", compute="_compute_current_approval", string="Current Step"
    )
    current_approval_group_id = fields.Many2one(
        "res.groups", compute="_compute_current_approval", string="Approvers"
    )
    approval_waiting_for = fields.Char(compute="_compute_current_approval", string="Waiting For")
    can_approve = fields.Boolean(
        compute="_compute_current_approval", search="_search_can_approve", string="To Approve by Me"
    )
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    submitted_date = fields.Datetime(readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)

    @api.depends("approval_line_ids.state", "state")
    @api.depends_context("uid")
    def _compute_current_approval(self):
        user_groups = self.env.user.all_group_ids
        for request in self:
            current = request.approval_line_ids.filtered(lambda a: a.state == "pending")[:1]
            current = current if request.state == "to_approve" else self.env["rma.approval.line"]
            request.current_approval_id = current
            request.current_approval_group_id = current.group_id
            request.approval_waiting_for = (
                f"{current.name} ({current.group_id.display_name})" if current else False
            )
            request.can_approve = bool(current) and current.group_id in user_groups

    def _search_can_approve(self, operator, value):
        if operator != "in" or list(value) != [True]:
            return NotImplemented
        # The current step of a request is its first pending approval (the model's order).
        pending = self.env["rma.approval.line"].sudo().search(
            [("state", "=", "pending"), ("request_id.state", "=", "to_approve")]
        )
        current_by_request = {}
        for approval in pending:
            current_by_request.setdefault(approval.request_id.id, approval)
        user_groups = self.env.user.all_group_ids
        return Domain("id", "in", [
            request_id for request_id, approval in current_by_request.items() if approval.group_id in user_groups
        ])

    # ------------------------------------------------------------------ lifecycle hooks

    def _on_submitted(self):
        result = super()._on_submitted()
        self.write({"submitted_date": fields.Datetime.now(), "rejection_reason": False})
        self._build_approval_lines()
        for request in self:
            request.message_post(body=self.env._("Submitted for approval."))
        # A request that no step applies to is approved at once.
        self.filtered(lambda r: not r.approval_line_ids)._transition("approve", self._approval_values())
        return result

    def _on_withdrawn(self):
        result = super()._on_withdrawn()
        self._clear_approval_lines()
        return result

    def _on_lines_changed(self):
        """Lines changed while waiting for approval: what was approved no longer holds."""
        result = super()._on_lines_changed()
        for request in self.filtered(lambda r: r.state == "to_approve"):
            approvers = request.approval_line_ids.filtered(lambda a: a.state == "approved").user_id
            request._build_approval_lines()
            if not request.approval_line_ids:
                request._transition("approve", request._approval_values())
            if approvers:
                request.message_post(body=self.env._(
                    "Lines or amounts changed after approval by %(users)s: the approval starts again.",
                    users=", ".join(approvers.mapped("name")),
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
                    "step_id": step.id,
                    "sequence": step.sequence,
                    "group_id": step.group_id.id,
                }
                for step in steps
                if step._applies_to(request)
            ]
        self.env["rma.approval.line"].sudo().create(values)

    def _clear_approval_lines(self):
        self.sudo().approval_line_ids.unlink()

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
        if current.group_id not in self.env.user.all_group_ids:
            raise AccessError(self.env._(
                "Step '%(step)s' of %(request)s is decided by the group '%(group)s', "
                "which you are not a member of.",
                step=current.name, request=self.name, group=current.group_id.display_name,
            ))
        already = self.approval_line_ids.filtered(
            lambda a: a.state == "approved" and a.user_id == self.env.user
        )
        if already and not self.env.user.has_group("rma_factory.group_rma_manager"):
            raise UserError(self.env._(
                "You already approved %(request)s at step '%(step)s': the next step needs another "
                "approver.", request=self.name, step=already[0].name,
            ))
        return current

    def _sign_current_step(self, decision, opinion, approval=None):
        """Sign the current step (签字 / 签字时间) and return it."""
        # Lock the request row first: a double click or two approvers at once must not both sign.
        self.env.cr.execute("SELECT id FROM rma_request WHERE id = %s FOR UPDATE NOWAIT", [self.id])
        self.invalidate_recordset(["state"])
        self.approval_line_ids.invalidate_recordset()
        current = self._check_can_decide(approval)
        current.sudo().write({
            "state": decision, "user_id": self.env.user.id, "date": fields.Datetime.now(), "opinion": opinion,
        })
        return current

    def _action_approve_step(self, opinion=False, approval=None):
        self.ensure_one()
        current = self._sign_current_step("approved", opinion, approval)
        self.message_post(body=self.env._(
            "Step '%(step)s' approved by %(user)s.%(opinion)s",
            step=current.name, user=self.env.user.name,
            opinion=self.env._(" Opinion: %s", opinion) if opinion else "",
        ))
        if not self.approval_line_ids.filtered(lambda a: a.state == "pending"):
            self._transition("approve", self._approval_values())
        return True

    def _action_reject(self, reason, approval=None):
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(self.env._("A rejection needs a reason, for the sales rep and the customer."))
        current = self._sign_current_step("rejected", reason, approval)
        self._transition("reject", {"rejection_reason": reason})
        self.message_post(body=self.env._(
            "Rejected at step '%(step)s' by %(user)s. Reason: %(reason)s",
            step=current.name, user=self.env.user.name, reason=reason,
        ))
        self.with_context(lang=self.user_id.lang).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.user_id.id,
            summary=self.env._("Return request rejected"),
            note=self.env._("Reason: %s", reason),
        )
        return True

    def action_approve(self):
        self._check_can_decide()
        return self._open_wizard("rma.approval.wizard", self.env._("Approve"), {"default_decision": "approve"})

    def action_reject(self):
        self._check_can_decide()
        return self._open_wizard("rma.approval.wizard", self.env._("Reject"), {"default_decision": "reject"})
