"""The local server's stand-in for a model: deterministic answers computed from the request body.

Rules, in order (the first that applies wins):

1. Function tools are given, `tool_choice` is not `"none"` and the last message is not a `tool` message: the answer
   is one call to the tool named by `tool_choice` (`{"type": "function", "function": {"name": ...}}`), else to the
   first function tool; finish_reason `tool_calls`. Its arguments fill the tool's `parameters` schema: string
   properties get the last capitalised phrase of the last user message ("Paris" in "What's the weather in
   Paris?"), or its last word; other types get sample values (see `sample_json`).
2. `response_format` is `json_schema`: the answer is a JSON object filling the schema with sample values
   (`"sample <property>"` for strings, enum values, minimums for numbers, ...). `json_object`: `{"message": ...}`
   holding the echo of rule 4.
3. The last message is a `tool` message: `"<tool name> returned: <content>"` for each trailing tool message.
4. Otherwise an echo: `"You said: <text of the last user message>"`.

Token counts are word counts: `prompt_tokens` counts the words of every message, `completion_tokens` the words of
the answer (one streamed chunk per word). `max_completion_tokens` / `max_tokens` cut the text answer short with
finish_reason `length`. Cost: PROMPT_PRICE and COMPLETION_PRICE credits per token.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "COMPLETION_PRICE",
    "DEFAULT_MODEL",
    "PROMPT_PRICE",
    "Answer",
    "ToolCall",
    "compute_answer",
    "message_text",
    "sample_json",
    "split_words",
]

#: Model reported when the request names none.
DEFAULT_MODEL = "modelgates/echo"
#: Credits per prompt token and per completion token.
PROMPT_PRICE = 0.000001
COMPLETION_PRICE = 0.000002

_WORD = re.compile(r"\s*\S+")
_TOKEN = re.compile(r"[\w][\w'-]*")
_MAX_DEPTH = 8


@dataclass
class ToolCall:
    """A function call in an answer."""

    id: str
    name: str
    arguments: str


@dataclass
class Answer:
    """What the stand-in model answers to one request."""

    model: str
    content: str | None
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str = "stop"
    prompt_tokens: int = 1
    #: The content as streamed: one piece per word (the pieces joined give `content`).
    pieces: list[str] = field(default_factory=list)

    @property
    def completion_tokens(self) -> int:
        if self.tool_calls:
            return sum(1 + len(call.arguments.split()) for call in self.tool_calls)
        return len(self.pieces)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def cost(self) -> float:
        return round(self.prompt_tokens * PROMPT_PRICE + self.completion_tokens * COMPLETION_PRICE, 10)

    def usage(self) -> dict[str, Any]:
        """The `usage` object (ChatUsage) of this answer."""
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
            "cost": self.cost,
            "is_byok": False,
            "prompt_tokens_details": {"cached_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0},
        }


def message_text(message: Any) -> str:
    """The text of a message: its string content, or the `text` of its text parts joined by spaces."""
    if not isinstance(message, dict):
        return ""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            part["text"] for part in content if isinstance(part, dict) and isinstance(part.get("text"), str)
        )
    return ""


def split_words(text: str) -> list[str]:
    """Split text into stream pieces, one per word; each piece keeps the whitespace before its word."""
    return _WORD.findall(text)


def _subject(text: str) -> str:
    """The last capitalised phrase of a sentence ("New York" in "Weather in New York today?"), else its last word."""
    tokens: list[str] = _TOKEN.findall(text)
    if not tokens:
        return ""
    for end in range(len(tokens) - 1, 0, -1):
        if tokens[end][0].isupper():
            start = end
            while start > 1 and tokens[start - 1][0].isupper():
                start -= 1
            return " ".join(tokens[start : end + 1])
    return tokens[-1]


def _resolve(schema: Any, root: Any) -> Any:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema
    node = root
    for part in ref[2:].split("/"):
        if not isinstance(node, dict) or part not in node:
            return {}
        node = node[part]
    return node


def sample_json(schema: Any, string_value: Callable[[str], str] | None = None) -> Any:
    """A value matching (the common parts of) a JSON Schema: `const`, `enum`, `anyOf`/`oneOf`/`allOf`, `$ref`
    into the schema itself, objects (every listed property), arrays (`minItems` items, at least one), strings
    (`string_value(property name)`, default `"sample <name>"`; dates, times, emails and URIs by `format`),
    integers and numbers (`minimum`, else 0), booleans (true) and null."""
    make = string_value or (lambda key: f"sample {key}" if key else "sample")
    return _sample(schema, "", make, schema, 0)


def _sample(schema: Any, key: str, make: Callable[[str], str], root: Any, depth: int) -> Any:
    schema = _resolve(schema, root)
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return make(key)
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return next((v for v in enum if v is not None), enum[0])
    for combinator in ("anyOf", "oneOf"):
        options = schema.get(combinator)
        if isinstance(options, list) and options:
            usable = [o for o in options if not (isinstance(o, dict) and o.get("type") == "null")]
            return _sample((usable or options)[0], key, make, root, depth + 1)
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and all_of:
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in all_of:
            part = _resolve(part, root)
            if isinstance(part, dict):
                merged_props = {**merged.get("properties", {}), **part.get("properties", {})}
                merged.update(part)
                merged["properties"] = merged_props
        return _sample(merged, key, make, root, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
    if kind == "object":
        props = schema.get("properties")
        if not isinstance(props, dict):
            return {}
        return {name: _sample(sub, name, make, root, depth + 1) for name, sub in props.items()}
    if kind == "array":
        count = schema.get("minItems")
        count = count if isinstance(count, int) and count > 0 else 1
        return [_sample(schema.get("items", {}), key, make, root, depth + 1) for _ in range(count)]
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        value: int | float = low if isinstance(low, int | float) and not isinstance(low, bool) else 0
        if "exclusiveMinimum" in schema and value == schema["exclusiveMinimum"]:
            value += 1
        return int(value) if kind == "integer" else float(value)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    formats = {
        "date-time": "2025-01-01T00:00:00Z",
        "date": "2025-01-01",
        "time": "00:00:00Z",
        "email": "user@example.com",
        "uri": "https://example.com",
        "url": "https://example.com",
        "uuid": "00000000-0000-4000-8000-000000000000",
    }
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in formats:
        return formats[fmt]
    return make(key)


def _function_tools(tools: Any) -> list[dict[str, Any]]:
    if not isinstance(tools, list):
        return []
    return [
        t["function"]
        for t in tools
        if isinstance(t, dict)
        and t.get("type") == "function"
        and isinstance(t.get("function"), dict)
        and isinstance(t["function"].get("name"), str)
    ]


def _last_user_text(messages: list[Any]) -> str:
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            return " ".join(message_text(message).split())
    return ""


def _tool_names(messages: list[Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for message in messages:
        if isinstance(message, dict) and message.get("role") == "assistant":
            for call in message.get("tool_calls") or []:
                if isinstance(call, dict) and isinstance(call.get("function"), dict):
                    name = call["function"].get("name")
                    if isinstance(call.get("id"), str) and isinstance(name, str):
                        names[call["id"]] = name
    return names


def _limit(body: dict[str, Any]) -> int | None:
    for name in ("max_completion_tokens", "max_tokens"):
        value = body.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def compute_answer(body: dict[str, Any], number: int, default_model: str = DEFAULT_MODEL) -> Answer:
    """The answer to a (validated) chat request body; `number` makes tool call ids unique."""
    messages: list[Any] = body["messages"]
    model = body.get("model")
    if not isinstance(model, str) or not model:
        models = body.get("models")
        model = models[0] if isinstance(models, list) and models and isinstance(models[0], str) else default_model
    prompt_tokens = max(1, sum(len(message_text(m).split()) for m in messages))
    last = messages[-1] if messages else {}
    last_role = last.get("role") if isinstance(last, dict) else None
    user_text = _last_user_text(messages)
    echo = f"You said: {user_text}" if user_text else "Hello! I am the ModelGates test server."

    tools = _function_tools(body.get("tools"))
    choice = body.get("tool_choice")
    if tools and choice != "none" and last_role != "tool":
        function = tools[0]
        if isinstance(choice, dict) and isinstance(choice.get("function"), dict):
            wanted = choice["function"].get("name")
            function = next((f for f in tools if f["name"] == wanted), function)
        subject = _subject(user_text)
        params = function.get("parameters")
        args = sample_json(params, lambda key: subject or f"sample {key}") if isinstance(params, dict) else {}
        if not isinstance(args, dict):
            args = {}
        call = ToolCall(id=f"call_{number}_0", name=function["name"], arguments=json.dumps(args))
        return Answer(model, None, [call], "tool_calls", prompt_tokens)

    fmt = body.get("response_format")
    fmt_type = fmt.get("type") if isinstance(fmt, dict) else None
    if fmt_type == "json_schema":
        config = fmt.get("json_schema") if isinstance(fmt, dict) else None
        schema = config.get("schema") if isinstance(config, dict) else None
        value = sample_json(schema) if isinstance(schema, dict) else {}
        text = json.dumps(value)
    elif fmt_type == "json_object":
        text = json.dumps({"message": echo})
    elif last_role == "tool":
        names = _tool_names(messages)
        results: list[str] = []
        for message in reversed(messages):
            if not (isinstance(message, dict) and message.get("role") == "tool"):
                break
            name = names.get(str(message.get("tool_call_id")), "the tool")
            results.append(f"{name} returned: {' '.join(message_text(message).split())}")
        text = "; ".join(reversed(results))
    else:
        text = echo

    pieces = split_words(text)
    finish = "stop"
    limit = _limit(body)
    if limit is not None and len(pieces) > limit:
        pieces = pieces[:limit]
        text = "".join(pieces)
        finish = "length"
    return Answer(model, text, [], finish, prompt_tokens, pieces)
