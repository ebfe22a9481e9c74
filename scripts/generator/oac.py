"""The openapi-python-client driver: the one module that knows openapi-python-client's internals.

Everything the generator asks of openapi-python-client goes through here: configuring and running it (`parse`,
`build`), the words it must not use as names (RESERVED_WORDS), and reading what it parsed (models, enums,
endpoints, their properties, bodies and responses) through small accessors. An upgrade of openapi-python-client
touches this file (and the Jinja templates in generator_templates/, which it renders with its own objects).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_python_client import Project, strings
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError
from openapi_python_client.parser.properties import AnyProperty, LiteralEnumProperty, ModelProperty
from openapi_python_client.parser.properties.date import DateProperty
from openapi_python_client.parser.properties.datetime import DateTimeProperty
from openapi_python_client.parser.properties.file import FileProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.none import NoneProperty
from openapi_python_client.parser.properties.schemas import Class
from openapi_python_client.parser.properties.union import UnionProperty
from openapi_python_client.parser.properties.uuid import UuidProperty

from ..common.document import Json

#: Names that get a `_` suffix in generated code: keywords always (openapi-python-client checks those itself), and
#: the builtins our generated modules use as types; any other builtin (`type`, `input`, `format`, `object`, ...) is
#: harmless as a parameter or attribute name, and users expect `type=` and `.type`, as the API spells them.
RESERVED_WORDS = {
    "self", "true", "false", "datetime", "date", "bool", "bytes", "dict", "float", "int", "list", "set",
    "frozenset", "str", "tuple", "isinstance", "len", "super", "classmethod", "property",
}  # fmt: skip

#: What openapi-python-client parsed of a schema (a model, list, union, enum, string... property), of an operation
#: (an endpoint) and of a tag (an endpoint collection). Opaque outside this module: read them with the accessors.
Property = Any
Endpoint = Any
Collection = Any

#: Request body kinds (openapi-python-client's body types) whose object properties become arguments, and how the
#: client writes them.
FIELD_BODIES = {"json": "json_fields", "files": "multipart_fields"}


class ReadFailed(Exception):
    """openapi-python-client could not read the prepared document."""


@dataclass
class Parsed:
    """openapi-python-client's reading of a prepared document, with the configuration it was read with."""

    data: GeneratorData
    config: Config


def parse(spec: Json, document: Path, output: Path, content_type_overrides: dict[str, str], name: str) -> Parsed:
    """Read the prepared document `spec` (also written at `document`) for a package `name` to be built in
    `output`. Raises ReadFailed with openapi-python-client's words."""
    strings.RESERVED_WORDS = RESERVED_WORDS
    config = Config.from_sources(
        ConfigFile(
            literal_enums=True,
            post_hooks=[],
            content_type_overrides=content_type_overrides,
            project_name_override=name,
            package_name_override=name,
        ),
        MetaType.NONE,
        document_source=document,
        file_encoding="utf-8",
        overwrite=True,
        output_path=output,
    )
    data = GeneratorData.from_dict(spec, config=config)
    if isinstance(data, GeneratorError):
        raise ReadFailed(f"{data.header}: {data.detail}")
    return Parsed(data, config)


class Build:
    """A run of openapi-python-client's templates (ours, in `templates`) over a parsed document, with `globals`
    (the `mg` object) visible to every template. `problems` are what it could not generate, as text."""

    def __init__(self, parsed: Parsed, templates: Path, globals: dict[str, Any]) -> None:
        self._project = Project(openapi=parsed.data, config=parsed.config, custom_template_path=templates)
        self._project.env.globals.update(globals)
        with contextlib.redirect_stdout(io.StringIO()):
            errors = self._project.build()
        self.problems = [f"{e.header}: {e.detail}".strip() for e in errors]

    def render(self, template: str, **context: Any) -> str:
        """Another template of ours, rendered in the same environment (for files openapi-python-client does not
        write itself)."""
        return str(self._project.env.get_template(template).render(**context))


# ---------------------------------------------------------------- names


def code(value: Any) -> str:
    """The Python code of an openapi-python-client PythonCode/ClassName value, as a plain str."""
    if hasattr(value, "as_unembedded_code"):
        return str(value.as_unembedded_code())
    return str(value)


def raw(value: Any) -> str:
    """A string of the spec (an UntrustedString) as it is."""
    return str(value.get_untrusted_value() if hasattr(value, "get_untrusted_value") else value)


def class_name(prop: Property) -> str:
    """The class of a model or enum."""
    return code(prop.class_info.name)


def module_name(prop: Property) -> str:
    """The module of a model or enum (in models/)."""
    return code(prop.class_info.module_name)


def schema_name(prop: Property) -> str:
    """The component a model or enum was made from."""
    return raw(prop.name).rsplit("/", 1)[-1]


def union_class(component: str, parsed: Parsed) -> tuple[str, str]:
    """(class, module) openapi-python-client would name a component that it makes nothing of (a union)."""
    cls = Class.from_string(string=component, config=parsed.config)
    return code(cls.name), code(cls.module_name)


# ---------------------------------------------------------------- properties


def is_model(prop: Property) -> bool:
    return isinstance(prop, ModelProperty)


def is_list(prop: Property) -> bool:
    return isinstance(prop, ListProperty)


def is_union(prop: Property) -> bool:
    return isinstance(prop, UnionProperty)


def is_enum(prop: Property) -> bool:
    return isinstance(prop, LiteralEnumProperty)


def is_datetime(prop: Property) -> bool:
    return isinstance(prop, DateTimeProperty)


def is_date(prop: Property) -> bool:
    return isinstance(prop, DateProperty)


def is_file(prop: Property) -> bool:
    return isinstance(prop, FileProperty)


def is_uuid(prop: Property) -> bool:
    return isinstance(prop, UuidProperty)


def is_any(prop: Property) -> bool:
    """A value of any type: openapi-python-client found nothing to type it with."""
    return isinstance(prop, AnyProperty)


def is_none(prop: Property) -> bool:
    """The `null` member of a union, or an answer without content."""
    return isinstance(prop, NoneProperty)


def wire_name(prop: Property) -> str:
    """A property's (or parameter's) name on the wire, as the spec writes it."""
    return raw(prop.name)


def python_name(prop: Property) -> str:
    """A property's attribute (or parameter's argument) name, as openapi-python-client made it safe."""
    return str(prop.python_name)


def required(prop: Property) -> bool:
    return bool(prop.required)


def default(prop: Property) -> Any:
    return prop.default


def description(node: Property | Endpoint) -> Any:
    """The description of a property, model or endpoint (None when it has none)."""
    return node.description


def item(prop: Property) -> Property:
    """The property of one item of a list property (None for anything else)."""
    return getattr(prop, "inner_property", None)


def members(prop: Property) -> list[Property]:
    """The members of a union property, as openapi-python-client lists them (for anything else: none)."""
    return list(getattr(prop, "inner_properties", None) or [])


def own_properties(model: Property) -> list[Property]:
    """The properties of a model, required ones first."""
    return list(model.required_properties or []) + list(model.optional_properties or [])


def extra(model: Property) -> Property | None:
    """The property of a model's values under keys it does not list, when the spec types them."""
    value = model.additional_properties
    return None if value in (None, True, False) else value


def base_type(prop: Property) -> str:
    """The annotation openapi-python-client writes for a property's value (never `| Unset`)."""
    return code(prop.get_type_string(no_optional=True))


# ---------------------------------------------------------------- the parsed document


def models(parsed: Parsed) -> list[Property]:
    return list(parsed.data.models)


def enums(parsed: Parsed) -> list[Property]:
    return list(parsed.data.enums)


def collections(parsed: Parsed) -> list[Collection]:
    """The endpoint collections, one per tag (a group of ours)."""
    return list(parsed.data.endpoint_collections_by_tag.values())


def collection_tag(collection: Collection) -> str:
    return str(collection.tag)


def collection_endpoints(collection: Collection) -> list[Endpoint]:
    return list(collection.endpoints)


def endpoints(parsed: Parsed) -> Iterator[tuple[str, Endpoint]]:
    """(tag, endpoint) of every endpoint generated."""
    for tag, collection in parsed.data.endpoint_collections_by_tag.items():
        for endpoint in collection.endpoints:
            yield str(tag), endpoint


def method(endpoint: Endpoint) -> str:
    """The endpoint's HTTP method, upper case."""
    return str(endpoint.method).upper()


def path(endpoint: Endpoint) -> str:
    """The endpoint's path as the spec writes it."""
    return raw(endpoint.path)


def module(endpoint: Endpoint) -> str:
    """The endpoint's module (in api/<group>/)."""
    return str(endpoint.name)


def summary(endpoint: Endpoint) -> Any:
    return endpoint.summary


def parameters(endpoint: Endpoint, cookies: bool = True) -> list[tuple[str, Property]]:
    """(location, property) of each parameter: path, query, header (and cookie) parameters, in that order."""
    out = [("path", p) for p in endpoint.path_parameters]
    out += [("query", p) for p in endpoint.query_parameters]
    out += [("header", p) for p in endpoint.header_parameters]
    if cookies:
        out += [("cookie", p) for p in endpoint.cookie_parameters]
    return out


def bodies(endpoint: Endpoint) -> list[tuple[str, Property]]:
    """(kind, property) of each request body: kind is "json", "files" (multipart), "data" (a form) or "content"."""
    return [(str(b.body_type.value), b.prop) for b in endpoint.bodies]


def responses(endpoint: Endpoint) -> list[Any]:
    """The endpoint's responses: its status patterns, then `default`."""
    return list(endpoint.responses)


def status(response: Any) -> str:
    """A response's status pattern: "200", "2XX" or "default"."""
    pattern = str(response.status_code.pattern).upper()
    return "default" if pattern == "DEFAULT" else pattern


def declared_status(response: Any) -> str:
    """A response's status as the spec's responses map keys it."""
    return str(response.status_code.pattern)


def body(response: Any) -> Property:
    """The property a response's body parses into."""
    return response.prop


def response_kind(response: Any) -> str:
    """How a response's body is read: "json", "binary", "text" or "empty" (no content)."""
    source = str((response.source or {}).get("attribute", "") if isinstance(response.source, dict) else "")
    if source == "None" or is_none(response.prop):  # no content: no body to read
        return "empty"
    if source == "response.content":
        return "binary"
    if source == "response.text":
        return "text"
    return "json"
