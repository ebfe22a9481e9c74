"""Form bodies, `application/x-www-form-urlencoded` and `multipart/form-data` alike: one rule for how a JSON value
becomes form text, and the file parts of a multipart form.

The form-value rule (OpenAPI's default for forms, style `form` with explode):
- a string is sent as it is; `true`/`false`; a number as its JSON text;
- an array of scalars repeats the field, once per item (`scopes=a&scopes=b`);
- an object, or an array holding objects or arrays, is sent as its JSON text;
- None (JSON null) leaves the field out, as it does in a query string.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ._uploads import file_part

if TYPE_CHECKING:
    from ._call import Call

__all__ = ["add_file", "form_value"]


def form_value(value: Any) -> str | list[str] | None:
    """A JSON value as form text by the rule above: text, a list of texts (a repeated field), or None (left out)."""
    if value.__class__ is str:
        return str(value)
    if value is None:
        return None
    if value.__class__ is list and not any(v.__class__ in (dict, list) for v in value):
        return [text for text in map(_scalar, value) if text is not None]
    if value.__class__ in (dict, list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return _scalar(value)


def _scalar(value: Any) -> str | None:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return None
    return value if value.__class__ is str else str(value)


def add_file(call: Call, value: Any, label: str, field_name: str) -> tuple[str, Any, str]:
    """The multipart part of a file argument; files the client opens are closed after the call, and a file that
    cannot be sent again (a pipe) turns retries off for the call."""
    part = file_part(value, label, field_name)
    if part.opened:
        call.opened = [*(call.opened or ()), part.content]
    if not part.rewindable:
        call.max_retries = 0
    return part.to_httpx()
