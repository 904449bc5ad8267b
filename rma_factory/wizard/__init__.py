from . import rma_approval_wizard
from . import rma_settlement_wizard
from . import rma_eligibility_override_wizard
