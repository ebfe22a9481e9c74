"""Public error classes: the hand-written base classes and the classes generated from the spec's error responses."""

from ._exceptions import (
    APIStatusError,
    InvalidResponseError,
    ModelGatesDefaultError,
    ModelGatesError,
    NoResponseError,
    StreamInterruptedError,
)
from ._generated.errors import *  # noqa: F403
from ._generated.errors import STATUS_ERRORS
from ._generated.errors import __all__ as _generated_all

__all__ = [
    "APIStatusError",
    "InvalidResponseError",
    "ModelGatesDefaultError",
    "ModelGatesError",
    "NoResponseError",
    "STATUS_ERRORS",
    "StreamInterruptedError",
    *_generated_all,
]

# Public classes say where users import them from (reprs, tracebacks, pickles): a public module, not a private one.
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type) and "._" in _value.__module__:
        _value.__module__ = __name__
del _name, _value
