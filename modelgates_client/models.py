"""The spec's models (generated into _generated/models), imported on first use: `from modelgates_client.models
import ChatResult`."""

from ._generated.models import *  # noqa: F403
from ._generated.models import __all__ as __all__
from ._generated.models import __getattr__ as __getattr__
