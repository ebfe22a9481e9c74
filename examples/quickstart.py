"""Quickstart: one chat completion (the example of the SDK's `chat.send` reference page).

python examples/quickstart.py            # against a local server
python examples/quickstart.py --live     # against the real API (needs MODELGATES_API_KEY)
"""

from __future__ import annotations

from _support import Target, target

from modelgates_client import Unset


def main(t: Target) -> None:
    with t.client() as mg:
        res = mg.chat.send(
            messages=[
                {
                    "content": "You are a helpful assistant.",
                    "role": "system",
                },
                {
                    "content": "What is the capital of France?",
                    "role": "user",
                },
            ],
            x_open_router_experimental_metadata="enabled",
            max_tokens=150,
            model=t.model,
            stream=False,
            temperature=0.7,
        )

    print(res.choices[0].message.content)
    if not isinstance(res.usage, Unset):
        print(f"\n[{res.id}, {res.model}, {res.usage.total_tokens} tokens]")


if __name__ == "__main__":
    with target(__doc__ or "") as t:
        main(t)
