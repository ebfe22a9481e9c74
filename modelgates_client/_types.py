"""Sentinels and small shared types."""

from __future__ import annotations

from typing import IO, Literal

__all__ = ["UNSET", "File", "Unset"]


class Unset:
    """The type of UNSET: an argument or attribute that was not given (as opposed to None, sent as JSON null)."""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: object) -> Unset:
        return self

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()


class File:
    """A file to upload in a multipart request: its bytes or a binary file object, with an optional name and type."""

    __slots__ = ("payload", "file_name", "mime_type")

    def __init__(self, payload: bytes | IO[bytes], file_name: str | None = None, mime_type: str | None = None) -> None:
        self.payload = payload
        self.file_name = file_name
        self.mime_type = mime_type

    def to_tuple(self) -> tuple[str | None, bytes | IO[bytes], str | None]:
        return self.file_name, self.payload, self.mime_type

    def __repr__(self) -> str:
        return f"File(file_name={self.file_name!r}, mime_type={self.mime_type!r})"
