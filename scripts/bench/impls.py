"""The implementations the benchmark compares: the floor (raw httpx + json.loads), modelgates_client, and the
`openai` package when it is installed. Each gives one operation per workload, on a persistent client of its own."""

from __future__ import annotations

import importlib
import importlib.util
import json
from collections.abc import Callable
from typing import Any

from .config import FLOOR, HEADERS, MESSAGES, MODEL, OPENAI, OURS, PAYLOAD


def openai_available() -> bool:
    return importlib.util.find_spec("openai") is not None


Op = Callable[[], object]


class Impl:
    """One implementation's operations against one server, each with its own persistent client."""

    name = ""

    def __init__(self, url: str) -> None:
        self.url = url
        self._closers: list[Callable[[], object]] = []

    def small(self) -> Op:
        raise NotImplementedError

    def large(self) -> Op:
        raise NotImplementedError

    def stream(self, n: int) -> Op:
        raise NotImplementedError

    def close(self) -> None:
        for close in self._closers:
            close()
        self._closers.clear()


class Floor(Impl):
    """Raw httpx + json.loads: the least a Python client on httpx must do."""

    name = FLOOR

    def _client(self) -> Any:
        import httpx

        client = httpx.Client(headers=HEADERS)
        self._closers.append(client.close)
        return client

    def small(self) -> Op:
        client, url, loads = self._client(), self.url + "/chat/completions", json.loads

        def op() -> object:
            return loads(client.post(url, json=PAYLOAD).content)

        return op

    def large(self) -> Op:
        client, url, loads = self._client(), self.url + "/large/chat/completions", json.loads

        def op() -> object:
            return loads(client.post(url, json=PAYLOAD).content)

        return op

    def stream(self, n: int) -> Op:
        client, url, loads = self._client(), f"{self.url}/stream-{n}/chat/completions", json.loads
        payload = {**PAYLOAD, "stream": True}

        def op() -> object:
            count = 0
            with client.stream("POST", url, json=payload) as response:
                for line in response.iter_lines():
                    if not line or line[0] == ":":
                        continue
                    if line.startswith("data:"):
                        data = line[6:] if line[5:6] == " " else line[5:]
                        if data == "[DONE]":
                            break
                        loads(data)
                        count += 1
            return count

        return op


class Ours(Impl):
    name = OURS

    def _client(self, prefix: str) -> Any:
        from modelgates_client import ModelGates

        client = ModelGates(api_key="k", server_url=self.url + prefix)
        self._closers.append(client.close)
        return client

    def small(self) -> Op:
        send = self._client("").chat.send

        def op() -> object:
            return send(messages=MESSAGES, model=MODEL)

        return op

    def large(self) -> Op:
        send = self._client("/large").chat.send

        def op() -> object:
            return send(messages=MESSAGES, model=MODEL)

        return op

    def stream(self, n: int) -> Op:
        send = self._client(f"/stream-{n}").chat.send

        def op() -> object:
            count = 0
            with send(messages=MESSAGES, model=MODEL, stream=True) as stream:
                for _chunk in stream:
                    count += 1
            return count

        return op


class OpenAI(Impl):
    name = OPENAI

    def _client(self, prefix: str) -> Any:
        openai: Any = importlib.import_module("openai")  # optional: imported only when compared
        client = openai.OpenAI(api_key="k", base_url=self.url + prefix)
        self._closers.append(client.close)
        return client

    def small(self) -> Op:
        create = self._client("").chat.completions.create

        def op() -> object:
            return create(messages=MESSAGES, model=MODEL)

        return op

    def large(self) -> Op:
        create = self._client("/large").chat.completions.create

        def op() -> object:
            return create(messages=MESSAGES, model=MODEL)

        return op

    def stream(self, n: int) -> Op:
        create = self._client(f"/stream-{n}").chat.completions.create

        def op() -> object:
            count = 0
            with create(messages=MESSAGES, model=MODEL, stream=True) as stream:
                for _chunk in stream:
                    count += 1
            return count

        return op
