"""The `mg` object every template sees: the views of one run (models, endpoints, groups, error classes, check
tables), made on demand as openapi-python-client renders each file, from one Context."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from ..common.document import Json
from ..common.names import pascal_case
from ..specprep import OperationInfo, Prepared
from . import oac
from .checks import LEGEND, CheckTable
from .context import Context
from .endpoints import Endpoints, module_safe, shape
from .errors import error_classes
from .models import Models
from .views import AliasView, EndpointView, ErrorView, GroupView, ModelView

__all__ = ["Generator", "call_options", "call_options_class"]


def call_options_class(package: Path) -> ast.ClassDef:
    """CallOptions (the per-call options every generated method takes as `**options`), read from the package's
    _options.py without importing the package (its generated part may be mid-change)."""
    tree = ast.parse((package / "_options.py").read_text(encoding="utf-8"))
    return next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "CallOptions")


def call_options(package: Path) -> list[str]:
    """The keys of CallOptions, in order."""
    cls = call_options_class(package)
    return [n.target.id for n in cls.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)]


class Generator:
    """The `mg` object the templates see: views of models, endpoints, groups and errors."""

    def __init__(self, prepared: Prepared, check_spec: Json, parsed: oac.Parsed, options: list[str]) -> None:
        self.prepared = prepared
        self.spec = prepared.spec
        self.parsed = parsed
        self.ctx = Context.of(prepared, parsed)
        self.infos = {shape(i.method, i.path): i for i in prepared.operations}
        self.checks = CheckTable(check_spec)
        self.options = options
        self.models = Models(self.ctx, parsed, prepared.json_object)
        self._errors = error_classes(self.ctx, self.models)
        class_models = {e.status: e.model_class for e in self._errors}
        self.endpoints = Endpoints(self.ctx, self.infos, self.checks, options, class_models)
        self.endpoint_by_key: dict[str, oac.Endpoint] = {}
        for _tag, e in oac.endpoints(parsed):
            self.endpoint_by_key[self.endpoints.info(e).key] = e

    @property
    def views(self) -> dict[str, EndpointView]:
        """The endpoint views rendered so far, by operation key."""
        return self.endpoints.views

    def spec_op(self, info: OperationInfo) -> tuple[Json, Json]:
        """The operation and its path item in the document as written."""
        return self.endpoints.spec_op(info)

    # ---------------------------------------------------------------- what the templates call

    def model_view(self, model: Any) -> ModelView:
        return self.models.view(model)

    def model_modules(self) -> list[tuple[str, str]]:
        return self.models.modules()

    def union_aliases(self) -> list[AliasView]:
        return self.models.union_aliases()

    def endpoint_view(self, endpoint: Any) -> EndpointView:
        return self.endpoints.view(endpoint)

    @property
    def options_doc(self) -> str:
        """The docstring entry of `**options` in every generated method."""
        return "Options of this call only (see modelgates_client.CallOptions): " + ", ".join(self.options) + "."

    def server_url(self) -> str:
        servers = self.spec.get("servers") or [{}]
        url = servers[0].get("url") if isinstance(servers[0], dict) else None
        return str(url or "http://localhost")

    def group_view(self, collection: Any) -> GroupView:
        endpoints = []
        group = None
        for e in sorted(oac.collection_endpoints(collection), key=oac.module):
            info = self.endpoints.info(e)
            group = info.group
            endpoints.append(
                {
                    "module": oac.module(e),
                    "func": module_safe(info.name),
                    "method_name": info.name,
                    "callable": info.callable,
                }
            )
        attribute = group or oac.collection_tag(collection)
        return GroupView(
            attribute=attribute,
            package=oac.collection_tag(collection),
            class_name=pascal_case(attribute) + "Resource",
            doc=f"Operations of the {attribute} group.",
            endpoints=endpoints,
        )

    def groups(self) -> list[GroupView]:
        return sorted((self.group_view(c) for c in oac.collections(self.parsed)), key=lambda g: g.attribute)

    def error_classes(self) -> list[ErrorView]:
        return self._errors

    def error_data_imports(self) -> list[tuple[str, str]]:
        return sorted({item for e in self._errors for item in e.data_imports})

    def check_legend(self) -> str:
        """The key of the check tables' notation, for the docstring of schemas.py."""
        return LEGEND

    def check_schemas(self) -> str:
        return repr(dict(sorted(self.checks.schemas.items())))

    def check_arguments(self) -> str:
        return repr(dict(sorted(self.checks.operations.items())))
