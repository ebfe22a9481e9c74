"""The description of one API operation that each generated endpoint module hands to the request core."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from ._types import UNSET as _UNSET

if TYPE_CHECKING:
    from ._options import CallOptions

__all__ = ["Operation", "Paging", "Requester"]

#: Where the argument `body` goes for each kind of body that is one argument: JSON, a form, a multipart form, bytes.
_WHOLE_BODY = {"json": "json", "data": "form_body", "files": "form_body", "content": "content"}


class Operation:
    """What the request core needs to know of an operation: where its arguments go and how its answers parse.

    Generated code builds one per operation (see generator_templates/endpoint_module.py.jinja).
    """

    __slots__ = (
        "name",
        "method",
        "path",
        "path_params",
        "query_params",
        "header_params",
        "cookie_params",
        "param_styles",
        "body_fields",
        "body_kind",
        "responses",
        "parse",
        "parse_error",
        "chunk_parser",
        "stream_flag",
        "sentinel",
        "accept",
        "binary",
        "paging",
        "file_fields",
        "bodies",
        "result_keys",
        "_kinds",
        "_default_kind",
        "_placements",
    )

    def __init__(
        self,
        *,
        name: str,
        method: str,
        path: str,
        path_params: tuple[tuple[str, str], ...],
        query_params: tuple[tuple[str, str], ...],
        header_params: tuple[tuple[str, str], ...],
        cookie_params: tuple[tuple[str, str], ...] = (),
        param_styles: dict[str, str] | None = None,
        body_fields: tuple[tuple[str, str], ...],
        body_kind: str | None,
        responses: tuple[tuple[str, str], ...],
        parse: Callable[[int, Any], Any],
        parse_error: Callable[[int, Any], Any] | None = None,
        chunk_parser: Callable[[], Callable[[dict[str, Any]], Any]] | None = None,
        stream_flag: str | None = None,
        sentinel: str | None = None,
        accept: str = "application/json",
        paging: Paging | None = None,
        file_fields: tuple[str, ...] = (),
        bodies: tuple[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]], ...] | None = None,
        result_keys: tuple[str, ...] | None = None,
    ) -> None:
        self.name = name
        self.method = method
        self.path = path
        self.path_params = path_params
        self.query_params = query_params
        self.header_params = header_params
        self.cookie_params = cookie_params
        self.param_styles = param_styles or {}  # python name -> "json", "deepObject" or "form-flat" (_params.py)
        self.body_fields = body_fields
        self.body_kind = body_kind
        self.responses = responses
        self.parse = parse
        self.parse_error = parse_error
        self.accept = accept  # the Accept header: the media types of the operation's success answers
        self.binary = any(kind == "binary" for _, kind in responses)  # an answer may be a binary body
        self.paging = paging  # a list operation whose answers are pages (_pagination.py)
        self.file_fields = file_fields  # arguments that are files of a multipart form
        # Operations taking several bodies (e.g. JSON, or a multipart form with a file): (kind, its (argument,
        # wire name) pairs, the arguments it requires), the JSON body first.
        self.bodies = bodies
        # A result with an `error` field of its own (a failed job's record): the keys it requires. A 2xx body with
        # an `error` object and these keys is that result; without them, an error sent in place of the result.
        self.result_keys = frozenset(result_keys) if result_keys is not None else None
        # Success statuses -> how the body is read: exact statuses, then ranges (2XX), then `default`.
        kinds: dict[int, str] = {}
        for pattern, kind in responses:
            if pattern.isdigit():
                kinds.setdefault(int(pattern), kind)
        for pattern, kind in responses:
            if pattern[:1].isdigit() and pattern[1:].upper() == "XX":
                low = int(pattern[0]) * 100
                for status in range(low, low + 100):
                    kinds.setdefault(status, kind)
        self._kinds = kinds
        self._default_kind = next((kind for pattern, kind in responses if pattern == "default"), "json")
        self.chunk_parser = chunk_parser
        self.stream_flag = stream_flag
        self.sentinel = sentinel
        self._placements: dict[str | None, tuple[tuple[str, str, str], ...]] = {
            kind: self._place(kind, fields) for kind, fields, _ in bodies or ()
        }
        self._placements[body_kind] = self._place(body_kind, body_fields)

    def _place(self, kind: str | None, fields: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
        """Each argument of a call whose body is `kind`: (argument, wire name, where it goes; see _encoding)."""
        out = [(python, wire, "path") for python, wire in self.path_params]
        out += [(python, wire, "query") for python, wire in self.query_params]
        out += [(python, wire, "header") for python, wire in self.header_params]
        out += [(python, wire, "cookie") for python, wire in self.cookie_params]
        if kind == "json_fields":
            out += [(python, wire, "field") for python, wire in fields]
        elif kind == "multipart_fields":
            out += [(p, w, "file" if p in self.file_fields else "form") for p, w in fields]
        elif kind is not None:  # one argument, `body`, is the whole body
            out += [(python, wire, _WHOLE_BODY[kind]) for python, wire in fields]
        return tuple(out)

    def placements(self, kind: str | None) -> tuple[tuple[str, str, str], ...]:
        """(argument, wire name, where it goes) for each argument of a call whose body is `kind` (`body_of`)."""
        return self._placements[kind]

    def streams(self, args: dict[str, Any]) -> bool:
        """Whether this call's answer is an event stream."""
        if self.chunk_parser is None:
            return False
        if self.stream_flag is None:
            return True
        return args.get(self.stream_flag) is True

    def body_of(self, args: dict[str, Any]) -> tuple[str | None, tuple[tuple[str, str], ...]]:
        """How this call's body is written and its (argument, wire name) pairs: the operation's only body, or among
        several the multipart form when a file is given, else the first. Raises TypeError for an argument the
        chosen body does not carry, or one it requires that is missing."""
        bodies = self.bodies
        if bodies is None:
            return self.body_kind, self.body_fields
        unset = _UNSET
        files = [f for f in self.file_fields if args.get(f, unset) is not unset]
        kind, fields, required = next((b for b in bodies if (b[0] == "multipart_fields") == bool(files)), bodies[0])
        what = "the multipart form" if kind == "multipart_fields" else "the JSON body"
        why = f" (sent because {', '.join(files)} {'is' if len(files) == 1 else 'are'} given)" if files else ""
        carried = {python for python, _ in fields}
        for python, _wire in self.body_fields:
            if python not in carried and args.get(python, unset) is not unset:
                raise TypeError(f"{self.name}({python}): not a field of {what}{why}")
        missing = [python for python in required if args.get(python, unset) is unset]
        if missing:
            hint = ""
            if not files and self.file_fields:
                hint = f"; or give {', '.join(self.file_fields)} to send a multipart form"
            raise TypeError(f"{self.name}: missing {', '.join(missing)}, required by {what}{hint}")
        return kind, fields

    def is_error_in_place(self, data: dict[str, Any]) -> bool:
        """Whether a 2xx JSON object holding an `error` object is an error sent in place of the result."""
        keys = self.result_keys
        return keys is None or len(data) == 1 or not data.keys() >= keys

    def response_kind(self, status: int) -> str:
        """How a success body of `status` is read: json, binary, text or empty."""
        return self._kinds.get(status, self._default_kind)

    def __repr__(self) -> str:
        return f"<Operation {self.name}: {self.method} {self.path}>"


class Paging:
    """How a list operation pages, from the spec's pagination mark (see scripts/specprep.py record_pagination).

    `offsetLimit`: the next page is asked with `offset` moved past the items received; the last page is the one
    that reaches `total` (when the page reports it), else the first shorter than the limit (the one sent, else the
    server's default), else the first empty one; an offset beyond `offset_max` is never asked.
    `cursor`: the next page is asked with `cursor` set to the page's `next_cursor`; the last page is the one
    without a next cursor (or without items, or repeating the cursor it was asked with).
    Parameters are argument names; `results`, `next_cursor` and `total` are attribute paths in the page model.
    """

    __slots__ = ("kind", "results", "offset", "limit", "cursor", "next_cursor", "total", "limit_default", "offset_max")

    def __init__(
        self,
        kind: str,
        *,
        results: tuple[str, ...],
        offset: str | None = None,
        limit: str | None = None,
        cursor: str | None = None,
        next_cursor: tuple[str, ...] | None = None,
        total: tuple[str, ...] | None = None,
        limit_default: int | None = None,
        offset_max: int | None = None,
    ) -> None:
        self.kind = kind
        self.results = results
        self.offset = offset
        self.limit = limit
        self.cursor = cursor
        self.next_cursor = next_cursor
        self.total = total
        self.limit_default = limit_default
        self.offset_max = offset_max


class Requester(Protocol):
    """What endpoint functions call: the client, or one of its resource groups (plain or raw-response)."""

    def _request(self, op: Operation, args: dict[str, Any], options: CallOptions) -> Any: ...

    async def _arequest(self, op: Operation, args: dict[str, Any], options: CallOptions) -> Any: ...
