"""Sentinels and small shared types."""

from __future__ import annotations

import os
from typing import IO, Literal, TypeAlias

__all__ = ["UNSET", "File", "FileInput", "Unset"]


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
    """A file to upload in a multipart request (its path, bytes or a binary file object) with the file name and media
    type to send; without them, the path's or file object's name, and the type guessed from the name."""

    __slots__ = ("payload", "file_name", "mime_type")

    def __init__(
        self, payload: bytes | IO[bytes] | os.PathLike[str], file_name: str | None = None, mime_type: str | None = None
    ) -> None:
        self.payload = payload
        self.file_name = file_name
        self.mime_type = mime_type

    def __repr__(self) -> str:
        return f"File(file_name={self.file_name!r}, mime_type={self.mime_type!r})"


#: A file argument of an upload: a path (pathlib.Path), its bytes, a binary file object, or a File (to give its
#: name and media type). Files are streamed from disk, not read whole into memory.
FileInput: TypeAlias = os.PathLike[str] | bytes | IO[bytes] | File
