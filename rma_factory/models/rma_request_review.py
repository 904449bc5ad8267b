from odoo import api, fields, models
from odoo.exceptions import UserError

from .rma_request import DISPOSITION_STATES

# The goods are in: QA may organise the joint review.
REVIEW_STATES = ("received", *DISPOSITION_STATES)


class RmaRequest(models.Model):
    """Joint reviews (会审) of the request and their corrective actions (R-42)."""

    _inherit = "rma.request"

    review_ids = fields.One2many("rma.review", "request_id", string="Joint Reviews")
    review_count = fields.Integer(compute="_compute_review_count")
    capa_overdue_count = fields.Integer(compute="_compute_review_count", string="Overdue Actions")
    can_organise_review = fields.Boolean(compute="_compute_can_organise_review")

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_organise_review(self):
        is_quality = self.env.user.has_group("rma_factory.group_rma_quality")
        for request in self:
            request.can_organise_review = (
                # The button opens the review in preparation, or organises a new one (a second
                # review once the first is concluded).
                is_quality and request.state in REVIEW_STATES
            )

    def _compute_review_count(self):
        for request in self:
            # sudo: counted for the smart buttons of everyone who opens the request (the warehouse
            # reads no reviews).
            reviews = request.sudo().review_ids
            request.review_count = len(reviews)
            request.capa_overdue_count = len(reviews.capa_ids.filtered("is_overdue"))

    def action_organise_review(self):
        """QA organises the joint review (组织会审) with the people who examined the goods."""
        self.ensure_one()
        if not self.env.user.has_group("rma_factory.group_rma_quality"):
            raise UserError(self.env._("QA organises the joint review."))
        self._check_action_allowed("can_organise_review", self.env._("organise the joint review of"))
        review = self.review_ids.filtered(lambda r: r.state == "draft")[:1] or self.env["rma.review"].create({
            "request_id": self.id,
            "participant_ids": [(6, 0, (self.user_id | self.inspection_ids.inspector_id).ids)],
            "decision": self.customer_wish if self.customer_wish in ("return", "exchange", "claim") else False,
        })
        return self._open_records(review, self.env._("Joint Review"))

    def action_view_reviews(self):
        self.ensure_one()
        return self._open_records(self.review_ids, self.env._("Joint Reviews"))
