"""The connections: the httpx clients a ModelGates client sends with — made on first use (one sync client, one async
client per event loop) or supplied by the caller — and the SSL context they share."""

from __future__ import annotations

import threading
from typing import Any

import httpx

from ._config import DEFAULT_TIMEOUT, check_instance

__all__ = ["Transport"]


class Transport:
    """The httpx clients of one ModelGates client. An owned client is made on first use and closed by `close()` /
    `aclose()`; a supplied one is used as it is and left open (its owner closes it)."""

    __slots__ = ("_client", "_async_client", "_owns_client", "_owns_async_client", "_lock", "_loop")

    def __init__(self, client: httpx.Client | None, async_client: httpx.AsyncClient | None) -> None:
        check_instance(client, httpx.Client, "client", "an httpx.Client")
        check_instance(async_client, httpx.AsyncClient, "async_client", "an httpx.AsyncClient")
        self._client = client
        self._async_client = async_client
        self._owns_client = client is None
        self._owns_async_client = async_client is None
        self._lock = threading.Lock()
        self._loop: object = None

    def sync_client(self) -> httpx.Client:
        client = self._client
        if client is None:
            with self._lock:
                client = self._client
                if client is None:
                    client = self._client = httpx.Client(**_owned_settings())
        return client

    def async_client(self) -> httpx.AsyncClient:
        import asyncio  # noqa: PLC0415  (asyncio costs ~9 ms to import; sync users never pay it)

        loop = asyncio.get_running_loop()
        client = self._async_client
        if client is None or (self._owns_async_client and self._loop is not loop):
            # An owned client's connections belong to the event loop that opened them: a client used from a new
            # loop (a second asyncio.run) gets a fresh pool instead of failing on the old loop's sockets.
            with self._lock:
                client = self._async_client
                if client is None or (self._owns_async_client and self._loop is not loop):
                    client = self._async_client = httpx.AsyncClient(**_owned_settings())
                    self._loop = loop
        return client

    def open_sync_client(self) -> httpx.Client | None:
        """The sync httpx client if one is made or supplied (None before the first sync call of an owned one)."""
        return self._client

    def close(self) -> None:
        """Release the connections of the owned sync client."""
        with self._lock:
            client, self._client = (self._client, None) if self._owns_client else (None, self._client)
        if client is not None:
            client.close()

    async def aclose(self) -> None:
        """Release the connections of both owned clients."""
        with self._lock:
            client, self._async_client = (
                (self._async_client, None) if self._owns_async_client else (None, self._async_client)
            )
        if client is not None:
            await client.aclose()
        self.close()

    def __repr__(self) -> str:
        return "<Transport>"


def _owned_settings() -> dict[str, Any]:
    return {"timeout": DEFAULT_TIMEOUT, "follow_redirects": True, "verify": _ssl_context()}


_SSL_LOCK = threading.Lock()
_SSL_CONTEXT: Any = None


def _ssl_context() -> Any:
    """The SSL context of every httpx client the SDK creates, made once per process: loading the CA bundle costs
    ~20 ms, which each new client (and each event loop's async client) would pay again. Built as httpx builds its
    default one (certifi, or SSL_CERT_FILE / SSL_CERT_DIR); `True` (httpx's own default) where httpx cannot."""
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        create = getattr(httpx, "create_ssl_context", None)
        if create is None:  # httpx < 0.28
            return True
        with _SSL_LOCK:
            if _SSL_CONTEXT is None:
                _SSL_CONTEXT = create()
    return _SSL_CONTEXT
