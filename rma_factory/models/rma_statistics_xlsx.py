"""The returns' workbooks (R-81), written with xlsxwriter: the monthly statistics
(___月客户退换货、补件统计表) and the export of a list of requests.

Which requests belong to a month: those whose *request date* (发起时间) falls in it — the date the
sales assistant puts on the form, the one the seed's monthly summary counts; the subtitle says so.

补件 (replenished quantity): the goods shipped again to a customer because they were missing on
receipt, i.e. the done moves of the replenishment deliveries of the shortage incidents
(货品缺少反馈表, ``rma.carrier.incident``) reported in the month. They belong to a customer and a
product but to no request, reason or disposition: the column is on the customer and product sheets,
and the Replenishments sheet lists them. A request whose customer's wish is "Supplement Parts" is a
request like the others (counted on every sheet).

Every number is read with one grouped query per sheet (``_read_group`` on the Return Analysis
view, ``rma.return.line.report``): the number of queries does not depend on the number of lines.
"""
import io
from datetime import date

import xlsxwriter
from babel.dates import format_skeleton
from dateutil.relativedelta import relativedelta
from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, format_datetime
from odoo.tools.misc import get_lang

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows of a sheet: the title, the subtitle, a blank row, then the header (frozen, repeated on print).
HEADER_ROW = 3
# Measures summed per group: the Return Analysis fields.
SUMMED = ("quantity", "qty_received", "qty_scrapped", "qty_reworked", "qty_replaced", "amount",
          "refund_amount", "execution_cost")


class RmaStatisticsXlsx(models.AbstractModel):
    _name = "rma.statistics.xlsx"
    _description = "Returns Statistics Workbook"

    # ------------------------------------------------------------------ labels

    def _measure_columns(self, replenished=False):
        """(key, header, format) of the measure columns, in order."""
        # A dict of labels (not a list of tuples): Odoo's string extractor reads tuples badly.
        labels = {
            "request_count": self.env._("Requests"),
            "quantity": self.env._("Qty Requested"),
            "qty_received": self.env._("Qty Received"),
            "qty_scrapped": self.env._("Qty Scrapped"),
            "qty_reworked": self.env._("Qty Reworked"),
            "qty_replaced": self.env._("Qty Replaced"),
            "amount": self.env._("Amount"),
            "refund_amount": self.env._("Refunds"),
            "execution_cost": self.env._("Execution Costs"),
        }
        if replenished:
            labels["qty_replenished"] = self.env._("Qty Replenished")
        kinds = {"request_count": "int", "amount": "money", "refund_amount": "money", "execution_cost": "money"}
        columns = [(key, label, kinds.get(key, "qty")) for key, label in labels.items()]
        return columns

    def _selection_labels(self, model, fname):
        return dict(self.env[model]._fields[fname]._description_selection(self.env))

    def _month_label(self, month):
        return format_skeleton("yMMMM", month, locale=get_lang(self.env).code)

    def _monthly_title(self, month):
        return self.env._("Customer Returns, Exchanges and Replenishments: %(month)s",
                          month=self._month_label(month))

    # ------------------------------------------------------------------ the monthly workbook

    @api.model
    def _month_range(self, month):
        start = month.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)

    @api.model
    def _build_monthly(self, company, month):
        """The monthly statistics workbook of `company` for the month of `month` (a date): bytes."""
        start, end = self._month_range(month)
        domain = Domain([("company_id", "=", company.id), ("date", ">=", start), ("date", "<=", end)])
        replenished = self._replenished(company, start, end)
        subtitle = self.env._(
            "%(company)s. Requests dated %(start)s to %(end)s (by request date); replenishments (补件): "
            "shortage incidents reported in the month. Generated on %(now)s.",
            company=company.name, start=start.isoformat(), end=end.isoformat(),
            now=format_datetime(self.env, fields.Datetime.now(), dt_format="short"),
        )
        book = _Book(self, self._monthly_title(start), subtitle)
        self = self.with_context(rma_report_period=(company.id, start, end))
        Report = self.env["rma.return.line.report"]
        # A request with several products is one request: the sheets whose rows split a request
        # (products, dispositions) show the month's distinct count in their total.
        book.distinct_requests = Report._read_group(domain, [], ["request_count:count_distinct"])[0][0]
        reasons = self._selection_labels("rma.return.line.report", "request_type")
        dispositions = self._selection_labels("rma.return.line.report", "disposition_type")
        none = self.env._("(none)")

        groups = self._grouped(domain, ["partner_id"])
        rows = {partner.id: (partner.display_name or none, values) for partner, values in groups}
        others = self.env["res.partner"].browse([pid for pid in replenished if pid not in rows])
        for partner in others:
            rows[partner.id] = (partner.display_name, {})
        for partner_id, products in replenished.items():
            rows[partner_id][1]["qty_replenished"] = sum(products.values())
        book.sheet(self.env._("By Customer"), self.env._("Customer"), sorted(rows.values(), key=lambda row: row[0]),
                   self._measure_columns(replenished=True), additive_requests=True)

        by_product = {product: {"qty_replenished": qty} for product, qty in replenished_by_product(replenished).items()}
        product_groups = self._grouped(domain, ["categ_id", "product_id"])
        sections = {}
        for category, product, values in product_groups:
            values["qty_replenished"] = by_product.pop(product.id, {}).get("qty_replenished", 0.0)
            sections.setdefault(category, []).append((product.display_name, values))
        if by_product:
            for product in self.env["product.product"].browse(list(by_product)):
                sections.setdefault(product.categ_id, []).append((product.display_name, by_product[product.id]))
        book.sheet(
            self.env._("By Product"), self.env._("Product"),
            [(category.display_name or none, sorted(items, key=lambda row: row[0]))
             for category, items in sorted(sections.items(), key=lambda item: item[0].display_name or "")],
            self._measure_columns(replenished=True), sections=True, section_header=self.env._("Product Category"),
        )

        book.sheet(self.env._("By Reason"), self.env._("Reason"), [
            (reasons.get(reason, none), values) for reason, values in self._grouped(domain, ["request_type"])
        ], self._measure_columns(), additive_requests=True)
        book.sheet(self.env._("By Responsibility"), self.env._("Cause Category"), [
            (category.display_name or none, values)
            for category, values in self._grouped(domain, ["responsibility_category_id"])
        ], self._measure_columns(), additive_requests=True)
        book.sheet(self.env._("By Disposition"), self.env._("Disposition"), [
            (dispositions.get(kind, none), values) for kind, values in self._grouped(domain, ["disposition_type"])
        ], self._measure_columns())
        book.replenishment_sheet(self._replenishment_rows(company, start, end))
        return book.close()

    def _grouped(self, domain, groupby):
        """[(*group keys, {measure: value})] of the Return Analysis, one query."""
        aggregates = ["request_count:count_distinct", *(f"{name}:sum" for name in SUMMED)]
        result = []
        for row in self.env["rma.return.line.report"]._read_group(domain, groupby, aggregates, order=",".join(groupby)):
            keys, values = row[:len(groupby)], row[len(groupby):]
            result.append((*keys, dict(zip(["request_count", *SUMMED], values, strict=True))))
        return result

    def _replenished(self, company, start, end):
        """{customer id: {product id: quantity shipped}} of the month's shortage replenishments."""
        self.env.flush_all()
        self.env.cr.execute(SQL("""
            SELECT COALESCE(partner.commercial_partner_id, partner.id), move.product_id, SUM(move.quantity)
              FROM rma_carrier_incident incident
              JOIN stock_move move ON move.picking_id = incident.replenishment_picking_id AND move.state = 'done'
              LEFT JOIN res_partner partner ON partner.id = incident.partner_id
             WHERE incident.company_id = %s AND incident.reported_date BETWEEN %s AND %s
             GROUP BY 1, 2
        """, company.id, start, end))
        result = {}
        for partner_id, product_id, qty in self.env.cr.fetchall():
            result.setdefault(partner_id, {})[product_id] = qty
        return result

    def _replenishment_rows(self, company, start, end):
        incidents = self.env["rma.carrier.incident"].search([
            ("company_id", "=", company.id), ("reported_date", ">=", start), ("reported_date", "<=", end),
            ("incident_type", "=", "shortage"),
        ], order="reported_date, id")
        lines = incidents.line_ids.filtered("missing_qty")
        moves = self.env["stock.move"].search([
            ("picking_id", "in", incidents.replenishment_picking_id.ids), ("state", "=", "done"),
        ])
        shipped = {}
        for move in moves:
            key = (move.picking_id.id, move.product_id.id)
            shipped[key] = shipped.get(key, 0.0) + move.quantity
        return [(
            line.incident_id.name, line.incident_id.reported_date, line.incident_id.partner_id.display_name,
            line.incident_id.picking_id.name, line.product_id.display_name, line.missing_qty,
            shipped.get((line.incident_id.replenishment_picking_id.id, line.product_id.id), 0.0),
            line.incident_id.replenishment_picking_id.name or "",
        ) for line in lines]

    # ------------------------------------------------------------------ the export of a list

    @api.model
    def _build_export(self, requests):
        """The requests (already filtered by the user's list) as a workbook, one row per request
        line: what a sales assistant checks line by line against the customer's list."""
        subtitle = self.env._("%(count)s requests, exported by %(user)s on %(now)s.", count=len(requests),
                     user=self.env.user.name,
                     now=format_datetime(self.env, fields.Datetime.now(), dt_format="short"))
        book = _Book(self, self.env._("Return Requests"), subtitle)
        Report = self.env["rma.return.line.report"]
        selections = {name: self._selection_labels(Report._name, name)
                      for name in ("request_type", "customer_wish", "state", "disposition_type")}
        labels = {
            "request_name": self.env._("Number"),
            "date": self.env._("Request Date"),
            "partner_id": self.env._("Customer"),
            "user_id": self.env._("Initiator"),
            "request_type": self.env._("Reason"),
            "customer_wish": self.env._("Customer's Wish"),
            "state": self.env._("State"),
            "responsibility_category_id": self.env._("Cause Category"),
            "product_id": self.env._("Product"),
            "categ_id": self.env._("Product Category"),
            "disposition_type": self.env._("Disposition"),
        }
        columns = [(key, label, "date" if key == "date" else "text") for key, label in labels.items()]
        columns += [column for column in self._measure_columns() if column[0] != "request_count"]
        fnames = [column[0] for column in columns]
        records = Report.sudo().search_read([("request_id", "in", requests.ids)], fnames,
                                     order="date, request_id, request_line_id")
        rows = []
        for record in records:
            row = []
            for fname in fnames:
                value = record[fname]
                if fname in selections:
                    value = selections[fname].get(value, "")
                elif isinstance(value, list | tuple):
                    value = value[1]
                row.append(value if value is not False else "")
            rows.append(row)
        book.table(self.env._("Return Requests"), columns, rows)
        return book.close()


def replenished_by_product(replenished):
    totals = {}
    for products in replenished.values():
        for product_id, qty in products.items():
            totals[product_id] = totals.get(product_id, 0.0) + qty
    return totals


class _Book:
    """An xlsxwriter workbook with the returns' layout: title, subtitle, frozen header, widths,
    number formats, landscape print on one page wide with the header repeated, totals as formulas."""

    def __init__(self, builder, title, subtitle):
        self.builder = builder
        self.env = builder.env
        self.title = title
        self.subtitle = subtitle
        self.distinct_requests = 0
        self.output = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.output, {"in_memory": True, "strings_to_formulas": False})
        add = self.book.add_format
        font = {"font_name": "Microsoft YaHei", "font_size": 10}
        self.formats = {
            "title": add({**font, "bold": True, "font_size": 14}),
            "subtitle": add({**font, "italic": True, "font_color": "#555555"}),
            "header": add({**font, "bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                           "valign": "vcenter", "align": "center"}),
            "text": add({**font, "border": 1}),
            "date": add({**font, "border": 1, "num_format": "yyyy-mm-dd"}),
            "int": add({**font, "border": 1, "num_format": "#,##0"}),
            "qty": add({**font, "border": 1, "num_format": "#,##0.##"}),
            "money": add({**font, "border": 1, "num_format": "#,##0.00"}),
        }
        for kind in ("text", "int", "qty", "money"):
            self.formats[f"subtotal_{kind}"] = add({**font, "border": 1, "bold": True, "bg_color": "#F2F2F2",
                                                    "num_format": self.formats[kind].num_format})
            self.formats[f"total_{kind}"] = add({**font, "border": 1, "bold": True, "bg_color": "#FFF2CC",
                                                 "num_format": self.formats[kind].num_format})

    def _start(self, name, columns):
        sheet = self.book.add_worksheet(name[:31])
        sheet.write(0, 0, self.title, self.formats["title"])
        sheet.write(1, 0, self.subtitle, self.formats["subtitle"])
        for col, (_key, header, kind) in enumerate(columns):
            sheet.write(HEADER_ROW, col, header, self.formats["header"])
            sheet.set_column(col, col, 30 if col == 0 else {"text": 18, "date": 12}.get(kind, 13))
        sheet.set_row(HEADER_ROW, 30)
        sheet.freeze_panes(HEADER_ROW + 1, 1)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(HEADER_ROW)
        sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        sheet.set_footer("&C&P / &N")
        return sheet

    def sheet(self, name, label, rows, measures, sections=False, section_header=None, additive_requests=False):
        """rows: [(label, {measure: value})], or with `sections` [(section label, those rows)]:
        a subtotal per section (SUBTOTAL(9, ...), which the grand total skips)."""
        columns = [(None, label, "text"), *measures]
        if sections:
            columns = [(None, section_header, "text"), (None, label, "text"), *measures]
        sheet = self._start(name, columns)
        first_measure = 2 if sections else 1
        row_index = HEADER_ROW + 1
        first_data = row_index
        totals = {key: 0.0 for key, _h, _k in measures}

        def write_values(row, values, style=""):
            for offset, (key, _header, kind) in enumerate(measures):
                value = values.get(key) or 0
                sheet.write_number(row, first_measure + offset, value, self.formats[f"{style}{kind}"])

        def write_formulas(row, start, end, values, style):
            for offset, (key, _header, kind) in enumerate(measures):
                col = first_measure + offset
                if key == "request_count" and not additive_requests:
                    # A request counts once in a group, but may be in several rows (products).
                    sheet.write_number(row, col, values.get(key) or 0, self.formats[f"{style}{kind}"])
                    continue
                cells = f"{xl_rowcol_to_cell(start, col)}:{xl_rowcol_to_cell(max(end, start), col)}"
                formula = f"=SUBTOTAL(9,{cells})" if end >= start else "=0"
                sheet.write_formula(row, col, formula, self.formats[f"{style}{kind}"], values.get(key) or 0)

        if sections:
            for section, items in rows:
                start = row_index
                section_totals = {key: 0.0 for key in totals}
                for item_label, values in items:
                    sheet.write(row_index, 0, section, self.formats["text"])
                    sheet.write(row_index, 1, item_label, self.formats["text"])
                    write_values(row_index, values)
                    for key in section_totals:
                        section_totals[key] += values.get(key) or 0
                    row_index += 1
                sheet.write(row_index, 0, section, self.formats["subtotal_text"])
                sheet.write(row_index, 1, self.env._("Subtotal"), self.formats["subtotal_text"])
                write_formulas(row_index, start, row_index - 1, section_totals, "subtotal_")
                for key in totals:
                    totals[key] += section_totals[key]
                row_index += 1
        else:
            for item_label, values in rows:
                sheet.write(row_index, 0, item_label, self.formats["text"])
                write_values(row_index, values)
                for key in totals:
                    totals[key] += values.get(key) or 0
                row_index += 1
        if not additive_requests:
            totals["request_count"] = self.distinct_requests
        sheet.write(row_index, 0, self.env._("Total"), self.formats["total_text"])
        if sections:
            sheet.write(row_index, 1, "", self.formats["total_text"])
        write_formulas(row_index, first_data, row_index - 1, totals, "total_")
        self._last_totals = totals
        return sheet

    def replenishment_sheet(self, rows):
        labels = {
            "incident": self.env._("Incident"),
            "date": self.env._("Reported On"),
            "customer": self.env._("Customer"),
            "delivery": self.env._("Delivery"),
            "product": self.env._("Product"),
            "missing": self.env._("Qty Missing"),
            "replenished": self.env._("Qty Replenished"),
            "picking": self.env._("Replenishment"),
        }
        kinds = {"date": "date", "missing": "qty", "replenished": "qty"}
        columns = [(key, label, kinds.get(key, "text")) for key, label in labels.items()]
        self.table(self.env._("Replenishments"), columns, [list(row) for row in rows])

    def table(self, name, columns, rows):
        """A plain table, one row per record, with a total row of formulas under the number columns."""
        sheet = self._start(name, columns)
        row_index = HEADER_ROW + 1
        for row in rows:
            for col, ((_key, _header, kind), value) in enumerate(zip(columns, row, strict=True)):
                if kind == "date" and value:
                    sheet.write_datetime(row_index, col, value if not isinstance(value, str)
                                         else date.fromisoformat(value), self.formats["date"])
                elif kind in ("int", "qty", "money"):
                    sheet.write_number(row_index, col, value or 0, self.formats[kind])
                else:
                    sheet.write(row_index, col, value or "", self.formats["text"])
            row_index += 1
        sheet.write(row_index, 0, self.env._("Total"), self.formats["total_text"])
        first, last = HEADER_ROW + 1, row_index - 1
        for col, (_key, _header, kind) in enumerate(columns):
            if kind in ("int", "qty", "money"):
                total = sum((row[col] or 0) for row in rows)
                formula = f"=SUBTOTAL(9,{xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)})" \
                    if rows else "=0"
                sheet.write_formula(row_index, col, formula, self.formats[f"total_{kind}"], total)
        if rows:
            sheet.autofilter(HEADER_ROW, 0, last, len(columns) - 1)
        return sheet

    def close(self):
        self.book.close()
        return self.output.getvalue()
