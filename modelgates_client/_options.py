"""Per-call options: the keyword arguments every operation takes after its own (`**options: Unpack[CallOptions]`).

The request core checks them once per call (`check_options`) and applies them in one place (`_call.Call`); this
module is the one place that knows their names and types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from ._config import APP_HEADERS, check_header_value, check_max_retries, check_server_url, check_timeout_ms, suggest
from .utils.retries import RetryConfig

if TYPE_CHECKING:
    from ._operation import Operation

__all__ = ["CallOptions", "check_options"]


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


_NAMES = frozenset(CallOptions.__annotations__)
_APP_OPTIONS = frozenset(option for option, _ in APP_HEADERS)


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
        if key in _APP_OPTIONS:
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
    names = [p for p, _ in (*op.path_params, *op.query_params, *op.header_params, *op.body_fields)] + sorted(_NAMES)
    return suggest(key, names)
