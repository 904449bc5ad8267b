import io
import math
from contextlib import contextmanager
from datetime import timedelta

from PIL import Image, ImageDraw

from odoo import api, fields, models
from odoo.tools import SQL


class RmaDemoLoader(models.AbstractModel):
    """Builds what the demo needs and XML alone cannot express: the company's books,
    stock on hand, and validated deliveries and posted invoices in the past.
    Called only from demo data."""

    _name = "rma.demo.loader"
    _description = "Returns demo data loader"

    @contextmanager
    def _automation_rules_on(self):
        """The demo is loaded while the module installs, before Odoo switches the automation
        rules on (base_automation patches the models once the registry is ready): switch them
        on for the demo's flows, so that their entries are posted as they would be in use."""
        if self.env.registry.ready:
            yield
            return
        self.env["base.automation"]._register_hook()
        try:
            yield
        finally:
            self.env["base.automation"]._unregister_hook()

    @api.model
    def _set_up_demo_company(self, company_id):
        company = self.env["res.company"].browse(company_id)
        if not company.chart_template:
            templates = self.env["account.chart.template"]._get_chart_template_mapping()
            # The Chinese chart when l10n_cn is there (a CN database has it), else the generic one.
            code = "cn" if "cn" in templates else "generic_coa"
            # _load, not try_loading: the latter warns when called while modules load, and
            # install_demo=True (its way around the warning) would add Odoo's sample invoices.
            self.env["account.chart.template"]._load(code, company, install_demo=False)
        if self.env["res.lang"]._lang_get("zh_CN"):
            # A Chinese company: what the module creates for it (locations) is named in Chinese.
            company.partner_id.lang = "zh_CN"
        if not self.env["stock.warehouse"].search_count([("company_id", "=", company.id)]):
            self.env["stock.warehouse"].create(
                {"name": "苏州总仓", "code": "SZ", "company_id": company.id,
                 "partner_id": company.partner_id.id}
            )
        # The factory works on Beijing time: deadlines count its working days there.
        company.resource_calendar_id.tz = "Asia/Shanghai"
        company.rma_calendar_id = company.resource_calendar_id
        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [fields.Command.link(company.id)], "company_id": company.id})
        if self.env["res.lang"]._lang_get("zh_CN"):
            demo_users = self.env["res.users"].search([("company_id", "=", company.id)])
            demo_users.write({"lang": "zh_CN"})

    @api.model
    def _put_demo_stock(self, company_id, rows):
        """rows: (product id, quantity, lot name or False) put in the company's main stock."""
        company = self.env["res.company"].browse(company_id)
        self = self.with_company(company)
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        quants = self.env["stock.quant"]
        for product_id, quantity, lot_name in rows:
            product = self.env["product.product"].browse(product_id)
            # The cost is per company: the demo XML set it for the company it loads in.
            cost = product.with_company(self.env.user.company_id).standard_price
            if cost and not product.standard_price:
                product.standard_price = cost
            lot = self.env["stock.lot"]
            if lot_name:
                lot = lot.create({"name": lot_name, "product_id": product.id, "company_id": company.id})
            quants |= quants.with_context(inventory_mode=True).create(
                {
                    "product_id": product.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "lot_id": lot.id,
                    "inventory_quantity": quantity,
                }
            )
        quants.action_apply_inventory()

    @api.model
    def _deliver_demo_orders(self, rows):
        """rows: (sale order id, days ago, fraction of each line delivered, invoice it)."""
        for order_id, days_ago, fraction, invoice in rows:
            order = self.env["sale.order"].browse(order_id)
            order = order.with_company(order.company_id)
            when = fields.Datetime.now() - timedelta(days=days_ago, hours=3)
            order.write({"date_order": when - timedelta(days=3)})
            order.action_confirm()
            if fraction:
                self._validate_delivery(order.picking_ids, fraction, when)
            if invoice:
                invoices = order._create_invoices()
                invoices.write({"invoice_date": when.date()})
                invoices.action_post()

    def _validate_delivery(self, pickings, fraction, when):
        picking = pickings.filtered(lambda p: p.state not in ("done", "cancel"))[:1]
        picking.action_assign()
        for move in picking.move_ids:
            wanted = math.floor(move.product_uom_qty * fraction)
            if move.product_id.tracking == "none":
                move.quantity = wanted
            else:
                # Reservation already picked the lots FIFO: keep them, trimmed to the quantity.
                remaining = wanted
                for line in move.move_line_ids:
                    line.quantity = min(line.quantity, remaining)
                    remaining -= line.quantity
            move.picked = True
        # A partial delivery keeps its backorder, as the warehouse would.
        picking.with_context(cancel_backorder=False)._action_done()
        picking.write({"date_done": when})
        picking.move_ids.write({"date": when})
        picking.move_ids.move_line_ids.write({"date": when})

    @api.model
    def _create_demo_requests(self):
        """Requests at every step of the approval, signed by the demo users of each role."""
        if self.env["res.lang"]._lang_get("zh_CN"):
            # The demo users work in Chinese: their chatter messages are written in it. Odoo loads
            # a module's translations only after its demo data, so load ours now for the step
            # names and model labels these messages quote.
            self.env["ir.module.module"]._load_module_terms(["rma_factory"], ["zh_CN"])
            self = self.with_context(lang="zh_CN")
        ref = self.env.ref
        if self.env["res.lang"]._lang_get("zh_CN"):
            # The demo customers are Chinese: their e-mails (acknowledgements, approvals) are too.
            partner_ids = self.env["ir.model.data"].search([
                ("module", "=", "rma_factory"), ("model", "=", "res.partner"),
                "|", ("name", "=like", "customer\\_%"), ("name", "=like", "contact\\_%"),
            ]).mapped("res_id")
            self.env["res.partner"].browse(partner_ids).write({"lang": "zh_CN"})
        rep, rep_south = ref("rma_factory.user_sales_rep"), ref("rma_factory.user_sales_rep_south")
        supervisor = ref("rma_factory.user_sales_supervisor")
        marketing = ref("rma_factory.user_marketing_manager")
        gm = ref("rma_factory.user_general_manager")

        def new_request(user, order_xmlid, quantities, **values):
            order = ref(f"rma_factory.{order_xmlid}")
            moves = order.order_line.move_ids.filtered(lambda m: m.state == "done")
            lines = []
            for product_xmlid, qty, reason in quantities:
                product = ref(f"rma_factory.{product_xmlid}")
                move = moves.filtered(lambda m, p=product: m.product_id == p)[:1]
                lots = move.move_line_ids.lot_id
                lines.append(fields.Command.create({
                    "origin_move_id": move.id, "quantity": qty, "reason": reason,
                    "lot_id": lots[:1].id if lots else False,
                }))
            Request = self.env["rma.request"].with_user(user).with_company(order.company_id)
            return Request.create(dict(
                values, partner_id=order.partner_id.id, team_id=order.team_id.id, line_ids=lines,
            ))

        waiting = new_request(rep, "sale_order_ruifeng_delivered_invoiced", [
            ("product_seal_ms35", 6, "机械密封运行一周后漏水"),
            ("product_pump_cp50", 2, "泵体渗漏，出口压力不足"),
        ], customer_wish="exchange", request_type="usage_failure", criterion_quality=True,
            contact_id=ref("rma_factory.contact_ruifeng_zhou").id, expected_arrival_place="苏州总仓退货区",
            freight_budget=600, description="<p>客户现场反映：两台CP-50泵运行一周后机械密封处漏水，附照片。</p>")
        waiting.with_user(rep).action_submit()
        waiting.with_user(supervisor)._action_approve_step("已电话核实，属质量问题，同意退换")

        approved = new_request(rep, "sale_order_pudong_delivered_not_invoiced", [
            ("product_motor_ye3", 2, "电机绕组烧毁"),
            ("product_vfd_75", 1, "变频器上电报故障E.OC"),
        ], customer_wish="return", request_type="incoming_rejection", criterion_quality=True,
            contact_id=ref("rma_factory.contact_pudong_xu").id, replenish_required=True,
            replenish_method="freight")
        approved.with_user(rep).action_submit()
        approved.with_user(rep)._record_verification(
            "confirmed", fields.Date.context_today(approved), "现场测试绝缘电阻为零，确认烧毁",
            self.env["ir.attachment"],
        )
        approved.with_user(supervisor)._action_approve_step("同意")
        approved.with_user(marketing)._action_approve_step("同意退货")
        approved.with_user(gm)._action_approve_step("同意，尽快安排回厂检验")

        second_approved = new_request(rep, "sale_order_ruifeng_delivered_invoiced", [
            ("product_motor_ye3", 2, "电机轴承异响，温升高"),
            ("product_seal_ms35", 10, "密封件批次不良"),
        ], customer_wish="return", request_type="incoming_rejection", criterion_quality=True,
            contact_id=ref("rma_factory.contact_ruifeng_wu").id)
        second_approved.with_user(rep).action_submit()
        second_approved.with_user(supervisor)._action_approve_step("同意")
        second_approved.with_user(marketing)._action_approve_step("同意")
        second_approved.with_user(gm)._action_approve_step("同意退货，回厂检验")

        rejected = new_request(rep_south, "sale_order_zhujiang_partial", [
            ("product_gearbox_gr80", 1, "客户称噪音大"),
        ], customer_wish="return", request_type="usage_failure", criterion_other=True,
            criterion_other_reason="wrong_model")
        rejected.with_user(rep_south).action_submit()
        rejected.with_user(supervisor)._action_approve_step("转营销经理判定")
        rejected.with_user(marketing)._action_reject("速比选型由客户确认，非我司责任；建议打折处理")

        new_request(rep_south, "sale_order_tianfu_parts", [
            ("product_bearing_6205", 10, "轴承异响"),
        ], customer_wish="supplement", request_type="usage_failure", criterion_quality=True)

        out_of_warranty = new_request(rep, "sale_order_haiyi_old", [
            ("product_valve_dn50", 4, "阀门关闭不严"),
        ], customer_wish="repair", request_type="usage_failure", criterion_quality=True)
        out_of_warranty.feedback_ids = [fields.Command.create({
            "content": "客户要求免费维修两年前的闸阀", "measure": "已说明超出保修期，报价维修",
            "handler_id": rep.id, "state": "in_progress",
        })]
        keeper = ref("rma_factory.user_warehouse_keeper")
        tianfu_delivery = ref("rma_factory.sale_order_tianfu_parts").picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing")
        bearing = ref("rma_factory.product_bearing_6205")
        Incident = self.env["rma.carrier.incident"].with_user(keeper).with_company(tianfu_delivery.company_id)
        Incident.create({
            "incident_type": "damage", "picking_id": tianfu_delivery.id, "carrier_name": "德邦物流",
            "waybill": "DB20261121008", "arrival_datetime": fields.Datetime.now(),
            "notes": "外箱挤压变形，2只压力表表盘破裂",
        })
        Incident.create({
            "incident_type": "shortage", "picking_id": tianfu_delivery.id, "carrier_name": "顺丰快运",
            "arrival_datetime": fields.Datetime.now(),
            "line_ids": [fields.Command.create({
                "product_id": move.product_id.id, "delivered_qty": move.quantity,
                "received_qty": move.quantity - (10 if move.product_id == bearing else 0),
            }) for move in tianfu_delivery.move_ids],
            "notes": "包装完好，开箱少10只轴承",
        })
        waiting.feedback_ids = [fields.Command.create({
            "content": "客户催促尽快发替换机械密封", "measure": "已安排先发6套密封，押金另议",
            "handler_id": rep.id, "state": "done",
        })]

    # Stage durations of the demo (hours): a realistic spread, varied per request.
    DEMO_STAGE_HOURS = {
        "draft": (2, 6), "to_approve": (8, 40), "rejected": (24, 48), "approved": (48, 120),
        "partially_received": (24, 48), "received": (12, 36), "inspected": (24, 72), "processing": (48, 120),
        "verified": (8, 24), "gm_approved": (4, 24),
    }

    @api.model
    def _backdate_demo_history(self):
        """The demo's requests all ran today: spread them over the last three months (request
        date and stage durations), so that the monthly statistics and the cycle times show months."""
        company = self.env.ref("rma_factory.company_hg_pump")
        requests = self.env["rma.request"].search([("company_id", "=", company.id)], order="id")
        logs = self.env["rma.request.state.log"].search([("request_id", "in", requests.ids)], order="date_start, id")
        now = fields.Datetime.now()
        ages = (0, 4, 12, 26, 38, 47, 58, 66)
        for index, request in enumerate(requests):
            stays = logs.filtered(lambda log, request=request: log.request_id == request)
            durations = []
            for position, stay in enumerate(stays):
                low, high = self.DEMO_STAGE_HOURS.get(stay.state, (4, 8))
                durations.append(low + (request.id * 7 + position * 13) % (high - low + 1) if stay.date_end else None)
            start = now - timedelta(hours=sum(d for d in durations if d), days=ages[index % len(ages)])
            start = start.replace(hour=1, minute=17 * index % 60, second=0, microsecond=0)
            self.env.cr.execute(SQL("UPDATE rma_request SET request_date = %s WHERE id = %s", start.date(), request.id))
            for stay, hours in zip(stays, durations, strict=True):
                end = start + timedelta(hours=hours) if hours else None
                self.env.cr.execute(SQL(
                    "UPDATE rma_request_state_log SET date_start = %s, date_end = %s, duration_hours = %s, "
                    "duration_days = %s WHERE id = %s", start, end, hours, hours / 24 if hours else None, stay.id,
                ))
                start = end or start
        self.env.invalidate_all()
        # Last month's statistics, as the monthly scheduled action leaves them (without its message).
        month = fields.Date.context_today(self).replace(day=1) - timedelta(days=1)
        statistics = self.env["rma.monthly.statistics"].create({
            "company_id": company.id, "year": month.year, "month": str(month.month),
        })
        statistics.with_context(lang=company.partner_id.lang or self.env.lang)._generate()

    @api.model
    def _create_demo_portal_request(self):
        """A request the demo customer (login customer) sent on the portal, with a photo (#14)."""
        user = self.env.ref("rma_factory.user_portal_customer")
        order = self.env.ref("rma_factory.sale_order_ruifeng_delivered_invoiced")
        Request = self.env["rma.request"].with_user(user).with_context(lang=user.lang or self.env.lang)
        returnable = Request._portal_returnable_moves(order)
        if not returnable:
            return
        move = returnable[0][0]
        photo = io.BytesIO()
        image = Image.new("RGB", (320, 240), (235, 235, 235))
        ImageDraw.Draw(image).ellipse((110, 70, 210, 170), fill=(40, 90, 200))  # the leak
        image.save(photo, format="JPEG")
        Request._portal_create_request(
            user.partner_id, order,
            [{"move_id": move.id, "quantity": 1, "reason": "安装后三天出口法兰处渗水", "wish": "exchange"}],
            {"description": "现场照片见附件，请尽快安排更换。", "client_reference": "RF-RMA-2611"},
            [("渗水照片.jpg", photo.getvalue())],
        )
