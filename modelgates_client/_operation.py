"""The description of one API operation that each generated endpoint module hands to the request core."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ._options import CallOptions

__all__ = ["Operation", "Requester"]


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
        "body_fields",
        "body_kind",
        "responses",
        "parse",
        "chunk_parser",
        "stream_flag",
        "sentinel",
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
        body_fields: tuple[tuple[str, str], ...],
        body_kind: str | None,
        responses: tuple[tuple[int, str], ...],
        parse: Callable[[int, Any], Any],
        chunk_parser: Callable[[], Callable[[dict[str, Any]], Any]] | None = None,
        stream_flag: str | None = None,
        sentinel: str | None = None,
    ) -> None:
        self.name = name
        self.method = method
        self.path = path
        self.path_params = path_params
        self.query_params = query_params
        self.header_params = header_params
        self.body_fields = body_fields
        self.body_kind = body_kind
        self.responses = responses
        self.parse = parse
        self.chunk_parser = chunk_parser
        self.stream_flag = stream_flag
        self.sentinel = sentinel

    def streams(self, args: dict[str, Any]) -> bool:
        """Whether this call's answer is an event stream."""
        if self.chunk_parser is None:
            return False
        if self.stream_flag is None:
            return True
        return args.get(self.stream_flag) is True

    def response_kind(self, status: int) -> str:
        for code, kind in self.responses:
            if code == status:
                return kind
        return "json"

    def __repr__(self) -> str:
        return f"<Operation {self.name}: {self.method} {self.path}>"


class Requester(Protocol):
    """What endpoint functions call: the client, or one of its resource groups (plain or raw-response)."""

    def _request(self, op: Operation, args: dict[str, Any], options: CallOptions) -> Any: ...

    async def _arequest(self, op: Operation, args: dict[str, Any], options: CallOptions) -> Any: ...
