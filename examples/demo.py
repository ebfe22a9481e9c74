"""Demo (`make demo`): a streamed conversation and its generation stats, against a local ModelGates server.

python examples/demo.py [--live]
"""

from __future__ import annotations

import time
from typing import Any

from _support import Target, target

from modelgates_client import ModelGates, errors
from modelgates_client.models import GenerationResponseData

CONVERSATION: list[dict[str, Any]] = [
    {"role": "system", "content": "You are a concise assistant."},
    {"role": "user", "content": "Explain server-sent events in one sentence."},
]
WIDTH = 10


def say(role: str, text: str) -> None:
    print(f"{role:>{WIDTH}} | {text}")


def stream_answer(mg: ModelGates, model: str) -> tuple[str, str]:
    """Stream the assistant's answer to the terminal; return (generation id, full text)."""
    print(f"{'assistant':>{WIDTH}} | ", end="", flush=True)
    gen_id, parts = "", []
    with mg.chat.send(messages=CONVERSATION, model=model, stream=True) as stream:
        for chunk in stream:
            gen_id = chunk.id
            for choice in chunk.choices:
                if isinstance(choice.delta.content, str):
                    parts.append(choice.delta.content)
                    print(choice.delta.content, end="", flush=True)
    print()
    return gen_id, "".join(parts)


def lookup(mg: ModelGates, gen_id: str) -> GenerationResponseData:
    for attempt in range(10):  # the real API may need a moment before the stats of a generation appear
        try:
            return mg.generations.get_generation(id=gen_id).data
        except errors.NotFoundResponseError:
            if attempt == 9:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


def show_stats(stats: GenerationResponseData) -> None:
    rows = [
        ("model", stats.model),
        ("provider", stats.provider_name or "-"),
        ("streamed", "yes" if stats.streamed else "no"),
        ("tokens", f"{stats.tokens_prompt} prompt + {stats.tokens_completion} completion"),
        ("cost", f"${stats.total_cost:.6f}"),
        ("latency", "-" if stats.latency is None else f"{stats.latency:.1f} ms"),
        ("finish", stats.finish_reason or "-"),
        ("created", stats.created_at),
    ]
    print(f"\nGeneration {stats.id}")
    for name, value in rows:
        print(f"  {name:<9} {value}")


def main(t: Target) -> None:
    where = "the ModelGates API" if t.live else f"a local ModelGates server ({t.server_url})"
    print(f"ModelGates demo: {t.model} on {where}\n")
    if t.server is not None:
        t.server.inject(chunk_delay=0.04, path="/chat/completions")  # stream at a readable pace
    for message in CONVERSATION:
        say(message["role"], message["content"])
    with t.client() as mg:
        gen_id, text = stream_answer(mg, t.model)
        if not text:
            raise SystemExit("the answer was empty")
        show_stats(lookup(mg, gen_id))
        if not t.live:  # the real API keeps content only when prompt logging is on for the account
            content = mg.generations.list_generation_content(id=gen_id).data
            messages_in = len(content.input.to_dict().get("messages", []))
            words_out = len((content.output.completion or "").split())
            print(f"  {'stored':<9} {messages_in} messages in, {words_out} words out")


if __name__ == "__main__":
    with target(__doc__ or "") as t:
        main(t)
