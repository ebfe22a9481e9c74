"""Example values made from the spec's schemas: deterministic, valid and realistic.

One place makes example JSON for everything that needs it: the local server's answers, the examples of the
generated docs, and the per-operation tests. `Examples(spec).value(schema)` walks a schema of the spec (an OpenAPI
3.1 document as a dict; `$ref`s resolved on the way) and returns a value that the schema accepts:

- `const`, then `enum` (the first value), then our own `example` in the spec when it fits;
- objects: their required properties (with `full=True` also the optional ones, down to a depth), and every property
  the schema fixes to one value (a union member's `type: ...` mark) so that the value says which member it is;
- unions: the first member that is not null (`member=` picks another), allOf parts merged;
- strings by format (date-time, date, uri, email, uuid) and, where the name says what it is, a realistic value
  (`model` -> `openai/gpt-4o`, `role` enums by their own values, `id` -> an id); numbers within their bounds;
  arrays of one item (or `minItems`).

The same schema, name and `seed` give the same value; another seed varies ids and names (the server answers the
same request with the same body, and two created objects get two ids).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

__all__ = ["Examples"]

Json = dict[str, Any]

_DEPTH = 12
_NAMED_STRINGS = {
    "model": "openai/gpt-4o",
    "models": "openai/gpt-4o",
    "slug": "openai/gpt-4o",
    "author": "openai",
    "provider": "OpenAI",
    "email": "ada@example.com",
    "url": "https://example.com/",
    "image_url": "https://example.com/cat.png",
    "content": "Hello! How can I help you today?",
    "text": "Hello! How can I help you today?",
    "prompt": "Write a haiku about the sea.",
    "input": "The quick brown fox jumps over the lazy dog.",
    "query": "What is the capital of France?",
    "name": "Example",
    "label": "Example",
    "description": "An example.",
    "title": "Example",
    "language": "en",
    "currency": "usd",
    "country": "US",
    "region": "us",
    "voice": "alloy",
    "cursor": "",
}
_FORMATS = {
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "time": "12:00:00",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "email": "ada@example.com",
    "uuid": "00000000-0000-4000-8000-000000000001",
    "byte": "aGVsbG8=",
    "binary": "hello",
}


class Examples:
    """Example values for the schemas of one spec (see the module docstring)."""

    def __init__(self, spec: Json) -> None:
        self.spec = spec

    # ------------------------------------------------------------------ public

    def value(
        self, schema: Any, *, name: str = "", seed: str = "", full: bool = False, member: int | None = None
    ) -> Any:
        """A value valid for `schema`. `name`: the property or parameter it is for (realistic strings); `seed`:
        varies ids; `full`: optional object properties too; `member`: which union member to make."""
        return self._value(schema, name, seed, full, member, 0, ())

    def resolve(self, schema: Any) -> Any:
        """`schema` with `$ref`s followed (local references only)."""
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema:
            target: Any = self.spec
            for part in str(schema["$ref"])[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            schema = target
            seen += 1
            if seen > 64:
                raise ValueError(f"$ref loop at {schema!r}")
        return schema

    def members(self, schema: Any) -> list[Any]:
        """A union's members (oneOf/anyOf) without the null member; [] for a schema that is not a union."""
        s = self.resolve(schema)
        if not isinstance(s, dict):
            return []
        members = s.get("oneOf") or s.get("anyOf") or []
        return [m for m in members if _types(self.resolve(m)) != ["null"]]

    # ------------------------------------------------------------------ walking

    def _value(
        self, schema: Any, name: str, seed: str, full: bool, member: int | None, depth: int, refs: tuple[str, ...]
    ) -> Any:
        if isinstance(schema, dict) and "$ref" in schema:
            ref = str(schema["$ref"])
            if refs.count(ref) >= 2 or depth > _DEPTH:  # a recursive schema: stop at the second time round
                return None
            refs = (*refs, ref)
        s = self.resolve(schema)
        if not isinstance(s, dict):
            return None
        if "allOf" in s:
            s = self._merged(s)
        if "const" in s:
            return s["const"]
        if isinstance(s.get("enum"), list) and s["enum"]:
            return next((v for v in s["enum"] if v is not None), None)
        example = s.get("example")
        if example is not None and _fits_types(example, _types(s)):
            return example
        members = self.members(s)
        if members:
            chosen = members[member % len(members)] if member is not None else members[0]
            return self._value(chosen, name, seed, full, None, depth + 1, refs)
        if s.get("oneOf") or s.get("anyOf"):  # only a null member
            return None
        types = [t for t in _types(s) if t != "null"]
        kind = types[0] if types else ("object" if "properties" in s or "required" in s else None)
        if kind == "object":
            return self._object(s, seed, full, depth, refs)
        if kind == "array":
            count = max(1, int(s.get("minItems") or 0))
            item = s.get("items") or {}
            singular = name[:-1] if name.endswith("s") else name
            return [self._value(item, singular, f"{seed}{i}", full, None, depth + 1, refs) for i in range(count)]
        if kind == "string":
            return self._string(s, name, seed)
        if kind == "integer":
            return int(self._number(s, name, 1))
        if kind == "number":
            return float(self._number(s, name, 0.5))
        if kind == "boolean":
            return True
        if kind is None and name:  # `{}`: any value; a small object is the most common shape
            return {}
        return None

    def _object(self, s: Json, seed: str, full: bool, depth: int, refs: tuple[str, ...]) -> Json:
        props: Json = s.get("properties") or {}
        required = [r for r in s.get("required") or [] if isinstance(r, str)]
        out: Json = {}
        for prop_name, prop in props.items():
            marked = self._one_value(prop)
            if prop_name in required or marked or (full and depth < 3):
                value = self._value(prop, prop_name, seed, full, None, depth + 1, refs)
                if value is not None or prop_name in required or _nullable(self.resolve(prop)):
                    out[prop_name] = value
        for prop_name in required:  # required but not listed among the properties: any value
            out.setdefault(prop_name, "example")
        return out

    def _string(self, s: Json, name: str, seed: str) -> str:
        fmt = s.get("format")
        lower = name.lower()
        digest = _digest(seed or name)
        if fmt in _FORMATS:
            text = _FORMATS[fmt]
        elif lower == "id" or lower.endswith("_id"):
            text = f"{lower[:-3] or 'obj'}-{digest}" if lower.endswith("_id") else f"obj-{digest}"
        else:
            text = _NAMED_STRINGS.get(lower) or next(
                (v for k, v in _NAMED_STRINGS.items() if lower.endswith("_" + k)), "example"
            )
        pattern = s.get("pattern")
        if isinstance(pattern, str):
            text = _matching(
                pattern,
                [text, "example", f"example-{digest[:4]}", digest * 6, digest, "https://key@example.com/1", "a", "1"],
            )
        min_length, max_length = s.get("minLength"), s.get("maxLength")
        if isinstance(min_length, int) and len(text) < min_length:
            text = text + "x" * (min_length - len(text))
        if isinstance(max_length, int) and len(text) > max_length:
            text = text[:max_length]
        return text

    @staticmethod
    def _number(s: Json, name: str, default: float) -> float:
        low, high = s.get("minimum"), s.get("maximum")
        wanted = {"temperature": 0.7, "top_p": 0.9, "max_tokens": 256, "limit": 10, "offset": 0, "n": 1}.get(
            name, default
        )
        if isinstance(low, int | float) and wanted < low:
            wanted = low
        if isinstance(high, int | float) and wanted > high:
            wanted = high
        if isinstance(s.get("exclusiveMinimum"), int | float) and wanted <= s["exclusiveMinimum"]:
            wanted = s["exclusiveMinimum"] + 1
        return wanted

    def _one_value(self, prop: Any) -> bool:
        """Whether a property is fixed to one value (a union member's mark): examples always carry it."""
        p = self.resolve(prop)
        if not isinstance(p, dict):
            return False
        return "const" in p or (isinstance(p.get("enum"), list) and len([v for v in p["enum"] if v is not None]) == 1)

    def _both(self, base: Any, new: Any) -> Any:
        """A property that two allOf parts declare: a value must satisfy both, so their keywords are combined
        (the enum of one, the type of the other); a declaration of prose only changes nothing."""
        if base is None or not isinstance(new, dict):
            return new
        if set(new) <= _PROSE:
            return base
        resolved = self.resolve(base)
        if not isinstance(resolved, dict) or "$ref" in new or any(k in new for k in ("anyOf", "oneOf", "allOf")):
            return new
        return {**resolved, **new, **{k: resolved[k] for k in ("enum", "const") if k in resolved}}

    def _merged(self, s: Json) -> Json:
        out: Json = {k: v for k, v in s.items() if k != "allOf"}
        props: Json = {}
        required: list[str] = []
        for part in s["allOf"]:
            part = self.resolve(part)
            if isinstance(part, dict) and "allOf" in part:
                part = self._merged(part)
            if not isinstance(part, dict):
                continue
            for prop_name, prop in (part.get("properties") or {}).items():
                props[prop_name] = self._both(props.get(prop_name), prop)
            required += [r for r in part.get("required") or [] if r not in required]
            for key, value in part.items():
                if key not in ("properties", "required"):
                    out.setdefault(key, value)
        for prop_name, prop in (out.get("properties") or {}).items():
            props[prop_name] = self._both(props.get(prop_name), prop)
        if props:
            out["properties"] = props
        required += [r for r in out.get("required") or [] if r not in required]
        if required:
            out["required"] = required
        return out


_PROSE = {"description", "summary", "title", "example", "examples", "deprecated"}


def _types(s: Any) -> list[str]:
    if not isinstance(s, dict):
        return []
    t = s.get("type")
    types = [t] if isinstance(t, str) else list(t or [])
    if s.get("nullable") is True and "null" not in types:
        types.append("null")
    return types


def _nullable(s: Any) -> bool:
    return "null" in _types(s)


def _fits_types(value: Any, types: list[str]) -> bool:
    if not types:
        return True
    kinds: dict[str, type | tuple[type, ...]] = {
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "object": dict,
        "array": list,
    }
    if value is None:
        return "null" in types
    return any(
        isinstance(value, kinds[t]) and not (t in ("integer", "number") and value is True) for t in types if t in kinds
    )


def _matching(pattern: str, candidates: list[str]) -> str:
    """The first candidate the pattern accepts (hex digests of any length are tried too)."""
    try:
        compiled = re.compile(pattern)
    except re.error:
        return candidates[0]
    hexes = [candidates[3][:n] for n in (64, 40, 32, 24, 16, 8)]
    for candidate in [*candidates, *hexes]:
        if compiled.search(candidate):
            return candidate
    return candidates[0]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]
