"""Generation stats: send a chat, then look up its cost and token counts, and its stored content
(the examples of the SDK's Generations reference page: get_generation and list_generation_content).

    python examples/generation_stats.py [--live]
"""

from __future__ import annotations

import time

from _support import Target, target

from modelgates_client import ModelGates, errors
from modelgates_client.models import GenerationResponse


def wait_for_stats(mg: ModelGates, gen_id: str, attempts: int = 10) -> GenerationResponse:
    """Stats can take a moment to appear after a request: retry a 404 for a few seconds."""
    for attempt in range(attempts):
        try:
            return mg.generations.get_generation(id=gen_id)
        except errors.NotFoundResponseError:
            if attempt == attempts - 1:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


def main(t: Target) -> None:
    with t.client() as mg:
        res = mg.chat.send(messages=[{"role": "user", "content": "Say hello in French."}], model=t.model)
        print(f"answer: {res.choices[0].message.content}\n")

        stats = wait_for_stats(mg, res.id).data
        print(f"generation {stats.id}")
        print(f"  model:      {stats.model} (via {stats.provider_name})")
        print(f"  tokens:     {stats.tokens_prompt} prompt + {stats.tokens_completion} completion")
        print(f"  cost:       ${stats.total_cost:.6f}")
        print(f"  latency:    {stats.latency} ms")
        print(f"  finished:   {stats.finish_reason}, created {stats.created_at}")

        try:
            content = mg.generations.list_generation_content(id=res.id).data
        except (errors.NotFoundResponseError, errors.ForbiddenResponseError) as exc:
            # The API only keeps content when prompt logging is enabled for the account.
            print(f"\nstored content not available: {exc.message}")
            return
        print("\nstored content")
        print(f"  input:  {content.input.to_dict()}")
        print(f"  output: {content.output.completion!r}")


if __name__ == "__main__":
    with target(__doc__ or "") as t:
        main(t)
