"""ModelGates: the client users construct."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from ._generated import DEFAULT_SERVER_URL
from ._generated.groups import GeneratedGroups

if TYPE_CHECKING:
    import httpx

    from .utils.retries import RetryConfig

__all__ = ["ModelGates"]


class ModelGates(GeneratedGroups):
    """The ModelGates API client: `client.chat.send(...)`, `client.generations.get_generation(...)`, and every
    other operation of the spec as `client.<group>.<method>(...)` with an awaitable `<method>_async` twin.

    Args:
        api_key: API key, or a callable returning one (called for each request). Default: $MODELGATES_API_KEY.
        http_referer: Your app's URL, sent as `HTTP-Referer` (the primary identifier for rankings).
        x_open_router_title: Your app's display name, sent as `X-ModelGates-Title`.
        x_open_router_categories: Comma-separated app categories, sent as `X-ModelGates-Categories`.
        server_url: API base URL. Default: $MODELGATES_BASE_URL, else the spec's server.
        retry_config: Retry policy (default: backoff on connection errors and 408/429/500/502/503/524/529).
        max_retries: At most this many retries per call, instead of the retry policy's own bound.
        timeout_ms: How long a call may take, retries included: no retry starts that could not end in time, and
            each attempt waits at most what is left. For a stream: until it starts, then the longest wait
            between two events. Default: no bound but the retry policy's (each attempt: connect 10 s, read 600 s).
        client: An httpx.Client to send sync requests with (left open by close()).
        async_client: An httpx.AsyncClient to send async requests with (left open by aclose()).
        debug_logger: A logging.Logger that receives requests, responses and retries at DEBUG (the API key is
            never logged).

    One instance is safe to share across threads and asyncio tasks. Use it as a context manager (`with` or
    `async with`), or call close() / aclose(), to release connections.
    """

    def __init__(
        self,
        *,
        api_key: str | Callable[[], str] | None = None,
        http_referer: str | None = None,
        x_open_router_title: str | None = None,
        x_open_router_categories: str | None = None,
        server_url: str | None = None,
        retry_config: RetryConfig | None = None,
        max_retries: int | None = None,
        timeout_ms: int | None = None,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        debug_logger: logging.Logger | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            http_referer=http_referer,
            x_open_router_title=x_open_router_title,
            x_open_router_categories=x_open_router_categories,
            server_url=server_url,
            retry_config=retry_config,
            max_retries=max_retries,
            timeout_ms=timeout_ms,
            client=client,
            async_client=async_client,
            debug_logger=debug_logger,
            default_server_url=DEFAULT_SERVER_URL,
        )

    def __enter__(self) -> ModelGates:
        return self

    async def __aenter__(self) -> ModelGates:
        return self
