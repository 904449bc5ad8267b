from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import mute_logger


class RmaDemoLoader(models.AbstractModel):
    """Demo returns after the warehouse: one waiting for QC, one in disposition with its joint
    review, corrective actions and assessment, one closed, and an advance replacement waiting
    for its deposit; then the returns whose accounting Finance works on. Each step is done by the
    demo user of the role, through the same methods as the buttons."""

    _inherit = "rma.demo.loader"

    @api.model
    def _create_demo_quality_flow(self):
        with self._automation_rules_on():
            self._create_demo_quality_flow_steps()

    def _create_demo_quality_flow_steps(self):
        if self.env["res.lang"]._lang_get("zh_CN"):
            self = self.with_context(lang="zh_CN")
        ref = self.env.ref
        company = ref("rma_factory.company_hg_pump")
        self = self.with_company(company)
        users = self._demo_users()
        company.rma_inspector_id = users["qc"]
        company.rma_finance_user_id = users["finance"]
        self._set_up_demo_departments(company)

        # 1. Waiting for QC: 11 impellers back from 成都天府, 2 samples required.
        waiting = self._demo_request(users, "rep_south", "sale_order_tianfu_parts", [
            ("product_impeller_50", 11, "叶轮铸造砂眼，运行振动大"),
        ], customer_wish="exchange")
        self._demo_receive(waiting, users["keeper"])

        # 2. In disposition: pumps with a confirmed defect, seals found good.
        processing = self._demo_request(users, "rep", "sale_order_ruifeng_delivered_invoiced", [
            ("product_pump_cp50", 4, "出口压力不足，泵体渗漏"),
            ("product_seal_ms35", 6, "客户称密封漏水"),
        ], customer_wish="exchange")
        self._demo_receive(processing, users["keeper"])
        self._demo_inspect(processing, users["qc"], {
            "product_pump_cp50": ("confirmed", 1, "泵体铸件气孔导致渗漏，1台无法修复"),
            "product_seal_ms35": ("not_confirmed", 0, "密封件检测合格，系客户安装不当"),
        })
        review = self.env["rma.review"].with_user(users["qc"]).create({
            "request_id": processing.id,
            "participant_ids": [Command.set([users["production"].id, users["rep"].id, users["gm"].id])],
            "decision": "exchange",
            "cause_analysis": "<p>泵体铸件存在气孔，压铸工序保压时间不足；密封件本身合格，系客户安装时未加润滑。</p>",
            "technical_analysis": "<p>3台可更换泵体返修，1台报废；预计返修工时12小时。</p>",
            "cost_estimate": 4200,
            "capa_ids": [
                Command.create({
                    "action_type": "corrective", "owner_id": users["production"].id,
                    "description": "调整压铸保压时间并对在库泵体全检",
                    "date_due": fields.Date.context_today(self) - timedelta(days=3),
                }),
                Command.create({
                    "action_type": "preventive", "owner_id": users["production"].id,
                    "description": "在泵体进厂检验中增加气密性抽检",
                    "date_due": fields.Date.context_today(self) + timedelta(days=20),
                }),
            ],
        })
        review.with_user(users["qc"]).action_conclude()
        processing.with_user(users["gm"]).write({
            "responsibility_category_id": ref("rma_factory.responsibility_product_quality").id,
            "responsibility_note": "铸件质量问题，费用由生产系统承担",
        })
        self.env["rma.assessment"].with_user(users["gm"]).create({
            "request_id": processing.id, "user_id": users["production"].id, "department": "生产部",
            "points": 2, "amount": 200, "reason": "压铸工序参数未按工艺执行，导致批量气孔",
        })
        processing.with_user(users["qc"]).action_propose_dispositions()
        processing.disposition_ids.with_user(users["qc"]).action_start()
        # Its RMA report waits for 周建国's answer on the portal.
        self._demo_customer_report(processing, users)

        # 3. Closed: couplings judged good, sent back unchanged after the outgoing check.
        closed = self._demo_request(users, "rep", "sale_order_pudong_delivered_not_invoiced", [
            ("product_coupling_l100", 3, "客户称联轴器尺寸不符"),
        ], customer_wish="return")
        self._demo_receive(closed, users["keeper"])
        self._demo_inspect(closed, users["qc"], {
            "product_coupling_l100": ("not_confirmed", 0, "尺寸检测合格，系客户选型错误"),
        })
        closed.with_user(users["qc"]).action_propose_dispositions()
        back = closed.disposition_ids
        back.with_user(users["qc"]).action_start()
        back.with_user(users["qc"]).write({"oqc_note": "重新包装后外观、尺寸复检合格"})
        back.with_user(users["qc"]).action_oqc_pass()
        self._demo_validate(back.picking_id, users["keeper"])
        back.with_user(users["qc"]).write({
            "executing_department": "物流部", "execution_result": "已原样退回客户", "execution_cost": 80,
        })
        closed.with_user(users["qc"]).write({"qa_verification_note": "已确认原样退回，客户签收"})
        closed.with_user(users["qc"]).action_qa_verify()
        closed.with_user(users["gm"]).write({
            "responsibility_category_id": ref("rma_factory.responsibility_customer_fault").id,
            "gm_opinion": "同意，运费由客户承担",
        })
        closed.with_user(users["gm"]).action_gm_approve()
        closed.with_user(users["qc"]).write({"archive_note": "检验报告及往来单据已归档"})
        self._demo_customer_report(
            closed, users, cause="<p>联轴器尺寸检测合格，系客户选型错误，产品本身无质量问题。</p>", accept=True,
        )
        # Closing prints the inspection report; Debian's wkhtmltopdf warns that it ignores the
        # header and footer (see ODOO19_NOTES §4). Expected here, so kept out of the install log.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            closed.with_user(users["qc"]).action_close()

        # 4. Advance replacement: the customer wants new seals first; the deposit is requested.
        advance = self._demo_request(users, "rep", "sale_order_ruifeng_delivered_invoiced", [
            ("product_seal_ms35", 8, "密封唇口开裂"),
        ], customer_wish="exchange", approve=False, advance_replacement=True, deposit_amount=1440)
        advance.with_user(users["rep"]).action_request_deposit()
        self._demo_approve(advance, users)

    def _demo_customer_report(self, request, users, cause=None, accept=None, comment=""):
        """QA prepares and sends the request's RMA report; the customer contact answers it when
        `accept` is given (True: accepts, False: disagrees with `comment`)."""
        action = request.with_user(users["qc"]).action_prepare_customer_report()
        report = self.env["rma.customer.report"].browse(action["res_id"]).with_user(users["qc"])
        values = {"disposition_offer": report.disposition_offer or "replaced"}
        if cause:
            values["cause_analysis"] = cause
        report.write(values)
        # Sending prints the report: the same muted wkhtmltopdf warning as at closing.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            report.action_send()
            if accept is not None:
                report._customer_answer(request.contact_id or request.partner_id, accept, comment)
        return report

    def _demo_users(self):
        """The demo user of each role, by a short key."""
        return {
            key: self.env.ref(f"rma_factory.{xmlid}") for key, xmlid in (
                ("rep", "user_sales_rep"), ("rep_south", "user_sales_rep_south"),
                ("supervisor", "user_sales_supervisor"), ("marketing", "user_marketing_manager"),
                ("gm", "user_general_manager"), ("keeper", "user_warehouse_keeper"),
                ("qc", "user_qc_inspector"), ("production", "user_production"), ("finance", "user_finance"),
            )
        }

    def _set_up_demo_departments(self, company):
        plan = self.env["account.analytic.plan"].create({"name": "部门"})
        Account = self.env["account.analytic.account"]
        for xmlid, name in (("responsibility_sales_stagnation", "销售部"),
                            ("responsibility_product_quality", "生产部")):
            account = Account.create({"name": name, "plan_id": plan.id, "company_id": company.id})
            self.env.ref(f"rma_factory.{xmlid}").analytic_account_id = account

    def _demo_request(self, users, rep_key, order_xmlid, quantities, approve=True, **values):
        ref = self.env.ref
        order = ref(f"rma_factory.{order_xmlid}")
        moves = order.order_line.move_ids.filtered(lambda m: m.state == "done" and m.picking_code == "outgoing")
        lines = []
        for product_xmlid, qty, reason in quantities:
            product = ref(f"rma_factory.{product_xmlid}")
            move = moves.filtered(lambda m, p=product: m.product_id == p)[:1]
            lines.append(Command.create({"origin_move_id": move.id, "quantity": qty, "reason": reason}))
        request = self.env["rma.request"].with_user(users[rep_key]).create(dict(
            {"request_type": "usage_failure", "criterion_quality": True}, **values,
            partner_id=order.partner_id.id, team_id=order.team_id.id, line_ids=lines,
        ))
        request.with_user(users[rep_key]).action_submit()
        if approve:
            self._demo_approve(request, users)
        return request

    def _demo_approve(self, request, users):
        """Each step signed by its first signer who signed no other step."""
        for approval in request.approval_line_ids.sorted("sequence"):
            signer = (approval._signers() - request.approval_line_ids.user_id)[:1]
            request.with_user(signer)._action_approve_step("同意")

    def _demo_receive(self, request, keeper):
        receipt = request.receipt_ids.with_user(keeper)
        receipt.write({"rma_doc_return_list": True, "rma_doc_waybill": True})
        self._demo_validate(receipt, keeper)

    def _demo_validate(self, picking, user):
        picking = picking.with_user(user)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()

    def _demo_inspect(self, request, inspector, outcomes):
        """outcomes: product xmlid → (verdict, units to scrap, conclusion)."""
        inspection = request.inspection_ids.with_user(inspector)
        defect = self.env.ref("rma_factory.defect_leakage")
        samples = []
        for line in inspection.line_ids:
            xmlid = next(key for key in outcomes if self.env.ref(f"rma_factory.{key}") == line.product_id)
            verdict, scrap, _note = outcomes[xmlid]
            for index in range(line.sample_required):
                failed = verdict == "confirmed" and index == 0
                samples.append(Command.create({
                    "inspection_line_id": line.id, "result": "fail" if failed else "pass",
                    "defect_type_id": defect.id if failed else False,
                    "measured_value": "0.28 MPa" if failed else "0.60 MPa",
                }))
            line.write({"quality_verdict": verdict, "qty_scrap": scrap, "qty_usable": line.qty_received - scrap})
        inspection.write({
            "sample_ids": samples,
            "conclusion": "；".join(note for _verdict, _scrap, note in outcomes.values()),
        })
        inspection.action_complete()

    # ------------------------------------------------------------------ accounting (#12)

    @api.model
    def _create_demo_accounting_flow(self):
        """Demo returns with their accounting, so that Finance has real work: refund credit notes
        (one reconciled with an open invoice, one open against a paid invoice), a discount credit
        note, a deposit paid and offset, a freight bill with the customer's share, a carrier claim
        with its withheld bill and scrap charged to 生产部."""
        with self._automation_rules_on():
            self._create_demo_accounting_flow_steps()

    def _create_demo_accounting_flow_steps(self):
        if self.env["res.lang"]._lang_get("zh_CN"):
            self = self.with_context(lang="zh_CN")
        ref = self.env.ref
        company = ref("rma_factory.company_hg_pump")
        self = self.with_company(company)
        users = self._demo_users()
        # The logistics manager signs incidents off (Inventory administrator).
        logistics = ref("base.user_admin")
        Partner = self.env["res.partner"]
        sf_express = Partner.create({"name": "顺丰速运有限公司", "is_company": True, "supplier_rank": 1,
                                     "city": "深圳市", "country_id": ref("base.cn").id})
        deppon = Partner.create({"name": "德邦物流股份有限公司", "is_company": True, "supplier_rank": 1,
                                 "city": "上海市", "country_id": ref("base.cn").id})
        quality = ref("rma_factory.responsibility_product_quality")

        # A. Refund against the open invoice of 瑞丰, freight split 50/50, the seals scrapped.
        refund_open = self._demo_request(users, "rep", "sale_order_ruifeng_delivered_invoiced", [
            ("product_seal_ms35", 2, "唇口磨损，运行两周即漏油"),
        ], customer_wish="return", freight_cause="quality_shared")
        receipt = refund_open.receipt_ids.with_user(users["keeper"])
        receipt.write({"rma_freight_amount": 260, "rma_carrier_id": sf_express.id})
        self._demo_receive(refund_open, users["keeper"])
        self._demo_inspect(refund_open, users["qc"], {"product_seal_ms35": ("confirmed", 2, "唇口材料老化开裂")})
        refund_open.with_user(users["gm"]).write({
            "responsibility_category_id": quality.id, "responsibility_note": "密封件批次质量问题",
        })
        refund_open.with_user(users["qc"]).action_propose_dispositions()
        refund_open.disposition_ids.with_user(users["qc"]).action_start()
        # 周建国 disagrees with its RMA report: a new joint review round is open for QA.
        self._demo_customer_report(
            refund_open, users, cause="<p>唇口磨损系安装时未涂润滑脂，属使用不当。</p>", accept=False,
            comment="我方安装均按说明书涂抹润滑脂，同批次其他密封件也出现同样磨损，请重新分析材料问题。",
        )

        # B. Refund after the invoice of 天府 was paid: the credit note stays open for Finance.
        tianfu_invoice = ref("rma_factory.sale_order_tianfu_parts").invoice_ids.filtered(lambda m: m.state == "posted")
        self._demo_pay(tianfu_invoice, users["finance"])
        refund_paid = self._demo_request(users, "rep_south", "sale_order_tianfu_parts", [
            ("product_bearing_6205", 5, "轴承异响，游隙超差"),
        ], customer_wish="return")
        self._demo_receive(refund_paid, users["keeper"])
        self._demo_inspect(refund_paid, users["qc"], {"product_bearing_6205": ("confirmed", 0, "游隙超差，可返修")})
        refund_paid.with_user(users["qc"]).action_propose_dispositions()
        refunds = refund_paid.disposition_ids.filtered(lambda d: d.disposition_type == "refund")
        refunds.with_user(users["qc"]).action_start()

        # C. Discount instead of a return: 10 % of one pump, tax included.
        discount = self._demo_request(users, "rep", "sale_order_ruifeng_delivered_invoiced", [
            ("product_pump_cp50", 1, "外观漆面划伤，客户同意折价接收"),
        ], customer_wish="claim")
        ruifeng_invoice = ref("rma_factory.sale_order_ruifeng_delivered_invoiced").invoice_ids[:1]
        # Settling files the forms: the same muted wkhtmltopdf warning as at closing.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            discount.with_user(users["supervisor"])._settle_by_discount(
                1280, "客户同意按单价九折接收，不退货", invoice=ruifeng_invoice,
            )

        # D. Advance replacement: the deposit invoiced, paid, the seals shipped first, the return
        # verified, the deposit offset.
        advance = self._demo_request(users, "rep", "sale_order_ruifeng_delivered_invoiced", [
            ("product_seal_ms35", 3, "密封唇口开裂，客户急需先换"),
        ], customer_wish="exchange", approve=False, advance_replacement=True, deposit_amount=540)
        advance.with_user(users["rep"]).action_request_deposit()
        self._demo_approve(advance, users)
        self._demo_pay(advance.deposit_invoice_id, users["finance"])
        advance.with_user(users["qc"]).action_ship_advance_replacement()
        self._demo_validate(advance.disposition_ids.picking_id, users["keeper"])
        self._demo_receive(advance, users["keeper"])
        self._demo_inspect(advance, users["qc"], {"product_seal_ms35": ("confirmed", 3, "唇口开裂，报废")})
        advance.with_user(users["gm"]).write({"responsibility_category_id": quality.id})
        # The replacement already went out: the returned seals are scrapped.
        self.env["rma.disposition"].with_user(users["qc"]).create({
            "request_id": advance.id, "request_line_id": advance.line_ids.id, "disposition_type": "scrap",
            "quantity": 3,
        }).action_start()
        advance.with_user(users["qc"]).write({"qa_verification_note": "旧件已报废，替换件客户已签收"})
        advance.with_user(users["qc"]).action_qa_verify()
        # 周建国 accepted its RMA report.
        self._demo_customer_report(advance, users, cause="<p>密封件唇口材料老化开裂，为该批次橡胶配方问题。</p>",
                                   accept=True)

        # E. Transport damage: the carrier's freight bill is withheld, the claim is a receivable.
        damaged = self._demo_request(users, "rep_south", "sale_order_tianfu_parts", [
            ("product_gauge_y100", 2, "到货表盘破裂（运输破损）"),
        ], customer_wish="exchange", request_type="transport_damage")
        receipt = damaged.receipt_ids.with_user(users["keeper"])
        receipt.write({"rma_freight_amount": 150, "rma_carrier_id": deppon.id})
        self._demo_receive(damaged, users["keeper"])
        incident = self.env["rma.carrier.incident"].search([
            ("waybill", "=", "DB20261121008"), ("company_id", "=", company.id),
        ], limit=1).with_user(users["keeper"])
        if incident:
            incident.write({
                "request_id": damaged.id, "counted_with_carrier": True, "claim_amount": 130,
                "carrier_partner_id": deppon.id,
                "carrier_ack_ids": [Command.create({
                    "name": "德邦破损签认单.txt", "raw": "承运商确认：2只压力表表盘破裂，外箱挤压变形。".encode(),
                })],
            })
            incident.action_check()
            incident.with_user(logistics).action_confirm()

    def _demo_pay(self, moves, user):
        for move in moves:
            action = move.with_user(user).action_register_payment()
            wizard = self.env[action["res_model"]].with_user(user).with_context(**action["context"]).create({})
            wizard.action_create_payments()
