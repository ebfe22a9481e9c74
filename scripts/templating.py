"""Helpers the Jinja templates call while rendering (registered as template globals by generate.py).

They turn openapi-python-client's parsed properties into small pieces of Python source: lean parse
expressions for `from_dict`, argument type strings that accept plain dicts, union dispatch plans, and
the compact validation schemas the client checks a caller's arguments against. The templates decide
the layout of every generated file; these functions only spell out expressions.
"""

from __future__ import annotations

import http
import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.parser.properties import (
    AnyProperty,
    BooleanProperty,
    ConstProperty,
    DateProperty,
    DateTimeProperty,
    FileProperty,
    FloatProperty,
    IntProperty,
    ListProperty,
    LiteralEnumProperty,
    ModelProperty,
    NoneProperty,
    StringProperty,
    UnionProperty,
    UuidProperty,
)

from . import specprep

PRIMITIVES = (
    AnyProperty,
    BooleanProperty,
    ConstProperty,
    FloatProperty,
    IntProperty,
    LiteralEnumProperty,
    NoneProperty,
    StringProperty,
    UuidProperty,
    FileProperty,
)


def code(value: Any) -> str:
    """The Python code of an openapi-python-client PythonCode/ClassName value, as a plain str."""
    if hasattr(value, "as_unembedded_code"):
        return str(value.as_unembedded_code())
    return str(value)


def wire(value: Any) -> str:
    """A wire name (an UntrustedString from the spec) as a safe Python string literal."""
    raw = value.get_untrusted_value() if hasattr(value, "get_untrusted_value") else str(value)
    return repr(str(raw))


def raw(value: Any) -> str:
    return value.get_untrusted_value() if hasattr(value, "get_untrusted_value") else str(value)


def doc(value: Any, width: int = 100) -> str:
    """Spec prose made safe for a docstring: no triple quotes, no backslashes, wrapped lines."""
    if value is None:
        return ""
    text = raw(value).replace("\\", "\\\\").replace('"""', "'''").strip()
    text = re.sub(r"[ \t]+", " ", text)
    return text


# ------------------------------------------------------------------ model index


@dataclass
class Index:
    """openapi-python-client's models by class name (property objects inside other models may be thin copies)."""

    models: dict[str, ModelProperty] = field(default_factory=dict)

    def model(self, prop: ModelProperty) -> ModelProperty:
        return self.models.get(code(prop.class_info.name), prop)


INDEX = Index()

#: The class openapi-python-client makes of the free-form object placeholder (specprep.free_form_objects_to_dicts);
#: rendered as `dict[str, Any]`, never as a class. Set by generate.py for each run.
JSON_OBJECT: list[str] = []


def is_json_object(prop: Any) -> bool:
    return isinstance(prop, ModelProperty) and code(prop.class_info.name) in JSON_OBJECT


def type_string(prop: Any) -> str:
    """The annotation of a property's Python value. As openapi-python-client writes it (union members sorted,
    lists as list[...]), except that a free-form object is `dict[str, Any]`."""
    if is_json_object(prop):
        return "dict[str, Any]"
    if isinstance(prop, ListProperty):
        return f"list[{type_string(prop.inner_property)}]"
    if isinstance(prop, UnionProperty):
        inner = {type_string(m) for m in prop.inner_properties}
        return inner.pop() if len(inner) == 1 else " | ".join(sorted(inner, key=str.lower))
    if isinstance(prop, UuidProperty):
        return "str"  # the API sends UUIDs as text and takes them as text; models keep them so
    return code(prop.get_type_string(no_optional=True))


def annotation_imports(annotations: list[str]) -> list[str]:
    """The import lines (for a TYPE_CHECKING block) that annotations naming `datetime.` or `File` need."""
    text = " ".join(annotations)
    lines = []
    if "datetime." in text:
        lines.append("import datetime")
    if re.search(r"\bFile\b", text):
        lines.append("from ..._types import File")
    if "Literal[" in text:
        lines.append("from typing import Literal")
    return lines


def all_props(model: ModelProperty) -> list[Any]:
    model = INDEX.model(model)
    return list(model.required_properties or []) + list(model.optional_properties or [])


def ordered_props(model: ModelProperty) -> list[Any]:
    """Attribute declaration order: required properties without defaults first (attrs needs that)."""
    props = all_props(model)
    first = [p for p in props if p.required and p.default is None]
    rest = [p for p in props if not (p.required and p.default is None)]
    return first + rest


# ------------------------------------------------------------------ parsing


def needs_parse(prop: Any) -> bool:
    if is_json_object(prop):
        return False
    if isinstance(prop, (ModelProperty, DateTimeProperty, DateProperty)):
        return True
    if isinstance(prop, ListProperty):
        return needs_parse(prop.inner_property)
    if isinstance(prop, UnionProperty):
        return any(needs_parse(p) for p in flat_members(prop))
    return False


def flat_members(prop: UnionProperty) -> list[Any]:
    out: list[Any] = []
    for inner in prop.inner_properties:
        if isinstance(inner, UnionProperty):
            out.extend(flat_members(inner))
        else:
            out.append(inner)
    return out


#: Every union plan of a run, with the module it is generated into (for the manifest). Reset by generate.py.
PLANS: list[tuple[str, Any]] = []


class UnionNames:
    """Names for the module-level union parse functions of one generated module, in order of first use."""

    def __init__(self, module: str = "") -> None:
        self.module = module
        self.plans: list[UnionPlan] = []
        self._by_key: dict[str, str] = {}

    def name_for(self, prop: UnionProperty, hint: str) -> str:
        key = union_key(prop)
        if key not in self._by_key:
            name = f"_parse_{hint}"
            n = 2
            while any(p.name == name for p in self.plans):
                name = f"_parse_{hint}_{n}"
                n += 1
            self._by_key[key] = name
            self.plans.append(UnionPlan.build(name, prop, self))
            PLANS.append((self.module, self.plans[-1]))
        return self._by_key[key]


def union_key(prop: UnionProperty) -> str:
    return "|".join(sorted(type_key(p) for p in flat_members(prop)))


def type_key(prop: Any) -> str:
    if is_json_object(prop):
        return "dict"
    if isinstance(prop, ModelProperty):
        return "M:" + code(prop.class_info.name)
    if isinstance(prop, ListProperty):
        return "L[" + type_key(prop.inner_property) + "]"
    if isinstance(prop, UnionProperty):
        return "U[" + union_key(prop) + "]"
    return type(prop).__name__


def parse_expr(prop: Any, src: str, names: UnionNames, hint: str, depth: int = 0) -> str:
    """An expression that turns the JSON value in variable `src` into the property's Python value, leniently:
    anything of an unexpected shape is returned unchanged."""
    if isinstance(prop, ModelProperty):
        cls = code(prop.class_info.name)
        return f"{cls}.from_dict({src}) if {src}.__class__ is dict else {src}"
    if isinstance(prop, DateTimeProperty):
        return f"_parse_datetime({src})"
    if isinstance(prop, DateProperty):
        return f"_parse_date({src})"
    if isinstance(prop, ListProperty):
        inner = prop.inner_property
        if not needs_parse(inner):
            return src
        var = f"_i{depth}"
        inner_expr = parse_expr(inner, var, names, hint + "_item", depth + 1)
        return f"[{_wrap(inner_expr)} for {var} in {src}] if {src}.__class__ is list else {src}"
    if isinstance(prop, UnionProperty):
        if not needs_parse(prop):
            return src
        return f"{names.name_for(prop, hint)}({src})"
    return src


def _wrap(expr: str) -> str:
    return f"({expr})" if " if " in expr else expr


#: The prepared spec and its declared discriminators (specprep.Prepared), for union rules. Set by generate.py.
SPEC: dict[str, Any] = {}
DISCRIMINATORS: dict[frozenset[str], Any] = {}


@dataclass
class UnionPlan:
    """How a union's JSON value is told apart. Objects follow specprep.UnionRule, the rule the argument checks
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
    def build(cls, name: str, prop: UnionProperty, names: UnionNames) -> UnionPlan:
        plan = cls(name=name)
        members = flat_members(prop)
        models: list[ModelProperty] = []
        for m in members:
            if is_json_object(m):
                continue  # a plain dict: kept as it came when no model of the union claims it
            if isinstance(m, ModelProperty) and code(m.class_info.name) not in [
                code(x.class_info.name) for x in models
            ]:
                models.append(m)
        refs = [{"$ref": component_ref(m)} for m in models]
        declared = DISCRIMINATORS.get(frozenset(r["$ref"] for r in refs))
        rule = specprep.union_rule(SPEC, refs, declared)
        classes = [code(m.class_info.name) for m in models]
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
            if isinstance(m, ListProperty) and needs_parse(m) and plan.list_expr is None:
                plan.list_expr = parse_expr(m, "value", names, name.removeprefix("_parse_") + "_list", 1)
            if isinstance(m, (DateTimeProperty, DateProperty)) and plan.str_expr is None:
                plan.str_expr = parse_expr(m, "value", names, name, 1)
        plan.type_string = type_string(prop)
        return plan


def plan_classes(plan: UnionPlan) -> list[str]:
    """Every model class a union's parse function may build (for the imports of its module)."""
    out = [c for _, c in plan.dispatch] + [c for c, _ in plan.candidates]
    out += [c for _, chain in plan.shared for c, _ in chain]
    return out


def component_ref(model: ModelProperty) -> str:
    """The $ref of the component a model class was made from."""
    return "#/components/schemas/" + raw(INDEX.model(model).name).rsplit("/", 1)[-1]


def required_wire_names(model: ModelProperty) -> list[str]:
    return sorted(raw(p.name) for p in all_props(model) if p.required)


# ------------------------------------------------------------------ types


def arg_type(prop: Any) -> str:
    """The annotation of a request argument: like the attribute's type, but every model also accepts a plain
    mapping and every list any sequence, as the product docs pass them."""
    base = _arg_type(prop)
    return base


def _arg_type(prop: Any) -> str:
    if is_json_object(prop):
        return "Mapping[str, Any]"
    if isinstance(prop, ModelProperty):
        return f"{code(prop.class_info.name)} | Mapping[str, Any]"
    if isinstance(prop, ListProperty):
        return f"Sequence[{_arg_type(prop.inner_property)}]"
    if isinstance(prop, UnionProperty):
        return join_union(_arg_type(m) for m in flat_members(prop))
    return type_string(prop)


def join_union(type_strings: Iterable[str]) -> str:
    """Annotations joined into one union: each part once, in order of first appearance, `None` last."""
    parts: list[str] = []
    for type_string in type_strings:
        for part in _split_union(type_string):
            if part not in parts:
                parts.append(part)
    if "None" in parts:
        parts.remove("None")
        parts.append("None")
    return " | ".join(parts)


def _split_union(type_string: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in type_string:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def model_imports(prop: Any, acc: set[str] | None = None) -> set[str]:
    """Class names of the models a property refers to (for imports)."""
    acc = set() if acc is None else acc
    if is_json_object(prop):
        pass
    elif isinstance(prop, ModelProperty):
        acc.add(code(prop.class_info.name))
    elif isinstance(prop, ListProperty):
        model_imports(prop.inner_property, acc)
    elif isinstance(prop, UnionProperty):
        for m in prop.inner_properties:
            model_imports(m, acc)
    elif isinstance(prop, LiteralEnumProperty):
        acc.add(code(prop.class_info.name))
    return acc


def module_of(class_name: str) -> str:
    model = INDEX.models.get(class_name)
    if model is not None:
        return code(model.class_info.module_name)
    return ENUM_MODULES.get(class_name, snake(class_name))


ENUM_MODULES: dict[str, str] = {}


def snake(value: str) -> str:
    value = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", value)
    return re.sub(r"[^0-9a-zA-Z]+", "_", value).strip("_").lower()


def py_name(value: str) -> str:
    name = snake(value) or "value"
    if name[0].isdigit():
        name = "n" + name
    if keyword.iskeyword(name):
        name += "_"
    return name


def status_error_name(status: int, schema_name: str | None, shared: bool) -> str:
    """The error class of a status: the error schema's name + Error when the schema is the status's own,
    else the status's reason phrase (or its number) + Error."""
    if schema_name and not shared:
        base = re.sub(r"[^0-9a-zA-Z]", "", schema_name[:1].upper() + schema_name[1:])
        return base if base.endswith("Error") else base + "Error"
    try:
        phrase = re.sub(r"[^0-9a-zA-Z]", "", http.HTTPStatus(status).phrase.title())
        return phrase if phrase.endswith("Error") else phrase + "Error"
    except ValueError:
        return f"Status{status}Error"
