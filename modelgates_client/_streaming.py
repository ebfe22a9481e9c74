"""Event streams: iterate typed chunks from a `text/event-stream` response (sync and async)."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._exceptions import InvalidResponseError, ModelGatesError, NoResponseError, StreamInterruptedError
from ._sse import SSEDecoder

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["AsyncStream", "Stream"]

T = TypeVar("T")

#: Builds the error for an event that carries an `error` object: (event data, response) -> exception.
ErrorFactory = Callable[[dict[str, Any], httpx.Response], ModelGatesError]


def read_failure(name: str, exc: Exception) -> ModelGatesError:
    """The error for a body that failed while it was read (an event stream, a binary download): a dropped or
    stalled connection is a StreamInterruptedError, a body that cannot be decoded a NoResponseError."""
    if isinstance(exc, httpx.TimeoutException):
        return StreamInterruptedError(f"{name}: the answer stalled past the read timeout ({type(exc).__name__})")
    if isinstance(exc, httpx.TransportError):
        return StreamInterruptedError(f"{name}: the answer broke off: {type(exc).__name__}: {exc}")
    return NoResponseError(f"{name}: the answer could not be read: {type(exc).__name__}: {exc}")


class _StreamBase:
    __slots__ = ("response", "_parse", "_sentinel", "_on_error", "_name", "_done")

    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[dict[str, Any]], Any],
        sentinel: str | None,
        on_error: ErrorFactory,
        name: str,
    ) -> None:
        self.response = response
        self._parse = parse
        self._sentinel = sentinel
        self._on_error = on_error
        self._name = name
        self._done = False

    def _interrupted(self, exc: Exception) -> ModelGatesError:
        return read_failure(self._name, exc)

    def _bad_event(self, data: str) -> ModelGatesError:
        excerpt = data if len(data) <= 200 else data[:200] + "..."
        return InvalidResponseError(
            f"{self._name}: a stream event is not JSON: {excerpt!r}",
            status_code=self.response.status_code,
            body=data,
            raw_response=self.response,
        )

    def _ended_early(self) -> ModelGatesError:
        return StreamInterruptedError(f"{self._name}: the stream ended without its end marker {self._sentinel!r}")


class Stream(_StreamBase, Generic[T]):
    """A stream of typed chunks. Iterate it once; use it as a context manager so that the connection goes back
    to the pool however the loop ends (it is also released when the iteration ends or the loop is left).

    Raises a ModelGatesError when the server sends an error event, the connection drops, or the stream stalls
    past the read timeout; chunks before the failure are delivered first.
    """

    __slots__ = ("_iterator",)

    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[dict[str, Any]], T],
        sentinel: str | None,
        on_error: ErrorFactory,
        name: str,
    ) -> None:
        super().__init__(response, parse, sentinel, on_error, name)
        self._iterator: Generator[T, None, None] | None = None

    def __iter__(self) -> Iterator[T]:
        # A fresh generator that only the loop holds: leaving the loop (break, exception) drops it, and its
        # `finally` gives the connection back at once.
        if self._iterator is not None:
            return self._iterator
        return self._events()

    def __next__(self) -> T:
        if self._iterator is None:
            self._iterator = self._events()
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

    def _events(self) -> Generator[T, None, None]:
        response = self.response
        decoder = SSEDecoder()
        parse = self._parse
        sentinel = self._sentinel
        loads = json.loads
        try:
            try:
                for raw in response.iter_bytes():
                    for event in decoder.feed(raw):
                        data = event.data
                        if data == sentinel:
                            self._done = True
                            return
                        try:
                            obj = loads(data)
                        except (ValueError, RecursionError):
                            raise self._bad_event(data) from None
                        if obj.__class__ is dict:
                            if obj.get("error").__class__ is dict:
                                raise self._on_error(obj, response)
                            yield parse(obj)
                        else:
                            yield obj
                for event in decoder.flush():
                    if event.data == sentinel:
                        self._done = True
                        return
                    try:
                        obj = loads(event.data)
                    except (ValueError, RecursionError):
                        raise self._bad_event(event.data) from None
                    if obj.__class__ is dict and obj.get("error").__class__ is dict:
                        raise self._on_error(obj, response)
                    yield parse(obj) if obj.__class__ is dict else obj
            except httpx.TransportError as exc:
                raise self._interrupted(exc) from exc
            except (httpx.StreamError, httpx.DecodingError) as exc:
                raise read_failure(self._name, exc) from exc
            if sentinel is not None:
                raise self._ended_early()
            self._done = True
        finally:
            response.close()


class AsyncStream(_StreamBase, Generic[T]):
    """The async twin of Stream: `async with` and `async for`."""

    __slots__ = ("_iterator",)

    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[dict[str, Any]], T],
        sentinel: str | None,
        on_error: ErrorFactory,
        name: str,
    ) -> None:
        super().__init__(response, parse, sentinel, on_error, name)
        self._iterator: AsyncGenerator[T, None] | None = None

    def __aiter__(self) -> AsyncIterator[T]:
        # As in Stream.__iter__: a fresh generator that only the loop holds. Leaving the loop early drops it, and
        # the event loop's async-generator finalizer closes it, giving the connection back; stored on self it
        # would form a cycle (generator frame -> self -> generator) and keep the connection checked out.
        if self._iterator is not None:
            return self._iterator
        return self._events()

    async def __anext__(self) -> T:
        if self._iterator is None:
            self._iterator = self._events()
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

    async def _events(self) -> AsyncGenerator[T, None]:
        response = self.response
        decoder = SSEDecoder()
        parse = self._parse
        sentinel = self._sentinel
        loads = json.loads
        try:
            try:
                async for raw in response.aiter_bytes():
                    for event in decoder.feed(raw):
                        data = event.data
                        if data == sentinel:
                            self._done = True
                            return
                        try:
                            obj = loads(data)
                        except (ValueError, RecursionError):
                            raise self._bad_event(data) from None
                        if obj.__class__ is dict:
                            if obj.get("error").__class__ is dict:
                                raise self._on_error(obj, response)
                            yield parse(obj)
                        else:
                            yield obj
                for event in decoder.flush():
                    if event.data == sentinel:
                        self._done = True
                        return
                    try:
                        obj = loads(event.data)
                    except (ValueError, RecursionError):
                        raise self._bad_event(event.data) from None
                    if obj.__class__ is dict and obj.get("error").__class__ is dict:
                        raise self._on_error(obj, response)
                    yield parse(obj) if obj.__class__ is dict else obj
            except httpx.TransportError as exc:
                raise self._interrupted(exc) from exc
            except (httpx.StreamError, httpx.DecodingError) as exc:
                raise read_failure(self._name, exc) from exc
            if sentinel is not None:
                raise self._ended_early()
            self._done = True
        finally:
            await response.aclose()
