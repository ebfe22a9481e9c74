"""The completeness audit of a run: every operation, parameter, request body, response and event stream of the
prepared spec was generated (else a problem naming it), and the census of values typed `Any` (the manifest's
"untyped")."""

from __future__ import annotations

from typing import Any

from ..common.document import PROSE, Json, resolve, type_list
from . import oac
from .mg import Generator

__all__ = ["problems", "untyped_values"]


def problems(generator: Generator) -> list[str]:
    """What of the prepared spec was not generated, one line per problem, naming the operation."""
    spec = generator.prepared.spec
    out: list[str] = []
    for info in generator.prepared.operations:
        endpoint = generator.endpoint_by_key.get(info.key)
        if endpoint is None:
            out.append(f"{info.key}: operation was not generated")
            continue
        op = resolve(spec, spec["paths"][info.path][info.method.lower()])
        if op.get("requestBody") and not oac.bodies(endpoint):
            out.append(f"{info.key}: request body was not generated")
        declared = {str(s) for s in (op.get("responses") or {})}
        parsed = {oac.declared_status(r) for r in oac.responses(endpoint)}
        for status in sorted(declared - parsed):
            content = resolve(spec, op["responses"][status]).get("content")
            if content or info.stream_schema is None:
                out.append(f"{info.key}: response {status} was not generated")
        if info.stream_schema is not None and generator.endpoints.stream_prop(info) is None:
            out.append(f"{info.key}: the event stream's schema could not be generated")
        out.extend(info.unsupported)
        view = generator.views.get(info.key)
        generated = {(a.location, a.wire) for a in view.args} if view is not None else set()
        item = spec["paths"][info.path]
        for param in (item.get("parameters") or []) + (op.get("parameters") or []):
            param = resolve(spec, param)
            if (param.get("in"), param.get("name")) not in generated:
                out.append(f"{info.key}: {param.get('in')} parameter {param.get('name')!r} was not generated")
    return out


def untyped_values(parsed: oac.Parsed, spec: Json) -> dict[str, list[str]]:
    """Every place a generated value is typed `Any`, by reason: "any value" where the spec's schema constrains
    nothing (`{}`: the API sends any JSON there), "degraded" where the schema says more than the generated type
    does (a construct the pipeline could not type: a defect to fix in specprep or the templates).

    A model's bag of unlisted keys (`additional_properties`) is not counted unless the spec types it.
    """
    census = _Census(spec)
    schemas = (spec.get("components") or {}).get("schemas") or {}
    for model in oac.models(parsed):
        name = oac.schema_name(model)
        source = schemas.get(name) or {}
        for p in oac.own_properties(model):
            census.visit(p, f"{name}.{oac.wire_name(p)}", (source.get("properties") or {}).get(oac.wire_name(p)))
        extra = source.get("additionalProperties")
        if isinstance(extra, dict) and oac.extra(model) is not None:
            census.visit(oac.extra(model), f"{name}{{}}", extra)
    for _tag, e in oac.endpoints(parsed):
        census.endpoint(e)
    return {k: sorted(v) for k, v in census.found.items()}


class _Census:
    """The values typed `Any`, found by walking generated properties beside the schemas they came from."""

    def __init__(self, spec: Json) -> None:
        self.spec = spec
        self.found: dict[str, list[str]] = {"any value": [], "degraded": []}

    def visit(self, prop: Any, where: str, source: Any) -> None:
        source = resolve(self.spec, source) if isinstance(source, dict) else source
        if oac.is_any(prop):
            if not isinstance(source, dict):  # its schema could not be found: counted as a defect, to look at
                self.found["degraded"].append(where + " (schema not found)")
            else:
                self.found["degraded" if set(source) - set(PROSE) else "any value"].append(where)
        elif oac.is_list(prop):
            self.visit(oac.item(prop), where + "[]", source.get("items") if isinstance(source, dict) else None)
        elif oac.is_union(prop):
            members = (source.get("anyOf") or source.get("oneOf") or []) if isinstance(source, dict) else []
            typed = [m for m in members if type_list(resolve(self.spec, m)) != ["null"]]
            inner = [m for m in oac.members(prop) if not oac.is_none(m)]
            for i, m in enumerate(inner):
                self.visit(m, f"{where}|{i}", typed[i] if i < len(typed) and len(typed) == len(inner) else None)

    def endpoint(self, e: oac.Endpoint) -> None:
        """The parameters, request bodies and JSON responses of one endpoint."""
        spec = self.spec
        path = oac.path(e)
        op = spec["paths"][path][oac.method(e).lower()] if path in spec["paths"] else {}
        where = f"{oac.method(e)} {path}"
        params = {(p.get("in"), p.get("name")): p for p in (resolve(spec, x) for x in op.get("parameters") or [])}
        for location, p in oac.parameters(e, cookies=False):
            param = params.get((location, oac.wire_name(p))) or {}
            self.visit(p, f"{where} {location} {oac.wire_name(p)}", param.get("schema"))
        body = resolve(spec, op.get("requestBody") or {})
        for _kind, prop in oac.bodies(e):
            media: Json = next(iter((body.get("content") or {}).values()), {})
            self.visit(prop, f"{where} body", media.get("schema"))
        responses = op.get("responses") or {}
        for r in oac.responses(e):
            if oac.response_kind(r) != "json":
                continue
            response = resolve(spec, responses.get(oac.declared_status(r)) or {})
            media = (response.get("content") or {}).get("application/json") or {}
            self.visit(oac.body(r), f"{where} {oac.declared_status(r)}", media.get("schema"))
