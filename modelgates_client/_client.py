"""ModelGates: the client users construct — the request core with every generated resource group mixed in.

The one place where the hand-written core meets the generated package: the façade hands the generated tables
(`TABLES`: error classes, argument checks) and the spec's default server to `BaseClient`.
"""

from __future__ import annotations

from ._base_client import BaseClient
from ._generated import DEFAULT_SERVER_URL, TABLES
from ._generated.groups import GeneratedGroups

__all__ = ["ModelGates"]


class ModelGates(GeneratedGroups, BaseClient):
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

    _tables = TABLES
    _default_server_url = DEFAULT_SERVER_URL
