"""The API key, held so that no repr, `vars(client)`, pickle or log shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["REDACTED", "ApiKey"]

#: What logs and reprs show in place of a secret.
REDACTED = "<redacted>"


class ApiKey:
    """The API key, or the callable returning it (called for each request)."""

    __slots__ = ("_value", "_header")

    def __init__(self, value: object) -> None:
        if not (isinstance(value, str) or callable(value)):
            raise TypeError(f"api_key must be a string or a callable returning one, got {type(value).__name__}")
        self._value: str | Callable[[], str] = value
        self._header = "Bearer " + value if isinstance(value, str) and value else None

    def header(self) -> str | None:
        """The Authorization header's value, or None without a key (a callable is called each time)."""
        value = self._value
        if value.__class__ is str:
            return self._header
        key = value()  # type: ignore[operator]
        if not isinstance(key, str):
            raise TypeError(f"api_key: the callable must return a string, got {type(key).__name__}")
        return "Bearer " + key if key else None

    def __repr__(self) -> str:
        return REDACTED

    def __reduce__(self) -> Any:
        raise TypeError("the API key cannot be pickled")
