"""Base class of the generated resource groups (client.chat, client.generations, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._operation import Operation, Requester
    from .utils.retries import RetryConfig

__all__ = ["Resource"]


class Resource:
    """A group of operations sharing the client's connection pools and configuration."""

    __slots__ = ("_client",)

    def __init__(self, client: Requester) -> None:
        self._client = client

    def _request(self, op: Operation, args: dict[str, Any], retries: RetryConfig | None, timeout_ms: int | None) -> Any:
        return self._client._request(op, args, retries, timeout_ms)

    async def _arequest(
        self, op: Operation, args: dict[str, Any], retries: RetryConfig | None, timeout_ms: int | None
    ) -> Any:
        return await self._client._arequest(op, args, retries, timeout_ms)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"
