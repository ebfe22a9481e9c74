"""What the generated package hands to the core: its tables, each loaded on first use.

The core never imports `_generated`: the client façade (`_client.py`) passes the generated `TABLES` (an instance of
`Tables`, written by `make generate` into `_generated/tables.py`) to `BaseClient`, and the core reads what it needs
through it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._exceptions import APIStatusError

__all__ = ["NO_TABLES", "Tables"]

StatusErrors = Mapping[int, "type[APIStatusError]"]
#: (component schemas by name, argument schemas by operation then argument), in the notation of
#: `_generated/schemas.py` (its legend explains it).
CheckTables = tuple[Mapping[str, Any], Mapping[str, Mapping[str, Any]]]


class Tables:
    """The generated tables, loaded lazily: `status_errors()` (status -> error class) and `checks()` (the compact
    schemas the argument checks read)."""

    __slots__ = ("_load_status_errors", "_load_checks", "_status_errors", "_checks")

    def __init__(self, *, status_errors: Callable[[], StatusErrors], checks: Callable[[], CheckTables]) -> None:
        self._load_status_errors = status_errors
        self._load_checks = checks
        self._status_errors: StatusErrors | None = None
        self._checks: CheckTables | None = None

    def status_errors(self) -> StatusErrors:
        table = self._status_errors
        if table is None:
            table = self._status_errors = self._load_status_errors()
        return table

    def checks(self) -> CheckTables:
        table = self._checks
        if table is None:
            table = self._checks = self._load_checks()
        return table

    def __repr__(self) -> str:
        return "<Tables>"


#: Tables of a core used without a generated package: no status classes, no argument checks.
NO_TABLES = Tables(status_errors=dict, checks=lambda: ({}, {}))
