"""modelgates-client: the Python SDK for the ModelGates API.

    from modelgates_client import ModelGates

    with ModelGates() as mg:  # api_key from $MODELGATES_API_KEY
        res = mg.chat.send(messages=[{"role": "user", "content": "Hi"}], model="openai/gpt-4")
        print(res.choices[0].message.content)

Hand-written modules start with an underscore (plus errors, models, utils, testing); everything under
`_generated/` is generated from openapi/modelgates.yaml by `make generate`.
"""

from . import errors, utils
from ._binary import AsyncBinaryResponse, BinaryResponse
from ._client import ModelGates
from ._model import BaseModel
from ._options import CallOptions
from ._pagination import AsyncPage, Page
from ._response import APIResponse
from ._streaming import AsyncStream, Stream
from ._types import UNSET, File, Unset
from ._version import __version__
from .utils import BackoffStrategy, RetryConfig

__all__ = [
    "UNSET",
    "APIResponse",
    "AsyncBinaryResponse",
    "AsyncPage",
    "AsyncStream",
    "BackoffStrategy",
    "BaseModel",
    "BinaryResponse",
    "CallOptions",
    "File",
    "ModelGates",
    "Page",
    "RetryConfig",
    "Stream",
    "Unset",
    "__version__",
    "errors",
    "utils",
]

# Public classes say where users import them from (reprs, tracebacks, pickles): a public module, not a private one.
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type) and "._" in _value.__module__:
        _value.__module__ = __name__
del _name, _value
