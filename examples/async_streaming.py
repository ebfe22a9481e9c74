"""Async streaming: two questions streamed concurrently with asyncio, on one client.

python examples/async_streaming.py [--live]
"""

from __future__ import annotations

import asyncio

from _support import Target, target

from modelgates_client import ModelGates


async def ask(mg: ModelGates, model: str, question: str) -> str:
    stream = await mg.chat.send_async(messages=[{"role": "user", "content": question}], model=model, stream=True)
    parts: list[str] = []
    async with stream:
        async for chunk in stream:
            for choice in chunk.choices:
                if isinstance(choice.delta.content, str):
                    parts.append(choice.delta.content)
    return "".join(parts)


async def main(t: Target) -> None:
    questions = ["Name three primary colours.", "What is the boiling point of water at sea level?"]
    async with t.client() as mg:
        answers = await asyncio.gather(*(ask(mg, t.model, q) for q in questions))
    for question, answer in zip(questions, answers, strict=True):
        print(f"Q: {question}\nA: {answer.strip()}\n")
        if not answer.strip():
            raise SystemExit("empty answer")


if __name__ == "__main__":
    with target(__doc__ or "") as t:
        asyncio.run(main(t))
