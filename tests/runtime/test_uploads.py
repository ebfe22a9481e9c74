"""Uploads (multipart forms): a file given as a path, bytes, a binary file object or a File, streamed from the file;
over real HTTP on loopback (pytest-httpserver), asserting on the parts the server received."""

from __future__ import annotations

import asyncio
import gc
import io
import json
import os
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from modelgates_client import File, ModelGates, errors
from modelgates_client.models import ModelGatesFile, STTResponse

from ..conftest import FAST_RETRIES, NO_RETRIES, generate_package

STORED = {"_shape": "modelgates", "id": "file-1", "filename": "notes.txt", "bytes": 5, "created_at": 1}
TRANSCRIPT = {"text": "hello", "usage": {"seconds": 1}}


def client(server: HTTPServer, **kwargs: Any) -> ModelGates:
    kwargs.setdefault("retry_config", NO_RETRIES)
    return ModelGates(api_key="sk-test", server_url=server.url_for("/api/v1"), **kwargs)


class Received:
    """What the server got: per request, the content type, the form's text fields and its file parts."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def handler(self, answer: Any, statuses: list[int] | None = None) -> Any:
        statuses = list(statuses or [])

        def handle(request: Request) -> Response:
            files = {k: [(f.filename, f.mimetype, f.read()) for f in request.files.getlist(k)] for k in request.files}
            self.requests.append(
                {
                    "content_type": request.mimetype,
                    "form": {k: request.form.getlist(k) for k in request.form},
                    "files": files,
                    "json": request.get_json(silent=True),
                }
            )
            status = statuses.pop(0) if statuses else 200
            body = answer if status == 200 else {"error": {"code": status, "message": "busy"}}
            return Response(json.dumps(body), status=status, content_type="application/json")

        return handle


def upload(mode: str, mg: ModelGates, **kwargs: Any) -> Any:
    if mode == "sync":
        with mg:
            return mg.files.upload(**kwargs)

    async def run() -> Any:
        async with mg:
            return await mg.files.upload_async(**kwargs)

    return asyncio.run(run())


@pytest.fixture
def received(httpserver: HTTPServer) -> Received:
    r = Received()
    httpserver.expect_request("/api/v1/files", method="POST").respond_with_handler(r.handler(STORED))
    return r


def test_upload_from_a_path_sends_a_file_part_named_after_the_file(
    httpserver: HTTPServer, received: Received, mode: str, tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello")
    result = upload(mode, client(httpserver), file=path)
    assert type(result) is ModelGatesFile and result.id == "file-1"
    assert received.requests[0]["content_type"] == "multipart/form-data"
    assert received.requests[0]["files"] == {"file": [("notes.txt", "text/plain", b"hello")]}


def test_upload_from_bytes_sends_them_under_the_field_name(httpserver: HTTPServer, received: Received) -> None:
    with client(httpserver) as mg:
        mg.files.upload(file=b"%PDF-1.7")
    assert received.requests[0]["files"] == {"file": [("file", "application/octet-stream", b"%PDF-1.7")]}


def test_upload_from_a_binary_file_object_uses_its_name(
    httpserver: HTTPServer, received: Received, tmp_path: Path
) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG")
    with client(httpserver) as mg, path.open("rb") as f:
        mg.files.upload(file=f)
    assert received.requests[0]["files"] == {"file": [("scan.png", "image/png", b"\x89PNG")]}


def test_upload_with_a_file_object_sends_the_name_and_type_given(httpserver: HTTPServer, received: Received) -> None:
    with client(httpserver) as mg:
        mg.files.upload(file=File(io.BytesIO(b"a,b"), file_name="table.csv", mime_type="text/csv"))
    assert received.requests[0]["files"] == {"file": [("table.csv", "text/csv", b"a,b")]}


class ReadSizes(io.BytesIO):
    """A binary file object that records how much each read asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.sizes: list[int | None] = []

    def read(self, size: int | None = -1, /) -> bytes:
        self.sizes.append(size)
        return super().read(size)


def test_upload_reads_the_file_in_chunks_not_whole(httpserver: HTTPServer, received: Received) -> None:
    data = os.urandom(300_000)
    f = ReadSizes(data)
    with client(httpserver) as mg:
        mg.files.upload(file=f)
    assert received.requests[0]["files"]["file"][0][2] == data
    assert f.sizes and all(size is not None and 0 < size <= 65536 for size in f.sizes)


def test_upload_retried_sends_the_whole_file_again(httpserver: HTTPServer, tmp_path: Path) -> None:
    r = Received()
    httpserver.expect_request("/api/v1/files").respond_with_handler(r.handler(STORED, statuses=[503]))
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello")
    with client(httpserver, retry_config=FAST_RETRIES) as mg:
        mg.files.upload(file=path)
    assert [req["files"]["file"][0][2] for req in r.requests] == [b"hello", b"hello"]


def test_upload_from_a_pipe_is_not_retried(httpserver: HTTPServer) -> None:
    """A pipe cannot be read twice: the call is sent once, and its error raised."""
    r = Received()
    httpserver.expect_request("/api/v1/files").respond_with_handler(r.handler(STORED, statuses=[503, 503]))
    read_end, write_end = os.pipe()
    threading.Thread(target=lambda: (os.write(write_end, b"streamed"), os.close(write_end)), daemon=True).start()
    with client(httpserver, retry_config=FAST_RETRIES) as mg, open(read_end, "rb") as pipe:
        with pytest.raises(errors.ModelGatesError) as info:
            mg.files.upload(file=pipe)
    assert getattr(info.value, "status_code", None) == 503
    assert len(r.requests) == 1


def test_upload_from_a_path_closes_the_file_it_opened(
    httpserver: HTTPServer, received: Received, tmp_path: Path
) -> None:
    """A file left open would warn (ResourceWarning, unclosed file) when collected."""
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with client(httpserver) as mg:
            mg.files.upload(file=path)
        gc.collect()
    assert [str(w.message) for w in caught if "notes.txt" in str(w.message)] == []


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("notes.txt", TypeError, "pathlib.Path"),
        (io.StringIO("text"), TypeError, "binary mode"),
        (12, TypeError, "expected a file as a path"),
        (Path("/no/such/file.txt"), ValueError, "cannot read '/no/such/file.txt'"),
    ],
    ids=["str", "text-file", "int", "missing-path"],
)
def test_upload_of_something_not_a_file_raises_naming_the_argument_and_sends_nothing(
    httpserver: HTTPServer, received: Received, value: Any, error: type[Exception], message: str
) -> None:
    with client(httpserver) as mg, pytest.raises(error, match=r"files\.upload\(file\)") as info:
        mg.files.upload(file=value)
    assert message in str(info.value)
    assert received.requests == []


# ---------------------------------------------------------------- an operation taking JSON or a multipart form


@pytest.fixture
def transcriptions(httpserver: HTTPServer) -> Received:
    r = Received()
    httpserver.expect_request("/api/v1/audio/transcriptions").respond_with_handler(r.handler(TRANSCRIPT))
    return r


def test_transcription_with_a_file_is_a_multipart_form_with_arrays_as_repeated_fields(
    httpserver: HTTPServer, transcriptions: Received, mode: str, tmp_path: Path
) -> None:
    audio = tmp_path / "hello.wav"
    audio.write_bytes(b"RIFF")

    def call(mg: ModelGates) -> Any:
        kwargs: dict[str, Any] = {
            "file": audio,
            "model": "openai/whisper-1",
            "temperature": 0.5,
            "timestamp_granularities": ["word", "segment"],
        }
        if mode == "sync":
            return mg.stt.create_transcription(**kwargs)
        return asyncio.run(mg.stt.create_transcription_async(**kwargs))

    with client(httpserver) as mg:
        assert type(call(mg)) is STTResponse
    got = transcriptions.requests[0]
    assert got["files"] == {"file": [("hello.wav", "audio/x-wav", b"RIFF")]}
    assert got["form"] == {
        "model": ["openai/whisper-1"],
        "temperature": ["0.5"],
        "timestamp_granularities[]": ["word", "segment"],
    }


def test_every_form_field_follows_one_rule(httpserver: HTTPServer, transcriptions: Received) -> None:
    """Form text (modelgates_client._forms): scalars as text, arrays of scalars repeated, objects and nested arrays as
    JSON text, None left out — for the operation's own fields and for extra_body alike."""
    with client(httpserver) as mg:
        mg.stt.create_transcription(
            file=b"RIFF",
            model="m",
            extra_body={
                "left_out": None,
                "flags": [True, 2, "a"],
                "provider": {"options": {"x": 1}},
                "nested": [[1], {"k": None}],
            },
        )
    assert transcriptions.requests[0]["form"] == {
        "model": ["m"],
        "provider": ['{"options":{"x":1}}'],
        "flags": ["true", "2", "a"],
        "nested": ['[[1],{"k":null}]'],
    }


def test_transcription_without_a_file_is_json(httpserver: HTTPServer, transcriptions: Received) -> None:
    with client(httpserver) as mg:
        mg.stt.create_transcription(model="openai/whisper-1", input_audio={"data": "UklGRg==", "format": "wav"})
    got = transcriptions.requests[0]
    assert got["content_type"] == "application/json"
    assert got["json"] == {"model": "openai/whisper-1", "input_audio": {"data": "UklGRg==", "format": "wav"}}


def test_transcription_with_a_field_the_form_lacks_raises_type_error(
    httpserver: HTTPServer, transcriptions: Received
) -> None:
    with client(httpserver) as mg, pytest.raises(TypeError, match=r"input_audio\): not a field of the multipart form"):
        mg.stt.create_transcription(model="m", file=b"RIFF", input_audio={"data": "UklGRg==", "format": "wav"})
    assert transcriptions.requests == []


def test_transcription_without_audio_raises_naming_both_ways_to_give_it(
    httpserver: HTTPServer, transcriptions: Received
) -> None:
    with client(httpserver) as mg, pytest.raises(TypeError, match="missing input_audio.*or give file"):
        mg.stt.create_transcription(model="m")
    assert transcriptions.requests == []


# ---------------------------------------------------------------- the construct, on a small hand-made spec


def test_operation_with_json_and_form_bodies_takes_the_fields_of_both_and_a_file(tmp_path: Path) -> None:
    """Fields shared by name (a form's `tags[]` is the JSON body's `tags`) are one argument, required when both
    bodies require it; the form's binary property is a file argument."""
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/scans": {
                "post": {
                    "operationId": "scan",
                    "tags": ["Scans"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["image", "mode"],
                                    "properties": {
                                        "image": {"type": "string", "format": "binary"},
                                        "mode": {"type": "string"},
                                        "tags[]": {"type": "array", "items": {"type": "string"}},
                                    },
                                }
                            },
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["url", "mode"],
                                    "properties": {
                                        "url": {"type": "string"},
                                        "mode": {"type": "string"},
                                        "tags": {"type": "array", "items": {"type": "string"}},
                                    },
                                }
                            },
                        },
                    },
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    package = generate_package(tmp_path, spec)
    show = (
        "import inspect, json\n"
        "from modelgates_client._generated.api.scans import scan as m\n"
        "sig = inspect.signature(m.scan)\n"
        "print(json.dumps({'params': {n: str(p.annotation) for n, p in sig.parameters.items()},"
        " 'files': m.OPERATION.file_fields, 'bodies': m.OPERATION.bodies}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", show],
        capture_output=True,
        text=True,
        cwd=package,
        env={**os.environ, "PYTHONPATH": str(package)},
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["params"] == {
        "client": "Requester",
        "mode": "str",
        "url": "str | Unset",
        "tags": "Sequence[str] | Unset",
        "image": "FileInput | Unset",
        "options": "Unpack[CallOptions]",
    }
    assert got["files"] == ["image"]
    assert got["bodies"] == [
        ["json_fields", [["url", "url"], ["mode", "mode"], ["tags", "tags"]], ["url", "mode"]],
        ["multipart_fields", [["image", "image"], ["mode", "mode"], ["tags", "tags[]"]], ["image", "mode"]],
    ]
