"""How parameter values are written into the URL, headers and cookies (the OpenAPI parameter styles).

Values arrive as JSON data (after `to_json`). Each location has its default style; the generated operation
tables name the parameters written another way ("json", "deepObject", "form-flat"; see scripts/specprep.py).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

__all__ = ["cookie_header", "path_segment", "query_pairs", "simple", "text"]


def text(value: Any) -> str:
    """One scalar as parameter text: booleans as `true`/`false`, objects and arrays inside a value as JSON."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    if value.__class__ is dict or value.__class__ is list:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def simple(value: Any, style: str | None = None) -> str:
    """Style `simple` (path and header parameters): arrays as `a,b`, objects as `k1,v1,k2,v2`."""
    if style == "json":
        return _json(value)
    if value.__class__ is list:
        return ",".join(text(v) for v in value)
    if value.__class__ is dict:
        return ",".join(f"{k},{text(v)}" for k, v in value.items())
    return text(value)


def path_segment(value: Any, style: str | None = None) -> str:
    """A path parameter, percent-encoded whole: a `/` or a non-ASCII letter in the value stays inside its segment."""
    return quote(simple(value, style), safe="")


def query_pairs(wire: str, value: Any, style: str | None = None) -> list[tuple[str, str]]:
    """The query pairs of one parameter. Default style `form` with explode: an array repeats the name, an object
    gives one pair per key. None (JSON null) sends nothing."""
    if value is None:
        return []
    if style == "json":
        return [(wire, _json(value))]
    if value.__class__ is list:
        if style == "form-flat":
            return [(wire, ",".join(text(v) for v in value))]
        return [(wire, text(v)) for v in value]
    if value.__class__ is dict:
        if style == "deepObject":
            return [(f"{wire}[{k}]", text(v)) for k, v in value.items()]
        if style == "form-flat":
            return [(wire, ",".join(f"{k},{text(v)}" for k, v in value.items()))]
        return [(k, text(v)) for k, v in value.items()]
    return [(wire, text(value))]


def cookie_header(pairs: list[tuple[str, str]]) -> str:
    """The Cookie header for (name, text) pairs; values are percent-encoded (no `;`, `,` or space can break it)."""
    return "; ".join(f"{name}={quote(value, safe='')}" for name, value in pairs)
