from . import attachment
from . import dataset
from . import portal
