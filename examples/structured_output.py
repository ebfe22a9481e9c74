"""Structured output: ask for JSON matching a JSON Schema, then parse it.

python examples/structured_output.py [--live]
"""

from __future__ import annotations

import json
from typing import Any

from _support import Target, target

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": "Name of the city"},
        "country": {"type": "string", "description": "Country the city is in"},
        "population": {"type": "integer", "description": "Approximate population"},
        "landmarks": {"type": "array", "items": {"type": "string"}, "description": "Famous landmarks"},
    },
    "required": ["city", "country", "population", "landmarks"],
    "additionalProperties": False,
}


def main(t: Target) -> None:
    with t.client() as mg:
        res = mg.chat.send(
            messages=[{"role": "user", "content": "Give me a few facts about Paris."}],
            model=t.model,
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "city_facts", "strict": True, "schema": SCHEMA},
            },
        )
    content = res.choices[0].message.content
    if not isinstance(content, str):
        raise SystemExit(f"expected a JSON text answer, got {content!r}")
    facts = json.loads(content)
    missing = [key for key in SCHEMA["required"] if key not in facts]
    if missing:
        raise SystemExit(f"the answer lacks {missing}: {content}")
    print(f"city:       {facts['city']}")
    print(f"country:    {facts['country']}")
    print(f"population: {facts['population']:,}")
    print(f"landmarks:  {', '.join(facts['landmarks'])}")


if __name__ == "__main__":
    with target(__doc__ or "") as t:
        main(t)
