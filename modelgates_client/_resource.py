"""Base class of the generated resource groups (client.chat, client.generations, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._operation import Operation, Requester
    from ._options import CallOptions

__all__ = ["Resource"]


class Resource:
    """A group of operations sharing the client's connection pools and configuration."""

    __slots__ = ("_client",)

    def __init__(self, client: Requester) -> None:
        self._client = client

    def _request(self, op: Operation, args: dict[str, Any], options: CallOptions) -> Any:
        return self._client._request(op, args, options)

    async def _arequest(self, op: Operation, args: dict[str, Any], options: CallOptions) -> Any:
        return await self._client._arequest(op, args, options)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"
