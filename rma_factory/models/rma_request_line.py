from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import float_compare, format_date, format_list

from .rma_request import LINES_EDITABLE_STATES

# A request in these states holds no delivered quantity: the next request from the same delivery
# may take it (submitting re-checks).
QUANTITY_FREE_STATES = ("draft", "rejected", "cancel")

# Line fields whose change alters what was approved (R-20: the chain restarts).
APPROVAL_RELEVANT_FIELDS = {
    "product_id", "quantity", "price_unit", "origin_move_id", "sale_line_id", "lot_id", "uom_id",
}


class RmaRequestLine(models.Model):
    """A returned product on a request: what, how many, from which delivery, and why."""

    _name = "rma.request.line"
    _description = "Customer Return Request Line"
    # Once the request is closed (结案) its lines are part of the final file.
    _inherit = ["rma.request.document"]
    _order = "request_id, sequence, id"
    _rec_names_search = ["product_id", "lot_id"]
    _check_company_auto = True
    _rma_fixed_fields = ("request_id",)
    _rma_char_limits = {"specification": 100}

    request_id = fields.Many2one("rma.request", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="request_id.currency_id")
    state = fields.Selection(related="request_id.state", string="Request State")
    partner_id = fields.Many2one(related="request_id.commercial_partner_id", string="Customer")

    origin_move_id = fields.Many2one(
        "stock.move", string="Delivery Line", check_company=True, index="btree_not_null",
        domain="[('picking_code', '=', 'outgoing'), ('state', '=', 'done'), "
        "('partner_id.commercial_partner_id', '=', partner_id)]",
        help="The delivered move the goods come from: it limits the quantity and dates the warranty.",
    )
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sale Order Line", compute="_compute_sale_line_id", store=True,
        readonly=False, precompute=True, check_company=True, index="btree_not_null",
    )
    product_id = fields.Many2one(
        "product.product", required=True, check_company=True, index=True,  # the requests' search by product
        compute="_compute_from_origin_move", store=True, readonly=False, precompute=True,
    )
    specification = fields.Char(
        string="Specification / Model", compute="_compute_specification", store=True, readonly=False
    )
    uom_id = fields.Many2one(
        "uom.uom", string="Unit", required=True,
        compute="_compute_from_origin_move", store=True, readonly=False, precompute=True,
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    price_unit = fields.Monetary(
        string="Unit Price", compute="_compute_price_unit", store=True, readonly=False, precompute=True
    )
    amount = fields.Monetary(compute="_compute_amount", store=True)
    tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial", check_company=True, index="btree_not_null",  # search by lot
        domain="[('product_id', '=', product_id)]",
    )
    production_date = fields.Date()
    reason = fields.Text(string="Return Reason")

    # Eligibility criterion A: the warranty, counted from delivery.
    delivery_date = fields.Date(compute="_compute_warranty", store=True, string="Delivered On")
    warranty_months = fields.Integer(compute="_compute_warranty", store=True, string="Warranty (months)")
    warranty_end_date = fields.Date(compute="_compute_warranty", store=True, string="Warranty Ends")
    in_warranty = fields.Boolean(compute="_compute_warranty", store=True)

    _quantity_positive = models.Constraint(
        "CHECK (quantity > 0)", "The quantity to return must be positive."
    )

    # ------------------------------------------------------------------ computes

    @api.depends("product_id", "lot_id", "quantity")
    def _compute_display_name(self):
        for line in self:
            lot = f" ({line.lot_id.name})" if line.lot_id else ""
            line.display_name = f"{line.product_id.display_name or ''}{lot} × {line.quantity:g}"

    @api.depends("origin_move_id")
    def _compute_from_origin_move(self):
        for line in self:
            move = line.origin_move_id
            if move:
                line.product_id = move.product_id
                line.uom_id = move.product_uom
            elif not line.uom_id and line.product_id:
                line.uom_id = line.product_id.uom_id

    # A done delivery's move keeps its sale line: depending on the move alone spares every stock
    # move write of the company a search of our lines.
    @api.depends("origin_move_id")
    def _compute_sale_line_id(self):
        for line in self:
            if line.origin_move_id:
                line.sale_line_id = line.origin_move_id.sale_line_id

    @api.depends("product_id")
    def _compute_specification(self):
        for line in self:
            if line.product_id and not line.specification:
                line.specification = line.product_id.description_sale or line.product_id.default_code

    @api.depends("sale_line_id", "product_id")
    def _compute_price_unit(self):
        for line in self:
            if line.sale_line_id:
                line.price_unit = line.sale_line_id.price_reduce_taxexcl
            elif not line.price_unit and line.product_id:
                line.price_unit = line.product_id.lst_price

    @api.depends("quantity", "price_unit")
    def _compute_amount(self):
        for line in self:
            line.amount = line.quantity * line.price_unit

    # Our own fields only (the origin move is a done delivery: its date is final). A product's or
    # category's new warranty reaches the draft requests from their side (product_template.py,
    # product_category.py) rather than every product write searching our lines.
    @api.depends("origin_move_id", "production_date", "request_id.submitted_date", "product_id")
    def _compute_warranty(self):
        for line in self:
            start = line.origin_move_id.date.date() if line.origin_move_id.date else line.production_date
            months = line.product_id.product_tmpl_id.rma_effective_warranty_months
            line.delivery_date = line.origin_move_id.date.date() if line.origin_move_id.date else False
            line.warranty_months = months
            try:
                line.warranty_end_date = start + relativedelta(months=months) if start and months else False
            except (OverflowError, ValueError):
                # A date being typed in the form (year 9999): no warranty until it is corrected.
                line.warranty_end_date = False
            # Counted up to the day the request was submitted (today for a draft), never up to the
            # request date the rep types: back-dating it does not bring a product back in warranty.
            submitted = line.request_id.submitted_date
            reference_date = submitted.date() if submitted else fields.Date.context_today(line)
            line.in_warranty = bool(line.warranty_end_date and reference_date <= line.warranty_end_date)

    @api.model
    def _recompute_draft_warranties(self, products):
        """`products`' warranty changed: the lines of requests still in draft follow (a submitted
        request keeps the warranty it was judged on)."""
        lines = self.sudo().search([
            ("product_id", "in", products.ids), ("request_id.state", "in", ("draft", "rejected")),
        ])
        if lines:
            lines.modified(["product_id"])

    # ------------------------------------------------------------------ onchange

    @api.onchange("product_id")
    def _onchange_product_pick_delivery(self):
        """Picking a product without a delivery line takes the customer's latest delivery of it
        that still has quantity to return (R-12: products come from the customer's deliveries)."""
        if not self.product_id or self.origin_move_id or not self.partner_id:
            return
        moves = self.env["stock.move"].search(
            self._delivered_moves_domain(self.partner_id) & Domain("product_id", "=", self.product_id.id),
            order="date desc", limit=20,
        )
        available = self._available_quantities(moves)
        move = next((m for m in moves if available[m.id] > 0), False)
        if move:
            self.origin_move_id = move
            self.quantity = min(self.quantity or available[move.id], available[move.id])

    # ------------------------------------------------------------------ delivered quantities

    @api.model
    def _delivered_moves_domain(self, partner):
        return Domain([
            ("picking_code", "=", "outgoing"),
            ("state", "=", "done"),
            ("location_dest_id.usage", "=", "customer"),
            ("partner_id.commercial_partner_id", "=", partner.commercial_partner_id.id),
        ])

    @api.model
    def _returned_outside_requests(self, moves):
        """Quantity per delivery move already sent back by a plain Odoo return (not through a request)."""
        groups = self.env["stock.move"].sudo()._read_group(
            [("origin_returned_move_id", "in", moves.ids), ("state", "=", "done"),
             ("rma_request_line_id", "=", False)],
            ["origin_returned_move_id"], ["quantity:sum"],
        )
        return {move.id: qty for move, qty in groups}

    @api.model
    def _requested_quantities(self, moves, exclude_requests=None):
        """Quantity per delivery move claimed by submitted requests: not a draft nobody sent, not
        rejected, cancelled, settled or withdrawn."""
        domain = Domain([
            ("origin_move_id", "in", moves.ids),
            ("request_id.state", "not in", QUANTITY_FREE_STATES),
            ("request_id.outcome", "not in", ("discount", "withdrawn")),
        ])
        if exclude_requests:
            domain &= Domain("request_id", "not in", exclude_requests.ids)
        groups = self.sudo()._read_group(domain, ["origin_move_id"], ["quantity:sum"])
        return {move.id: qty for move, qty in groups}

    @api.model
    def _available_quantities(self, moves):
        """What may still be requested per delivery move: delivered - returned - requested."""
        returned = self._returned_outside_requests(moves)
        requested = self._requested_quantities(moves)
        return {
            move.id: move.quantity - returned.get(move.id, 0.0) - requested.get(move.id, 0.0)
            for move in moves
        }

    @api.model
    def _prepare_from_moves(self, moves):
        """Line values for every delivered move that still has something to return."""
        available = self._available_quantities(moves)
        values = []
        for move in moves:
            quantity = available[move.id]
            if float_compare(quantity, 0, precision_rounding=move.product_uom.rounding) <= 0:
                continue
            lots = move.move_line_ids.lot_id
            values.append({
                "origin_move_id": move.id,
                "product_id": move.product_id.id,
                "uom_id": move.product_uom.id,
                "quantity": quantity,
                "lot_id": lots.id if len(lots) == 1 else False,
            })
        return values

    # ------------------------------------------------------------------ checks

    @api.constrains("price_unit", "production_date")
    def _check_price_and_dates(self):
        today = fields.Date.context_today(self)
        for line in self:
            if line.price_unit < 0:
                raise ValidationError(self.env._(
                    "%(line)s: the unit price can't be negative (got %(price)s).",
                    line=line._error_label(), price=line.price_unit,
                ))
            if line.production_date and line.production_date > today:
                raise ValidationError(self.env._(
                    "%(line)s: the production date %(date)s is in the future.",
                    line=line._error_label(), date=format_date(self.env, line.production_date),
                ))

    @api.constrains("quantity", "origin_move_id", "lot_id", "product_id")
    def _check_quantity(self):
        # Checked before anything queries the database: the query would flush the row and hit
        # the SQL constraint, whose message is less helpful.
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(self.env._(
                    "%(line)s: the quantity to return must be positive (got %(qty)s).",
                    line=line._error_label(), qty=line.quantity,
                ))
        self._check_against_delivery()

    @api.constrains("sale_line_id", "product_id", "origin_move_id")
    def _check_sale_line(self):
        """The sale line prices the line and its refund: it is the customer's own order of the same
        product, and the delivery line's own when the goods come from a delivery."""
        for line in self.filtered("sale_line_id"):
            # sudo: a rep may not read a sale order of another team; what it says is checked all the same.
            sale_line = line.sale_line_id.sudo()
            delivered_from = line.origin_move_id.sudo().sale_line_id
            if delivered_from and sale_line != delivered_from:
                raise ValidationError(self.env._(
                    "%(line)s: the delivery line comes from %(order)s, not from the sale order line chosen.",
                    line=line._error_label(), order=delivered_from.order_id.name,
                ))
            if sale_line.order_id.partner_id.commercial_partner_id != line.request_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "%(line)s: sale order %(order)s is not an order of %(customer)s.",
                    line=line._error_label(), order=sale_line.order_id.name,
                    customer=line.request_id.partner_id.display_name,
                ))
            # A delivered kit's components come from the kit's sale line: the delivery decides then.
            if not delivered_from and sale_line.product_id != line.product_id:
                raise ValidationError(self.env._(
                    "%(line)s: the sale order line of %(order)s is for %(product)s.",
                    line=line._error_label(), order=sale_line.order_id.name,
                    product=sale_line.product_id.display_name,
                ))

    def _check_against_delivery(self):
        lines = self.filtered("origin_move_id")
        moves = lines.origin_move_id
        if not moves:
            return
        # One query for all lines: what the other submitted requests claim per delivery move; the
        # lines' own requests claim what their lines say, submitted or not.
        returned = self._returned_outside_requests(moves)
        requested = self._requested_quantities(moves, exclude_requests=lines.request_id)
        own = defaultdict(float)
        for own_line in lines.request_id.line_ids.filtered(lambda item: item.origin_move_id in moves):
            own[own_line.request_id, own_line.origin_move_id] += own_line.quantity
        for line in lines:
            move = line.origin_move_id
            label = line._error_label()
            twins = line.request_id.line_ids.filtered(lambda other, move=move: other.origin_move_id == move)
            if len(twins) > 1:
                raise ValidationError(self.env._(
                    "%(line)s: delivery line %(delivery)s is already on this request; put the whole "
                    "quantity on one line.", line=label, delivery=move.picking_id.name,
                ))
            if move.state != "done" or move.picking_code != "outgoing" or move.location_dest_id.usage != "customer":
                raise ValidationError(self.env._(
                    "%(line)s: %(move)s is not a delivery that reached the customer (only goods we shipped "
                    "come back on a request).",
                    line=label, move=move.reference or move.display_name,
                ))
            if line.request_id.commercial_partner_id != move.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "%(line)s: delivery %(delivery)s went to %(other)s, not to %(customer)s.",
                    line=label, delivery=move.picking_id.name,
                    other=move.partner_id.commercial_partner_id.display_name,
                    customer=line.request_id.partner_id.display_name,
                ))
            if move.product_id != line.product_id:
                raise ValidationError(self.env._(
                    "%(line)s: delivery line %(delivery)s is for %(product)s.",
                    line=label, delivery=move.picking_id.name, product=move.product_id.display_name,
                ))
            if line.lot_id and line.lot_id not in move.move_line_ids.lot_id:
                raise ValidationError(self.env._(
                    "%(line)s: lot %(lot)s was not delivered on %(delivery)s (delivered lots: %(lots)s).",
                    line=label, lot=line.lot_id.name, delivery=move.picking_id.name,
                    lots=format_list(self.env, move.move_line_ids.lot_id.mapped("name")) or "-",
                ))
            claimed = requested.get(move.id, 0.0) + own[line.request_id, move]
            limit = move.quantity - returned.get(move.id, 0.0)
            if float_compare(claimed, limit, precision_rounding=move.product_uom.rounding) > 0:
                raise ValidationError(self.env._(
                    "%(line)s: %(qty)s %(uom)s requested, but only %(available)s %(uom)s can still be "
                    "returned from %(delivery)s (delivered %(delivered)s, already returned %(returned)s, "
                    "on other requests %(others)s).",
                    line=label, qty=line.quantity, uom=line.uom_id.name,
                    available=max(limit - (claimed - line.quantity), 0), delivery=move.picking_id.name,
                    delivered=move.quantity, returned=returned.get(move.id, 0.0),
                    others=claimed - line.quantity,
                ))

    def _error_label(self):
        self.ensure_one()
        # Lines of a form not saved yet are new records: compare the records, not their ids.
        lines = list(self.request_id.line_ids)
        if self not in lines:
            return self.env._("Line (%(product)s)", product=self.product_id.display_name)
        return self.env._("Line %(position)s (%(product)s)", position=lines.index(self) + 1,
                          product=self.product_id.display_name)

    def _warranty_problem(self):
        """Why this line fails criterion A, or False."""
        self.ensure_one()
        if self.in_warranty:
            return False
        if not self.warranty_months:
            return self.env._("%(line)s: the product has no warranty.", line=self._error_label())
        if not self.warranty_end_date:
            return self.env._(
                "%(line)s: no delivery or production date to count the warranty from.",
                line=self._error_label(),
            )
        return self.env._(
            "%(line)s: out of warranty since %(end)s (%(months)s-month warranty from %(start)s).",
            line=self._error_label(), end=format_date(self.env, self.warranty_end_date),
            months=self.warranty_months,
            start=format_date(self.env, self.delivery_date or self.production_date),
        )

    # ------------------------------------------------------------------ approval chain reset

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_lines_editable()
        lines.request_id._on_lines_changed()
        return lines

    def write(self, vals):
        if APPROVAL_RELEVANT_FIELDS.intersection(vals):
            self._check_lines_editable()
        result = super().write(vals)
        if APPROVAL_RELEVANT_FIELDS.intersection(vals):
            self.request_id._on_lines_changed()
        return result

    def unlink(self):
        self._check_lines_editable()
        requests = self.request_id
        result = super().unlink()
        requests._on_lines_changed()
        return result

    def _check_lines_editable(self):
        for line in self:
            if line.request_id.state not in LINES_EDITABLE_STATES:
                raise UserError(self.env._(
                    "%(request)s is approved: its products and quantities can no longer change. "
                    "Reset it to draft to change them (the approval starts again).",
                    request=line.request_id.name,
                ))
