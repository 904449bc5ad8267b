from . import rma_form_report
