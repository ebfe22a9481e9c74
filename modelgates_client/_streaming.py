"""Event streams: the typed items of a `text/event-stream` answer, sync (`Stream`) and async (`AsyncStream`).

Both read the body with their own I/O and hand each chunk to one `_events.EventReader`, which knows the rules of a
stream; they only deliver what it returns and raise what it reports.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._errors import read_failure

if TYPE_CHECKING:
    from types import TracebackType

    from ._events import EventReader

__all__ = ["AsyncStream", "Stream"]

T = TypeVar("T")

#: Failures of a body while it is read: a transport failure, a body read twice, a body that cannot be decoded.
_READ_ERRORS = (httpx.TransportError, httpx.StreamError, httpx.DecodingError)


class Stream(Generic[T]):
    """A stream of typed items. Iterate it once; use it as a context manager so that the connection goes back to
    the pool however the loop ends (it is also released when the iteration ends or the loop is left).

    Raises a ModelGatesError when the server sends an error event, the connection drops, or the stream stalls
    past the read timeout; items before the failure are delivered first.
    """

    __slots__ = ("response", "_reader", "_name", "_iterator")

    def __init__(self, response: httpx.Response, reader: EventReader, name: str) -> None:
        self.response = response
        self._reader = reader
        self._name = name
        self._iterator: Generator[T, None, None] | None = None

    def __iter__(self) -> Iterator[T]:
        # A fresh generator that only the loop holds: leaving the loop (break, exception) drops it, and its
        # `finally` gives the connection back at once.
        if self._iterator is not None:
            return self._iterator
        return _items(self.response, self._reader, self._name)

    def __next__(self) -> T:
        if self._iterator is None:
            self._iterator = _items(self.response, self._reader, self._name)
        return next(self._iterator)

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop reading and give the connection back."""
        if self._iterator is not None:
            self._iterator.close()
        self.response.close()

    def __repr__(self) -> str:
        return f"<Stream {self._name}>"


class AsyncStream(Generic[T]):
    """The async twin of Stream: `async with` and `async for`."""

    __slots__ = ("response", "_reader", "_name", "_iterator")

    def __init__(self, response: httpx.Response, reader: EventReader, name: str) -> None:
        self.response = response
        self._reader = reader
        self._name = name
        self._iterator: AsyncGenerator[T, None] | None = None

    def __aiter__(self) -> AsyncIterator[T]:
        # As in Stream.__iter__: a fresh generator that only the loop holds. Leaving the loop early drops it, and
        # the event loop's async-generator finalizer closes it, giving the connection back.
        if self._iterator is not None:
            return self._iterator
        return _aitems(self.response, self._reader, self._name)

    async def __anext__(self) -> T:
        if self._iterator is None:
            self._iterator = _aitems(self.response, self._reader, self._name)
        return await self._iterator.__anext__()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop reading and give the connection back."""
        if self._iterator is not None:
            await self._iterator.aclose()
        await self.response.aclose()

    close = aclose

    def __repr__(self) -> str:
        return f"<AsyncStream {self._name}>"


def _items(response: httpx.Response, reader: EventReader, name: str) -> Generator[Any, None, None]:
    """The items of a stream read with blocking I/O (the generator references no Stream: dropping the stream
    drops it)."""
    try:
        try:
            for chunk in response.iter_bytes():
                items = reader.feed(chunk)
                if items:
                    yield from items
                if reader.error is not None:
                    raise reader.error
                if reader.done:
                    return
            items = reader.end()
            if items:
                yield from items
        except _READ_ERRORS as exc:
            raise read_failure(name, exc) from exc
        if reader.error is not None:
            raise reader.error
    finally:
        response.close()


async def _aitems(response: httpx.Response, reader: EventReader, name: str) -> AsyncGenerator[Any, None]:
    """The async twin of _items."""
    try:
        try:
            async for chunk in response.aiter_bytes():
                for item in reader.feed(chunk):
                    yield item
                if reader.error is not None:
                    raise reader.error
                if reader.done:
                    return
            for item in reader.end():
                yield item
        except _READ_ERRORS as exc:
            raise read_failure(name, exc) from exc
        if reader.error is not None:
            raise reader.error
    finally:
        await response.aclose()
