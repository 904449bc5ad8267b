from . import rma_approval_wizard
from . import rma_settlement_wizard
from . import rma_eligibility_override_wizard
from . import stock_picking_return
from . import rma_difference_wizard
from . import rma_hold_wizard
from . import rma_receipt_scanner
from . import rma_deposit_waiver_wizard
