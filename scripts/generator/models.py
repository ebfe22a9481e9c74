"""Model views: what `model.py.jinja` renders of each model (fields, parse expressions, imports, lazily imported
models that would make an import cycle), the union aliases of the spec's union components, and the index of
every class of models/ (`models_init.py.jinja`)."""

from __future__ import annotations

import sys
from typing import Any

from ..common.document import Json, resolve, type_list
from . import oac
from .context import Context
from .hints import doc, join_union, model_imports, needs_parse, type_string
from .parsers import UnionNames, parse_expr
from .unions import marks_of
from .views import AliasView, FieldView, ModelView

__all__ = ["Models"]


class Models:
    """The model views of one run (`ctx`), and the union aliases of its spec's union components."""

    def __init__(self, ctx: Context, parsed: oac.Parsed, json_object: str | None) -> None:
        self.ctx = ctx
        self.parsed = parsed
        self.json_object = json_object  # the placeholder component of free-form objects
        self._cycles = self._cyclic_edges()
        self._aliases: list[AliasView] | None = None

    def modules(self) -> list[tuple[str, str]]:
        """(class, module) of every class of models/: models, union aliases and enums."""
        out = [(oac.class_name(m), oac.module_name(m)) for m in oac.models(self.parsed)]
        out = [(name, module) for name, module in out if name not in self.ctx.json_objects]
        out += [(a.class_name, a.module) for a in self.union_aliases()]
        out += [(oac.class_name(e), oac.module_name(e)) for e in oac.enums(self.parsed)]
        return sorted(out)

    def class_of(self, schema_name: str) -> str | None:
        """The model class made of a component, if any."""
        for m in oac.models(self.parsed):
            if oac.schema_name(m) == schema_name:
                return oac.class_name(m)
        return None

    # ---------------------------------------------------------------- models

    def _refs(self, model: Any) -> set[str]:
        """The classes a model's properties (and its typed extra values) name."""
        found: set[str] = set()
        for p in self.ctx.props(model):
            model_imports(self.ctx, p, found)
        extra = oac.extra(model)
        if extra is not None:
            model_imports(self.ctx, extra, found)
        return found

    def _cyclic_edges(self) -> set[tuple[str, str]]:
        """Edges A -> B between models of one strongly connected component: imported lazily to break cycles."""
        graph = {name: sorted(d for d in self._refs(m) if d in self.ctx.models) for name, m in self.ctx.models.items()}
        return _cyclic_edges(graph)

    def view(self, model: Any) -> ModelView:
        """What model.py.jinja renders of one model."""
        ctx = self.ctx
        model = ctx.model(model)
        name = oac.class_name(model)
        names = UnionNames(ctx, f"models.{oac.module_name(model)}")
        schema_name = oac.schema_name(model)
        site_docs = self._property_docs(schema_name)
        fields = [self._field(p, names, site_docs) for p in ctx.ordered_props(model)]
        extra = oac.extra(model)
        extra_parse = None
        if extra is not None and needs_parse(ctx, extra):
            extra_parse = "(" + parse_expr(extra, "_x", names, "additional") + ")"
        types = self._refs(model)
        refs = {c for c in types if c in ctx.models and c != name}
        eager = sorted((ctx.module_of(c), c) for c in refs if (name, c) not in self._cycles)
        lazy = sorted((ctx.module_of(c), c) for c in refs if (name, c) in self._cycles)
        type_only = sorted((ctx.module_of(c), c) for c in types if c not in ctx.models) + lazy
        code_text = " ".join(f.parse or "" for f in fields) + (extra_parse or "")
        code_text += " ".join((p.list_expr or "") + (p.str_expr or "") for p in names.plans)
        props = ctx.props(model)
        schemas = self.ctx.spec["components"]["schemas"]
        return ModelView(
            class_name=name,
            schema_name=schema_name,
            doc=doc(oac.description(model)) or f"The {name} schema.",
            fields=fields,
            plans=names.plans,
            eager_imports=eager,
            lazy_imports=lazy,
            type_imports=sorted(set(type_only)),
            keys=repr(tuple(sorted(oac.wire_name(p) for p in props))),
            required=repr(tuple(sorted(oac.wire_name(p) for p in props if oac.required(p)))),
            marks=repr(marks_of(self.ctx.spec, schemas.get(schema_name))),
            extra_parse=extra_parse,
            uses_datetime="_parse_datetime(" in code_text,
            uses_date="_parse_date(" in code_text,
        )

    def _field(self, p: Any, names: UnionNames, site_docs: dict[str, str]) -> FieldView:
        parse = None
        if needs_parse(self.ctx, p):
            parse = parse_expr(p, f"_v_{oac.python_name(p)}", names, oac.python_name(p))
        return FieldView(
            python_name=oac.python_name(p),
            wire=repr(oac.wire_name(p)),
            annotation=type_string(self.ctx, p) + ("" if oac.required(p) else " | Unset"),
            required=oac.required(p),
            parse=parse,
            plain=not needs_parse(self.ctx, p),
            doc=doc(oac.description(p)) or site_docs.get(oac.wire_name(p), ""),
        )

    def _property_docs(self, schema_name: str) -> dict[str, str]:
        """Descriptions written beside a property's `$ref` (openapi-python-client keeps only the target's)."""
        schema = ((self.ctx.spec.get("components") or {}).get("schemas") or {}).get(schema_name) or {}
        props = schema.get("properties") if isinstance(schema, dict) else None
        if not isinstance(props, dict):
            return {}
        return {name: doc(p.get("description")) for name, p in props.items() if isinstance(p, dict)}

    # ---------------------------------------------------------------- union aliases

    def union_aliases(self) -> list[AliasView]:
        """Every component of the spec that is a union (oneOf/anyOf): openapi-python-client types its uses inline
        and makes nothing of the component itself, so its name would not be importable."""
        if self._aliases is None:
            self._aliases = self._union_aliases()
        return self._aliases

    def _union_aliases(self) -> list[AliasView]:
        schemas = (self.ctx.spec.get("components") or {}).get("schemas") or {}
        by_component = {oac.schema_name(m): oac.class_name(m) for m in oac.models(self.parsed)}
        by_component.update({oac.schema_name(e): oac.class_name(e) for e in oac.enums(self.parsed)})
        unions = {
            name: oac.union_class(name, self.parsed)
            for name, schema in schemas.items()
            if isinstance(schema, dict) and ("anyOf" in schema or "oneOf" in schema) and name not in by_component
        }
        names = {**by_component, **{n: cls for n, (cls, _module) in unions.items()}}
        modules = dict(unions.values())
        aliases = []
        for name, (class_name, module) in sorted(unions.items()):
            annotator = _Annotator(self.ctx.spec, names, self.json_object)
            annotation = annotator.annotate(schemas[name], 0)
            imports = sorted((modules.get(c) or self.ctx.module_of(c), c) for c in annotator.used if c != class_name)
            text = doc(schemas[name].get("description")) or f"The {name} union."
            aliases.append(
                AliasView(class_name, module, name, text, annotation, imports, sorted(annotator.typing_names))
            )
        return aliases


class _Annotator:
    """A schema of the prepared spec as a Python annotation (for type aliases), with the classes (`used`) and the
    typing names (`typing_names`) it needs."""

    SIMPLE = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}

    def __init__(self, spec: Json, names: dict[str, str], json_object: str | None) -> None:
        self.spec = spec
        self.names = names  # component -> class
        self.json_object = json_object
        self.used: set[str] = set()
        self.typing_names: set[str] = set()

    def annotate(self, s: Any, depth: int) -> str:
        if not isinstance(s, dict) or depth > 20:
            self.typing_names.add("Any")
            return "Any"
        if "$ref" in s:
            return self._ref(s, depth)
        members = s.get("anyOf") or s.get("oneOf")
        if isinstance(members, list):
            return join_union(self.annotate(m, depth + 1) for m in members)
        values = [s["const"]] if "const" in s else s.get("enum")
        if isinstance(values, list) and values:
            self.typing_names.add("Literal")
            literal = f"Literal[{', '.join(repr(v) for v in values if v is not None)}]"
            return literal + (" | None" if None in values or "null" in type_list(s) else "")
        return " | ".join(self._simple(kind, s, depth) for kind in type_list(s) or ["any"])

    def _ref(self, s: Json, depth: int) -> str:
        name = str(s["$ref"]).rsplit("/", 1)[-1]
        if name == self.json_object:
            self.typing_names.add("Any")
            return "dict[str, Any]"
        if name in self.names:
            self.used.add(self.names[name])
            return self.names[name]
        return self.annotate(resolve(self.spec, s), depth + 1)

    def _simple(self, kind: str, s: Json, depth: int) -> str:
        if kind == "array":
            return f"list[{self.annotate(s.get('items') or {}, depth + 1)}]"
        if kind in self.SIMPLE:
            return self.SIMPLE[kind]
        self.typing_names.add("Any")
        return "dict[str, Any]" if kind == "object" else "Any"


def _cyclic_edges(graph: dict[str, list[str]]) -> set[tuple[str, str]]:
    """The edges of `graph` whose two ends are in one strongly connected component (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    comp: dict[str, int] = {}
    counter = [0]
    ncomp = [0]
    sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, []):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp[w] = ncomp[0]
                if w == v:
                    break
            ncomp[0] += 1

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return {(a, b) for a, bs in graph.items() for b in bs if comp[a] == comp[b]}
