"""APIResponse: what a call through `client.<group>.with_raw_response.<method>(...)` returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from datetime import timedelta

    import httpx

__all__ = ["APIResponse"]

T = TypeVar("T")

_UNPARSED: Any = object()


class APIResponse(Generic[T]):
    """The HTTP response of a successful call, with the call's result on demand.

    `parse()` returns what the plain method would have returned: the typed result, or for `stream=True` the
    Stream (the headers are here before its first event is read). Errors are raised as by the plain method
    (they carry `headers` too).

    Attributes:
        http_response: the httpx.Response (for a stream, still open until the stream is read or closed).
        retries_taken: how many retries the call made before this response (0: the first attempt answered).
        elapsed: the time from the call's start to this response's headers, retries included.
    """

    __slots__ = ("http_response", "retries_taken", "elapsed", "_parse", "_parsed")

    def __init__(
        self, http_response: httpx.Response, parse: Callable[[], T], *, retries_taken: int, elapsed: timedelta
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self.elapsed = elapsed
        self._parse = parse
        self._parsed: T = _UNPARSED

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def parse(self) -> T:
        """The call's result, parsed on the first call (later calls return the same object)."""
        if self._parsed is _UNPARSED:
            self._parsed = self._parse()
        return self._parsed

    def close(self) -> None:
        """Give the connection back without reading the rest (a stream that will not be read)."""
        self.http_response.close()

    async def aclose(self) -> None:
        """The async twin of close()."""
        await self.http_response.aclose()

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<APIResponse [{self.status_code}] {request.method} {request.url.copy_with(query=None)}>"
