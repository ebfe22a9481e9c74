"""Check tables: the compact schemas of what each operation accepts, for the client's argument checks.

`CheckTable` builds them from the spec (as `specprep.check_spec` normalizes it); `make generate` writes them to
`_generated/schemas.py` under LEGEND, the key of their notation; `modelgates_client._validation` reads them.
"""

from __future__ import annotations

from typing import Any

from ..common.document import PROSE, Json, json_type, resolve, resolve_or_empty, type_list
from ..specprep import OperationInfo
from .unions import flat_union_members, is_object_like, marks_of, union_rule

__all__ = ["LEGEND", "CheckTable"]

LEGEND = """\
SCHEMAS maps a component name to its node, ARGUMENTS maps "group.method" to {argument: node}. A node is None
(any value; left out of a mapping) or a dict with some of these keys:

    "t"  the JSON types the value may have: a tuple of "array", "boolean", "integer", "null", "number",
         "object", "string"
    "p"  properties: {wire name: node}
    "r"  the keys an object requires (a tuple)
    "f"  the properties an object fixes to one value, its marks: {wire name: value}
    "i"  the node of every array item
    "a"  the node of every value whose key is not in "p" (additionalProperties)
    "u"  a union's members (a tuple of nodes), told apart by the union's rule (UnionRule in
         scripts/generator/unions.py), which these keys hold:
    "o"    the indices of the object members, in the order they are tried (most required keys first)
    "k"    the property whose value picks the member
    "g"    {value of "k": the index of the member it picks, or a tuple of the members sharing it}
    "$"  the name of a shared node in SCHEMAS: the node is that one

Values are checked for their JSON type only: an enum value the spec does not list passes (the API may know it)."""


def _node_types(s: Json) -> list[str]:
    types = type_list(s)
    if not types and "const" in s:
        types = [json_type(s["const"])]
    if not types and isinstance(s.get("enum"), list) and s["enum"]:
        types = sorted({json_type(v) for v in s["enum"]})
    return sorted(set(types))


class CheckTable:
    """Compact schemas of what each operation accepts (the notation: LEGEND), built from `spec`: `schemas` (shared
    nodes, by component name) and `operations` (by callable, the nodes of its arguments). Values are only
    checked for their JSON type (an unknown enum value passes: the API may know it)."""

    def __init__(self, spec: Json) -> None:
        self.spec = spec
        self.schemas: dict[str, Any] = {}
        self.operations: dict[str, dict[str, Any]] = {}

    def node(self, s: Any, depth: int = 0) -> Any:
        """The node of a schema (None: it accepts anything); a component's node is shared through "$". Keys come
        in LEGEND's order (the written tables are diffed): "t", "p", "r", "f", "i", "a", then the union's."""
        if depth > 200 or not isinstance(s, dict):
            return None
        if "$ref" in s:
            return self._shared(s, depth)
        out: dict[str, Any] = {}
        types = _node_types(s)
        if types:
            out["t"] = tuple(types)
        self._object(s, out, depth)
        if isinstance(s.get("items"), dict):
            item = self.node(s["items"], depth + 1)
            if item is not None:
                out["i"] = item
        extra = s.get("additionalProperties")
        if isinstance(extra, dict) and set(extra) - set(PROSE):
            node = self.node(extra, depth + 1)
            if node is not None:
                out["a"] = node
        members = s.get("oneOf") or s.get("anyOf")
        if isinstance(members, list) and members:
            self._union(s, members, out, depth)
        return out or None

    def _shared(self, s: Json, depth: int) -> Any:
        """{"$": name} for a component's schema, its node made once (None when the component accepts anything)."""
        name = s["$ref"].rsplit("/", 1)[-1]
        if name not in self.schemas:
            self.schemas[name] = None
            self.schemas[name] = self.node(resolve(self.spec, s), depth + 1)
        return {"$": name} if self.schemas[name] is not None else None

    def _object(self, s: Json, out: dict[str, Any], depth: int) -> None:
        """The object keys of a node: "p", "r", "f"."""
        props = s.get("properties")
        if isinstance(props, dict) and props:
            nodes = {k: self.node(v, depth + 1) for k, v in sorted(props.items())}
            nodes = {k: v for k, v in nodes.items() if v is not None}
            if nodes:
                out["p"] = nodes
        req = s.get("required")
        if isinstance(req, list) and req:
            out["r"] = tuple(sorted(req))
        marks = marks_of(self.spec, s) if is_object_like(s) else {}
        if marks:
            out["f"] = marks

    def _union(self, s: Json, members: list[Any], out: dict[str, Any], depth: int) -> None:
        """The union keys of a node: "u" and its rule, "o", "k", "g"."""
        members = flat_union_members(self.spec, members)
        nodes = [self.node(m, depth + 1) for m in members]
        if not all(n is not None for n in nodes):  # a member accepting anything makes the union accept anything
            return
        out["u"] = tuple(nodes)
        rule = union_rule(self.spec, members, s.get("discriminator"))
        if rule.order:
            out["o"] = tuple(rule.order)
        if rule.key is not None:
            out["k"] = rule.key
            out["g"] = {v: m[0] if len(m) == 1 else tuple(m) for v, m in rule.tags.items()}

    def add_operation(self, spec_op: Json, item: Json, info: OperationInfo, body_args: dict[str, str]) -> None:
        args: dict[str, Any] = {}
        params = [resolve(self.spec, p) for p in (item.get("parameters") or []) + (spec_op.get("parameters") or [])]
        for p in params:
            content_media: Json = next(iter((p.get("content") or {}).values()), {})
            schema = p.get("schema") or content_media.get("schema") or {}
            node = self.node(schema)
            if node is not None:
                args[info.param_names[(p["in"], p["name"])]] = node
        content = resolve(self.spec, spec_op.get("requestBody") or {}).get("content") or {}
        media = content.get("application/json")
        if media is not None and "body" in body_args and len(body_args) == 1:
            node = self.node(media.get("schema") or {})
            if node is not None:
                args["body"] = node
        elif body_args:
            # Body fields: the JSON body's schema of each, else a form's (files are checked as files, not here).
            bodies = [content[m] for m in ("application/json", "multipart/form-data") if m in content]
            for media in bodies:
                schema = resolve(self.spec, (media or {}).get("schema") or {})
                props = schema.get("properties") if isinstance(schema, dict) else None
                if not isinstance(props, dict):
                    continue
                for python, wire_name in body_args.items():
                    prop = props.get(wire_name) or props.get(wire_name + "[]")
                    if python in args or prop is None or _is_binary(self.spec, prop):
                        continue
                    node = self.node(prop)
                    if node is not None:
                        args[python] = node
        self.operations[info.callable] = args


def _is_binary(spec: Json, schema: Any) -> bool:
    """Whether a form property is a file (a binary string, or an array of them)."""
    schema = resolve_or_empty(spec, schema)
    if schema.get("type") == "array":
        schema = resolve_or_empty(spec, schema.get("items") or {})
    return schema.get("format") == "binary" or "contentMediaType" in schema
