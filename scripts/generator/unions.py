"""Unions: how a JSON value is told apart among a union's members (UnionRule).

This is the generator's rule, and the one union predicate of the project: the generated model parsers
(parsers.UnionPlan) follow it, and the argument checks read it from the check tables (checks.CheckTable: keys
"u", "o", "k", "g", "f", "r") and apply it in the client (modelgates_client._validation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..common.document import Json, resolve_or_empty, type_list

__all__ = ["UnionRule", "fixed_values", "flat_union_members", "is_object_like", "marks_of", "union_rule"]


@dataclass
class UnionRule:
    """How a JSON object is told apart among a union's members: the one rule that both the generated model
    parsers (parsers.UnionPlan) and the argument checks (checks.CheckTable, client _validation) follow.

    1. `key`: a property that members fix to string values (a declared discriminator, else the property that
       tells the most object members apart by its const/enum values). An object whose `key` value is in `tags`
       is that value's member; a value that several members fix narrows the choice to them (then rule 2).
    2. Otherwise (no key, the key absent or not a string, or a string no member lists): the first member of
       `order` that the object fits: it has the member's required keys and contradicts none of the member's
       `marks` (the properties it fixes to one value, such as `role: assistant`; an enum of several values is
       not a mark: it may gain values). `order` holds the object members, most required keys first, then most
       marks, then as listed. With a string key value no member lists, only members that do not fix the key
       (`untagged`) are candidates: a variant the spec does not know yet is kept as it came (parsers) and passed
       through (checks).
    Values that are not objects are told apart by their JSON type.
    """

    key: str | None = None
    tags: dict[str, list[int]] = field(default_factory=dict)  # tag value -> the members fixing it, in `order`
    order: list[int] = field(default_factory=list)  # object members, most required keys first
    required: dict[int, list[str]] = field(default_factory=dict)
    marks: dict[int, dict[str, str]] = field(default_factory=dict)  # properties a member fixes to one value

    @property
    def untagged(self) -> list[int]:
        tagged = {i for members in self.tags.values() for i in members}
        return [i for i in self.order if i not in tagged]


def union_rule(spec: Json, members: list[Any], discriminator: Any = None) -> UnionRule:
    """The UnionRule of a union with these members (schemas or $refs) and optional declared discriminator."""
    resolved = [resolve_or_empty(spec, m) for m in members]
    objects = [i for i, s in enumerate(resolved) if is_object_like(s)]
    rule = UnionRule()
    rule.required = {i: sorted(r for r in resolved[i].get("required") or [] if isinstance(r, str)) for i in objects}
    fixed = {i: fixed_values(spec, resolved[i]) for i in objects}
    rule.marks = {i: marks_of(spec, resolved[i]) for i in objects}
    rule.order = sorted(objects, key=lambda i: (-len(rule.required[i]), -len(rule.marks[i]), i))
    if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
        rule.key = discriminator["propertyName"]
        refs = [m.get("$ref") if isinstance(m, dict) else None for m in members]
        mapping = discriminator.get("mapping") or {}
        tags: dict[str, list[int]] = {}
        for value, ref in mapping.items():
            if ref in refs and refs.index(ref) in objects:
                tags[str(value)] = [refs.index(ref)]
        for i in rule.order:  # the members' own fixed values complete the mapping
            for value in sorted(fixed[i].get(rule.key, ())):
                if value not in mapping and i not in tags.setdefault(value, []):
                    tags[value].append(i)
        rule.tags = dict(sorted(tags.items()))
        return rule
    best: tuple[tuple[int, int], str, dict[str, list[int]]] | None = None
    for key in sorted({k for i in objects for k in fixed[i]}):
        tags = {}
        for i in rule.order:
            for value in sorted(fixed[i].get(key, ())):
                tags.setdefault(value, []).append(i)
        told_apart = len({members[0] for members in tags.values() if len(members) == 1})
        holders = len({i for members in tags.values() for i in members})
        score = (told_apart, holders)
        if told_apart >= 2 and (best is None or score > best[0]):
            best = (score, key, tags)
    if best is not None:
        rule.key, rule.tags = best[1], dict(sorted(best[2].items()))
    return rule


def flat_union_members(spec: Json, members: list[Any]) -> list[Any]:
    """A union's members with members that are themselves unions (directly or through a $ref) spread out."""
    out: list[Any] = []
    for m in members:
        target = resolve_or_empty(spec, m)
        inner = target.get("anyOf") or target.get("oneOf") if isinstance(target, dict) else None
        if isinstance(inner, list) and not target.get("properties"):
            out.extend(flat_union_members(spec, inner))
        else:
            out.append(m)
    return out


def is_object_like(s: Any) -> bool:
    if not isinstance(s, dict) or "anyOf" in s or "oneOf" in s:
        return False
    types = type_list(s)
    return "object" in types or (not types and ("properties" in s or "required" in s))


def marks_of(spec: Json, s: Any) -> dict[str, str]:
    """The properties an object schema fixes to exactly one string value (const, or an enum of one value)."""
    if not isinstance(s, dict):
        return {}
    return {name: next(iter(values)) for name, values in sorted(fixed_values(spec, s).items()) if len(values) == 1}


def fixed_values(spec: Json, s: Json) -> dict[str, set[str]]:
    """The properties an object schema fixes to string values (const, or an enum of strings)."""
    out: dict[str, set[str]] = {}
    for name, prop in (s.get("properties") or {}).items():
        prop = resolve_or_empty(spec, prop)
        if not isinstance(prop, dict) or type_list(prop) not in ([], ["string"]):
            continue
        values = [prop["const"]] if "const" in prop else prop.get("enum")
        if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
            out[name] = set(values)
    return out
