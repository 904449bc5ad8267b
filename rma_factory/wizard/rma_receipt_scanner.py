from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_list


class RmaReceiptScanner(models.TransientModel):
    """The warehouse keeper's scanning screen for customer returns (R-32).

    Scans run as onchanges on this screen: they only count in memory, so a scan costs a few
    queries and a wrong scan changes nothing. "Validate" writes the counted quantities on the
    receipt and validates it through Odoo's own button_validate (backorders included)."""

    _name = "rma.receipt.scanner"
    _inherit = ["barcodes.barcode_events_mixin"]
    _description = "Customer Return Scanner"

    picking_id = fields.Many2one(
        "stock.picking", string="Return Receipt",
        domain="[('rma_request_id', '!=', False), ('state', 'not in', ('done', 'cancel'))]",
    )
    request_id = fields.Many2one(related="picking_id.rma_request_id", string="Return Request")
    partner_id = fields.Many2one(related="picking_id.partner_id", string="Customer")
    line_ids = fields.One2many("rma.receipt.scanner.line", "scanner_id", string="Lines")
    typed_barcode = fields.Char(
        string="Type a Barcode", help="Without a scanner: type the code here and press Enter.",
    )
    doc_return_list = fields.Boolean(string="Customer's Return List")
    doc_waybill = fields.Boolean(string="Waybill")
    message = fields.Char(readonly=True)
    message_type = fields.Selection(
        [("info", "Info"), ("success", "Success"), ("danger", "Error")], default="info", readonly=True,
    )

    @api.depends("picking_id")
    def _compute_display_name(self):
        for scanner in self:
            scanner.display_name = scanner.picking_id.name or self.env._("Scan Customer Returns")

    @api.onchange("picking_id")
    def _onchange_picking_id(self):
        self.line_ids = [Command.clear()] + [
            Command.create({"move_id": move.id, "lot_id": move.rma_request_line_id.lot_id.id, "scanned_qty": 0.0})
            for move in self.picking_id.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        ]
        self.doc_return_list = self.picking_id.rma_doc_return_list
        self.doc_waybill = self.picking_id.rma_doc_waybill

    @api.onchange("typed_barcode")
    def _onchange_typed_barcode(self):
        if self.typed_barcode:
            code, self.typed_barcode = self.typed_barcode, False
            return self.on_barcode_scanned(code)
        return None

    # ------------------------------------------------------------------ scanning

    def on_barcode_scanned(self, barcode):
        barcode = (barcode or "").strip()
        receipt = self._find_receipt(barcode)
        if receipt:
            self.picking_id = receipt
            self._onchange_picking_id()
            return self._say("info", self.env._(
                "%(receipt)s opened (%(request)s, %(customer)s): scan the products.",
                receipt=receipt.name, request=receipt.rma_request_id.name, customer=receipt.partner_id.name,
            ))
        if not self.picking_id:
            return self._refuse(self.env._("%s is not a return request or a return receipt to receive.", barcode))
        product_code, lot_name, quantity = self._parse_barcode(barcode)
        product, lot = self._find_product_and_lot(product_code, lot_name)
        if not product:
            return self._refuse(self.env._("Unknown barcode %s: nothing counted.", barcode))
        lines = self.line_ids.filtered(lambda line: line.product_id == product)
        if not lines:
            return self._refuse(self.env._(
                "%(product)s is not on %(receipt)s: nothing counted.",
                product=product.display_name, receipt=self.picking_id.name,
            ))
        delivered_lots = lines.move_id.origin_returned_move_id.move_line_ids.lot_id
        if lot and lot not in delivered_lots:
            return self._refuse(self.env._(
                "Lot %(lot)s was not delivered on this return's delivery (delivered: %(lots)s): nothing counted.",
                lot=lot.name, lots=format_list(self.env, delivered_lots.mapped("name")) or "-",
            ))
        line = (lines.filtered(lambda line: lot and line.lot_id == lot) or lines)[:1]
        if float_compare(line.scanned_qty + quantity, line.expected_qty,
                         precision_rounding=product.uom_id.rounding) > 0:
            return self._refuse(self.env._(
                "%(product)s: %(qty)s more would exceed the %(expected)s requested: nothing counted.",
                product=product.display_name, qty=f"{quantity:g}", expected=f"{line.expected_qty:g}",
            ))
        line.scanned_qty += quantity
        if lot and not line.lot_id:
            line.lot_id = lot
        return self._say("success", self.env._(
            "%(product)s: %(scanned)s / %(expected)s", product=product.display_name,
            scanned=f"{line.scanned_qty:g}", expected=f"{line.expected_qty:g}",
        ))

    def _find_receipt(self, barcode):
        Picking = self.env["stock.picking"]
        receipts = Picking.search([
            ("rma_request_id", "!=", False), ("state", "not in", ("done", "cancel")),
            "|", ("name", "=", barcode), ("rma_request_id.name", "=", barcode),
        ], order="id", limit=1)
        return receipts

    def _parse_barcode(self, barcode):
        """(product code, lot name, quantity): GS1 when the company's nomenclature is GS1,
        else the barcode itself, which may be a product barcode or a lot/serial number."""
        nomenclature = self.env.company.nomenclature_id
        if nomenclature.is_gs1_nomenclature:
            parts = nomenclature.gs1_decompose_extended(barcode) or []
            values = {part["type"]: part["value"] for part in parts}
            if values:
                return values.get("product"), values.get("lot"), float(values.get("quantity") or 1.0)
        return barcode, barcode, 1.0

    def _find_product_and_lot(self, product_code, lot_name):
        expected = self.line_ids.product_id
        product = self.env["product.product"]
        if product_code:
            codes = {product_code, product_code.lstrip("0")}
            product = product.search([("barcode", "in", list(codes))], limit=1)
        lot = self.env["stock.lot"]
        if (lot_name and lot_name != product_code) or not product:
            lot = lot.search([("name", "=", lot_name), ("product_id", "in", (product or expected).ids)], limit=1)
            product = product or lot.product_id
        return product, lot

    def _say(self, kind, message):
        self.message = message
        self.message_type = kind
        return {}

    def _refuse(self, message):
        self._say("danger", message)
        return {"warning": {"title": self.env._("Scan refused"), "message": message, "type": "notification"}}

    # ------------------------------------------------------------------ validation

    def action_validate(self):
        self.ensure_one()
        picking = self.picking_id
        if not picking:
            raise UserError(self.env._("Scan a return request or receipt first."))
        if not any(line.scanned_qty for line in self.line_ids):
            raise UserError(self.env._("Nothing was scanned on %s.", picking.name))
        picking.write({"rma_doc_return_list": self.doc_return_list, "rma_doc_waybill": self.doc_waybill})
        for line in self.line_ids:
            line._apply_to_move()
        result = picking.button_validate()
        if isinstance(result, dict):
            # Odoo asks about the backorder first (a shortage, the common case here): its answer
            # then comes back to this screen, saying the receipt was validated.
            result["context"] = dict(result.get("context") or {}, rma_scanner_validated=picking.name)
            return result
        return self._validated_screen(picking.name)

    @api.model
    def _validated_screen(self, receipt_name):
        """A fresh scanner, ready for the next parcel, saying which receipt was validated."""
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_message": self.env._("%s validated.", receipt_name),
                        "default_message_type": "success"},
        }


class RmaReceiptScannerLine(models.TransientModel):
    _name = "rma.receipt.scanner.line"
    _description = "Customer Return Scanner Line"

    scanner_id = fields.Many2one("rma.receipt.scanner", required=True, ondelete="cascade")
    move_id = fields.Many2one("stock.move", required=True)
    product_id = fields.Many2one(related="move_id.product_id")
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial")
    expected_qty = fields.Float(related="move_id.product_uom_qty", string="Expected")
    scanned_qty = fields.Float(string="Scanned", digits="Product Unit")

    def _apply_to_move(self):
        self.ensure_one()
        move = self.move_id
        if self.product_id.tracking != "none" and self.lot_id:
            move.move_line_ids.unlink()
            move.write({"move_line_ids": [Command.create({
                "product_id": self.product_id.id, "lot_id": self.lot_id.id, "quantity": self.scanned_qty,
                "location_id": move.location_id.id, "location_dest_id": move.location_dest_id.id,
                "product_uom_id": move.product_uom.id, "picking_id": move.picking_id.id,
            })]})
        else:
            move.quantity = self.scanned_qty
        move.picked = bool(self.scanned_qty)
