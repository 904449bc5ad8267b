from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import format_list


class RmaRequest(models.Model):
    """Intake from deliveries (R-12): a new request prefilled with what is left to return."""

    _inherit = "rma.request"

    @api.model
    def _action_new_from_moves(self, moves, partner, team=None):
        line_values = self.env["rma.request.line"]._prepare_from_moves(moves)
        if not line_values:
            raise UserError(self.env._(
                "Everything delivered on %(documents)s is already returned or on a return request.",
                documents=format_list(self.env, moves.picking_id.mapped("name")),
            ))
        context = {
            "default_partner_id": partner.commercial_partner_id.id,
            "default_company_id": moves.company_id[:1].id,
            "default_line_ids": [(0, 0, values) for values in line_values],
        }
        if partner.parent_id:
            context["default_contact_id"] = partner.id
        if team:
            context["default_team_id"] = team.id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Return Request"),
            "res_model": "rma.request",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }
