"""Reading a success answer: its body as the operation says (JSON, text, bytes, nothing), an error object sent in
place of the result, and the typed result parsed from the JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ._errors import in_band_error, invalid_body
from ._text import excerpt

if TYPE_CHECKING:
    import httpx

    from ._operation import Operation
    from ._tables import Tables

__all__ = ["decode", "is_json", "parse_result", "stream_refused"]


def is_json(response: httpx.Response) -> bool:
    """Whether the response says its body is JSON (`application/json`, `application/problem+json`, ...)."""
    kind: str = response.headers.get("content-type", "").partition(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def decode(tables: Tables, op: Operation, response: httpx.Response) -> Any:
    """The body of a success response as the operation reads it: JSON data, bytes, text, or None for an empty
    answer. An error object in the JSON raises its APIStatusError; a body that is not JSON, an
    InvalidResponseError."""
    kind = op.response_kind(response.status_code)
    if kind == "binary":
        return response.content
    if kind == "text":
        return response.text
    content = response.content
    if kind == "empty" and not content.strip():
        return None
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply to decode
        text = content.decode("utf-8", "replace")
        what = "an empty body" if not text.strip() else f"a body that is not JSON: {excerpt(text)!r}"
        raise invalid_body(op.name, f"{response.status_code} with {what}", response, text) from None
    if data.__class__ is dict and data.get("error").__class__ is dict and op.is_error_in_place(data):
        raise in_band_error(tables, op, data, response)
    return data


def parse_result(op: Operation, response: httpx.Response, data: Any) -> Any:
    """Decoded JSON `data` parsed into the operation's result type (other bodies are returned as they are)."""
    status = response.status_code
    if data is None or op.response_kind(status) in ("binary", "text"):
        return data
    try:
        return op.parse(status, data)
    except Exception as exc:  # the generated parsers are lenient; this is a last line of defence
        what = f"the response could not be parsed: {type(exc).__name__}: {exc}"
        raise invalid_body(op.name, what, response, response.content.decode("utf-8", "replace")) from exc


def stream_refused(op: Operation, response: httpx.Response) -> Exception:
    """The error for a JSON answer (without an error object) to a request for an event stream."""
    what = f"asked for an event stream, got {response.status_code} with {response.headers.get('content-type')}"
    return invalid_body(op.name, f"{what}: {excerpt(response.text)!r}", response, response.text)
