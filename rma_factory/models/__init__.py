from . import product_category
from . import product_template
from . import rma_demo_loader
