"""Files given to upload operations (multipart forms): a path, bytes, a binary file object or a File, turned into
a part that httpx streams from the file (never read whole into memory)."""

from __future__ import annotations

import io
import mimetypes
import os
from typing import IO, Any

from ._types import File

__all__ = ["file_part"]


class FilePart:
    """One file part of a multipart form: its name, content (bytes or a binary file object), media type; and
    whether the file can be sent again on a retry (bytes, or a file object that can seek back)."""

    __slots__ = ("file_name", "content", "mime_type", "opened", "rewindable")

    def __init__(self, file_name: str, content: bytes | IO[bytes], mime_type: str, opened: bool) -> None:
        self.file_name = file_name
        self.content = content
        self.mime_type = mime_type
        self.opened = opened  # the client opened it (from a path) and closes it after the call
        self.rewindable = isinstance(content, bytes) or _seekable(content)

    def to_httpx(self) -> tuple[str, Any, str]:
        content: Any = self.content
        if not self.rewindable:  # a pipe: its size is unknown, so it goes out in chunks (no Content-Length)
            content = _Unsized(content)
        return (self.file_name, content, self.mime_type)


class _Unsized:
    """A file object seen only through `read`: httpx cannot size it (a pipe's fstat size is what is buffered, not
    what will come) and sends the form with chunked transfer encoding."""

    __slots__ = ("_file",)

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file

    def read(self, size: int = -1) -> bytes:
        return self._file.read(size)


def _seekable(f: Any) -> bool:
    try:
        return bool(f.seekable())
    except (AttributeError, ValueError, OSError):
        return False


def _guess(file_name: str) -> str:
    return mimetypes.guess_type(file_name)[0] or "application/octet-stream"


def file_part(value: Any, label: str, default_name: str) -> FilePart:
    """The part for `value`, or a TypeError/ValueError naming `label` (e.g. `files.upload(file)`)."""
    name: str | None = None
    mime: str | None = None
    if isinstance(value, File):
        name, mime, value = value.file_name, value.mime_type, value.payload
    if isinstance(value, bytes | bytearray | memoryview):
        content: bytes | IO[bytes] = bytes(value)
        name = name or default_name
        return FilePart(name, content, mime or _guess(name), opened=False)
    if isinstance(value, os.PathLike):
        path = os.fspath(value)
        if not isinstance(path, str):
            path = os.fsdecode(path)
        try:
            handle = open(path, "rb")  # noqa: SIM115 (closed by the client after the call)
        except OSError as exc:
            raise ValueError(f"{label}: cannot read {path!r}: {exc.strerror or exc}") from exc
        name = name or os.path.basename(path) or default_name
        return FilePart(name, handle, mime or _guess(name), opened=True)
    if isinstance(value, str):
        raise TypeError(
            f"{label}: a str is ambiguous; pass pathlib.Path({_short(value)!r}) to upload a file by its path, "
            "or bytes (e.g. text.encode()) to upload content"
        )
    if isinstance(value, io.TextIOBase):
        raise TypeError(f"{label}: the file is open in text mode; open it in binary mode ('rb')")
    if callable(getattr(value, "read", None)):
        mode = getattr(value, "mode", "b")
        if isinstance(mode, str) and "b" not in mode:
            raise TypeError(f"{label}: the file is open in text mode ({mode!r}); open it in binary mode ('rb')")
        if not name:
            own = getattr(value, "name", None)
            name = os.path.basename(own) if isinstance(own, str) and own else default_name
        return FilePart(name, value, mime or _guess(name), opened=False)
    raise TypeError(
        f"{label}: expected a file as a path (pathlib.Path), bytes, a binary file object or "
        f"modelgates_client.File, got {type(value).__name__}"
    )


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "..."
