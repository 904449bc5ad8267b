# Fields only the process writes: the mixin our models and the Odoo models we link to share.
from . import rma_process_guard
from . import rma_activity_mixin

# Odoo models extended by this module: one class each, in a file named after the model.
from . import account_analytic_line
from . import account_chart_template
from . import account_move
from . import account_move_line
from . import account_tax
from . import ir_actions_report
from . import ir_attachment
from . import product_category
from . import product_template
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import stock_move
from . import stock_move_line
from . import stock_picking
from . import stock_scrap
from . import repair_order
from . import stock_warehouse

# The return request: its lifecycle (rma_request), then one file per stage, each extending the
# lifecycle's hooks (their order here does not matter).
from . import rma_request_document
from . import rma_request
from . import rma_request_line
from . import rma_request_intake
from . import rma_request_mail
from . import rma_request_eligibility
from . import rma_request_approval
from . import rma_request_deadlines
from . import rma_request_settlement
from . import rma_request_receipt
from . import rma_request_inspection
from . import rma_request_review
from . import rma_request_responsibility
from . import rma_request_disposition
from . import rma_request_closing
from . import rma_request_accounting
from . import rma_request_statistics
from . import rma_request_portal
from . import rma_request_customer_report

# The request's documents and configuration.
from . import rma_approval_step
from . import rma_approval_line
from . import rma_feedback
from . import rma_carrier_incident
from . import rma_defect_type
from . import rma_inspection
from . import rma_review
from . import rma_customer_report
from . import rma_responsibility
from . import rma_disposition
from . import rma_disposition_accounting
from . import rma_freight_rule
from . import rma_cost_report
from . import rma_request_state_log

# Reporting: the analysis views, the workbooks and the monthly statistics.
from . import rma_return_line_report
from . import rma_return_rate_report
from . import rma_statistics_xlsx
from . import rma_monthly_statistics

# Demo data builders (called from demo XML only).
from . import rma_demo_loader
from . import rma_demo_quality_loader
