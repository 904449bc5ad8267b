"""The customer return / exchange request (客户退/换货申请单) and its lifecycle.

This file declares the whole state machine: the states, the named groups of states that Python
and the views' ``can_*`` booleans share, the transitions, and the hook each transition runs.
Each stage file (``rma_request_<stage>.py``) adds its own fields and actions and *extends* these
hooks with ``super()``; a stage never calls a private method of another stage, so the order in
which the stage files are imported does not matter.

::

    draft ──submit (sales rep)──▶ to_approve ──last step signed (approvers)──▶ approved
      ▲   _on_submitted              │   _on_approved                           │
      │                              │ reject (approver)                        │ receipt validated
      │                              ▼   _on_rejected                           ▼ (warehouse keeper)
      ├──reset (rep)─────────── rejected ──submit──▶ to_approve        partially_received
      │   _on_reset                                                    _on_partially_received
      │                                                                        │ every receipt done
      │                                                                        ▼
      │                                                                    received
      │                                                                    _on_received
      │                                                                        │ every inspection
      │                                                                        ▼ completed (QC)
      │                                                                    inspected
      │                                                                    _on_inspected
      │                                                                        │ first disposition
      │                                                                        ▼ started (QA)
      │                                                                    processing
      │                                                                    _on_processing
      │                       send back (GM) _on_sent_back ┌──────────────────▶│ verify (QA)
      │                                                    │                   ▼ _on_verified
      │                                                    └──────────────  verified
      │                                                                        │ GM approval (GM)
      │                                                                        ▼ _on_gm_approved
      │                                                                   gm_approved
      │                                                                        │ close (QA)
      │                                                                        ▼ _on_closed
      │                                                                      done (结案)
      │
      └── before the goods are back (draft, to_approve, rejected, approved):
            cancel (rep) ──▶ cancel   _on_cancelled
            settle by discount / customer withdrew (approver) ──▶ done   _on_settled
          cancel, settle and reset also run _on_withdrawn: the approval and the goods
          expected back no longer hold.

Every transition goes through ``_transition()``: it refuses a request that is not in one of
the transition's source states, writes the state with the values the acting stage passes, runs
the hook, then ``_on_transition_done(name)`` (for notifications that read what every stage did).
``write()`` (the only override here) asks ``_check_editable()`` before any change and runs
``_on_written()`` after it; stages extend both.
"""
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_list

from .rma_process_guard import changed_field_names, is_process_env

# Precommit data: {request id: [(body, author partner id)]} logged by the current transaction.
ACTION_LOG = "rma.request.action_log"

REQUEST_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("rejected", "Rejected"),
    ("approved", "Approved"),
    ("partially_received", "Partially Received"),
    ("received", "Received"),
    ("inspected", "Inspected"),
    ("processing", "Processing"),
    ("verified", "Verified by QA"),
    ("gm_approved", "Approved by GM"),
    ("done", "Closed"),
    ("cancel", "Cancelled"),
]

# ---------------------------------------------------------------------- named groups of states
# The sales rep still writes the request (and submits it).
DRAFT_STATES = ("draft", "rejected")
# Products and quantities may change: the approval chain restarts when they do.
LINES_EDITABLE_STATES = ("draft", "to_approve", "rejected")
# Before the goods are back: the request can still be settled, withdrawn or cancelled.
BEFORE_RETURN_STATES = ("draft", "to_approve", "rejected", "approved")
# The warehouse receives the goods.
RECEIVING_STATES = ("approved", "partially_received")
# The goods are expected or in: an advance replacement may ship.
GOODS_EXPECTED_STATES = ("approved", "partially_received", "received")
# The goods are in quarantine and judged: dispositions are planned, started and verified.
DISPOSITION_STATES = ("inspected", "processing")
# The inspection is done: its outcome is shown.
INSPECTED_STATES = ("inspected", "processing", "verified", "gm_approved", "done")
# The goods came back: quality, responsibility and disposition tabs are shown.
AFTER_RECEIPT_STATES = ("partially_received", "received", *INSPECTED_STATES)
# Nothing moves any more.
ENDED_STATES = ("done", "cancel")

# ---------------------------------------------------------------------- transitions
# name: (source states, target state, hook run after the state is written)
TRANSITIONS = {
    "submit": (DRAFT_STATES, "to_approve", "_on_submitted"),
    "reject": (("to_approve",), "rejected", "_on_rejected"),
    "approve": (("to_approve",), "approved", "_on_approved"),
    "receive_partially": (RECEIVING_STATES, "partially_received", "_on_partially_received"),
    "receive": (RECEIVING_STATES, "received", "_on_received"),
    "inspect": (("received",), "inspected", "_on_inspected"),
    "process": (("inspected",), "processing", "_on_processing"),
    "verify": (DISPOSITION_STATES, "verified", "_on_verified"),
    "send_back": (("verified",), "processing", "_on_sent_back"),
    "gm_approve": (("verified",), "gm_approved", "_on_gm_approved"),
    "close": (("gm_approved",), "done", "_on_closed"),
    "settle": (BEFORE_RETURN_STATES, "done", "_on_settled"),
    "cancel": (BEFORE_RETURN_STATES, "cancel", "_on_cancelled"),
    "reset": (("to_approve", "rejected", "approved", "cancel"), "draft", "_on_reset"),
}

# What may still change on a closed request: its chatter, activities and archiving, and Finance's
# booking (财务办理) of a request closed by a settlement, whose credit note comes with the closing.
FIELDS_WRITABLE_WHEN_CLOSED = {
    "active", "message_main_attachment_id", "finance_booked_by_id", "finance_booked_date", "finance_booking_note",
    # The portal link of the request (portal.mixin): created the first time a customer opens it.
    "access_token",
}

# What the approvers signed besides the lines: once approved, these no longer change (reset the
# request to draft to change them); while it waits for approval, a change restarts the chain.
APPROVED_HEADER_FIELDS = {
    "company_id", "partner_id", "request_date", "customer_wish", "customer_wish_other",
    "request_type", "own_product", "invoiced", "cost_bearer", "freight_budget",
}

CUSTOMER_WISHES = [
    ("return", "Return"),
    ("exchange", "Exchange"),
    ("claim", "Claim"),
    ("supplement", "Supplement Parts"),
    ("repair", "Repair"),
    ("other", "Other"),
]

REQUEST_TYPES = [
    ("usage_failure", "Customer Usage Failure"),
    ("incoming_rejection", "Incoming Inspection Batch Rejection"),
    ("commissioned_rework", "Customer-Commissioned Rework"),
    ("wrong_shipment", "Wrong Shipment"),
    ("transport_damage", "Transport Damage"),
    ("shortage", "Shortage on Receipt"),
    ("rental_return", "Rental Unit Return"),
    ("exhibition_return", "Exhibition Unit Return"),
    ("sample_return", "Sample Return (Branch / HQ)"),
    ("other", "Other"),
]

OUTCOMES = [
    ("returned", "Goods Returned"),
    ("discount", "Settled by Discount"),
    ("withdrawn", "Withdrawn by Customer"),
]



class RmaRequest(models.Model):
    """The customer return / exchange request (客户退/换货申请单): one request, many lines."""

    _name = "rma.request"
    _description = "Customer Return Request"
    _inherit = ["portal.mixin", "mail.thread", "rma.activity.mixin", "rma.process.guard"]
    _order = "request_date desc, id desc"
    # The lists and the kanban read the requests in this order, most often open ones only (the
    # menu's default filter): at 100,000 requests, without these the first page scans them all.
    _company_date_idx = models.Index("(company_id, request_date DESC, id DESC)")
    _open_idx = models.Index("(company_id, request_date DESC, id DESC) WHERE state NOT IN ('done', 'cancel')")
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name", "client_reference"]
    # Written by the transitions only; each stage file guards its own signatures the same way.
    _rma_process_fields = ("name", "state", "outcome")
    # The boxes of the paper form (客户退换货申请单).
    _rma_char_limits = {
        "client_reference": 60, "contact_phone": 40, "contact_address": 200,
        "customer_wish_other": 60, "expected_arrival_place": 100, "remarks": 2000,
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, index="trigram",
        default=lambda self: self.env._("New"),
    )
    # group_expand: the kanban shows every stage, empty ones too, in the process order.
    state = fields.Selection(
        REQUEST_STATES, default="draft", required=True, readonly=True, copy=False, tracking=True, index=True,
        group_expand=True,
    )
    outcome = fields.Selection(OUTCOMES, readonly=True, copy=False, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")

    # 发起部门 / 发起人 / 发起时间
    user_id = fields.Many2one(
        "res.users", string="Initiator", required=True, tracking=True, check_company=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team", string="Initiating Department", tracking=True, check_company=True,
        compute="_compute_team_id", store=True, readonly=False, precompute=True,
    )
    request_date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )

    # 退货单位信息
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, tracking=True, check_company=True,
        index=True,
    )
    # Stored for the portal's record rules and the reporting views; computed from our own field
    # only, so that a partner's write never searches our requests.
    commercial_partner_id = fields.Many2one(
        "res.partner", compute="_compute_commercial_partner_id", store=True, index=True, string="Commercial Entity",
    )
    contact_id = fields.Many2one(
        "res.partner", check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    contact_address = fields.Char(
        string="Address", compute="_compute_contact_details", store=True, readonly=False
    )
    contact_phone = fields.Char(
        string="Phone", compute="_compute_contact_details", store=True, readonly=False
    )
    client_reference = fields.Char(string="Customer Reference", help="The customer's own return number.",
                                   index="trigram")  # searched with the number, ilike

    # 退货产品信息
    line_ids = fields.One2many("rma.request.line", "request_id", string="Lines", copy=True)
    sale_order_ids = fields.Many2many(
        "sale.order", string="Sale Orders", compute="_compute_origin_documents", store=True,
        relation="rma_request_sale_order_rel",
    )
    origin_picking_ids = fields.Many2many(
        "stock.picking", string="Deliveries", compute="_compute_origin_documents", store=True,
        relation="rma_request_origin_picking_rel",
    )
    sale_order_count = fields.Integer(compute="_compute_origin_documents", store=True)
    origin_picking_count = fields.Integer(compute="_compute_origin_documents", store=True)
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amount_total", store=True, tracking=True
    )
    product_qty_total = fields.Float(
        string="Total Quantity", compute="_compute_amount_total", store=True, digits="Product Unit"
    )

    # 客户意见 / 退货类型 / form flags
    customer_wish = fields.Selection(
        CUSTOMER_WISHES, string="Customer's Wish", required=True, default="return", tracking=True
    )
    customer_wish_other = fields.Char(string="Other Wish")
    request_type = fields.Selection(
        REQUEST_TYPES, required=True, default="usage_failure", tracking=True
    )
    own_product = fields.Boolean(
        string="Our Product", default=True,
        help="Unchecked when the customer returns goods that we did not make (非本公司产品).",
    )
    invoiced = fields.Boolean(
        compute="_compute_invoiced", store=True, readonly=False,
        help="Whether the returned goods were already invoiced to the customer.",
    )
    replenish_required = fields.Boolean(string="Replenishment Required")
    replenish_date = fields.Date(string="Replenish By")
    replenish_method = fields.Selection(
        [
            ("express", "Express Courier"),
            ("freight", "Freight Carrier"),
            ("pickup", "Customer Pick-up"),
            ("next_shipment", "With the Next Shipment"),
        ],
        string="Replenishment Method",
    )
    cost_bearer = fields.Selection(
        [("company", "Our Company"), ("customer", "Customer")],
        string="Cost Borne By", default="company", tracking=True,
    )
    expected_arrival_date = fields.Date(string="Expected Arrival")
    expected_arrival_place = fields.Char(string="Arrival Place")
    freight_budget = fields.Monetary(groups="base.group_user")
    description = fields.Html(string="Problem Description")
    remarks = fields.Text(groups="base.group_user")
    photo_ids = fields.Many2many(
        "ir.attachment", "rma_request_photo_rel", "request_id", "attachment_id",
        string="Photos", help="Photos of the defects, sent by the customer or taken on site.",
    )

    # Feedback log
    feedback_ids = fields.One2many("rma.feedback", "request_id", string="Customer Feedback")
    feedback_count = fields.Integer(compute="_compute_feedback_count")

    _name_company_unique = models.UniqueIndex("(name, company_id)")

    @api.depends("user_id")
    def _compute_team_id(self):
        for request in self:
            if request.user_id and not request.team_id:
                request.team_id = request.user_id.sale_team_id

    @api.depends("partner_id", "contact_id")
    def _compute_contact_details(self):
        for request in self:
            source = request.contact_id or request.partner_id
            # Stored: written in the customer's language (their country's name as printed on the
            # forms), whoever typed the request — a portal visitor, a script in English.
            lang = source.lang or request.company_id.partner_id.lang or self.env.lang
            request.contact_address = source.with_context(lang=lang)._display_address(
                without_company=True).replace("\n", " ") if source else False
            request.contact_phone = source.phone or request.partner_id.phone

    @api.depends("partner_id")
    def _compute_commercial_partner_id(self):
        for request in self:
            request.commercial_partner_id = request.partner_id.commercial_partner_id

    @api.depends("line_ids.sale_line_id", "line_ids.origin_move_id")
    def _compute_origin_documents(self):
        for request in self:
            request.sale_order_ids = request.line_ids.sale_line_id.order_id
            request.origin_picking_ids = request.line_ids.origin_move_id.picking_id
            request.sale_order_count = len(request.sale_order_ids)
            request.origin_picking_count = len(request.origin_picking_ids)

    @api.depends("line_ids.amount", "line_ids.quantity")
    def _compute_amount_total(self):
        for request in self:
            request.amount_total = sum(request.line_ids.mapped("amount"))
            request.product_qty_total = sum(request.line_ids.mapped("quantity"))

    # From the lines' sale lines when they are entered; the rep corrects it. Not following later
    # invoices: every invoice of the company would search our requests (zero cost outside returns).
    @api.depends("line_ids.sale_line_id")
    def _compute_invoiced(self):
        for request in self:
            request.invoiced = any(line.qty_invoiced > 0 for line in request.line_ids.sale_line_id)

    @api.depends("feedback_ids")
    def _compute_feedback_count(self):
        for request in self:
            request.feedback_count = len(request.feedback_ids)

    @api.constrains("freight_budget", "request_date")
    def _check_amounts_and_dates(self):
        today = fields.Date.context_today(self)
        for request in self:
            if request.freight_budget < 0:
                raise ValidationError(self.env._(
                    "%(request)s: the freight budget can't be negative.", request=request.name
                ))
            if request.request_date and request.request_date > today:
                raise ValidationError(self.env._(
                    "%(request)s: the request date can't be in the future.", request=request.name
                ))

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id and self.contact_id.commercial_partner_id != self.commercial_partner_id:
            self.contact_id = False
        if self.partner_id and not self.contact_id:
            self.contact_id = self.partner_id.child_ids.filtered(lambda p: p.type == "contact")[:1]

    def _rma_fill_process_values(self, vals_list):
        # The number always comes from the sequence; a name given by a client is refused.
        result = super()._rma_fill_process_values(vals_list)
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            self._rma_next_number("rma.request", vals, company, vals.get("request_date"))
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(request.state not in ("draft", "cancel") for request in self):
            raise UserError(self.env._("Only draft or cancelled return requests can be deleted."))

    def _compute_display_name(self):
        for request in self:
            request.display_name = (
                f"{request.name} - {request.partner_id.name}" if request.partner_id else request.name
            )

    # ------------------------------------------------------------------ lifecycle

    can_submit = fields.Boolean(compute="_compute_can_buttons")
    can_reset = fields.Boolean(compute="_compute_can_buttons")
    can_cancel = fields.Boolean(compute="_compute_can_buttons")
    is_draft = fields.Boolean(compute="_compute_can_buttons", help="The sales rep still writes the request.")
    lines_editable = fields.Boolean(compute="_compute_can_buttons")
    is_before_return = fields.Boolean(compute="_compute_can_buttons")
    is_after_receipt = fields.Boolean(compute="_compute_can_buttons")
    is_inspected = fields.Boolean(compute="_compute_can_buttons")
    is_in_disposition = fields.Boolean(compute="_compute_can_buttons")
    is_ended = fields.Boolean(compute="_compute_can_buttons")
    is_closed = fields.Boolean(compute="_compute_can_buttons", help="Closed (结案): the file is final.")

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_buttons(self):
        sales_side = self._sales_side_requests()
        for request in self:
            state = request.state
            may_edit = request in sales_side
            request.is_draft = state in DRAFT_STATES
            request.lines_editable = state in LINES_EDITABLE_STATES
            request.is_before_return = state in BEFORE_RETURN_STATES
            request.is_after_receipt = state in AFTER_RECEIPT_STATES
            request.is_inspected = state in INSPECTED_STATES
            request.is_in_disposition = state in DISPOSITION_STATES
            request.is_ended = state in ENDED_STATES
            request.is_closed = state == "done"
            request.can_submit = may_edit and state in TRANSITIONS["submit"][0]
            request.can_reset = may_edit and state in TRANSITIONS["reset"][0]
            # An unsaved request has nothing to cancel: discarding it is the form's own button.
            request.can_cancel = may_edit and bool(request._origin.id) and state in TRANSITIONS["cancel"][0]

    def _writable_requests(self):
        """The requests of self the current user may change (access rights and record rules);
        a button that changes the request shows only to them."""
        saved = self.filtered(lambda r: isinstance(r.id, int))
        writable = saved._filtered_access("write")
        if self.env["rma.request"].has_access("write"):
            writable |= self - saved
        return writable

    def _sales_side_requests(self):
        """The requests of self the current user acts on as their sales side (submit, cancel,
        reset, the on-site verification, the deposit): their own team's, or any one for an
        approver or a manager. Quality writes its own fields on every request but does not
        submit, cancel or reset them."""
        writable = self._writable_requests()
        user = self.env.user
        if user.has_group("rma_factory.group_rma_approver"):
            return writable
        return writable.filtered(lambda request: request._is_team_member(user))

    def _is_team_member(self, user):
        """Whether `user` started the request or belongs to its sales team (the team rule's terms)."""
        self.ensure_one()
        return user in (self.user_id | self.create_uid | self.team_id.user_id) \
            or self.team_id in user.crm_team_ids or not self.create_uid

    def _lock_for_transition(self):
        """Two users moving the same request at once (a double click, two approvers): the second
        one does not wait; PostgreSQL refuses it (lock or serialization error), Odoo retries its
        call, and the retry meets the new state and its clear message."""
        ids = tuple(request_id for request_id in self.ids if isinstance(request_id, int))
        if ids:
            self.env.cr.execute(SQL("SELECT id FROM rma_request WHERE id IN %s FOR UPDATE NOWAIT", ids))
            self.invalidate_recordset(["state"])

    def _transition(self, name, values=None):
        """Move the requests along transition `name`: refuse any that is not in one of its source
        states, write the target state (with the acting stage's `values`), then run its hook."""
        sources, target, hook = TRANSITIONS[name]
        self._lock_for_transition()
        wrong = self.filtered(lambda r: r.state not in sources)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(self.env._(
                "%(request)s is %(state)s: it can't move to %(target)s.",
                request=wrong[0].name, state=labels[wrong[0].state], target=labels[target],
            ))
        if not self:
            return
        previous = {request: request.state for request in self if isinstance(request.id, int)}
        # Before the state is written, so that the action's log is decided before the tracking
        # message of that state change is (see _log_action).
        self._open_action_log()
        # The transition is the process: it and its hooks write the guarded fields.
        process = self._rma_process()
        process.write(dict(values or {}, state=target))
        # Cycle time per stage: the stay in the previous state ends, one in the target
        # starts; the accounting's automation rules run on that new stay, before the hook.
        # (In the process's environment: the rules write what the process writes.)
        process.env["rma.request.state.log"]._log_transitions(previous, target)
        getattr(process, hook)()
        process._on_transition_done(name)

    # ------------------------------------------------------------------ chatter

    def _log_action(self, body):
        """Say in the chatter what the user's action did to these requests. Everything an action
        logs on a request becomes one message at commit: the state change's tracking message
        when the action changed a tracked field, else one note. So a user action is one message,
        whatever the number of its steps (signature + approval + deadline) or of its rows."""
        self._open_action_log()
        log = self.env.cr.precommit.data[ACTION_LOG]
        author = self.env.user.partner_id.id
        for request in self:
            log.setdefault(request.id, []).append((body, author))

    def unlink(self):
        request_ids = self.ids
        result = super().unlink()
        # What was logged on them in this transaction has nowhere to go.
        log = self.env.cr.precommit.data.get(ACTION_LOG)
        if log:
            for request_id in request_ids:
                log.pop(request_id, None)
        return result

    def _open_action_log(self):
        data = self.env.cr.precommit.data
        if ACTION_LOG not in data:
            data[ACTION_LOG] = {}
            self.env.cr.precommit.add(self._post_action_log)

    def _post_action_log(self):
        log = self.env.cr.precommit.data.pop(ACTION_LOG, {})
        if not log:
            return
        tracked = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {})
        tracking_bodies = self.env.cr.precommit.data.setdefault(f"mail.tracking.message.{self._name}", {})
        notes_by_author = defaultdict(dict)
        # Requests deleted since they logged have left the log (unlink): no existence query here.
        for request in self.sudo().browse(list(log)):
            entries = log[request.id]
            body = Markup("<br/>").join(escape(text) for text, _author in entries)
            initial = tracked.get(request.id)
            if initial and any(request[name] != value for name, value in initial.items()):
                # Odoo posts the tracking message after this hook (it was registered later).
                tracking_bodies[request.id] = body
            else:
                notes_by_author[entries[-1][1]][request.id] = body
        # A log note notifies nobody: Odoo's batch log writes it without computing recipients,
        # one insert for all the requests of an author.
        for author, bodies in notes_by_author.items():
            self.sudo().browse(list(bodies))._message_log_batch(bodies, author_id=author)

    # Hooks of the transitions: the base does what belongs to the request itself; stages extend.
    def _on_submitted(self):
        """Submitted for approval."""

    def _on_rejected(self):
        """Rejected at an approval step."""

    def _on_approved(self):
        """The last approval step is signed: the goods may come back."""

    def _on_partially_received(self):
        """Some of the goods are in, more are expected (or a difference is not confirmed)."""

    def _on_received(self):
        """Every receipt is done."""

    def _on_inspected(self):
        """Every received unit is judged by QC."""

    def _on_processing(self):
        """The first disposition started."""

    def _on_verified(self):
        """QA verified the execution of the dispositions."""

    def _on_sent_back(self):
        """The GM sent the verified request back to processing."""

    def _on_gm_approved(self):
        """The GM approved the internal disposition."""

    def _on_closed(self):
        """Closed (结案): the file is final."""
        self._end_request_activities()

    def _on_settled(self):
        """Settled by discount or withdrawn before the goods came back."""
        self._end_request_activities()
        self._on_withdrawn()

    def _on_cancelled(self):
        """Cancelled before the goods came back."""
        self._end_request_activities()
        self._on_withdrawn()

    def _on_reset(self):
        """Back to draft: what was approved no longer holds."""
        self._on_withdrawn()

    def _on_withdrawn(self):
        """Reset, cancelled or settled: the approval and the goods expected back no longer hold."""

    def _check_before_closing(self):
        """Called by the closing action before anything is filed: stages refuse what is not
        finished yet (the finance booking)."""

    def _on_transition_done(self, name):
        """Transition `name` is complete: every stage's hook has run. For what reads the result of
        all of them (the customer's e-mails quote the deadline and the return address)."""

    def _on_lines_changed(self):
        """Products, quantities or prices of the lines changed, or what the approvers signed on
        the request itself (APPROVED_HEADER_FIELDS)."""

    def _on_received_from_customer(self):
        """The customer sent the request themselves (the portal): a draft for their sales rep."""

    def _end_request_activities(self):
        self.activity_unlink(self._request_activity_xmlids())

    def _request_activity_xmlids(self):
        """Automated activities that end with the request."""
        return [
            "rma_factory.mail_activity_onsite_verification",
            "rma_factory.mail_activity_return_overdue",
            "rma_factory.mail_activity_final_approval",
            "rma_factory.mail_activity_receipt_difference",
        ]

    # ------------------------------------------------------------------ edits

    def write(self, vals):
        self._check_editable(vals)
        # Decided before the write: which requests waiting for approval get other terms.
        reapprove = self.browse()
        if APPROVED_HEADER_FIELDS.intersection(vals) and not is_process_env(self.env):
            reapprove = self.filtered(
                lambda r: r.state == "to_approve" and changed_field_names(r, vals, APPROVED_HEADER_FIELDS))
        result = super().write(vals)
        if "partner_id" in vals:
            # The lines' deliveries and sale orders must still be the (new) customer's.
            self.line_ids._check_against_delivery()
            self.line_ids._check_sale_line()
        if reapprove:
            reapprove._on_lines_changed()
        self._on_written(vals)
        return result

    def _check_editable(self, vals):
        """Refuse `vals` on these requests; stages add their own rules. A closed request's file is
        final (R-71): only its archiving and chatter change. An approved request keeps what was
        approved (R-20)."""
        if not set(vals) <= FIELDS_WRITABLE_WHEN_CLOSED:
            self._check_not_closed()
        if APPROVED_HEADER_FIELDS.intersection(vals) and not is_process_env(self.env):
            approved = self.filtered(lambda r: r.state not in LINES_EDITABLE_STATES and isinstance(r.id, int))
            changed = changed_field_names(approved, vals, APPROVED_HEADER_FIELDS)
            if changed:
                raise UserError(self.env._(
                    "%(request)s is %(state)s: %(fields)s can no longer change. Reset it to draft to "
                    "change them (the approval starts again).",
                    request=approved[0].name,
                    state=dict(self._fields["state"]._description_selection(self.env))[approved[0].state],
                    fields=format_list(self.env, [self._fields[name]._description_string(self.env)
                                                  for name in sorted(changed)]),
                ))

    def _check_field_rule(self, vals, names, may_change, reason):
        """Refuse a change of the fields `names` on the requests where `may_change(request)` is
        False: the rule the form states with its read-only condition, for every path (a stage's
        _check_editable calls it). `reason`: why not now, as the user reads it."""
        if is_process_env(self.env) or not names.intersection(vals):
            return
        for request in self.filtered(lambda r: isinstance(r.id, int) and not may_change(r)):
            changed = changed_field_names(request, vals, names)
            if changed:
                raise UserError(self.env._(
                    "%(request)s: %(fields)s can't change: %(reason)s",
                    request=request.name, reason=reason,
                    fields=format_list(self.env, [self._fields[name]._description_string(self.env)
                                                  for name in sorted(changed)]),
                ))

    def _on_written(self, vals):
        """React to a write of `vals` (after it)."""

    def _check_not_closed(self):
        closed = self.filtered(lambda r: r.state == "done")
        if closed:
            raise UserError(self.env._(
                "%(requests)s is closed: its file can no longer change.",
                requests=format_list(self.env, closed.mapped("name")),
            ))

    # ------------------------------------------------------------------ state actions

    def action_submit(self):
        for request in self:
            if request.state not in DRAFT_STATES:
                raise UserError(self.env._(
                    "%(request)s was already submitted.", request=request.name
                ))
            if not request.line_ids:
                raise UserError(self.env._(
                    "%(request)s has no lines: add the products to return.", request=request.name
                ))
        # Who may submit comes before what is submitted: the delivery checks read stock and
        # sales a customer on the portal does not read.
        self._check_action_allowed("can_submit", self.env._("submit"))
        self._check_can_submit()
        self._transition("submit")
        return True

    def _check_can_submit(self):
        """Stages add what must hold before the request goes to approval. A draft holds no
        delivered quantity, so what it asks for is checked again against the other requests."""
        self.line_ids._check_against_delivery()

    def action_cancel(self):
        for request in self:
            if request.state not in BEFORE_RETURN_STATES:
                raise UserError(self.env._(
                    "%(request)s can't be cancelled once the goods are back; close it instead.",
                    request=request.name,
                ))
        self._check_action_allowed("can_cancel", self.env._("cancel"))
        self._transition("cancel")

    def action_reset_to_draft(self):
        for request in self:
            if request.state not in TRANSITIONS["reset"][0]:
                raise UserError(self.env._(
                    "%(request)s is %(state)s: only requests that wait for approval, were rejected, "
                    "approved or cancelled can go back to draft.",
                    request=request.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[request.state],
                ))
        self._check_action_allowed("can_reset", self.env._("reset to draft"))
        self._transition("reset")

    # ------------------------------------------------------------------ smart buttons

    def action_view_sale_orders(self):
        self.ensure_one()
        return self._open_records(self.sale_order_ids, self.env._("Sale Orders"))

    def action_view_origin_pickings(self):
        self.ensure_one()
        return self._open_records(self.origin_picking_ids, self.env._("Deliveries"))

    def action_view_feedback(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rma_factory.rma_feedback_action")
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {"default_request_id": self.id}
        return action

    @api.model
    def _open_records(self, records, title):
        action = {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": records._name,
            "domain": [("id", "in", records.ids)],
            "view_mode": "list,form",
        }
        if len(records) == 1:
            action.update(view_mode="form", res_id=records.id)
        return action

    def _open_wizard(self, model, title, extra_context=None):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": dict(extra_context or {}, active_model=self._name, active_id=self.id,
                            default_request_id=self.id),
        }
