"""Streaming: print the answer as it is generated, then the token usage from the last chunk.

python examples/streaming.py [--live]
"""

from __future__ import annotations

from _support import Target, target

from modelgates_client import Unset
from modelgates_client.models import ChatUsage


def main(t: Target) -> None:
    usage: ChatUsage | None = None
    with t.client() as mg:
        stream = mg.chat.send(
            messages=[{"role": "user", "content": "Write a haiku about rivers flowing to the sea."}],
            model=t.model,
            stream=True,
        )
        # `with` gives the connection back however the loop ends (break, exception, ...).
        with stream:
            for chunk in stream:
                for choice in chunk.choices:
                    if isinstance(choice.delta.content, str):
                        print(choice.delta.content, end="", flush=True)
                # The last chunk has no choices and carries the usage of the whole request.
                if not isinstance(chunk.usage, Unset):
                    usage = chunk.usage
    print()
    if usage is None:
        raise SystemExit("the stream ended without usage")
    print(f"\n[{usage.prompt_tokens} prompt + {usage.completion_tokens} completion = {usage.total_tokens} tokens]")


if __name__ == "__main__":
    with target(__doc__ or "") as t:
        main(t)
