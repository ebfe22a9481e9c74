"""How a message shows a piece of a longer text: one excerpt rule for texts quoted in a report, one tail rule for
the output of a failed command."""

from __future__ import annotations

__all__ = ["excerpt", "tail"]

EXCERPT = 80  # characters of a quoted text
TAIL = 2000  # characters of a failed command's output


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The first `limit` characters of a text, quoted as Python writes a string (`'...'`)."""
    return repr(text[:limit])


def tail(output: str, limit: int = TAIL) -> str:
    """The last `limit` characters of a command's output (where its error is)."""
    return output[-limit:]
