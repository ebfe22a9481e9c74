"""The spec's models (generated into _generated/models), each imported on first use:
`from modelgates_client.models import ChatResult` loads ChatResult's module and what it needs, nothing else.
Every model derives from `modelgates_client.BaseModel`."""

from typing import TYPE_CHECKING, Any

from ._generated import models as _models
from ._generated.models import __all__ as __all__

if TYPE_CHECKING:
    from ._generated.models import *  # noqa: F403


def __getattr__(name: str) -> Any:
    return getattr(_models, name)


def __dir__() -> list[str]:
    return sorted(__all__)
