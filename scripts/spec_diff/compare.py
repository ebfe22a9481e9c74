"""The comparison of two documents' facts, operation by operation: `compare` (every difference) and `ref_pairs`
(which published component each of ours stands for, from the places where both hold a `$ref`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..common.document import Json
from .sides import Side, as_dict, extra_of, operations, types_of, values_of

# SDK facts of the published document and the extension we carry each one as, by level.
OPERATION_SDK = {
    "x-speakeasy-name-override": "x-modelgates-method",
    "x-speakeasy-group": "x-modelgates-group",
    "x-speakeasy-pagination": "x-modelgates-pagination",
    "x-speakeasy-stream-request-field": "x-modelgates-stream-flag",
}


MEDIA_SDK = {"x-speakeasy-sse-sentinel": "x-modelgates-sse-sentinel"}


SDK_EXTENSIONS = {**OPERATION_SDK, **MEDIA_SDK}


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
