"""Tests for the incremental Server-Sent Events decoder (``modelgates_client._sse``)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelgates_client._sse import ServerSentEvent, SSEDecoder, aiter_events, iter_events


def decode(*chunks: bytes) -> list[ServerSentEvent]:
    """Feed ``chunks`` to a fresh decoder, then flush; return every event."""
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    events.extend(decoder.flush())
    return events


def ev(data: str, event: str | None = None, id: str | None = None, retry: int | None = None) -> ServerSentEvent:
    return ServerSentEvent(event=event, data=data, id=id, retry=retry)


def byte_by_byte(data: bytes) -> list[bytes]:
    return [data[i : i + 1] for i in range(len(data))]


# --- line endings -------------------------------------------------------------------------------------------


def test_lf_line_endings() -> None:
    assert decode(b"data: a\n\ndata: b\n\n") == [ev("a"), ev("b")]


def test_crlf_line_endings() -> None:
    assert decode(b"data: a\r\n\r\ndata: b\r\n\r\n") == [ev("a"), ev("b")]


def test_cr_line_endings() -> None:
    assert decode(b"data: a\r\rdata: b\r\r") == [ev("a"), ev("b")]


def test_mixed_line_endings() -> None:
    assert decode(b"data: a\rdata: b\r\ndata: c\n\r\ndata: d\r\n\n") == [ev("a\nb\nc"), ev("d")]


def test_crlf_split_across_chunks_is_one_line_ending() -> None:
    # If the "\n" were taken as a second line ending, "a" would be dispatched on its own.
    assert decode(b"data: a\r", b"\ndata: b\r\n\r\n") == [ev("a\nb")]


def test_crlf_split_across_chunks_with_empty_chunk_between() -> None:
    assert decode(b"data: a\r", b"", b"\ndata: b\r", b"\n\r", b"\n") == [ev("a\nb")]


def test_cr_at_chunk_end_is_a_complete_line_ending() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r\r") == [ev("a")]  # dispatched without waiting for a possible "\n"
    assert decoder.feed(b"\ndata: b\n\n") == [ev("b")]  # the "\n" only completes the second "\r"
    assert decoder.flush() == []


def test_lf_after_cr_only_skipped_once() -> None:
    # "\r" then "\n\n": the first "\n" completes the CRLF, the second is a blank line.
    assert decode(b"data: a\r", b"\n\n") == [ev("a")]
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"\n\n") == [ev("a")]


def test_event_lines_arriving_before_their_blank_line() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\ndata: b\n") == []
    assert decoder.feed(b"\n") == [ev("a\nb")]
    assert decoder.feed(b"event: e\n") == []
    assert decoder.feed(b"data: c\n\n") == [ev("c", event="e")]


def test_blank_line_split_across_chunks() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n") == []
    assert decoder.feed(b"\ndata: b\n\ndata: c\n") == [ev("a"), ev("b")]
    assert decoder.feed(b"\n") == [ev("c")]


# --- fields -------------------------------------------------------------------------------------------------


def test_multi_line_data_joined_with_newline() -> None:
    assert decode(b"data: first\ndata: second\ndata:\ndata: fourth\n\n") == [ev("first\nsecond\n\nfourth")]


def test_comments_ignored() -> None:
    stream = b": MODELGATES PROCESSING\n\ndata: a\n: comment inside an event\ndata: b\n\n:\n\n"
    assert decode(stream) == [ev("a\nb")]


def test_field_without_space_after_colon() -> None:
    assert decode(b"data:a\nevent:e\nid:1\nretry:5\n\n") == [ev("a", event="e", id="1", retry=5)]


def test_only_one_leading_space_stripped() -> None:
    assert decode(b"data:  two spaces\ndata:\tx\ndata: a: b\n\n") == [ev(" two spaces\n\tx\na: b")]


def test_line_without_colon_is_field_with_empty_value() -> None:
    assert decode(b"data\n\n") == [ev("")]
    assert decode(b"data\ndata\n\n") == [ev("\n")]


def test_empty_data_is_dispatched() -> None:
    assert decode(b"data:\n\ndata: \n\n") == [ev(""), ev("")]


def test_event_without_data_not_dispatched() -> None:
    # The blank line also resets the event type: the second event must not inherit "ping".
    assert decode(b"event: ping\n\ndata: x\n\n") == [ev("x")]


def test_id_event_retry_fields() -> None:
    assert decode(b"event: delta\nid: 42\nretry: 1500\ndata: x\n\n") == [ev("x", event="delta", id="42", retry=1500)]


def test_id_persists_across_events_and_can_be_reset() -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n")
    assert events == [ev("a", id="7"), ev("b", id="7"), ev("c", id="")]
    assert decoder.last_event_id == ""


def test_id_set_by_block_without_data() -> None:
    assert decode(b"id: 3\n\ndata: a\n\n") == [ev("a", id="3")]


def test_id_containing_nul_ignored() -> None:
    assert decode(b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n") == [ev("a", id="1"), ev("b", id="1")]


def test_retry_must_be_ascii_digits() -> None:
    stream = "retry: 12a\ndata: a\n\nretry: -1\ndata: b\n\nretry: \u0661\ndata: c\n\nretry:\ndata: d\n\n".encode()
    assert decode(stream) == [ev("a"), ev("b"), ev("c"), ev("d")]


def test_retry_is_per_event_and_kept_on_decoder() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"retry: 10\ndata: a\n\ndata: b\n\nretry: 20\n\n") == [ev("a", retry=10), ev("b")]
    assert decoder.retry == 20


def test_empty_event_field_means_default_type() -> None:
    assert decode(b"event:\ndata: a\n\n") == [ev("a")]


def test_unknown_fields_ignored() -> None:
    assert decode(b"foo: bar\ndata: a\nDATA: b\nData: c\n\n") == [ev("a")]


def test_done_marker_not_interpreted() -> None:
    assert decode(b"data: [DONE]\n\ndata: after\n\n") == [ev("[DONE]"), ev("after")]


# --- encoding -----------------------------------------------------------------------------------------------


def test_multibyte_utf8_split_across_chunks() -> None:
    text = "h\u00e9llo \u4e16\u754c \U0001f600"
    stream = f"data: {text}\n\ndata: {text}\n\n".encode()
    assert decode(*byte_by_byte(stream)) == [ev(text), ev(text)]
    cut = stream.index("\U0001f600".encode()) + 2  # in the middle of the 4-byte emoji
    assert decode(stream[:cut], stream[cut:]) == [ev(text), ev(text)]


def test_invalid_utf8_replaced_not_raised() -> None:
    assert decode(b"data: a\xffb\xe2\x82\n\n") == [ev("a\ufffdb\ufffd")]
    assert decode(b"data: \xe2\x82", b"\n\n") == [ev("\ufffd")]


def test_bom_at_stream_start_ignored() -> None:
    assert decode(b"\xef\xbb\xbfdata: a\n\n") == [ev("a")]


def test_bom_split_across_chunks_ignored() -> None:
    assert decode(b"\xef", b"\xbb", b"\xbfdata: a\n\n") == [ev("a")]
    assert decode(b"\xef\xbb", b"\xbfdata: a\n\n") == [ev("a")]


def test_bom_only_stripped_once_at_stream_start() -> None:
    # A second BOM is part of the first line's field name, so the line is an unknown field.
    assert decode(b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\ndata: \xef\xbb\xbfb\n\n") == [ev("\ufeffb")]


def test_partial_bom_like_prefix_is_content() -> None:
    assert decode(b"\xef", b"data: a\n\ndata: b\n\n") == [ev("b")]  # "\ufffddata" is an unknown field
    assert decode(b"\xef") == []


# --- end of input -------------------------------------------------------------------------------------------


def test_no_trailing_blank_line_handled_by_flush() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\ndata: b\n") == [ev("a")]
    assert decoder.flush() == [ev("b")]


def test_flush_dispatches_unterminated_last_line() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"event: e\ndata: x\ndata: y") == []
    assert decoder.flush() == [ev("x\ny", event="e")]


def test_flush_without_pending_event_returns_nothing() -> None:
    decoder = SSEDecoder()
    assert decoder.flush() == []
    assert decoder.feed(b"data: a\n\n: trailing comment") == [ev("a")]
    assert decoder.flush() == []


def test_decoder_reusable_after_flush() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a")
    assert decoder.flush() == [ev("a")]
    assert decoder.feed(b"\xef\xbb\xbfdata: b\n\n") == [ev("b")]


# --- chunking -----------------------------------------------------------------------------------------------


def test_long_line_split_into_many_chunks() -> None:
    payload = "x" * 100_000
    stream = f"data: {payload}\n\n".encode()
    chunks = [stream[i : i + 7] for i in range(0, len(stream), 7)]
    assert decode(*chunks) == [ev(payload)]


def test_many_events_in_one_chunk_with_mixed_shapes() -> None:
    stream = b": hi\n\ndata: 1\n\nevent: e\ndata: 2\n\ndata: 3\ndata: 4\n\n\n\ndata: 5\n\nid: z\n\ndata: 6\n\n"
    expected = [ev("1"), ev("2", event="e"), ev("3\n4"), ev("5"), ev("6", id="z")]
    assert decode(stream) == expected
    assert decode(*byte_by_byte(stream)) == expected


def test_iter_events() -> None:
    chunks = [b"data: a\n", b"\ndata: ", b"b\n\ndata: c"]
    assert list(iter_events(chunks)) == [ev("a"), ev("b"), ev("c")]


def test_aiter_events() -> None:
    async def source() -> AsyncIterator[bytes]:
        for chunk in (b"data: a\r", b"\n\r\ndata: b\r\n\r", b"\ndata: c"):
            yield chunk

    async def collect() -> list[ServerSentEvent]:
        return [event async for event in aiter_events(source())]

    assert asyncio.run(collect()) == [ev("a"), ev("b"), ev("c")]


def test_server_sent_event_repr_and_equality() -> None:
    event = ServerSentEvent(event="e", data="d", id="1", retry=2)
    assert repr(event) == "ServerSentEvent(event='e', data='d', id='1', retry=2)"
    assert event == ev("d", event="e", id="1", retry=2)
    assert event != ev("d")
    assert event != "d"


# --- property tests -----------------------------------------------------------------------------------------

_line_text = st.text(st.characters(exclude_characters="\r\n", exclude_categories=["Cs"]), max_size=12)
_id_text = st.text(st.characters(exclude_characters="\r\n\x00", exclude_categories=["Cs"]), max_size=6)

# (data lines, event type, id, retry, comment lines)
_event_specs = st.tuples(
    st.lists(_line_text, min_size=1, max_size=4),
    st.one_of(st.none(), _line_text),
    st.one_of(st.none(), _id_text),
    st.one_of(st.none(), st.integers(min_value=0, max_value=10**9)),
    st.lists(_line_text, max_size=2),
)


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts})
    pieces, start = [], 0
    for p in points:
        pieces.append(data[start:p])
        start = p
    pieces.append(data[start:])
    return pieces


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(specs=st.lists(_event_specs, max_size=8), bom=st.booleans(), draw=st.data())
def test_property_arbitrary_splits_yield_same_events_as_whole(
    specs: list[tuple[list[str], str | None, str | None, int | None, list[str]]], bom: bool, draw: st.DataObject
) -> None:
    lines: list[str] = []
    expected: list[ServerSentEvent] = []
    last_id: str | None = None
    for data, event, id_, retry, comments in specs:
        block = [f":{c}" for c in comments]
        if event is not None:
            block.append(f"event: {event}")
        if id_ is not None:
            block.append(f"id: {id_}")
            last_id = id_
        if retry is not None:
            block.append(f"retry: {retry}")
        block += [f"data: {d}" for d in data]
        # Interleave comment lines at random positions inside the block.
        for c in draw.draw(st.lists(_line_text, max_size=2)):
            block.insert(draw.draw(st.integers(0, len(block))), f": {c}")
        lines += block
        lines.append("")
        expected.append(ServerSentEvent(event or None, "\n".join(data), last_id, retry))

    # Random line ending per line.  An empty line right after a "\r" must not use "\n" (that would form "\r\n").
    encoded = bytearray(b"\xef\xbb\xbf" if bom else b"")
    previous = ""
    for line in lines:
        choices = ["\r", "\r\n"] if (line == "" and previous == "\r") else ["\n", "\r\n", "\r"]
        previous = draw.draw(st.sampled_from(choices))
        encoded += (line + previous).encode()
    stream = bytes(encoded)

    whole = decode(stream)
    assert whole == expected
    cuts = draw.draw(st.lists(st.integers(min_value=0, max_value=len(stream)), max_size=20))
    assert decode(*_split(stream, cuts)) == whole
    assert list(iter_events(_split(stream, cuts))) == whole


@settings(max_examples=300, deadline=None)
@given(stream=st.binary(max_size=200), cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=10))
def test_property_arbitrary_bytes_never_raise_and_split_invariant(stream: bytes, cuts: list[int]) -> None:
    assert decode(*_split(stream, cuts)) == decode(stream) == reference_decode(stream)


_SSE_TOKENS = [b"data", b"event", b"id", b"retry", b": ", b":", b" ", b"x", b"7", b"\xc3\xa9", b"\xe2\x82", b"\xff"]
_SSE_TOKENS += [b"\x00", b"\xef\xbb\xbf", b"\n", b"\r", b"\r\n", b"\n\n"]


@settings(max_examples=500, deadline=None)
@given(
    stream=st.lists(st.sampled_from(_SSE_TOKENS)),
    cuts=st.lists(st.integers(min_value=0, max_value=100), max_size=10),
)
def test_property_sse_like_bytes_split_invariant(stream: list[bytes], cuts: list[int]) -> None:
    data = b"".join(stream)
    assert decode(*_split(data, cuts)) == decode(data) == decode(*byte_by_byte(data)) == reference_decode(data)


def reference_decode(stream: bytes) -> list[ServerSentEvent]:
    """Slow, literal transcription of the spec over the whole stream (plus the lenient end-of-input dispatch)."""
    text = stream.decode("utf-8", "replace").removeprefix("\ufeff")
    events: list[ServerSentEvent] = []
    data: list[str] = []
    event: str | None = None
    last_id: str | None = None
    retry: int | None = None
    for line in [*re.split(r"\r\n|\r|\n", text), ""]:
        if line == "":
            if data:
                events.append(ServerSentEvent(event or None, "\n".join(data), last_id, retry))
            data, event, retry = [], None, None
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                data.append(value)
            elif name == "event":
                event = value
            elif name == "id" and "\0" not in value:
                last_id = value
            elif name == "retry" and value.isascii() and value.isdigit():
                retry = int(value)
    return events
