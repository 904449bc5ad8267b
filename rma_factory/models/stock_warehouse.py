from odoo import fields, models


class StockWarehouse(models.Model):
    """Every warehouse gets a return / quarantine location and a "Customer Returns" operation
    type (R-30): returned goods never land directly in saleable stock."""

    _inherit = "stock.warehouse"

    rma_quarantine_location_id = fields.Many2one(
        "stock.location", string="Returns Quarantine", check_company=True, copy=False,
        help="Where customer returns arrive and wait for inspection; not part of saleable stock.",
    )
    rma_rework_location_id = fields.Many2one(
        "stock.location", string="Returned Rework Stock", check_company=True, copy=False,
        help="Saleable location for returned goods that were reworked or found usable.",
    )
    rma_return_type_id = fields.Many2one(
        "stock.picking.type", string="Customer Returns Operation Type", check_company=True, copy=False,
    )

    def _get_locations_values(self, vals, code=False):
        values = super()._get_locations_values(vals, code=code)
        code = (vals.get("code") or code or "").replace(" ", "").upper()
        company_id = vals.get("company_id", self.default_get(["company_id"])["company_id"])
        values["rma_quarantine_location_id"] = {
            "name": self._rma_company_env(company_id)._("Returns Quarantine"),
            "active": True,
            "usage": "internal",
            "barcode": self._valid_barcode(code + "RMAQ", company_id),
        }
        return values

    def _get_sequence_values(self, name=False, code=False):
        values = super()._get_sequence_values(name=name, code=code)
        values["rma_return_type_id"] = {
            "name": self.env._("%(name)s Sequence customer returns", name=name or self.name),
            "prefix": (code or self.code) + "/" + (self.rma_return_type_id.sequence_code or "RMA") + "/",
            "padding": 5,
            "company_id": self.company_id.id,
        }
        return values

    def _get_picking_type_create_values(self, max_sequence):
        data, next_sequence = super()._get_picking_type_create_values(max_sequence)
        data["rma_return_type_id"] = {
            "name": self._rma_company_env(self.company_id.id)._("Customer Returns"),
            "code": "incoming",
            "use_create_lots": False,
            "use_existing_lots": True,
            "default_location_src_id": self.env.ref("stock.stock_location_customers").id,
            "default_location_dest_id": self.rma_quarantine_location_id.id,
            "sequence": next_sequence + 1,
            "sequence_code": "RMA",
            "company_id": self.company_id.id,
        }
        return data, next_sequence + 2

    def _get_picking_type_update_values(self):
        data = super()._get_picking_type_update_values()
        data["rma_return_type_id"] = {
            "active": self.active,
            "barcode": self.code.replace(" ", "").upper() + "RMA",
            "default_location_dest_id": self.rma_quarantine_location_id.id,
        }
        return data

    def _create_or_update_sequences_and_picking_types(self):
        created = super()._create_or_update_sequences_and_picking_types()
        # The operation type's name is translatable: every installed language reads it in its own
        # (it is created while the module installs, before Odoo loads our translations).
        if created.get("rma_return_type_id"):
            self.env["stock.picking.type"].browse(created["rma_return_type_id"]).update_field_translations("name", {
                lang: self.with_context(lang=lang).env._("Customer Returns")
                for lang, _name in self.env["res.lang"].get_installed()
            })
        return created

    def _rma_company_env(self, company_id):
        """An environment in the company's own language (its partner's), for the names of what
        we create that are not translatable (locations): taken from our translation file."""
        lang = self.env["res.company"].browse(company_id).partner_id.lang
        return self.with_context(lang=lang if lang and self.env["res.lang"]._lang_get(lang) else self.env.lang).env

    def _rma_set_up_returns(self):
        """Add the quarantine location and the returns operation type where they are missing
        (warehouses that existed before this module was installed)."""
        for warehouse in self.filtered(lambda w: not w.rma_return_type_id or not w.rma_quarantine_location_id):
            warehouse._create_missing_locations({})
            picking_types = warehouse._create_or_update_sequences_and_picking_types()
            if picking_types:
                warehouse.write(picking_types)

    def _rma_rework_location(self):
        """Saleable stock that stays recognisable as returned and reworked (退货返工品, seeds 1.6):
        a child of the warehouse's stock, made on first use."""
        self.ensure_one()
        if not self.rma_rework_location_id:
            self.sudo().rma_rework_location_id = self.env["stock.location"].sudo().create({
                "name": self._rma_company_env(self.company_id.id)._("Returned Rework"),
                "usage": "internal",
                "location_id": self.lot_stock_id.id,
                "company_id": self.company_id.id,
            })
        return self.rma_rework_location_id
