"""Errors: one class per specific error status of the spec (`errors.py.jinja`), named after the status's primary
schema, with the model it parses a body into and every schema that can fill its `data`; and the branches of an
operation's `_parse_error` where it says something else than the classes."""

from __future__ import annotations

import http

from ..common.document import Json, operations, resolve
from ..common.names import pascal_case
from .context import Context
from .hints import doc
from .models import Models
from .views import ErrorView, ParseBranch, ResponseView, is_range

__all__ = ["error_branches", "error_classes", "status_error_name"]


def error_classes(ctx: Context, models: Models) -> list[ErrorView]:
    """One class per specific error status of the spec.

    Its name and its own schema come from the status's primary schema, the one most operations give it (a few
    operations answering in another shape do not rename it): `<Schema>Error`, unless that schema is the
    primary one of another status too, then the status's reason phrase (`BadRequestError`). Its `data` is
    typed with every schema that can fill it: the schemas operations list for that status, and the `default`
    schemas of operations that do not list it.
    """
    by_status, docs, defaults = _statuses(ctx.spec)
    primary = {code: max(sorted(counts, key=str), key=lambda n: counts[n]) for code, counts in by_status.items()}
    primaries: dict[str, int] = {}
    for name in primary.values():
        if name:
            primaries[name] = primaries.get(name, 0) + 1
    out = []
    for code in sorted(by_status):
        schema_name = primary[code]
        shared = schema_name is not None and primaries[schema_name] > 1
        cls = models.class_of(schema_name) if schema_name else None
        fillers = set(by_status[code]) | {d for listed, d in defaults if code not in listed}
        classes = sorted({models.class_of(n) if n else None for n in fillers}, key=str)
        data_type = "Any" if None in classes else " | ".join([*(str(c) for c in classes), "None"])
        out.append(
            ErrorView(
                status=code,
                name=_error_name(ctx, code, schema_name, shared),
                doc=docs.get(code) or f"HTTP {code}.",
                model_class=cls,
                model_module=ctx.module_of(cls) if cls else None,
                data_type=data_type,
                data_imports=[(ctx.module_of(str(c)), str(c)) for c in classes if c],
            )
        )
    return out


def _statuses(
    spec: Json,
) -> tuple[dict[int, dict[str | None, int]], dict[int, str], list[tuple[set[int], str | None]]]:
    """Per error status, how many operations give it each schema (None: no JSON component); the first
    description of each status; and per operation with a `default` response, its listed statuses and its schema."""
    by_status: dict[int, dict[str | None, int]] = {}
    docs: dict[int, str] = {}
    defaults: list[tuple[set[int], str | None]] = []
    for _m, _p, op, _i in operations(spec):
        listed: set[int] = set()
        default: tuple[str | None] | None = None
        for status, response in (op.get("responses") or {}).items():
            response = resolve(spec, response)
            name = _json_schema_name(response)
            if str(status) == "default":
                default = (name,)
                continue
            if not str(status).isdigit() or int(status) < 400:
                continue
            code = int(status)
            listed.add(code)
            docs.setdefault(code, doc(response.get("description")) or "")
            counts = by_status.setdefault(code, {})
            counts[name] = counts.get(name, 0) + 1
        if default is not None:
            defaults.append((listed, default[0]))
    return by_status, docs, defaults


def _json_schema_name(response: Json) -> str | None:
    """The component name of a response's JSON schema, or None (no JSON body, or an inline schema)."""
    schema = ((response.get("content") or {}).get("application/json") or {}).get("schema") or {}
    return str(schema["$ref"]).rsplit("/", 1)[-1] if "$ref" in schema else None


def _error_name(ctx: Context, status: int, schema_name: str | None, shared: bool) -> str:
    """The error class of a status, never the name of a model class (errors.py imports those)."""
    name = status_error_name(status, schema_name, shared)
    if name in ctx.models or name in ctx.enum_modules:
        name = status_error_name(status, None, True)
    return name


def status_error_name(status: int, schema_name: str | None, shared: bool) -> str:
    """The error class of a status: the error schema's name + Error when the schema is the status's own,
    else the status's reason phrase (or its number) + Error."""
    if schema_name and not shared:
        base = pascal_case(schema_name)
    else:
        try:
            base = pascal_case(http.HTTPStatus(status).phrase.title())
        except ValueError:
            return f"Status{status}Error"
    return base if base.endswith("Error") else base + "Error"


def error_branches(
    errors: list[ResponseView], default: ResponseView | None, class_models: dict[int, str | None]
) -> tuple[list[ParseBranch], str | None]:
    """The branches of an operation's `_parse_error`, and its fallback for every status it does not list.

    A status whose error class already parses the body as this operation describes it needs no branch: the
    function returns None for it and the request core asks the class. Only where the operation says something
    else (another schema, a range, a `default` response) is code generated, grouped by what parses the body.
    """
    fallback = (default.parse or "data") if default is not None and default.kind == "json" else None
    branches: list[ParseBranch] = []
    to_class: list[int] = []
    for r in sorted(errors, key=lambda r: (is_range(r.pattern), r.pattern)):
        if r.pattern.isdigit() and r.model is not None and class_models.get(int(r.pattern)) == r.model:
            to_class.append(int(r.pattern))
            continue
        expr = r.parse or "data"
        if is_range(r.pattern):  # after every specific status (sorted so), never merged into one of theirs
            branches.append(ParseBranch([], [r.pattern], expr))
            continue
        same = next((b for b in branches if b.expr == expr), None)
        if same is None:
            same = ParseBranch([], [], expr)
            branches.append(same)
        same.statuses.append(int(r.pattern))
    if fallback is not None and to_class:
        branches.insert(0, ParseBranch(to_class, [], "None"))
    return branches, fallback
