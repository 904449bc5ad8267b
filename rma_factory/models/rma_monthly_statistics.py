from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .rma_statistics_xlsx import XLSX_MIMETYPE

MONTHS = [(str(month), str(month)) for month in range(1, 13)]


class RmaMonthlyStatistics(models.Model):
    """The monthly statistics (___月客户退换货、补件统计表, R-81) of a company: the workbook the sales
    assistant hands in at the start of each month (seed 1.7), built by the monthly scheduled
    action for the month before, or by a manager for any month."""

    _name = "rma.monthly.statistics"
    _description = "Monthly Return Statistics"
    _inherit = ["mail.thread", "rma.process.guard"]
    _order = "year desc, month_number desc, company_id"
    # The workbook and who generated it are the generation's, never typed in (nor sent over RPC).
    _rma_process_fields = ("attachment_id", "generated_date", "generated_by_id")

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    year = fields.Integer(required=True, default=lambda self: self._default_month().year)
    month = fields.Selection(MONTHS, required=True, default=lambda self: str(self._default_month().month))
    month_number = fields.Integer(compute="_compute_name", store=True)
    attachment_id = fields.Many2one("ir.attachment", string="Workbook", readonly=True, copy=False)
    file_name = fields.Char(related="attachment_id.name", string="File Name")
    generated_date = fields.Datetime(string="Generated On", readonly=True, copy=False)
    generated_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    _month_company_unique = models.UniqueIndex(
        "(company_id, year, month)", "The statistics of this month exist already: open them and generate them again.",
    )
    _year_valid = models.Constraint("CHECK (year BETWEEN 2000 AND 2999)", "The year must be between 2000 and 2999.")

    @api.model
    def _default_month(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)

    @api.depends("year", "month")
    def _compute_name(self):
        for record in self:
            record.month_number = int(record.month or 0)
            record.name = f"{record.year}-{record.month_number:02d}" if record.year and record.month else False

    def _first_day(self):
        self.ensure_one()
        return fields.Date.to_date(f"{self.year}-{int(self.month):02d}-01")

    def action_generate(self):
        """(Re)build the workbook in the current user's language."""
        for record in self:
            record._generate()
        return True

    def _generate(self):
        self.ensure_one()
        builder = self.env["rma.statistics.xlsx"].sudo().with_company(self.company_id)
        # The statistics cover the whole company: read as the process, in the asker's language.
        content = builder.with_context(lang=self.env.lang)._build_monthly(self.company_id, self._first_day())
        name = self.env._("Return Statistics %(month)s %(company)s.xlsx", month=self.name, company=self.company_id.name)
        values = {"name": name, "raw": content, "mimetype": XLSX_MIMETYPE,
                  "res_model": self._name, "res_id": self.id}
        attachment = self.attachment_id
        if attachment:
            attachment.sudo().write(values)
        else:
            attachment = self.env["ir.attachment"].sudo().create(values)
        self._rma_process().write({
            "attachment_id": attachment.id,
            "generated_date": fields.Datetime.now(),
            "generated_by_id": self.env.user.id,
        })
        return attachment

    def action_download(self):
        self.ensure_one()
        if not self.attachment_id:
            self._generate()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    @api.model
    def _cron_generate_last_month(self):
        """The monthly scheduled action: last month's workbook of every company, attached to one
        message that notifies the company's Returns managers."""
        month = self._default_month()
        group = self.env.ref("rma_factory.group_rma_manager")
        for company in self.env["res.company"].search([("active", "=", True)]):
            record = self.search([("company_id", "=", company.id), ("year", "=", month.year),
                                  ("month", "=", str(month.month))], limit=1)
            if not record:
                record = self.create({"company_id": company.id, "year": month.year, "month": str(month.month)})
            lang = company.partner_id.lang or self.env.lang
            record = record.with_context(lang=lang)
            attachment = record._generate()
            managers = self.env["res.users"].search([
                ("all_group_ids", "in", group.id), ("company_ids", "in", company.id), ("share", "=", False),
            ])
            record.message_post(
                body=record.env._("The return statistics of %(month)s are ready.", month=record.name),
                attachment_ids=attachment.ids, partner_ids=managers.partner_id.ids,
                message_type="comment", subtype_xmlid="mail.mt_comment",
            )
            if self.env.context.get("ir_cron_progress_id"):
                # As the scheduled action: each company's workbook is kept even if a later one fails.
                self.env["ir.cron"]._commit_progress(1)
