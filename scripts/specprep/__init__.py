"""Spec preparation: rewrite an OpenAPI 3.0/3.1 document into the subset openapi-python-client parses.

Each pass is a small function that takes the document (a dict) and changes it in place; `prepare` runs them in
order. None of them names a schema of a particular document: they rewrite constructs. The passes, by kind:

    facts     the SDK facts of each operation (group, method, parameter names and styles, pagination, event
              streams), collected into `Prepared.operations` for what the templates cannot see
    nulls     3.0 nullable, nullable allOf parts, null in enums, nullable components
    allof     allOf folded, union enums merged, impossible required names dropped
    objects   free-form objects as one placeholder, inline objects hoisted to named components
    media     media types read as bytes, vendor extensions removed
    shapes    the predicates the passes share

`check_spec` is the document as the argument checks read it (normalized like the generator's input, before the
passes that only serve openapi-python-client).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from ..common.document import Json
from .allof import drop_unsatisfiable_required, merge_allof, merge_enum_members, single_allof_to_ref
from .facts import (
    PARAM_STYLES,
    OperationInfo,
    Paging,
    assign_names,
    declared_discriminators,
    parameter_encodings,
    record_pagination,
    record_param_names,
    sdk_name,
    strip_event_streams,
)
from .media import NAME_MAPS, binary_content_types, drop_vendor_extensions
from .nulls import allof_nullable_parts, enum_null_to_type, nullable_components_as_unions, nullable_to_type_list
from .objects import JSON_OBJECT, free_form_objects_to_dicts, hoist_inline_objects

__all__ = [
    "JSON_OBJECT",
    "NAME_MAPS",
    "PARAM_STYLES",
    "OperationInfo",
    "Paging",
    "Prepared",
    "allof_nullable_parts",
    "assign_names",
    "binary_content_types",
    "check_spec",
    "declared_discriminators",
    "drop_unsatisfiable_required",
    "drop_vendor_extensions",
    "enum_null_to_type",
    "free_form_objects_to_dicts",
    "hoist_inline_objects",
    "merge_allof",
    "merge_enum_members",
    "nullable_components_as_unions",
    "nullable_to_type_list",
    "parameter_encodings",
    "prepare",
    "record_pagination",
    "record_param_names",
    "sdk_name",
    "single_allof_to_ref",
    "strip_event_streams",
]


@dataclass
class Prepared:
    spec: Json
    operations: list[OperationInfo]
    content_type_overrides: dict[str, str]
    json_object: str | None = None  # the placeholder component of free-form objects (rendered as dict[str, Any])
    # Declared discriminators, by the $refs of their union's members (openapi-python-client drops them).
    discriminators: dict[frozenset[str], Json] = field(default_factory=dict)


def prepare(document: Json) -> Prepared:
    """The document rewritten for openapi-python-client (a copy), with the SDK facts of its operations."""
    spec = copy.deepcopy(document)
    infos = assign_names(spec)
    record_param_names(spec, infos)
    parameter_encodings(spec, infos)
    record_pagination(spec, infos)
    allof_nullable_parts(spec)
    nullable_to_type_list(spec)
    enum_null_to_type(spec)
    single_allof_to_ref(spec)
    merge_allof(spec)
    merge_enum_members(spec)
    drop_unsatisfiable_required(spec)
    strip_event_streams(spec, infos)
    json_object = free_form_objects_to_dicts(spec)
    nullable_components_as_unions(spec)
    hoist_inline_objects(spec)
    overrides = binary_content_types(spec)
    discriminators = declared_discriminators(spec)
    drop_vendor_extensions(spec)
    return Prepared(spec, list(infos.values()), overrides, json_object, discriminators)


def check_spec(document: Json) -> Json:
    """The document as the argument checks read it: normalized like the generator's input, before the
    passes that only serve openapi-python-client (free-form objects, hoisting)."""
    spec = copy.deepcopy(document)
    allof_nullable_parts(spec)
    nullable_to_type_list(spec)
    enum_null_to_type(spec)
    single_allof_to_ref(spec)
    merge_allof(spec)
    return spec
