"""The client's settings: defaults, and the checks of every setting given to the constructor or to one call.

A leaf module (it imports nothing of the package): the per-call options (`_options`), the retry policy
(`utils.retries`) and the client constructor all check their values here, so that each rule is written once.
"""

from __future__ import annotations

import math
import platform
from typing import Any

import httpx

from ._version import __version__

__all__ = [
    "APP_HEADERS",
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "check_header_value",
    "check_instance",
    "check_max_retries",
    "check_server_url",
    "check_timeout_ms",
    "suggest",
]

#: Each attempt of a call without `timeout_ms`: 10 s to connect, 600 s for each read.
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=10.0)

USER_AGENT = f"modelgates-client/{__version__} python/{platform.python_version()} httpx/{httpx.__version__}"

#: The app headers: (argument of the constructor and option of each call, header sent).
APP_HEADERS = (
    ("http_referer", "HTTP-Referer"),
    ("x_open_router_title", "X-ModelGates-Title"),
    ("x_open_router_categories", "X-ModelGates-Categories"),
)


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


def check_instance(value: object, cls: type[Any], label: str, what: str) -> None:
    """Nothing if `value` is None or a `cls`; TypeError naming `label` and `what` it must be otherwise."""
    if value is not None and not isinstance(value, cls):
        raise TypeError(f"{label} must be {what}, got {type(value).__name__}")


def suggest(key: str, names: list[str]) -> str:
    """` (did you mean 'x'?)` for the name of `names` closest to a mistyped `key`, else ``""``."""
    import difflib  # noqa: PLC0415  (only for a wrong call)

    close = difflib.get_close_matches(key, names, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
