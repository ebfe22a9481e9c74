"""Incremental Server-Sent Events (SSE) decoder.

Implements the parsing rules of the WHATWG "event stream" format
(https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):

* lines end with ``\\n``, ``\\r\\n`` or ``\\r`` (mixed freely; a ``\\r\\n`` split across two chunks is one line ending);
* a leading UTF-8 byte order mark is ignored; invalid UTF-8 becomes U+FFFD, never an exception;
* lines starting with ``:`` are comments;
* ``field: value`` -- one space after the colon is stripped; a line without a colon is a field with an empty value;
* ``data`` lines are joined with ``\\n``; ``event``, ``id`` (ignored if it contains NUL) and ``retry`` (ASCII digits
  only) are recognised, other fields are ignored;
* a blank line dispatches the event, unless no ``data`` line was seen since the previous blank line.

Design notes (performance): the decoder works on bytes.  Each chunk is cut after its last line ending (found with
``bytes.rfind``); the complete lines are decoded with a single ``bytes.decode`` call (bytes are only ever split on
line endings, so a UTF-8 sequence is never cut) and split with ``str.split``.  When no event is in progress and the
lines alternate ``<line>``, ``""`` -- every event is one line followed by a blank line, the shape of LLM token
streams -- each ``data: <payload>`` line becomes an event with a single slice; anything else goes through a general
line-by-line parser.  The incomplete last line is kept as a list of byte chunks, so a huge line arriving in many
small chunks costs linear time.  Chunks containing ``\\r`` take a slightly slower path based on
``bytes.splitlines``, which splits on exactly the three SSE line endings.

The decoder does not interpret payloads such as ``[DONE]``; that is up to the caller.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

__all__ = ["SSEDecoder", "ServerSentEvent", "aiter_events", "iter_events"]

_BOM = b"\xef\xbb\xbf"


class ServerSentEvent:
    """One dispatched server-sent event.

    ``event`` is the event type, or ``None`` when the stream did not name one (the spec's default type
    ``"message"``).  ``data`` is the payload, with multiple ``data`` lines joined by ``\\n``.  ``id`` is the
    stream's *last event ID* at dispatch time (it persists across events, per the spec; ``None`` if the stream
    never set one).  ``retry`` is the reconnection time in milliseconds if a valid ``retry`` field was part of
    this event's block, else ``None``.
    """

    __slots__ = ("data", "event", "id", "retry")

    def __init__(
        self,
        event: str | None = None,
        data: str = "",
        id: str | None = None,
        retry: int | None = None,
    ) -> None:
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry

    def __repr__(self) -> str:
        return f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r}, retry={self.retry!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return (
            self.data == other.data and self.event == other.event and self.id == other.id and self.retry == other.retry
        )

    __hash__ = None  # type: ignore[assignment]  # mutable value object


class SSEDecoder:
    """Incremental decoder: feed raw bytes as they arrive, get back the events they complete.

    Call :meth:`feed` for every chunk (chunks may be split anywhere, even inside a UTF-8 character or between the
    ``\\r`` and ``\\n`` of a line ending) and :meth:`flush` once at end of input.  One decoder handles one stream.

    After decoding, :attr:`last_event_id` holds the stream's last event ID and :attr:`retry` the most recent valid
    ``retry`` value (both ``None`` if never seen).
    """

    __slots__ = (
        "_busy",
        "_data",
        "_event",
        "_fixup",
        "_head",
        "_retry",
        "_skip_lf",
        "_started",
        "_tail",
        "last_event_id",
        "retry",
    )

    def __init__(self) -> None:
        self._fixup = True  # the next chunk's first bytes need attention: "not _started or _skip_lf"
        self._started = False  # BOM check done
        self._head = b""  # bytes held back while deciding whether the stream starts with a BOM
        self._skip_lf = False  # previous chunk ended in "\r": a "\n" at the start of the next one belongs to it
        self._tail: list[bytes] = []  # the incomplete last line (no line ending in it), as received
        # Fields of the event being assembled (only set when an event spans feed() calls; then _busy is True).
        self._busy = False
        self._data: list[str] = []
        self._event: str | None = None
        self._retry: int | None = None
        self.last_event_id: str | None = None
        self.retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Consume ``chunk`` and return the events it completes (possibly none), in stream order."""
        if self._fixup:
            chunk = self._fix_start(chunk)
        if 13 in chunk:  # b"\r"
            return self._feed_cr(chunk)
        end = chunk.rfind(b"\n") + 1
        if not end:
            if chunk:
                self._tail.append(chunk)
            return []
        # Bytes are only split after line endings, so the decoded part never ends inside a UTF-8 sequence.
        tail = self._tail
        if tail:
            tail.append(chunk[:end])
            lines = b"".join(tail).decode("utf-8", "replace").split("\n")
            tail.clear()
        else:
            lines = chunk[:end].decode("utf-8", "replace").split("\n")
        if end < len(chunk):
            tail.append(chunk[end:])
        lines.pop()  # the "" after the final line ending
        return self._process(lines)

    def _fix_start(self, chunk: bytes) -> bytes:
        if not self._started:
            chunk = self._head + chunk
            if len(chunk) < 3 and _BOM.startswith(chunk):
                self._head = chunk  # could still be (the start of) a BOM
                return b""
            self._started = True
            self._head = b""
            if chunk.startswith(_BOM):
                chunk = chunk[3:]
        if self._skip_lf and chunk:
            self._skip_lf = False
            if chunk[0] == 10:  # b"\n" completing a "\r\n" split across chunks
                chunk = chunk[1:]
        self._fixup = self._skip_lf
        return chunk

    def _feed_cr(self, chunk: bytes) -> list[ServerSentEvent]:
        # Rare path: the chunk has "\r" (CRLF or CR line endings).  bytes.splitlines() splits on exactly the
        # three SSE line endings ("\r\n", "\n", "\r") in one pass.
        end = max(chunk.rfind(b"\n"), chunk.rfind(b"\r")) + 1  # >= 1: the chunk has a "\r"
        # A trailing "\r" ends its line now; a "\n" starting the next chunk must then be dropped.
        self._skip_lf = self._fixup = chunk[-1] == 13
        tail = self._tail
        if tail:
            tail.append(chunk[:end])
            complete = b"".join(tail)
            tail.clear()
        else:
            complete = chunk[:end]
        if end < len(chunk):
            tail.append(chunk[end:])
        return self._process([line.decode("utf-8", "replace") for line in complete.splitlines()])

    def flush(self) -> list[ServerSentEvent]:
        """Signal end of input and return the final event, if any.

        Lenient: a pending event that was not terminated by a blank line (even if its last line has no line ending)
        is dispatched as if the stream had ended with a blank line.  The decoder is then reset for a new stream,
        except that :attr:`last_event_id` and :attr:`retry` are kept.
        """
        rest = self._head if not self._started else b"".join(self._tail)
        lines = [rest.decode("utf-8", "replace"), ""] if rest else [""]
        out: list[ServerSentEvent] = []
        self._parse_lines(lines, out)
        self._fixup = True
        self._started = False
        self._head = b""
        self._skip_lf = False
        self._tail = []
        return out

    def _process(self, lines: list[str]) -> list[ServerSentEvent]:
        """Process complete lines (without their line endings)."""
        out: list[ServerSentEvent] = []
        if self._busy:
            self._parse_lines(lines, out)
            return out
        # Fast paths: no event in progress and the lines alternate "<line>", "" -- i.e. every event is a single
        # line followed by a blank line, the shape of virtually every LLM token stream.
        if len(lines) == 2 and not lines[1] and lines[0].startswith("data: "):  # one event: typical when streaming
            out.append(ServerSentEvent(None, lines[0][6:], self.last_event_id, None))
            return out
        if any(lines[1::2]):
            self._parse_lines(lines, out)
            return out
        last = lines.pop() if len(lines) & 1 else None  # a line whose blank line has not arrived yet
        last_id = self.last_event_id
        append = out.append
        for line in lines[::2]:
            if line.startswith("data: "):
                append(ServerSentEvent(None, line[6:], last_id, None))
            elif line:
                self._parse_lines((line, ""), out)
                last_id = self.last_event_id
        if last:
            self._parse_lines((last,), out)
        return out

    def _parse_lines(self, lines: Iterable[str], out: list[ServerSentEvent]) -> None:
        """General line-by-line parser; appends dispatched events to ``out`` and keeps partial state."""
        data = self._data
        event = self._event
        retry = self._retry
        for line in lines:
            if not line:
                if data:
                    out.append(ServerSentEvent(event, "\n".join(data), self.last_event_id, retry))
                    data = []
                event = None
                retry = None
                continue
            if line[0] == ":":
                continue
            colon = line.find(":")
            if colon < 0:
                name = line
                value = ""
            else:
                name = line[:colon]
                value = line[colon + 1 :]
                if value[:1] == " ":
                    value = value[1:]
            if name == "data":
                data.append(value)
            elif name == "event":
                event = value or None
            elif name == "id":
                if "\0" not in value:
                    self.last_event_id = value
            elif name == "retry" and value.isascii() and value.isdigit():
                retry = self.retry = int(value)
        self._data = data
        self._event = event
        self._retry = retry
        self._busy = bool(data) or event is not None or retry is not None


def iter_events(chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
    """Decode an iterable of byte chunks (e.g. ``httpx.Response.iter_bytes()``) into server-sent events.

    A final event without a trailing blank line is still yielded (see :meth:`SSEDecoder.flush`).
    """
    decoder = SSEDecoder()
    feed = decoder.feed
    for chunk in chunks:
        events = feed(chunk)
        if events:
            yield from events
    yield from decoder.flush()


async def aiter_events(chunks: AsyncIterable[bytes]) -> AsyncIterator[ServerSentEvent]:
    """Async counterpart of :func:`iter_events` (e.g. for ``httpx.Response.aiter_bytes()``)."""
    decoder = SSEDecoder()
    feed = decoder.feed
    async for chunk in chunks:
        for event in feed(chunk):
            yield event
    for event in decoder.flush():
        yield event
