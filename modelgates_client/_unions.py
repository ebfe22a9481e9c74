"""The one test of union membership: whether a JSON object can be a given member of a union.

The rule is the generator's (`scripts` UnionRule documents it): a member fits an object that has every key the
member requires and contradicts none of its marks (properties the member's schema fixes to one value, such as
`type: "message"`). The model parsers (`BaseModel._fits`) and the argument checks (`_validation`) both call `fits`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

__all__ = ["fits"]


def fits(value: Mapping[str, Any], required: Collection[str], marks: Mapping[str, Any]) -> bool:
    """Whether the object `value` has every key of `required` and no key contradicting `marks` (key -> value)."""
    for key in required:
        if key not in value:
            return False
    for key, mark in marks.items():
        if value.get(key, mark) != mark:
            return False
    return True
