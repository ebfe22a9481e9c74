"""What still needs words: the elements of a document without a description of their own, as text (spec-sync's
report) or as an overlay skeleton with empty texts to fill (spec-sync --todo)."""

from __future__ import annotations

from ..common.document import Json
from .elements import SCHEMA_MAPS, Location, describe, elements
from .overlay import Flat, nest


def _has_text(node: Json, key: str) -> bool:
    """Whether `node[key]` is a text that is not blank."""
    value = node.get(key)
    return isinstance(value, str) and bool(value.strip())


def missing_locations(spec: Json, properties: bool = False) -> list[tuple[Location, str]]:
    """(location, overlay key) of every element without a description of its own.

    The rule: every operation needs a summary and a description; every parameter, request body, response,
    tag, component schema (and the document's info) a description. Properties are listed only with
    `properties=True`: many are self-evident from their name and the schema's description.
    """
    out: list[tuple[Location, str]] = []
    for element in elements(spec):
        loc, kind, node = element.loc, element.kind, element.node
        if kind == "operation":
            out += [(loc, key) for key in ("summary", "description") if not _has_text(node, key)]
        elif kind == "info":
            out += [(loc, key) for key in ("title", "description") if not _has_text(node, key)]
        elif kind in ("parameter", "body", "response", "tag", "security") or (
            kind == "schema" and len(loc) == 3 and loc[:2] == ("components", "schemas")
        ):
            if not _has_text(node, "description"):
                out.append((loc, "description"))
        elif properties and kind == "schema" and len(loc) >= 2 and loc[-2] in SCHEMA_MAPS:
            if not _has_text(node, "description"):
                out.append((loc, "description"))
    return out


def missing(spec: Json, properties: bool = False) -> list[str]:
    """Locations without a description, as text (see `missing_locations` for the rule)."""
    return [describe(loc, key) for loc, key in missing_locations(spec, properties)]


def todo_overlay(spec: Json, properties: bool = False) -> Json:
    """An overlay skeleton with an empty text at every missing location, for a maintainer to fill."""
    flat: Flat = {}
    for loc, key in missing_locations(spec, properties):
        flat.setdefault(loc, {})[key] = ""
    return nest(flat)
