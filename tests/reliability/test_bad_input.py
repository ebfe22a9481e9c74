"""Bad input from the caller: a wrong call raises TypeError/ValueError naming the parameter, and the server
receives nothing. Values of the right JSON type that the spec does not list (an unknown enum value) are sent.
"""

from __future__ import annotations

import asyncio
import json
import math
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from modelgates_client import ModelGates, errors

from ._support import COMPLETION, MESSAGES, client_for, within

USER = {"role": "user", "content": "x"}


@dataclass(frozen=True)
class Bad:
    name: str
    method: str  # "chat.send", "generations.get_generation", ...
    kwargs: dict[str, Any]
    #: Text the error message must contain: the parameter (and where inside it).
    names: str
    error: type[Exception] | tuple[type[Exception], ...] = (TypeError, ValueError)


BAD = [
    # chat.send: the call itself
    Bad("missing required argument", "chat.send", {}, "messages", TypeError),
    Bad("unknown keyword", "chat.send", {"messages": MESSAGES, "temprature": 0.2}, "temprature", TypeError),
    # wrong JSON types at the top
    Bad("temperature='hot'", "chat.send", {"messages": MESSAGES, "temperature": "hot"}, "temperature"),
    Bad("messages='hi'", "chat.send", {"messages": "hi"}, "messages"),
    Bad("max_tokens=1.5", "chat.send", {"messages": MESSAGES, "max_tokens": 1.5}, "max_tokens"),
    Bad("max_tokens=True", "chat.send", {"messages": MESSAGES, "max_tokens": True}, "max_tokens"),
    Bad("stream='yes'", "chat.send", {"messages": MESSAGES, "stream": "yes"}, "stream"),
    Bad("seed='1'", "chat.send", {"messages": MESSAGES, "seed": "1"}, "seed"),
    Bad("model=5", "chat.send", {"messages": MESSAGES, "model": 5}, "model"),
    Bad("tool_choice=5", "chat.send", {"messages": MESSAGES, "tool_choice": 5}, "tool_choice"),
    Bad("provider.order='openai'", "chat.send", {"messages": MESSAGES, "provider": {"order": "openai"}}, "provider"),
    Bad(
        "header x_open_router_experimental_metadata=5",
        "chat.send",
        {"messages": MESSAGES, "x_open_router_experimental_metadata": 5},
        "x_open_router_experimental_metadata",
    ),
    # wrong JSON types nested inside messages and tools
    Bad("message content=5", "chat.send", {"messages": [{"role": "user", "content": 5}]}, "messages)[0].content"),
    Bad("message without content", "chat.send", {"messages": [{"role": "user"}]}, "messages)[0]"),
    Bad(
        "message role=7 (enum of the wrong type)",
        "chat.send",
        {"messages": [{"role": 7, "content": "x"}]},
        "messages)[0].role",
    ),
    Bad(
        "content part image_url.url=5",
        "chat.send",
        {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": 5}}]}]},
        "messages)[0].content",
    ),
    Bad(
        "assistant tool_calls[0].function=5",
        "chat.send",
        {
            "messages": [
                {"role": "assistant", "content": "x", "tool_calls": [{"id": "c1", "type": "function", "function": 5}]}
            ]
        },
        "messages)[0].tool_calls",
    ),
    Bad(
        "tool function name=5",
        "chat.send",
        {"messages": MESSAGES, "tools": [{"type": "function", "function": {"name": 5}}]},
        "tools)[0].function.name",
    ),
    Bad(
        "tool function without name",
        "chat.send",
        {"messages": MESSAGES, "tools": [{"type": "function", "function": {"description": "d"}}]},
        "tools)[0].function",
    ),
    Bad(
        "response_format json_schema without its schema",
        "chat.send",
        {"messages": MESSAGES, "response_format": {"type": "json_schema"}},
        "response_format",
    ),
    # values JSON cannot carry
    Bad("object() in metadata", "chat.send", {"messages": MESSAGES, "metadata": {"k": object()}}, "metadata"),
    Bad("object() as message content", "chat.send", {"messages": [{"role": "user", "content": object()}]}, "messages"),
    Bad("a set as stop", "chat.send", {"messages": MESSAGES, "stop": {"a", "b"}}, "stop"),
    Bad("bytes as model", "chat.send", {"messages": MESSAGES, "model": b"m"}, "model"),
    Bad("non-string keys in logit_bias", "chat.send", {"messages": MESSAGES, "logit_bias": {1: 2}}, "logit_bias"),
    Bad("temperature=NaN", "chat.send", {"messages": MESSAGES, "temperature": math.nan}, "temperature"),
    Bad("top_p=inf", "chat.send", {"messages": MESSAGES, "top_p": math.inf}, "top_p"),
    Bad(
        "NaN inside tool parameters",
        "chat.send",
        {
            "messages": MESSAGES,
            "tools": [{"type": "function", "function": {"name": "f", "parameters": {"x": math.nan}}}],
        },
        "tools",
    ),
    # per-call options
    Bad("retries='always'", "chat.send", {"messages": MESSAGES, "retries": "always"}, "retries", TypeError),
    Bad("timeout_ms=-1", "chat.send", {"messages": MESSAGES, "timeout_ms": -1}, "timeout_ms", ValueError),
    Bad("timeout_ms='fast'", "chat.send", {"messages": MESSAGES, "timeout_ms": "fast"}, "timeout_ms", TypeError),
    Bad("timeout_ms=inf", "chat.send", {"messages": MESSAGES, "timeout_ms": math.inf}, "timeout_ms", ValueError),
    Bad("unknown option", "chat.send", {"messages": MESSAGES, "foo": 1}, "chat.send() got an unexpected", TypeError),
    Bad("http_referer=5", "chat.send", {"messages": MESSAGES, "http_referer": 5}, "http_referer", TypeError),
    Bad(
        "x_open_router_title with a line break",
        "chat.send",
        {"messages": MESSAGES, "x_open_router_title": "a\r\nX-Evil: 1"},
        "x_open_router_title",
        ValueError,
    ),
    Bad("server_url='ftp://x'", "chat.send", {"messages": MESSAGES, "server_url": "ftp://x"}, "server_url", ValueError),
    Bad("server_url=5", "chat.send", {"messages": MESSAGES, "server_url": 5}, "server_url", TypeError),
    Bad(
        "http_headers=list",
        "chat.send",
        {"messages": MESSAGES, "http_headers": [("X", "1")]},
        "http_headers",
        TypeError,
    ),
    Bad("http_headers value=1", "chat.send", {"messages": MESSAGES, "http_headers": {"X-A": 1}}, "X-A", TypeError),
    Bad("extra_body=list", "chat.send", {"messages": MESSAGES, "extra_body": [1]}, "extra_body", TypeError),
    Bad("extra_body key=1", "chat.send", {"messages": MESSAGES, "extra_body": {1: 2}}, "extra_body", TypeError),
    Bad("extra_body NaN", "chat.send", {"messages": MESSAGES, "extra_body": {"x": math.nan}}, "extra_body", ValueError),
    Bad("extra_body object()", "chat.send", {"messages": MESSAGES, "extra_body": {"x": object()}}, "extra_body).x"),
    Bad("extra_query='a=1'", "chat.send", {"messages": MESSAGES, "extra_query": "a=1"}, "extra_query", TypeError),
    Bad(
        "get_generation: extra_body (no JSON body)",
        "generations.get_generation",
        {"id": "g", "extra_body": {"x": 1}},
        "extra_body",
        TypeError,
    ),
    Bad(
        "get_generation: extra_query with an object",
        "generations.get_generation",
        {"id": "g", "extra_query": {"x": {"a": 1}}},
        "extra_query",
        TypeError,
    ),
    # generations
    Bad("get_generation: missing id", "generations.get_generation", {}, "id", TypeError),
    Bad("get_generation: unknown keyword", "generations.get_generation", {"id": "g", "bogus": 1}, "bogus", TypeError),
    Bad("get_generation: id=5", "generations.get_generation", {"id": 5}, "(id)"),
    Bad("get_generation: id=None", "generations.get_generation", {"id": None}, "(id)"),
    Bad("get_generation: id=['a']", "generations.get_generation", {"id": ["a"]}, "(id)"),
    Bad("get_generation: id=object()", "generations.get_generation", {"id": object()}, "(id)"),
    Bad("list_generation_content: missing id", "generations.list_generation_content", {}, "id", TypeError),
    Bad("list_generation_content: id=1.5", "generations.list_generation_content", {"id": 1.5}, "(id)"),
    Bad("list_generation_content: id={'a': 1}", "generations.list_generation_content", {"id": {"a": 1}}, "(id)"),
]


def _call(client: ModelGates, method: str, mode: str, kwargs: dict[str, Any]) -> Any:
    group, name = method.split(".")
    resource = getattr(client, group)
    if mode == "sync":
        return getattr(resource, name)(**kwargs)

    async def run() -> Any:
        return await getattr(resource, name + "_async")(**kwargs)

    return asyncio.run(run())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("bad", BAD, ids=[b.name for b in BAD])
def test_bad_input_is_refused_before_sending(bad: Bad, mode: str, httpserver: HTTPServer, case: Any) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(COMPLETION)
    httpserver.expect_request("/api/v1/generation").respond_with_json({"data": {"id": "g"}})
    httpserver.expect_request("/api/v1/generation/content").respond_with_json({"data": {}})
    case.count("bad inputs")
    with client_for(httpserver.url_for("/api/v1")) as client:
        try:
            within(10, lambda: _call(client, bad.method, mode, dict(bad.kwargs)))
        except errors.ModelGatesError as exc:
            problem = f"the call went out and failed at the server: {type(exc).__name__}: {exc}"
        except (TypeError, ValueError) as exc:
            case.note(f"{type(exc).__name__}: {exc}")
            assert isinstance(exc, bad.error), f"expected {bad.error}, got {type(exc).__name__}: {exc}"
            assert bad.names in str(exc), f"{bad.names!r} not named in {str(exc)!r}"
            problem = ""
        else:
            problem = "no error: the call was accepted"
    sent = [request.get_data(as_text=True)[:150] or request.query_string.decode() for request, _ in httpserver.log]
    assert not problem and not sent, f"{problem or 'error raised'}; the server received {len(sent)} request(s): {sent}"


PASSED_THROUGH = [
    ("service_tier='turbo'", {"service_tier": "turbo"}, lambda body, headers: body["service_tier"] == "turbo"),
    (
        "reasoning_effort='ultra'",
        {"reasoning_effort": "ultra"},
        lambda body, headers: body["reasoning_effort"] == "ultra",
    ),
    ("modalities=['smell']", {"modalities": ["smell"]}, lambda body, headers: body["modalities"] == ["smell"]),
    (
        "message role 'narrator'",
        {"messages": [{"role": "narrator", "content": "x"}]},
        lambda body, headers: body["messages"] == [{"role": "narrator", "content": "x"}],
    ),
    (
        "tool type 'future_tool'",
        {"tools": [{"type": "future_tool", "parameters": {"x": 1}}]},
        lambda body, headers: body["tools"] == [{"type": "future_tool", "parameters": {"x": 1}}],
    ),
    (
        "response_format type 'yaml'",
        {"response_format": {"type": "yaml"}},
        lambda body, headers: body["response_format"] == {"type": "yaml"},
    ),
    (
        "metadata header 'verbose'",
        {"x_open_router_experimental_metadata": "verbose"},
        lambda body, headers: headers.get("X-ModelGates-Metadata") == "verbose",
    ),
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("label", "extra", "check"), PASSED_THROUGH, ids=[p[0] for p in PASSED_THROUGH])
def test_unknown_enum_value_of_the_right_type_is_sent(
    label: str, extra: dict[str, Any], check: Any, mode: str, httpserver: HTTPServer, case: Any
) -> None:
    case.rename(f"sent as given: {label}-{mode}")
    httpserver.expect_request("/api/v1/chat/completions", method="POST").respond_with_json(COMPLETION)
    kwargs: dict[str, Any] = {"messages": [USER], "model": "m", **extra}
    with client_for(httpserver.url_for("/api/v1")) as client:
        result = within(10, lambda: _call(client, "chat.send", mode, kwargs))
    assert result.id == "gen-1"
    assert len(httpserver.log) == 1
    request = httpserver.log[0][0]
    body = json.loads(request.get_data())
    assert check(body, request.headers), body
    case.note("a value the spec does not list, of the right JSON type: passed through")
