"""Binary answers (file content, speech, video): a BinaryResponse that streams the body as it arrives, over real
HTTP on loopback (pytest-httpserver), sync and async."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

from modelgates_client import AsyncBinaryResponse, BinaryResponse, ModelGates, errors

from ..conftest import NO_RETRIES

VIDEO = bytes(range(256)) * 1024  # 256 KiB


def client(server: HTTPServer, **kwargs: Any) -> ModelGates:
    kwargs.setdefault("retry_config", NO_RETRIES)
    return ModelGates(api_key="sk-test", server_url=server.url_for("/api/v1"), **kwargs)


def download(mode: str, mg: ModelGates, how: str, **kwargs: Any) -> Any:
    """Call video_generation.get_video_content and consume the answer `how`: read, write_to:<path>, chunks."""

    def consume_sync(r: BinaryResponse) -> Any:
        with r:
            if how == "read":
                return r.read()
            if how == "chunks":
                return list(r.iter_bytes(1000))
            return r.write_to(how.split(":", 1)[1])

    async def consume_async(r: AsyncBinaryResponse) -> Any:
        async with r:
            if how == "read":
                return await r.read()
            if how == "chunks":
                return [c async for c in r.iter_bytes(1000)]
            return await r.write_to(how.split(":", 1)[1])

    if mode == "sync":
        with mg:
            r = mg.video_generation.get_video_content(job_id="job-1", **kwargs)
            assert type(r) is BinaryResponse
            return consume_sync(r)

    async def run() -> Any:
        async with mg:
            r = await mg.video_generation.get_video_content_async(job_id="job-1", **kwargs)
            assert type(r) is AsyncBinaryResponse
            return await consume_async(r)

    return asyncio.run(run())


def test_binary_answer_reads_whole_with_its_media_type_and_length(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/videos/job-1/content").respond_with_data(VIDEO, content_type="video/mp4")
    with client(httpserver) as mg:
        r = mg.video_generation.get_video_content(job_id="job-1")
        with r:
            assert (r.content_type, r.content_length, r.status_code) == ("video/mp4", len(VIDEO), 200)
    assert download(mode, client(httpserver), "read") == VIDEO


def test_binary_request_asks_for_the_operations_media_type(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/videos/job-1/content", headers={"Accept": "video/mp4"}).respond_with_data(
        b"v", content_type="video/mp4"
    )
    httpserver.expect_request("/api/v1/audio/speech", headers={"Accept": "audio/*"}).respond_with_data(
        b"a", content_type="audio/mpeg"
    )
    with client(httpserver) as mg:
        assert mg.video_generation.get_video_content(job_id="job-1").read() == b"v"
        assert mg.tts.create_speech(input="Hi", model="openai/tts-1").read() == b"a"


def test_write_to_saves_the_bytes_and_returns_their_count(httpserver: HTTPServer, mode: str, tmp_path: Path) -> None:
    httpserver.expect_request("/api/v1/videos/job-1/content").respond_with_data(VIDEO, content_type="video/mp4")
    target = tmp_path / "video.mp4"
    assert download(mode, client(httpserver), f"write_to:{target}") == len(VIDEO)
    assert target.read_bytes() == VIDEO


def test_iter_bytes_yields_chunks_of_the_size_asked(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/videos/job-1/content").respond_with_data(b"x" * 2500, content_type="video/mp4")
    chunks = download(mode, client(httpserver), "chunks")
    assert [len(c) for c in chunks] == [1000, 1000, 500]


@contextlib.contextmanager
def socket_server(send: Callable[[socket.socket], None]) -> Iterator[str]:
    """A one-request HTTP server on a plain socket, for answers pytest-httpserver cannot shape (a body sent in
    parts at chosen moments, a body cut short): `send` writes the answer; yields the server URL for the client."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                request += conn.recv(65536)
            send(conn)

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/api/v1"
    finally:
        server.join(5)
        listener.close()


VIDEO_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 140000\r\n\r\n"


def test_binary_body_is_handed_over_before_it_has_all_arrived() -> None:
    """The first part reaches the caller while the server still holds back the rest: nothing is buffered whole."""
    first_seen = threading.Event()
    held_back: list[bool] = []

    def send(conn: socket.socket) -> None:
        conn.sendall(VIDEO_HEAD + b"a" * 70_000)
        held_back.append(first_seen.wait(10))  # the rest only once the caller has most of the first part
        conn.sendall(b"b" * 70_000)

    received = 0
    with socket_server(send) as url, ModelGates(api_key="k", server_url=url, retry_config=NO_RETRIES) as mg:
        with mg.video_generation.get_video_content(job_id="job-1") as r:
            for chunk in r.iter_bytes(1024):
                received += len(chunk)
                if received >= 60_000:
                    first_seen.set()
    assert received == 140_000
    assert held_back == [True]


def test_error_answer_to_a_binary_operation_raises_its_typed_error(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/videos/job-1/content").respond_with_json(
        {"error": {"code": 404, "message": "no such job"}}, status=404
    )
    with pytest.raises(errors.NotFoundResponseError) as info:
        download(mode, client(httpserver), "read")
    assert info.value.status_code == 404
    assert "no such job" in str(info.value)


def test_binary_body_cut_short_raises_stream_interrupted(mode: str) -> None:
    def send(conn: socket.socket) -> None:
        conn.sendall(VIDEO_HEAD + b"a" * 1000)  # then the connection closes, 139 000 bytes short

    with socket_server(send) as url, pytest.raises(errors.StreamInterruptedError, match="broke off"):
        download(mode, ModelGates(api_key="k", server_url=url, retry_config=NO_RETRIES), "read")


def test_closing_a_binary_answer_unread_frees_its_connection(httpserver: HTTPServer) -> None:
    """With a pool of one connection, a second call only gets through if the first answer gave its connection back."""
    httpserver.expect_request("/api/v1/videos/job-1/content").respond_with_data(VIDEO, content_type="video/mp4")
    pool = httpx.Client(limits=httpx.Limits(max_connections=1), timeout=httpx.Timeout(5, pool=2))
    with client(httpserver, client=pool) as mg:
        with mg.video_generation.get_video_content(job_id="job-1") as r:
            assert r.status_code == 200
        assert mg.video_generation.get_video_content(job_id="job-1").read() == VIDEO


def test_raw_binary_answer_has_headers_and_parses_to_the_binary_response(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/files/file-1/content").respond_with_data(
        b"%PDF", content_type="application/octet-stream", headers={"X-Request-Id": "req-9"}
    )
    with client(httpserver) as mg:
        raw = mg.files.with_raw_response.download(file_id="file-1")
        assert raw.headers["X-Request-Id"] == "req-9"
        parsed = raw.parse()
        assert type(parsed) is BinaryResponse
        assert parsed.read() == b"%PDF"
