from . import dataset
from . import portal
