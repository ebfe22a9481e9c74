"""Every mapping from what went wrong to the error raised: an error status, an error object inside a success answer
or a stream (in band), a transport failure, a body that broke off while it was read.

The classes themselves are in `_exceptions` (the tree) and, one per error status of the spec, in the generated
error table the client hands over (`_tables`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx

from ._exceptions import (
    APIStatusError,
    InvalidResponseError,
    ModelGatesDefaultError,
    ModelGatesError,
    NoResponseError,
    StreamInterruptedError,
)
from ._text import excerpt, reason_phrase

if TYPE_CHECKING:
    from ._operation import Operation
    from ._tables import Tables

__all__ = [
    "bad_event",
    "ended_early",
    "in_band_error",
    "invalid_body",
    "read_failure",
    "status_error",
    "transport_error",
]


def status_error(
    tables: Tables, op: Operation, response: httpx.Response, text: str, code: int | None = None, data: Any = None
) -> APIStatusError:
    """The typed error for an error status, or for an error object (`code`) inside a 2xx body or a stream: the
    class of its status, a message naming the call, and `data` parsed as the operation describes that status."""
    status = code if code is not None else response.status_code
    cls = tables.status_errors().get(status, ModelGatesDefaultError)
    parsed = data if data is not None else _json_or_none(text)
    reason = reason_phrase(status)
    message = f"{op.name}: {status}{' ' + reason if reason else ''}: {_detail(parsed, text)}"
    model = _error_model(op, cls, status, parsed) if parsed.__class__ is dict else None
    return cls(message, status_code=status, body=text, headers=response.headers, raw_response=response, data=model)


def in_band_error(tables: Tables, op: Operation, obj: dict[str, Any], response: httpx.Response) -> APIStatusError:
    """The typed error for an object carrying an `error` object in place of a result (a 2xx body or an event): the
    status is the error's numeric `code` (text digits too); 500 when it has none, or one outside 400-599."""
    code = obj["error"].get("code")
    if code.__class__ is str and code.isdigit():
        code = int(code)
    status = code if code.__class__ is int and 400 <= code <= 599 else 500
    return status_error(tables, op, response, json.dumps(obj), code=status, data=obj)


def transport_error(op: Operation, exc: httpx.RequestError) -> NoResponseError:
    """The error for a request that got no answer: a timeout, or a connection that failed."""
    if isinstance(exc, httpx.TimeoutException):
        return NoResponseError(f"{op.name}: no answer within the timeout ({type(exc).__name__})")
    return NoResponseError(f"{op.name}: the request failed: {type(exc).__name__}: {exc}")


def read_failure(name: str, exc: Exception) -> ModelGatesError:
    """The error for a body that failed while it was read (an event stream, a binary download): a dropped or
    stalled connection is a StreamInterruptedError, a body that cannot be decoded a NoResponseError."""
    if isinstance(exc, httpx.TimeoutException):
        return StreamInterruptedError(f"{name}: the answer stalled past the read timeout ({type(exc).__name__})")
    if isinstance(exc, httpx.TransportError):
        return StreamInterruptedError(f"{name}: the answer broke off: {type(exc).__name__}: {exc}")
    return NoResponseError(f"{name}: the answer could not be read: {type(exc).__name__}: {exc}")


def invalid_body(name: str, what: str, response: httpx.Response, body: str) -> InvalidResponseError:
    """The error for a success answer whose body is not what the spec describes; `what` says what it was."""
    return InvalidResponseError(f"{name}: {what}", status_code=response.status_code, body=body, raw_response=response)


def bad_event(name: str, response: httpx.Response, data: str) -> InvalidResponseError:
    """The error for an event of a stream whose data is not JSON."""
    return invalid_body(name, f"a stream event is not JSON: {excerpt(data)!r}", response, data)


def ended_early(name: str, sentinel: str | None) -> StreamInterruptedError:
    """The error for a stream whose body ended before its end marker."""
    return StreamInterruptedError(f"{name}: the stream ended without its end marker {sentinel!r}")


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text) if text else None
    except (ValueError, RecursionError):
        return None


def _detail(parsed: Any, text: str) -> str:
    """What an error body says: its `error.message` (or `error` text), else an excerpt of the body."""
    if parsed.__class__ is dict:
        err = parsed.get("error")
        if err.__class__ is dict and isinstance(err.get("message"), str):
            return str(err["message"])
        if isinstance(err, str):
            return err
    return excerpt(text) or "(empty body)"


def _error_model(op: Operation, cls: type[APIStatusError], status: int, parsed: dict[str, Any]) -> Any:
    """The error body parsed as the operation describes `status` (or its `default` response), else as the class
    describes its status; None if a (lenient) parser fails: the error still carries the raw body."""
    try:
        model = op.parse_error(status, parsed) if op.parse_error is not None else None
        return model if model is not None else cls._parse_data(parsed)
    except Exception:
        return None
