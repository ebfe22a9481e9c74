"""Parse expressions: the Python source that turns a JSON value into a property's value in a generated `from_dict`
(or an answer's parse function), leniently (a value of an unexpected shape is kept as it came), and the union
plans behind the module-level union parse functions (`_union.jinja`), which follow unions.UnionRule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import oac
from .context import Context
from .hints import flat_members, needs_parse, type_string
from .unions import union_rule

__all__ = ["UnionNames", "UnionPlan", "parse_expr", "plan_classes"]


class UnionNames:
    """Names for the module-level union parse functions of one generated module, in order of first use; every plan
    made is also recorded in the run's context (for the manifest)."""

    def __init__(self, ctx: Context, module: str = "") -> None:
        self.ctx = ctx
        self.module = module
        self.plans: list[UnionPlan] = []
        self._by_key: dict[str, str] = {}

    def name_for(self, prop: Any, hint: str) -> str:
        key = _union_key(self.ctx, prop)
        if key not in self._by_key:
            name = f"_parse_{hint}"
            n = 2
            while any(p.name == name for p in self.plans):
                name = f"_parse_{hint}_{n}"
                n += 1
            self._by_key[key] = name
            self.plans.append(UnionPlan.build(name, prop, self))
            self.ctx.plans.append((self.module, self.plans[-1]))
        return self._by_key[key]


def _union_key(ctx: Context, prop: Any) -> str:
    return "|".join(sorted(_type_key(ctx, p) for p in flat_members(prop)))


def _type_key(ctx: Context, prop: Any) -> str:
    if ctx.is_json_object(prop):
        return "dict"
    if oac.is_model(prop):
        return "M:" + oac.class_name(prop)
    if oac.is_list(prop):
        return "L[" + _type_key(ctx, oac.item(prop)) + "]"
    if oac.is_union(prop):
        return "U[" + _union_key(ctx, prop) + "]"
    return type(prop).__name__


def parse_expr(prop: Any, src: str, names: UnionNames, hint: str, depth: int = 0) -> str:
    """An expression that turns the JSON value in variable `src` into the property's Python value, leniently:
    anything of an unexpected shape is returned unchanged."""
    if oac.is_model(prop):
        cls = oac.class_name(prop)
        return f"{cls}.from_dict({src}) if {src}.__class__ is dict else {src}"
    if oac.is_datetime(prop):
        return f"_parse_datetime({src})"
    if oac.is_date(prop):
        return f"_parse_date({src})"
    if oac.is_list(prop):
        inner = oac.item(prop)
        if not needs_parse(names.ctx, inner):
            return src
        var = f"_i{depth}"
        inner_expr = parse_expr(inner, var, names, hint + "_item", depth + 1)
        return f"[{_wrap(inner_expr)} for {var} in {src}] if {src}.__class__ is list else {src}"
    if oac.is_union(prop):
        if not needs_parse(names.ctx, prop):
            return src
        return f"{names.name_for(prop, hint)}({src})"
    return src


def _wrap(expr: str) -> str:
    return f"({expr})" if " if " in expr else expr


@dataclass
class UnionPlan:
    """How a union's JSON value is told apart. Objects follow unions.UnionRule, the rule the argument checks
    follow too: the key's value picks a member (`dispatch`); else the first of `candidates` (required keys)
    fits, and with an unknown key value only the `untagged` ones. Arrays go to the array member, strings to a
    date-time member; anything else is kept as it came."""

    name: str
    dispatch_key: str | None = None
    dispatch: list[tuple[str, str]] = field(default_factory=list)  # (value literal, class)
    candidates: list[tuple[str, str]] = field(default_factory=list)  # (class, required keys literal)
    untagged: list[tuple[str, str]] = field(default_factory=list)  # candidates that fix no key value
    shared: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # value several members fix
    members: list[tuple[str, str]] = field(default_factory=list)  # (class, component $ref) of the object members
    list_expr: str | None = None
    str_expr: str | None = None
    type_string: str = "Any"

    @classmethod
    def build(cls, name: str, prop: Any, names: UnionNames) -> UnionPlan:
        ctx = names.ctx
        plan = cls(name=name)
        members = flat_members(prop)
        models: list[Any] = []
        for m in members:
            if ctx.is_json_object(m):
                continue  # a plain dict: kept as it came when no model of the union claims it
            if oac.is_model(m) and oac.class_name(m) not in [oac.class_name(x) for x in models]:
                models.append(m)
        refs = [{"$ref": "#/components/schemas/" + oac.schema_name(ctx.model(m))} for m in models]
        declared = ctx.discriminators.get(frozenset(r["$ref"] for r in refs))
        rule = union_rule(ctx.spec, refs, declared)
        classes = [oac.class_name(m) for m in models]
        plan.members = [(c, r["$ref"]) for c, r in zip(classes, refs, strict=True)]
        if rule.key is not None and rule.tags:
            plan.dispatch_key = repr(rule.key)
            for value, tagged in rule.tags.items():
                if len(tagged) == 1:
                    plan.dispatch.append((repr(value), classes[tagged[0]]))
                else:
                    chain = [(classes[i], "fits" if rule.required[i] or rule.marks[i] else "") for i in tagged]
                    plan.shared.append((repr(value), chain))

        # A candidate with neither required keys nor marks fits any object: the chain ends there.
        def fit(i: int) -> str:
            return "fits" if rule.required[i] or rule.marks[i] else ""

        plan.candidates = [(classes[i], fit(i)) for i in rule.order]
        plan.untagged = [(classes[i], fit(i)) for i in rule.untagged]
        for m in members:
            if oac.is_list(m) and needs_parse(ctx, m) and plan.list_expr is None:
                plan.list_expr = parse_expr(m, "value", names, name.removeprefix("_parse_") + "_list", 1)
            if (oac.is_datetime(m) or oac.is_date(m)) and plan.str_expr is None:
                plan.str_expr = parse_expr(m, "value", names, name, 1)
        plan.type_string = type_string(ctx, prop)
        return plan


def plan_classes(plan: UnionPlan) -> list[str]:
    """Every model class a union's parse function may build (for the imports of its module)."""
    out = [c for _, c in plan.dispatch] + [c for c, _ in plan.candidates]
    out += [c for _, chain in plan.shared for c, _ in chain]
    return out
