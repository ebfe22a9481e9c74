"""Per-call options: the keyword arguments every operation takes after its own (`**options: Unpack[CallOptions]`).

The request core checks them once per call (`check_options`) and applies them; this module is the one place
that knows their names and types.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from .utils.retries import RetryConfig

if TYPE_CHECKING:
    from ._operation import Operation

__all__ = [
    "APP_HEADERS",
    "CallOptions",
    "check_header_value",
    "check_max_retries",
    "check_options",
    "check_server_url",
    "check_timeout_ms",
]


class CallOptions(TypedDict, total=False):
    """Options of one call, given as keyword arguments after the operation's own. Each one left out keeps the
    client's setting.

    Keys:
        http_referer: your app's URL, sent as `HTTP-Referer` (instead of the client's).
        x_open_router_title: your app's name, sent as `X-ModelGates-Title` (instead of the client's).
        x_open_router_categories: comma-separated app categories, sent as `X-ModelGates-Categories`.
        retries: the retry policy of this call (a RetryConfig; None: the client's).
        max_retries: at most this many retries (0: none), instead of the policy's own bound.
        timeout_ms: how long the call may take, retries included; for a stream, until it starts, then the
            longest wait between two events (see the client's `timeout_ms`).
        server_url: the API base URL of this call.
        http_headers: extra request headers; they win over every other header of the call.
        extra_body: extra fields merged into the JSON body (they win over arguments of the same name), for
            fields the spec does not list yet.
        extra_query: extra query parameters (a list value repeats the parameter; None leaves it out).
    """

    http_referer: str
    x_open_router_title: str
    x_open_router_categories: str
    retries: RetryConfig | None
    max_retries: int
    timeout_ms: int | None
    server_url: str
    http_headers: Mapping[str, str]
    extra_body: Mapping[str, Any]
    extra_query: Mapping[str, Any]


#: The app headers: (argument of the constructor and option of each call, header sent).
APP_HEADERS = (
    ("http_referer", "HTTP-Referer"),
    ("x_open_router_title", "X-ModelGates-Title"),
    ("x_open_router_categories", "X-ModelGates-Categories"),
)

_NAMES = frozenset(CallOptions.__annotations__)


def check_header_value(value: object, label: str) -> str:
    """`value` if it can be sent as a header value; TypeError/ValueError naming `label` otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"{label}: expected a string, got {type(value).__name__}")
    if "\r" in value or "\n" in value:
        raise ValueError(f"{label}: a header value cannot contain a line break, got {value!r}")
    return value


def check_timeout_ms(value: object, label: str) -> float:
    """`value` as a positive, finite number of milliseconds; TypeError/ValueError naming `label` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{label}: expected a number of milliseconds, got {type(value).__name__}")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{label}: must be a positive number of milliseconds, got {value!r}")
    return float(value)


def check_max_retries(value: object, label: str) -> int:
    """`value` if it is a count of retries (an int >= 0); TypeError/ValueError naming `label` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{label}: expected an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{label}: must be 0 or more, got {value}")
    return value


def check_server_url(value: object, label: str) -> str:
    """`value` without its trailing slash if it is an http(s) URL; TypeError/ValueError naming `label` otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"{label}: expected an http(s) URL as a string, got {type(value).__name__}")
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"{label}: must be an http(s) URL, got {value!r}")
    return value.rstrip("/")


def _check_mapping(value: object, label: str, values_are_strings: bool) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{label}: expected a mapping, got {type(value).__name__}")
    for key, item in value.items():
        if not isinstance(key, str):
            raise TypeError(f"{label}: keys must be strings, got {key!r}")
        if values_are_strings:
            check_header_value(item, f"{label}[{key!r}]")
    return value


def check_options(op: Operation, options: Mapping[str, Any]) -> None:
    """Raise TypeError/ValueError naming the first option of `options` that is unknown or of the wrong type."""
    name = op.name
    for key, value in options.items():
        label = f"{name}({key})"
        if key not in _NAMES:
            raise TypeError(f"{name}() got an unexpected keyword argument {key!r}{_suggestion(op, key)}")
        if key in ("http_referer", "x_open_router_title", "x_open_router_categories"):
            check_header_value(value, label)
        elif key == "retries":
            if value is not None and not isinstance(value, RetryConfig):
                raise TypeError(f"{label}: expected a RetryConfig, got {type(value).__name__}")
        elif key == "max_retries":
            check_max_retries(value, label)
        elif key == "timeout_ms":
            if value is not None:
                check_timeout_ms(value, label)
        elif key == "server_url":
            check_server_url(value, label)
        else:  # http_headers, extra_body, extra_query
            _check_mapping(value, label, key == "http_headers")


def _suggestion(op: Operation, key: str) -> str:
    import difflib  # noqa: PLC0415  (only for a wrong call)

    names = [p for p, _ in (*op.path_params, *op.query_params, *op.header_params, *op.body_fields)] + sorted(_NAMES)
    close = difflib.get_close_matches(key, names, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
