"""Tool calling: the model asks for get_weather, we run it, send the result back, and get the final answer.

python examples/tools.py [--live]
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from _support import Target, target

from modelgates_client import Unset


def get_weather(location: str, unit: str = "celsius") -> dict[str, Any]:
    """Our "weather service" (made up, so that the example runs anywhere)."""
    temperature = 21 if unit == "celsius" else 70
    return {"location": location, "temperature": temperature, "unit": unit, "conditions": "sunny"}


TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Get the current weather in a city.",
            "parameters": {
                "type": "object",
                "properties": {
                    "location": {"type": "string", "description": "City name, e.g. Paris"},
                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                },
                "required": ["location"],
            },
        },
    }
]
FUNCTIONS: dict[str, Callable[..., dict[str, Any]]] = {"get_weather": get_weather}


def run_tool(name: str, arguments: str) -> dict[str, Any]:
    """Run one tool call; bad calls become an error result the model can read (models can produce invalid JSON)."""
    function = FUNCTIONS.get(name)
    if function is None:
        return {"error": f"unknown tool {name!r}"}
    try:
        args = json.loads(arguments or "{}")
        return function(**args)
    except (ValueError, TypeError) as exc:
        return {"error": f"bad arguments: {exc}"}


def main(t: Target) -> None:
    messages: list[dict[str, Any]] = [{"role": "user", "content": "What's the weather like in Paris right now?"}]
    print(f"user: {messages[0]['content']}")
    with t.client() as mg:
        for _ in range(5):  # a few rounds at most: the model may chain tool calls
            res = mg.chat.send(messages=messages, model=t.model, tools=TOOLS)
            message = res.choices[0].message
            messages.append(message.to_dict())  # the assistant turn, tool calls included, goes back as it came
            if isinstance(message.tool_calls, Unset) or not message.tool_calls:
                print(f"assistant: {message.content}")
                return
            for call in message.tool_calls:
                result = run_tool(call.function.name, call.function.arguments)
                print(f"tool call: {call.function.name}({call.function.arguments}) -> {json.dumps(result)}")
                messages.append({"role": "tool", "tool_call_id": call.id, "content": json.dumps(result)})
    raise SystemExit("no final answer after 5 rounds")


if __name__ == "__main__":
    with target(__doc__ or "") as t:
        main(t)
