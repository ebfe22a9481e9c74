"""The base class of the generated resource groups (client.chat, client.generations, ...) and of their raw-response
views (client.chat.with_raw_response, ...)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

if TYPE_CHECKING:
    from ._base_client import BaseClient
    from ._operation import Operation, Requester
    from ._options import CallOptions
    from ._response import APIResponse

__all__ = ["Resource", "async_raw_response", "raw_response"]

P = ParamSpec("P")
T = TypeVar("T")


class Resource:
    """A group of operations sharing the client's connection pools and configuration. With `raw`, the same
    generated endpoint functions return an APIResponse (the group's `with_raw_response` view)."""

    __slots__ = ("_client", "_raw")

    def __init__(self, client: BaseClient, raw: bool = False) -> None:
        self._client = client
        self._raw = raw

    def _request(self, op: Operation, args: dict[str, Any], options: CallOptions) -> Any:
        return self._client._request(op, args, options, self._raw)

    async def _arequest(self, op: Operation, args: dict[str, Any], options: CallOptions) -> Any:
        return await self._client._arequest(op, args, options, self._raw)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


def raw_response(method: Callable[Concatenate[Requester, P], T]) -> Callable[Concatenate[Requester, P], APIResponse[T]]:
    """`method` itself (through a raw Resource its `_request` returns an APIResponse), typed as returning
    APIResponse[<what it returns>] for each of its overloads."""
    return method  # type: ignore[return-value]


def async_raw_response(
    method: Callable[Concatenate[Requester, P], Awaitable[T]],
) -> Callable[Concatenate[Requester, P], Awaitable[APIResponse[T]]]:
    """The async twin of raw_response."""
    return method  # type: ignore[return-value]
