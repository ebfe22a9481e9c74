"""The event reader of every stream: bytes of a `text/event-stream` body in, typed items out.

Sans-I/O: `Stream` and `AsyncStream` feed it the chunks they read, each with its own I/O, and deliver what it
returns; the rules of a stream live here once — JSON data lines parsed by the operation's parser, an error object
in an event raised after the items before it, the end marker (the spec's sentinel) ending the stream, and a body
that ends before it interrupted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._errors import bad_event, ended_early
from ._sse import ServerSentEvent, SSEDecoder

if TYPE_CHECKING:
    import httpx

    from ._exceptions import ModelGatesError

__all__ = ["ErrorFactory", "EventReader"]

#: Builds the error for an event that carries an `error` object: (event data, response) -> exception.
ErrorFactory = Callable[[dict[str, Any], "httpx.Response"], "ModelGatesError"]


class EventReader:
    """The events of one stream. `feed(chunk)` returns the items a chunk completes; an error met on the way is kept
    in `error` (the items before it are returned first) for the caller to raise; `end()` returns the last items
    when the body is over and raises if the stream was cut short. `done` is set at the end marker: what follows is
    read (so the connection can be reused) but not delivered."""

    __slots__ = ("_decoder", "_parse", "_sentinel", "_on_error", "_name", "_response", "done", "error")

    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[dict[str, Any]], Any],
        sentinel: str | None,
        on_error: ErrorFactory,
        name: str,
    ) -> None:
        self._decoder = SSEDecoder()
        self._parse = parse
        self._sentinel = sentinel
        self._on_error = on_error
        self._name = name
        self._response = response
        self.done = False
        self.error: ModelGatesError | None = None

    def feed(self, chunk: bytes) -> list[Any]:
        """The items `chunk` completes, in order; stops at an error (kept in `error`) or at the end marker."""
        events = self._decoder.feed(chunk)
        if not events or self.done or self.error is not None:
            return []
        return self._items(events)

    def end(self) -> list[Any]:
        """The items of a last event without its blank line; raises StreamInterruptedError when the stream has an end
        marker that did not come."""
        items = [] if self.done or self.error is not None else self._items(self._decoder.flush())
        if not self.done and self.error is None and self._sentinel is not None:
            self.error = ended_early(self._name, self._sentinel)
        return items

    def _items(self, events: list[ServerSentEvent]) -> list[Any]:
        out = []
        parse = self._parse
        sentinel = self._sentinel
        for event in events:
            data = event.data
            if data == sentinel:
                self.done = True
                break
            try:
                obj = json.loads(data)
            except (ValueError, RecursionError):
                self.error = bad_event(self._name, self._response, data)
                break
            if obj.__class__ is dict:
                if obj.get("error").__class__ is dict:
                    self.error = self._on_error(obj, self._response)
                    break
                out.append(parse(obj))
            else:
                out.append(obj)
        return out
