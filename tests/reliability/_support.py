"""Shared pieces of the reliability tests: hard deadlines for calls, bodies, and two local servers.

- `RawServer`: a raw-socket server that misbehaves on purpose (resets, stalls, truncation, odd framing), one
  script per accepted connection.
- `LoadServer`: a small threaded HTTP/1.1 server (keep-alive) that answers chat calls, plain and streamed, and
  records how many requests it handled at once.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import struct
import threading
import time
from collections.abc import Callable, Coroutine
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import pytest

from modelgates_client import BackoffStrategy, ModelGates, RetryConfig

T = TypeVar("T")

API_KEY = "sk-SECRET-123"
MESSAGES = [{"role": "user", "content": "Hi"}]
NO_RETRIES = RetryConfig("none")
#: Retries with waits of a few milliseconds, giving up after 1.5 s.
FAST_RETRIES = RetryConfig("backoff", BackoffStrategy(5, 20, 1.5, 1500), True)

COMPLETION: dict[str, Any] = {
    "id": "gen-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "openai/gpt-4",
    "system_fingerprint": None,
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "native_finish_reason": "stop",
            "message": {"role": "assistant", "content": "Paris"},
            "logprobs": None,
        }
    ],
    "usage": {"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 11},
}


def chunk(content: str) -> dict[str, Any]:
    return {
        "id": "gen-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "openai/gpt-4",
        "choices": [{"index": 0, "delta": {"role": "assistant", "content": content}, "finish_reason": None}],
    }


def event(obj: Any) -> bytes:
    return b"data: " + json.dumps(obj).encode() + b"\n\n"


DONE = b"data: [DONE]\n\n"
COMPLETION_BYTES = json.dumps(COMPLETION).encode()
#: A whole stream: three chunks ("a", "b", "c") and the end marker.
SSE_BYTES = event(chunk("a")) + event(chunk("b")) + event(chunk("c")) + DONE


# ------------------------------------------------------------------------------------------------ deadlines


def within(seconds: float, fn: Callable[[], T]) -> T:
    """fn() in a daemon thread: its result, or its exception re-raised; the test fails if it is not done in time.

    A hung call cannot be interrupted, but the test ends (the thread is left behind as a daemon)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True, name="reliability-call")
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"hung: the call did not finish within {seconds}s", pytrace=False)
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def within_async(seconds: float, make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine from make() in a fresh event loop on a thread, under the same deadline as within()."""
    return within(seconds, lambda: asyncio.run(make()))


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def client_for(url: str, **kwargs: Any) -> ModelGates:
    kwargs.setdefault("api_key", API_KEY)
    kwargs.setdefault("retry_config", NO_RETRIES)
    return ModelGates(server_url=url, **kwargs)


# ------------------------------------------------------------------------------------------------ raw server


def http_response(
    status: int,
    body: bytes,
    *,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
    length: int | None = None,
) -> bytes:
    """A whole HTTP/1.1 response; `length` overrides Content-Length (to announce more than is sent)."""
    lines = [
        f"HTTP/1.1 {status} Whatever",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body) if length is None else length}",
        "Connection: close",
    ]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def chunked_head(
    status: int = 200, content_type: str = "text/event-stream", headers: dict[str, str] | None = None
) -> bytes:
    lines = [
        f"HTTP/1.1 {status} Whatever",
        f"Content-Type: {content_type}",
        "Transfer-Encoding: chunked",
        "Connection: close",
    ]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def chunk_frame(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


LAST_CHUNK = b"0\r\n\r\n"


class Peer:
    """One accepted connection, as a script sees it."""

    def __init__(self, sock: socket.socket, server: RawServer) -> None:
        self.sock = sock
        self.server = server

    def read_request(self) -> bytes:
        """Read one request (head and Content-Length body); the server keeps it in `requests`."""
        buf = b""
        while b"\r\n\r\n" not in buf:
            data = self.sock.recv(65536)
            if not data:
                return buf
            buf += data
        head, _, body = buf.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            data = self.sock.recv(65536)
            if not data:
                break
            body += data
        request = head + b"\r\n\r\n" + body
        self.server.requests.append(request)
        return request

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def reset(self) -> None:
        """Abort the connection: close with SO_LINGER 0, so that the peer gets a RST."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def stall(self, seconds: float = 10.0) -> None:
        """Say nothing for `seconds`, or until the server stops."""
        self.server.stopping.wait(seconds)

    def pause(self, seconds: float) -> None:
        time.sleep(seconds)


Script = Callable[[Peer], None]


class RawServer:
    """A loopback server that runs script[i] on the i-th accepted connection (the last script repeats)."""

    def __init__(self, *scripts: Script) -> None:
        assert scripts
        self.scripts = scripts
        self.stopping = threading.Event()
        self.requests: list[bytes] = []
        self.connections = 0
        self.errors: list[BaseException] = []
        self._sock = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = int(self._sock.getsockname()[1])
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True, name="raw-accept")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def __enter__(self) -> RawServer:
        self._acceptor.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        self._acceptor.join(5)
        for thread in self._threads:
            thread.join(5)

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            script = self.scripts[min(self.connections, len(self.scripts) - 1)]
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn, script), daemon=True, name="raw-conn")
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket, script: Script) -> None:
        conn.settimeout(15)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            script(Peer(conn, self))
            if conn.fileno() != -1:
                # Let the client see the whole answer before the close.
                conn.shutdown(socket.SHUT_WR)
                conn.settimeout(2)
                while conn.recv(65536):
                    pass
        except OSError:
            pass  # the client went away first: expected in several scenarios
        except BaseException as exc:
            self.errors.append(exc)
        finally:
            conn.close()


# ------------------------------------------------------------------------------------------------ load server


class _LoadHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _LoadHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._answer(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(length))

    def _answer(self, body: bytes) -> None:
        owner = self.server.owner
        with owner.lock:
            owner.active += 1
            owner.handled += 1
            owner.peak = max(owner.peak, owner.active)
            if owner.active >= owner.gate:
                owner.gate_open = True  # once open, the gate stays open
            owner.lock.notify_all()
        try:
            streamed = b'"stream":true' in body
            if streamed:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for i, piece in enumerate(owner.events):
                    self.wfile.write(chunk_frame(piece))
                    self.wfile.flush()
                    if i == 0 and owner.gate:
                        with owner.lock:
                            owner.lock.wait_for(lambda: owner.gate_open, timeout=10)
                    if owner.event_gap:
                        time.sleep(owner.event_gap)
                self.wfile.write(LAST_CHUNK)
            else:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(COMPLETION_BYTES)))
                self.end_headers()
                self.wfile.write(COMPLETION_BYTES)
            self.wfile.flush()
        except OSError:
            pass  # a client that left a stream early closes its end
        finally:
            with owner.lock:
                owner.active -= 1


class _LoadHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512
    owner: LoadServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that leave early reset their connections: expected here


class LoadServer:
    """Answers chat calls (plain and streamed) on a thread per connection; counts requests in flight."""

    def __init__(self, *, event_gap: float = 0.0, gate: int = 0) -> None:
        """event_gap: seconds between stream events; gate: hold every stream after its first event until this
        many requests are in flight at once (10 s at most)."""
        self.events = [event(chunk("a")), event(chunk("b")), DONE]
        self.event_gap = event_gap
        self.gate = gate
        self.gate_open = False
        self.lock = threading.Condition()
        self.active = 0
        self.peak = 0
        self.handled = 0
        self._httpd = _LoadHTTPServer(("127.0.0.1", 0), _LoadHandler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/api/v1"

    def __enter__(self) -> LoadServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.gate_open = True
            self.lock.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)
