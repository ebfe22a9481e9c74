"""Compare the facts of our OpenAPI document with a published one, operation by operation.

    python -m scripts.spec_diff UPSTREAM [--spec openapi/modelgates.yaml] [--prose] [--op METHOD:PATH ...]
    make spec-diff UPSTREAM=PATH

Facts are what a client depends on: operations (method + path) on either side only; parameters (by
`in` and name) and whether they are required; request bodies; response status codes and media types;
and, through `$ref`s, every property name, type (3.0 `nullable` and 3.1 type lists alike), required list,
enum/const value, format, array item, additionalProperties and union member (a `null` member counts as
nullability; `allOf` is merged), plus the SDK names the published document gives its operations
(`x-speakeasy-name-override` and friends, which we carry as `x-modelgates-*`). Schema names may differ:
the JSON each side describes is compared. Prose (description, summary, title, examples) is not a fact.

Prints one line per difference (`<where>: <what>`), then a summary; exits 0 when the facts agree.
With --prose, also lists our texts that repeat the published ones (the whole text, or the same first
40 characters, case and whitespace ignored), as a separate category that also makes the exit code 1.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .common.document import json_type

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT / "openapi" / "modelgates.yaml"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
PROSE = frozenset({"description", "summary", "title", "example", "examples", "deprecated"})
PROSE_MIN = 40

# SDK facts of the published document and the extension we carry each one as, by level.
OPERATION_SDK = {
    "x-speakeasy-name-override": "x-modelgates-method",
    "x-speakeasy-group": "x-modelgates-group",
    "x-speakeasy-pagination": "x-modelgates-pagination",
    "x-speakeasy-stream-request-field": "x-modelgates-stream-flag",
}
MEDIA_SDK = {"x-speakeasy-sse-sentinel": "x-modelgates-sse-sentinel"}
SDK_EXTENSIONS = {**OPERATION_SDK, **MEDIA_SDK}

Json = dict[str, Any]


def load(path: Path) -> Json:
    """A YAML or JSON document (the C loader when PyYAML has it: the published document is large)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not an OpenAPI document")
    return data


# ---------------------------------------------------------------- reading one side


class Side:
    """One document: resolves local `$ref`s and reads schemas the way the comparison needs them."""

    def __init__(self, spec: Json) -> None:
        self.spec = spec

    def resolve(self, node: Any) -> tuple[Any, str | None]:
        """The node a chain of `$ref`s leads to, and the last reference followed (None when there was none)."""
        ref = None
        for _ in range(64):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node, ref
            ref = node["$ref"]
            target: Any = self.spec
            for part in ref.lstrip("#/").split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node = target
        raise ValueError(f"$ref loop at {ref}")

    def merged(self, schema: Json, depth: int = 0) -> Json:
        """`allOf` folded into one schema: properties and required lists united, other keys the first seen."""
        if not isinstance(schema.get("allOf"), list) or depth > 32:
            return schema
        out = {k: v for k, v in schema.items() if k != "allOf"}
        properties = dict(out.get("properties") or {})
        required = list(out.get("required") or [])
        for part in schema["allOf"]:
            resolved = self.merged(as_dict(self.resolve(part)[0]), depth + 1)
            properties.update(resolved.get("properties") or {})
            required += resolved.get("required") or []
            for key, value in resolved.items():
                if key not in ("properties", "required"):
                    out.setdefault(key, value)
        if properties:
            out["properties"] = properties
        if required:
            out["required"] = sorted(set(required))
        return out

    def union(self, schema: Json) -> tuple[list[Any] | None, bool]:
        """Members of a oneOf/anyOf without its `null` members, and whether there was one (None: no union)."""
        members = schema.get("oneOf") or schema.get("anyOf")
        if not isinstance(members, list) or not members:
            return None, False
        real: list[Any] = []
        nullable = False
        for member in members:
            resolved = as_dict(self.resolve(member)[0])
            if types_of(resolved) == {"null"} and not resolved.get("properties"):
                nullable = True
            else:
                real.append(member)
        return real, nullable


def as_dict(value: Any) -> Json:
    """The value if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def types_of(schema: Json) -> set[str]:
    """The schema's JSON types: the 3.1 type list, 3.0 `nullable`, and the type of a `const`."""
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(declared or [])
    if schema.get("nullable") is True:
        types.add("null")
    if "const" in schema:
        types.add(json_type(schema["const"]))
    if types == {"integer", "number"}:
        types = {"number"}
    return types


def values_of(schema: Json) -> set[str] | None:
    """The values a schema allows by enum or const (as reprs), or None when it lists none."""
    if "const" in schema:
        return {repr(schema["const"])}
    if isinstance(schema.get("enum"), list):
        return {repr(v) for v in schema["enum"]}
    return None


def extra_of(schema: Json) -> Any:
    """additionalProperties: absent, true or a schema of prose only mean "any"; false means "none"."""
    extra = schema.get("additionalProperties")
    if extra is None or extra is True or (isinstance(extra, dict) and set(extra) <= PROSE | {"nullable"}):
        return "any"
    if extra is False:
        return "none"
    return extra


def operations(spec: Json) -> Iterator[tuple[str, str, Json, Json]]:
    """(METHOD, path, operation, path item) of every operation."""
    for path, item in (spec.get("paths") or {}).items():
        if isinstance(item, dict):
            for method in METHODS:
                if isinstance(item.get(method), dict):
                    yield method.upper(), path, item[method], item


# ---------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Difference:
    """One fact that differs: where (operation and place in it), and what."""

    where: str
    what: str
    category: str = "fact"

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class Comparer:
    """Compares two documents; `a` is ours, `b` the published one. Differences collect in `found`."""

    a: Side
    b: Side
    found: list[Difference] = field(default_factory=list)
    on_refs: Callable[[str, str], None] | None = None
    _visited: set[tuple[str, str]] = field(default_factory=set)
    _quiet: int = 0

    def diff(self, where: str, what: str, category: str = "fact") -> None:
        """Record one difference."""
        self.found.append(Difference(where or "schema", what, category))

    def agree(self, sa: Any, sb: Any) -> bool:
        """Whether two schemas describe the same JSON; leaves no differences behind."""
        saved, saved_visited = self.found, set(self._visited)
        self.found = []
        self._quiet += 1
        try:
            self.schema(sa, sb, "")
            return not self.found
        finally:
            self._quiet -= 1
            self.found, self._visited = saved, saved_visited

    def schema(self, sa: Any, sb: Any, where: str) -> None:
        """Compare two schemas (each through its $refs); a pair of references is compared once per operation."""
        ra, ref_a = self.a.resolve(sa)
        rb, ref_b = self.b.resolve(sb)
        if ref_a and ref_b:
            if self.on_refs is not None and not self._quiet:
                self.on_refs(ref_a, ref_b)
            if (ref_a, ref_b) in self._visited:
                return
            self._visited.add((ref_a, ref_b))
        ra, rb = self.a.merged(as_dict(ra)), self.b.merged(as_dict(rb))
        ua, null_a = self.a.union(ra)
        ub, null_b = self.b.union(rb)
        if ua is not None and len(ua) == 1 and ub is None:
            ra, ua = self.a.merged(as_dict(self.a.resolve(ua[0])[0])), None
        if ub is not None and len(ub) == 1 and ua is None:
            rb, ub = self.b.merged(as_dict(self.b.resolve(ub[0])[0])), None
        if (ua is None) != (ub is None):
            self.diff(where, f"a union (oneOf/anyOf) in {'ours' if ua is not None else 'published'} only")
            return
        if ua is not None and ub is not None:
            self.members(ua, ub, null_a, null_b, where)
            return
        self.nullable_and_types(ra, rb, null_a, null_b, where)
        self.values(ra, rb, where)
        self.object(ra, rb, where)

    def members(self, ua: list[Any], ub: list[Any], null_a: bool, null_b: bool, where: str) -> None:
        """Match union members pairwise by agreement; those without an equal are differences."""
        if null_a != null_b:
            self.diff(where, f"nullable union: ours {null_a}, published {null_b}")
        unmatched = list(ub)
        for position, member in enumerate(ua):
            hit = next((x for x in unmatched if self.agree(member, x)), None)
            if hit is None:
                self.diff(where, f"union member {self.label(self.a, member, position)} only in ours")
            else:
                unmatched.remove(hit)
                if self.on_refs is not None and not self._quiet:
                    ref_a, ref_b = self.a.resolve(member)[1], self.b.resolve(hit)[1]
                    if ref_a and ref_b:
                        self.on_refs(ref_a, ref_b)
        for member in unmatched:
            self.diff(where, f"union member {self.label(self.b, member, ub.index(member))} only in published")

    @staticmethod
    def label(side: Side, member: Any, position: int) -> str:
        """A union member as a diff line names it: its component name, or its position and types."""
        resolved, ref = side.resolve(member)
        if ref:
            return ref.rsplit("/", 1)[-1]
        types = sorted(types_of(as_dict(resolved)))
        return f"#{position} ({'|'.join(types) or 'inline'})"

    def nullable_and_types(self, ra: Json, rb: Json, null_a: bool, null_b: bool, where: str) -> None:
        """Types are compared where both sides declare some; `null` (a type, `nullable`, or a null member of a
        one-member union) is part of the type list."""
        ta, tb = types_of(ra) | ({"null"} if null_a else set()), types_of(rb) | ({"null"} if null_b else set())
        core_a, core_b = ta - {"null"}, tb - {"null"}
        if core_a and core_b and core_a != core_b:
            self.diff(where, f"type ours {sorted(ta)}, published {sorted(tb)}")
        elif ta and tb and ("null" in ta) != ("null" in tb):
            self.diff(where, f"nullable: ours {'null' in ta}, published {'null' in tb}")

    def values(self, ra: Json, rb: Json, where: str) -> None:
        """enum/const values and formats."""
        ea, eb = values_of(ra), values_of(rb)
        if ea != eb:
            if ea is None or eb is None:
                listed = "ours" if ea is not None else "published"
                self.diff(where, f"enum/const values in {listed} only: {', '.join(sorted(ea or eb or []))}")
            else:
                if eb - ea:
                    self.diff(where, f"enum/const values only in published: {', '.join(sorted(eb - ea))}")
                if ea - eb:
                    self.diff(where, f"enum/const values only in ours: {', '.join(sorted(ea - eb))}")
        fa, fb = ra.get("format"), rb.get("format")
        if fa != fb and (fa or fb) and {fa, fb} != {None, "double"}:
            self.diff(where, f"format ours {fa!r}, published {fb!r}")

    def object(self, ra: Json, rb: Json, where: str) -> None:
        """Properties (by name), required lists, array items and additionalProperties."""
        pa, pb = as_dict(ra.get("properties")), as_dict(rb.get("properties"))
        for name in [k for k in pb if k not in pa]:
            self.diff(f"{where}.{name}", "property only in published")
        for name in [k for k in pa if k not in pb]:
            self.diff(f"{where}.{name}", "property only in ours")
        for name in [k for k in pa if k in pb]:
            self.schema(pa[name], pb[name], f"{where}.{name}")
        qa, qb = set(ra.get("required") or []), set(rb.get("required") or [])
        if qa != qb:
            changes = [f"+{n} (published)" for n in sorted(qb - qa)] + [f"+{n} (ours)" for n in sorted(qa - qb)]
            self.diff(where, f"required differs: {', '.join(changes)}")
        if "items" in ra or "items" in rb:
            if "items" in ra and "items" in rb:
                self.schema(ra["items"], rb["items"], f"{where}[]")
            else:
                self.diff(where, f"array items declared in {'ours' if 'items' in ra else 'published'} only")
        xa, xb = extra_of(ra), extra_of(rb)
        if isinstance(xa, dict) and isinstance(xb, dict):
            self.schema(xa, xb, f"{where}{{}}")
        elif xa != xb:
            self.diff(where, f"additionalProperties ours {describe_extra(xa)}, published {describe_extra(xb)}")

    def content(self, ca: Any, cb: Any, where: str) -> None:
        """Media types of a body or response, their schemas and their SDK extensions."""
        ca, cb = as_dict(ca), as_dict(cb)
        for media_type in [m for m in cb if m not in ca]:
            self.diff(where, f"media type {media_type} only in published")
        for media_type in [m for m in ca if m not in cb]:
            self.diff(where, f"media type {media_type} only in ours")
        for media_type in [m for m in ca if m in cb]:
            ma, mb = as_dict(ca[media_type]), as_dict(cb[media_type])
            if "schema" in ma or "schema" in mb:
                self.schema(ma.get("schema", {}), mb.get("schema", {}), f"{where}<{media_type}>")
            self.sdk(ma, mb, f"{where}<{media_type}>", MEDIA_SDK)

    def sdk(self, oa: Json, ob: Json, where: str, names: dict[str, str]) -> None:
        """SDK names the published document gives: ours (as x-modelgates-*) must say the same."""
        for theirs, mine in names.items():
            published = ob.get(theirs, ob.get(mine))
            ours = oa.get(mine, oa.get(theirs))
            if published is not None and ours != published:
                self.diff(where, f"{mine} ours {ours!r}, published {theirs} {published!r}", "sdk")

    def parameters(self, oa: Json, item_a: Json, ob: Json, item_b: Json, where: str) -> None:
        """Parameters by (in, name): presence, required, schema."""
        pa, pb = self.params_of(self.a, oa, item_a), self.params_of(self.b, ob, item_b)
        for key in [k for k in pb if k not in pa]:
            self.diff(where, f"parameter {key[0]} {key[1]} only in published")
        for key in [k for k in pa if k not in pb]:
            self.diff(where, f"parameter {key[0]} {key[1]} only in ours")
        for key in [k for k in pa if k in pb]:
            if bool(pa[key].get("required")) != bool(pb[key].get("required")):
                req = "required" if pb[key].get("required") else "optional"
                self.diff(where, f"parameter {key[0]} {key[1]} is {req} in published only")
            self.schema(pa[key].get("schema", {}), pb[key].get("schema", {}), f"{where} param {key[1]}")

    @staticmethod
    def params_of(side: Side, op: Json, item: Json) -> dict[tuple[str, str], Json]:
        """Parameters by (in, name): the path item's, overridden by the operation's."""
        out: dict[tuple[str, str], Json] = {}
        for node in list(item.get("parameters") or []) + list(op.get("parameters") or []):
            p = as_dict(side.resolve(node)[0])
            if isinstance(p.get("in"), str) and isinstance(p.get("name"), str):
                out[(p["in"], p["name"])] = p
        return out

    def operation(self, oa: Json, item_a: Json, ob: Json, item_b: Json, where: str) -> None:
        """One operation present on both sides: SDK names, parameters, request body, responses."""
        self._visited = set()
        self.sdk(oa, ob, where, OPERATION_SDK)
        self.parameters(oa, item_a, ob, item_b, where)
        ba = as_dict(self.a.resolve(oa["requestBody"])[0]) if "requestBody" in oa else None
        bb = as_dict(self.b.resolve(ob["requestBody"])[0]) if "requestBody" in ob else None
        if (ba is None) != (bb is None):
            self.diff(where, f"request body in {'ours' if ba is not None else 'published'} only")
        elif ba is not None and bb is not None:
            if bool(ba.get("required")) != bool(bb.get("required")):
                self.diff(
                    where, f"request body is {'required' if bb.get('required') else 'optional'} in published only"
                )
            self.content(ba.get("content"), bb.get("content"), f"{where} body")
        ra = {str(k): v for k, v in as_dict(oa.get("responses")).items()}
        rb = {str(k): v for k, v in as_dict(ob.get("responses")).items()}
        for status in [s for s in rb if s not in ra]:
            self.diff(where, f"response {status} only in published")
        for status in [s for s in ra if s not in rb]:
            self.diff(where, f"response {status} only in ours")
        for status in [s for s in ra if s in rb]:
            response_a, response_b = as_dict(self.a.resolve(ra[status])[0]), as_dict(self.b.resolve(rb[status])[0])
            self.content(response_a.get("content"), response_b.get("content"), f"{where} {status}")


def describe_extra(value: Any) -> str:
    """additionalProperties as the diff line says it: any, none, or a schema."""
    return value if isinstance(value, str) else "a schema"


def compare(ours: Json, published: Json, only: set[tuple[str, str]] | None = None) -> list[Difference]:
    """Every fact that differs between our document and the published one."""
    comparer = Comparer(Side(ours), Side(published))
    mine = {(m, p): (op, item) for m, p, op, item in operations(ours)}
    theirs = {(m, p): (op, item) for m, p, op, item in operations(published)}
    for key in theirs:
        if key not in mine and (only is None or key in only):
            comparer.diff(f"{key[0]} {key[1]}", "operation only in published", "operation")
    for key in mine:
        if only is not None and key not in only:
            continue
        if key not in theirs:
            comparer.diff(f"{key[0]} {key[1]}", "operation only in ours", "operation")
            continue
        (oa, item_a), (ob, item_b) = mine[key], theirs[key]
        comparer.operation(oa, item_a, ob, item_b, f"{key[0]} {key[1]}")
    return comparer.found


def ref_pairs(ours: Json, published: Json) -> dict[str, set[str]]:
    """Which published component each of our components stands for, from the places where both sides hold
    a `$ref` (by schema name: {our name: {published names}})."""
    pairs: dict[str, set[str]] = {}

    def record(ref_a: str, ref_b: str) -> None:
        """Keep a pair of component schema references."""
        prefix = "#/components/schemas/"
        if ref_a.startswith(prefix) and ref_b.startswith(prefix):
            pairs.setdefault(ref_a[len(prefix) :], set()).add(ref_b[len(prefix) :])

    comparer = Comparer(Side(ours), Side(published), on_refs=record)
    theirs = {(m, p): (op, item) for m, p, op, item in operations(published)}
    for method, path, op, item in operations(ours):
        if (method, path) in theirs:
            comparer.operation(op, item, *theirs[(method, path)], f"{method} {path}")
    return pairs


# ---------------------------------------------------------------- prose that repeats the published document

NAME_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "schemas", "responses", "parameters", "requestBodies", "headers"}
    | {"securitySchemes", "content", "paths", "mapping", "encoding", "links", "callbacks", "webhooks", "variables"}
)
DATA_KEYS = frozenset({"default", "const", "enum", "example", "examples"})


def texts(node: Any, where: str = "#", names: bool = False) -> Iterator[tuple[str, str]]:
    """(where, text) of every description, summary and title; keys of name maps are names, not prose."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}/{key}"
            if not names and key in ("description", "summary", "title") and isinstance(value, str):
                yield here, value
            elif not names and (key in DATA_KEYS or str(key).startswith("x-")):
                continue
            else:
                yield from texts(value, here, not names and key in NAME_MAPS and isinstance(value, dict))
    elif isinstance(node, list):
        for position, value in enumerate(node):
            yield from texts(value, f"{where}/{position}")


def normalise(text: str) -> str:
    """Lower case, runs of whitespace as one space: how texts are compared."""
    return re.sub(r"\s+", " ", text).strip().lower()


def repeated_prose(ours: Json, published: Json, minimum: int = PROSE_MIN) -> list[Difference]:
    """Our texts of `minimum`+ characters that equal a published text, or start with the same characters."""
    theirs = [normalise(t) for _, t in texts(published)]
    whole = set(theirs)
    heads = {t[:minimum] for t in theirs if len(t) >= minimum}
    out = []
    for where, text in texts(ours):
        n = normalise(text)
        if len(n) >= minimum and (n in whole or n[:minimum] in heads):
            out.append(Difference(where, f"repeats the published text: {text[:80]!r}", "prose"))
    return out


# ---------------------------------------------------------------- command line


def summary(found: list[Difference], ours: Json, published: Json) -> str:
    """The last line: how many operations were compared and how many differences of each category."""
    mine = {(m, p) for m, p, _, _ in operations(ours)}
    theirs = {(m, p) for m, p, _, _ in operations(published)}
    counts = {c: sum(1 for d in found if d.category == c) for c in ("operation", "fact", "sdk", "prose")}
    text = (
        f"spec-diff: {len(mine & theirs)} operations compared ({len(mine)} ours, {len(theirs)} published); "
        f"{counts['operation']} on one side only, {counts['fact']} fact differences, {counts['sdk']} SDK-name "
        "differences"
    )
    return text + (f", {counts['prose']} repeated prose" if counts["prose"] else "")


def main(argv: list[str] | None = None) -> int:
    """The command line; exit 1 when anything differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("upstream", type=Path, help="the published OpenAPI document (YAML or JSON)")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="our document (default: %(default)s)")
    parser.add_argument("--prose", action="store_true", help="also list our texts that repeat the published ones")
    parser.add_argument("--op", action="append", default=[], help="METHOD:PATH to compare (default: all)")
    args = parser.parse_args(argv)
    ours, published = load(args.spec), load(args.upstream)
    only = {(m.upper(), p) for m, p in (x.split(":", 1) for x in args.op)} if args.op else None
    found = compare(ours, published, only)
    if args.prose:
        found += repeated_prose(ours, published)
    for difference in found:
        print(difference)
    print(summary(found, ours, published))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
