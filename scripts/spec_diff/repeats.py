"""Prose that repeats the published document: every description, summary and title of a document (`texts`), and
the rule that says a text of ours repeats a published one (`Published.repeats`): the whole text, or the same
first PROSE_MIN characters, case and whitespace ignored."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..common.document import Json
from ..common.text import excerpt
from .compare import Difference

PROSE_MIN = 40

NAME_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "schemas", "responses", "parameters", "requestBodies", "headers"}
    | {"securitySchemes", "content", "paths", "mapping", "encoding", "links", "callbacks", "webhooks", "variables"}
)


DATA_KEYS = frozenset({"default", "const", "enum", "example", "examples"})


def texts(node: Any, where: str = "#", names: bool = False) -> Iterator[tuple[str, str]]:
    """(where, text) of every description, summary and title; keys of name maps are names, not prose."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}/{key}"
            if not names and key in ("description", "summary", "title") and isinstance(value, str):
                yield here, value
            elif not names and (key in DATA_KEYS or str(key).startswith("x-")):
                continue
            else:
                yield from texts(value, here, not names and key in NAME_MAPS and isinstance(value, dict))
    elif isinstance(node, list):
        for position, value in enumerate(node):
            yield from texts(value, f"{where}/{position}")


def normalise(text: str) -> str:
    """Lower case, runs of whitespace as one space: how texts are compared."""
    return re.sub(r"\s+", " ", text).strip().lower()


class Published:
    """The texts of a published document, as `repeats` compares ours with them."""

    def __init__(self, published: Json, minimum: int = PROSE_MIN) -> None:
        theirs = [normalise(t) for _, t in texts(published)]
        self.minimum = minimum
        self.whole = set(theirs)
        self.heads = {t[:minimum] for t in theirs if len(t) >= minimum}

    def repeats(self, text: str) -> bool:
        """Whether a text of `minimum`+ characters equals a published text, or starts with the same characters."""
        n = normalise(text)
        return len(n) >= self.minimum and (n in self.whole or n[: self.minimum] in self.heads)


def repeated(text: str) -> str:
    """What a report says of a text that repeats the published one."""
    return f"repeats the published text: {excerpt(text)}"


def repeated_prose(ours: Json, published: Json, minimum: int = PROSE_MIN) -> list[Difference]:
    """Our texts of `minimum`+ characters that equal a published text, or start with the same characters."""
    index = Published(published, minimum)
    return [Difference(where, repeated(text), "prose") for where, text in texts(ours) if index.repeats(text)]
