"""How the tools turn names of a document into Python names: one snake_case and one PascalCase rule.

Callers add what their kind of name needs around the rule (a fallback for a name with no letter or digit, a
prefix for one starting with a digit, a suffix for a keyword); the splitting into words is the same everywhere.
"""

from __future__ import annotations

import re

__all__ = ["pascal_case", "snake_case"]

_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")  # getGeneration: a word starts at the capital
_ACRONYM_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")  # HTTPReferer: the acronym ends before the last capital
_SEPARATORS = re.compile(r"[^0-9a-zA-Z]+")


def snake_case(value: str) -> str:
    """`getGeneration` -> `get_generation`, `HTTPReferer` -> `http_referer`, `Chat Completions` ->
    `chat_completions`; "" when the value has no letter or digit."""
    value = _LOWER_UPPER.sub(r"\1_\2", value)
    value = _ACRONYM_WORD.sub(r"\1_\2", value)
    return _SEPARATORS.sub("_", value).strip("_").lower()


def pascal_case(value: str) -> str:
    """`chat_completions`, `chatCompletions`, `chat completions` -> `ChatCompletions` (each word's first letter
    upper case, the rest as written: `HTTPReferer` stays); "" when the value has no letter or digit."""
    words = _SEPARATORS.split(_LOWER_UPPER.sub(r"\1 \2", value))
    return "".join(word[:1].upper() + word[1:] for word in words if word)
