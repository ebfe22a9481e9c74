"""JSON conversion used by the generated models and the request core."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ._types import File, Unset

__all__ = ["parse_date", "parse_datetime", "to_json"]

_PLAIN = (str, int, float, bool, type(None))


def to_json(value: Any, path: str = "value") -> Any:
    """`value` as JSON data: models through their `to_dict`, mappings and sequences recursively, dates as ISO
    8601 text. Raises TypeError naming `path` for anything JSON cannot carry."""
    cls = value.__class__
    if cls in _PLAIN:
        return value
    if cls is dict:
        out = {}
        for k, v in value.items():
            if k.__class__ is not str and not isinstance(k, str):
                raise TypeError(f"{path}: keys of a JSON object must be strings, got {k!r}")
            out[k] = v if v.__class__ in _PLAIN else to_json(v, f"{path}.{k}")
        return out
    if cls is list or cls is tuple:
        return [v if v.__class__ in _PLAIN else to_json(v, f"{path}[{i}]") for i, v in enumerate(value)]
    return _other(value, path)


def _other(value: Any, path: str) -> Any:
    """to_json for what is not a plain value, dict, list or tuple: models, str/int enums, dates, other mappings
    and sequences; TypeError naming `path` for the rest."""
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None and callable(to_dict):
        return to_json(to_dict(), path)
    if isinstance(value, bool | int | float | str):  # subclasses (enums with str/int mixins)
        return value
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    if isinstance(value, Unset):
        raise TypeError(f"{path}: UNSET cannot be sent inside a value")
    if isinstance(value, File):
        raise TypeError(f"{path}: a File can only be sent in a multipart body")
    from collections.abc import Mapping, Sequence  # noqa: PLC0415

    if isinstance(value, Mapping):
        return to_json(dict(value), path)
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [to_json(v, f"{path}[{i}]") for i, v in enumerate(value)]
    raise TypeError(f"{path}: {type(value).__name__} is not JSON data")


def parse_datetime(value: Any) -> Any:
    """ISO 8601 text as a datetime; anything else (or text that is not a date-time) is kept as it came."""
    if value.__class__ is not str:
        return value
    try:
        return _dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        from dateutil.parser import isoparse  # noqa: PLC0415

        return isoparse(value)
    except (ValueError, OverflowError):
        return value


def parse_date(value: Any) -> Any:
    """ISO 8601 date text as a date; anything else is kept as it came."""
    if value.__class__ is not str:
        return value
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        return value
