"""Small text rules shared by the runtime and the local server: excerpts of bodies, reason phrases, JSON type names.

A leaf module: it imports nothing of the package.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EXCERPT", "excerpt", "json_type", "reason_phrase"]

#: At most this many characters of a body or an event are quoted in an error message.
EXCERPT = 200

#: Statuses the gateway uses that the HTTP registry does not name.
_GATEWAY_PHRASES = {524: "Edge Network Timeout", 529: "Provider Overloaded"}


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """`text` on one line (runs of whitespace as one space), cut to `limit` characters with `...`."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def reason_phrase(status: int) -> str:
    """The reason phrase of an HTTP status (`Service Unavailable`), the gateway's own for 524 and 529, else ``""``."""
    phrase = _GATEWAY_PHRASES.get(status)
    if phrase is not None:
        return phrase
    import http  # noqa: PLC0415  (only for an error message)

    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def json_type(value: Any) -> str:
    """The JSON Schema type of a JSON value: ``1`` and ``1.0`` are "integer" (an integral number, as JSON Schema
    says), ``1.5`` is "number", booleans are "boolean" (never numbers); a value that is not JSON data gets its
    Python class name."""
    cls = value.__class__
    if cls is str:
        return "string"
    if cls is bool:
        return "boolean"
    if cls is int:
        return "integer"
    if cls is float:
        return "integer" if value.is_integer() else "number"
    if cls is dict:
        return "object"
    if cls is list:
        return "array"
    if value is None:
        return "null"
    return str(cls.__name__)
