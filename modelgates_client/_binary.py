"""Binary answers (audio, video, a file's content): read as they arrive, never buffered whole unless asked."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import httpx

from ._errors import read_failure

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["AsyncBinaryResponse", "BinaryResponse"]

_CHUNK = 64 * 1024


class _BinaryBase:
    __slots__ = ("http_response", "_name")

    def __init__(self, response: httpx.Response, name: str) -> None:
        self.http_response = response
        self._name = name

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    @property
    def content_type(self) -> str | None:
        """The media type the server answered with (e.g. `audio/mpeg`), without parameters."""
        value = self.http_response.headers.get("content-type")
        return value.split(";", 1)[0].strip() if value else None

    @property
    def content_length(self) -> int | None:
        """The body's length in bytes when the server said it (Content-Length), else None."""
        value = self.http_response.headers.get("content-length")
        return int(value) if value is not None and value.isdigit() else None

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.status_code} {self.content_type} ({self.content_length} bytes)>"


class BinaryResponse(_BinaryBase):
    """A binary answer read as it arrives: `iter_bytes()` or `write_to(path)` stream it (a 1 GB video never sits
    in memory), `read()` takes it whole. Use it as a context manager (or call `close()`) so that the connection
    goes back to the pool; reading it to the end releases it too.

    A connection that drops or stalls while the body is read raises StreamInterruptedError.
    """

    __slots__ = ()

    def iter_bytes(self, chunk_size: int | None = _CHUNK) -> Iterator[bytes]:
        """The body, chunk by chunk, as it arrives."""
        try:
            yield from self.http_response.iter_bytes(chunk_size)
        except (httpx.TransportError, httpx.StreamError, httpx.DecodingError) as exc:
            raise read_failure(self._name, exc) from exc
        finally:
            self.http_response.close()

    def read(self) -> bytes:
        """The whole body (for answers small enough to hold in memory)."""
        return b"".join(self.iter_bytes())

    def text(self, encoding: str | None = None) -> str:
        """The whole body decoded as text (the response's charset, else UTF-8)."""
        return self.read().decode(encoding or self.http_response.charset_encoding or "utf-8", "replace")

    def write_to(self, path: str | os.PathLike[str]) -> int:
        """Stream the body into the file at `path` (created or truncated); the number of bytes written."""
        written = 0
        with open(path, "wb") as out:
            for chunk in self.iter_bytes():
                out.write(chunk)
                written += len(chunk)
        return written

    def close(self) -> None:
        """Stop reading and give the connection back."""
        self.http_response.close()

    def __enter__(self) -> BinaryResponse:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncBinaryResponse(_BinaryBase):
    """The async twin of BinaryResponse: `async for chunk in r.iter_bytes()`, `await r.write_to(path)`,
    `await r.read()`, `async with`."""

    __slots__ = ()

    async def iter_bytes(self, chunk_size: int | None = _CHUNK) -> AsyncIterator[bytes]:
        """The body, chunk by chunk, as it arrives."""
        try:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk
        except (httpx.TransportError, httpx.StreamError, httpx.DecodingError) as exc:
            raise read_failure(self._name, exc) from exc
        finally:
            await self.http_response.aclose()

    async def read(self) -> bytes:
        """The whole body (for answers small enough to hold in memory)."""
        return b"".join([chunk async for chunk in self.iter_bytes()])

    async def text(self, encoding: str | None = None) -> str:
        """The whole body decoded as text (the response's charset, else UTF-8)."""
        return (await self.read()).decode(encoding or self.http_response.charset_encoding or "utf-8", "replace")

    async def write_to(self, path: str | os.PathLike[str]) -> int:
        """Stream the body into the file at `path` (created or truncated); the number of bytes written."""
        written = 0
        with open(path, "wb") as out:  # noqa: ASYNC230 (small writes as chunks arrive; no thread hop per chunk)
            async for chunk in self.iter_bytes():
                out.write(chunk)
                written += len(chunk)
        return written

    async def close(self) -> None:
        """Stop reading and give the connection back."""
        await self.http_response.aclose()

    aclose = close

    async def __aenter__(self) -> AsyncBinaryResponse:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
