"""The views the templates render: one dataclass per kind of generated thing (a model and its fields, an endpoint
with its arguments and responses, a union alias, a group, an error class), holding the pieces of Python source
the templates lay out. The modules models, endpoints and errors make them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .hints import annotation_imports, join_union
from .parsers import UnionPlan

__all__ = [
    "AliasView",
    "ArgView",
    "EndpointView",
    "ErrorView",
    "FieldView",
    "GroupView",
    "ModelView",
    "ParseBranch",
    "ResponseView",
    "is_range",
]


def is_range(pattern: str) -> bool:
    """Whether a status pattern is a range (`4XX`)."""
    return len(pattern) == 3 and pattern[0].isdigit() and pattern.endswith("XX")


@dataclass
class FieldView:
    python_name: str
    wire: str
    annotation: str
    required: bool
    parse: str | None
    plain: bool
    doc: str


@dataclass
class ModelView:
    class_name: str
    schema_name: str
    doc: str
    fields: list[FieldView]
    plans: list[UnionPlan]
    eager_imports: list[tuple[str, str]]
    lazy_imports: list[tuple[str, str]]
    type_imports: list[tuple[str, str]]
    keys: str
    required: str
    marks: str
    extra_parse: str | None
    uses_datetime: bool
    uses_date: bool

    @property
    def annotation_imports(self) -> list[str]:
        return annotation_imports([f.annotation for f in self.fields])


@dataclass
class ArgView:
    python_name: str
    wire: str
    location: str  # path, query, header, body
    annotation: str
    required: bool
    doc: str
    is_stream_flag: bool = False


@dataclass
class ResponseView:
    pattern: str  # "200", "2XX" or "default"
    kind: str  # json, binary, text, empty
    parse: str | None
    type_string: str
    model: str | None = None  # the model class the body parses into, when it is one model
    prop: Any = field(default=None, repr=False, compare=False)  # openapi-python-client's property of the body

    @property
    def condition(self) -> str:
        """The Python test of `status` that selects this response."""
        if self.pattern.isdigit():
            return f"status == {int(self.pattern)}"
        if is_range(self.pattern):
            low = int(self.pattern[0]) * 100
            return f"{low} <= status <= {low + 99}"
        return "True"


@dataclass
class ParseBranch:
    """One `if` of a generated parse function: the statuses it covers and the expression it returns."""

    statuses: list[int]
    ranges: list[str]
    expr: str

    @property
    def condition(self) -> str:
        tests = []
        if len(self.statuses) == 1:
            tests.append(f"status == {self.statuses[0]}")
        elif self.statuses:
            tests.append(f"status in {tuple(self.statuses)!r}")
        for pattern in self.ranges:
            low = int(pattern[0]) * 100
            tests.append(f"{low} <= status <= {low + 99}")
        return " or ".join(tests)


@dataclass
class EndpointView:
    func: str
    callable: str
    method: str
    path: str
    summary: str
    doc: str
    args: list[ArgView]
    responses: list[ResponseView]
    plans: list[UnionPlan]
    model_imports: list[tuple[str, str]]
    type_imports: list[tuple[str, str]]
    body_kind: str | None
    body_fields: str
    stream_flag: str | None
    chunk_type: str | None = None
    chunk_class: str | None = None
    chunk_module: str | None = None
    chunk_parse: str | None = None
    sentinel: str | None = None
    stream_only: bool = False
    error_branches: list[ParseBranch] = field(default_factory=list)
    error_fallback: str | None = None
    error_imports: list[tuple[str, str]] = field(default_factory=list)
    styles: dict[str, str] = field(default_factory=dict)
    accept: str = "application/json"
    file_fields: tuple[str, ...] = ()  # arguments that are files of a multipart form
    # Alternative bodies, if several: (kind, its (argument, wire name) pairs, the arguments it requires).
    bodies: tuple[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]], ...] | None = None
    paging: str | None = None  # the Paging(...) literal of a paged list operation
    result_keys: tuple[str, ...] | None = None  # a result that has an `error` field of its own: its required keys
    item_type: str | None = None  # the type of one item of its pages

    @property
    def path_literal(self) -> str:
        return repr(self.path)

    @property
    def sentinel_literal(self) -> str:
        return repr(self.sentinel)

    def _params(self, location: str) -> str:
        return repr(tuple((a.python_name, a.wire) for a in self.args if a.location == location))

    @property
    def path_params(self) -> str:
        return self._params("path")

    @property
    def query_params(self) -> str:
        return self._params("query")

    @property
    def header_params(self) -> str:
        return self._params("header")

    @property
    def annotation_imports(self) -> list[str]:
        lines = annotation_imports([a.annotation for a in self.args])
        return [line.replace("from ...", "from ....") for line in lines if "typing" not in line]  # has Literal

    @property
    def cookie_params(self) -> str:
        return self._params("cookie")

    @property
    def param_styles(self) -> str:
        """Arguments written other than their location's default way (specprep.facts.PARAM_STYLES), by python name."""
        return repr(dict(sorted(self.styles.items())))

    @property
    def response_kinds(self) -> str:
        return repr(tuple((r.pattern, r.kind) for r in self.responses))

    @property
    def parses_every_status(self) -> bool:
        """Whether `_parse` ends in an unconditional branch (a `default` response that needs parsing)."""
        return any(r.parse and r.condition == "True" for r in self.responses)

    def result_type(self, asynchronous: bool = False) -> str:
        """The type of a call's result when it is not an event stream: the models of its success answers, a
        BinaryResponse (AsyncBinaryResponse) for a binary body."""
        binary = "AsyncBinaryResponse" if asynchronous else "BinaryResponse"
        result = join_union(binary if r.kind == "binary" else r.type_string for r in self.responses) or "None"
        if self.paging:
            return f"{'AsyncPage' if asynchronous else 'Page'}[{self.item_type}, {result}]"
        return result

    @property
    def return_type(self) -> str:
        return self.result_type()

    @property
    def sync_return(self) -> str:
        if self.stream_only:
            return f"Stream[{self.chunk_type}]"
        if self.stream_flag:
            return f"{self.result_type()} | Stream[{self.chunk_type}]"
        return self.result_type()

    @property
    def async_return(self) -> str:
        if self.stream_only:
            return f"AsyncStream[{self.chunk_type}]"
        if self.stream_flag:
            return f"{self.result_type(True)} | AsyncStream[{self.chunk_type}]"
        return self.result_type(True)

    @property
    def overlay_imports(self) -> list[str]:
        """Imports (for TYPE_CHECKING) of the overlay's result types this module's annotations name."""
        lines = []
        if any(r.kind == "binary" for r in self.responses):
            lines.append("from ...._binary import AsyncBinaryResponse, BinaryResponse")
        if self.paging:
            lines.append("from ...._pagination import AsyncPage, Page")
        if self.file_fields:
            lines.append("from ...._types import FileInput")
        return lines


@dataclass
class AliasView:
    """A union component of the spec, as an importable type alias (`ChatToolChoice = ... | ... | ...`)."""

    class_name: str
    module: str
    schema_name: str
    doc: str
    annotation: str
    imports: list[tuple[str, str]]
    typing_names: list[str]


@dataclass
class GroupView:
    attribute: str
    package: str
    class_name: str
    doc: str
    endpoints: list[Any] = field(default_factory=list)


@dataclass
class ErrorView:
    status: int
    name: str
    doc: str
    model_class: str | None  # the one schema of this status, parsed when an operation does not describe it
    model_module: str | None
    data_type: str = "Any"
    data_imports: list[tuple[str, str]] = field(default_factory=list)
