"""Annotations: the Python types of what openapi-python-client parsed (attribute, argument and union types), the
model classes they name, and the imports they need. Each function spells out a piece of Python source."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from . import oac
from .context import Context

__all__ = [
    "annotation_imports",
    "arg_type",
    "doc",
    "flat_members",
    "join_union",
    "model_imports",
    "needs_parse",
    "type_string",
]


def doc(value: Any) -> str:
    """Spec prose made safe for a docstring: no triple quotes, no backslashes, runs of blanks as one."""
    if value is None:
        return ""
    text = oac.raw(value).replace("\\", "\\\\").replace('"""', "'''").strip()
    return re.sub(r"[ \t]+", " ", text)


def type_string(ctx: Context, prop: Any) -> str:
    """The annotation of a property's Python value. As openapi-python-client writes it (union members sorted,
    lists as list[...]), except that a free-form object is `dict[str, Any]`."""
    if ctx.is_json_object(prop):
        return "dict[str, Any]"
    if oac.is_list(prop):
        return f"list[{type_string(ctx, oac.item(prop))}]"
    if oac.is_union(prop):
        inner = {type_string(ctx, m) for m in oac.members(prop)}
        return inner.pop() if len(inner) == 1 else " | ".join(sorted(inner, key=str.lower))
    if oac.is_uuid(prop):
        return "str"  # the API sends UUIDs as text and takes them as text; models keep them so
    return oac.base_type(prop)


def arg_type(ctx: Context, prop: Any) -> str:
    """The annotation of a request argument: like the attribute's type, but every model also accepts a plain
    mapping and every list any sequence, as the product docs pass them."""
    if ctx.is_json_object(prop):
        return "Mapping[str, Any]"
    if oac.is_model(prop):
        return f"{oac.class_name(prop)} | Mapping[str, Any]"
    if oac.is_list(prop):
        return f"Sequence[{arg_type(ctx, oac.item(prop))}]"
    if oac.is_union(prop):
        return join_union(arg_type(ctx, m) for m in flat_members(prop))
    return type_string(ctx, prop)


def join_union(type_strings: Iterable[str]) -> str:
    """Annotations joined into one union: each part once, in order of first appearance, `None` last."""
    parts: list[str] = []
    for text in type_strings:
        for part in _split_union(text):
            if part not in parts:
                parts.append(part)
    if "None" in parts:
        parts.remove("None")
        parts.append("None")
    return " | ".join(parts)


def _split_union(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
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


def model_imports(ctx: Context, prop: Any, acc: set[str] | None = None) -> set[str]:
    """Class names of the models and enums a property refers to (for imports)."""
    acc = set() if acc is None else acc
    if ctx.is_json_object(prop):
        pass
    elif oac.is_model(prop):
        acc.add(oac.class_name(prop))
    elif oac.is_list(prop):
        model_imports(ctx, oac.item(prop), acc)
    elif oac.is_union(prop):
        for m in oac.members(prop):
            model_imports(ctx, m, acc)
    elif oac.is_enum(prop):
        acc.add(oac.class_name(prop))
    return acc


def needs_parse(ctx: Context, prop: Any) -> bool:
    """Whether a JSON value of this property must be turned into something else (a model, a datetime)."""
    if ctx.is_json_object(prop):
        return False
    if oac.is_model(prop) or oac.is_datetime(prop) or oac.is_date(prop):
        return True
    if oac.is_list(prop):
        return needs_parse(ctx, oac.item(prop))
    if oac.is_union(prop):
        return any(needs_parse(ctx, p) for p in flat_members(prop))
    return False


def flat_members(prop: Any) -> list[Any]:
    """A union property's members, with members that are unions themselves spread out."""
    out: list[Any] = []
    for inner in oac.members(prop):
        if oac.is_union(inner):
            out.extend(flat_members(inner))
        else:
            out.append(inner)
    return out
