"""BaseModel: the base class of every generated model (plain data out, a readable repr, unlisted keys)."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from ._types import Unset
from ._unions import fits

__all__ = ["BaseModel"]


class BaseModel:
    """A JSON object of the spec as an attrs class. Attributes the server did not send are `UNSET`; keys the spec
    does not list are kept in `additional_properties` (and readable as `model["key"]`)."""

    __slots__ = ()

    _FIELDS: ClassVar[tuple[str, ...]] = ()  # attribute names, in declaration order
    _REQUIRED: ClassVar[frozenset[str]] = frozenset()  # wire names the schema requires
    _MARKS: ClassVar[dict[str, str]] = {}  # properties the schema fixes to one value (`type: message`)
    additional_properties: dict[str, Any]

    @classmethod
    def _fits(cls, value: dict[str, Any]) -> bool:
        """Whether a JSON object can be this model in a union: `_unions.fits` (the argument checks apply it too)."""
        return fits(value, cls._REQUIRED, cls._MARKS)

    def to_dict(self) -> dict[str, Any]:
        """This object as JSON data (dicts, lists, strings, numbers); unset attributes are left out."""
        raise NotImplementedError  # each generated model writes its own

    def to_json(self, *, indent: int | None = None) -> str:
        """This object as JSON text (compact unless `indent` is given)."""
        separators = (",", ": ") if indent is not None else (",", ":")
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, separators=separators)

    def __repr__(self) -> str:
        parts = []
        for name in self._FIELDS:
            value = getattr(self, name)
            if value.__class__ is not Unset:
                parts.append(f"{name}={value!r}")
        if self.additional_properties:
            parts.append(f"additional_properties={self.additional_properties!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    __iter__ = None  # not a sequence: `model[key]` reads an unlisted key, so iter() must not try 0, 1, ...

    def __getitem__(self, key: str) -> Any:
        """An additional (unlisted) key the server sent."""
        return self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
