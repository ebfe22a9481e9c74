"""Per-call options (`**options: Unpack[CallOptions]` on every generated method), checked on the wire with
pytest-httpserver on loopback: what the server received, and what the caller got."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from modelgates_client import ModelGates

from ..conftest import MESSAGES, NO_RETRIES, call, completion

GENERATION = {"data": {"id": "gen-1", "model": "m"}}


def maker(server: HTTPServer, **kwargs: Any) -> Any:
    kwargs.setdefault("api_key", "sk-test")
    kwargs.setdefault("retry_config", NO_RETRIES)
    kwargs.setdefault("server_url", server.url_for("/api/v1"))
    return lambda: ModelGates(**kwargs)


def test_app_headers_given_per_call_override_the_clients(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    make = maker(httpserver, http_referer="https://client.example", x_open_router_title="Client title")
    call(
        mode, make, "chat.send", messages=MESSAGES, http_referer="https://call.example", x_open_router_categories="cli"
    )
    headers = httpserver.log[0][0].headers
    assert headers.get_all("HTTP-Referer") == ["https://call.example"]
    assert headers["X-ModelGates-Title"] == "Client title"
    assert headers["X-ModelGates-Categories"] == "cli"


def test_app_headers_given_per_call_apply_to_that_call_only(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    with maker(httpserver, http_referer="https://client.example")() as mg:
        mg.chat.send(messages=MESSAGES, http_referer="https://call.example")
        mg.chat.send(messages=MESSAGES)
    assert [r.headers["HTTP-Referer"] for r, _ in httpserver.log] == ["https://call.example", "https://client.example"]


def test_generation_lookup_takes_the_app_headers_as_in_the_docs(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/generation", query_string="id=gen-1").respond_with_json(GENERATION)
    res = call(
        mode,
        maker(httpserver),
        "generations.get_generation",
        id="gen-1",
        http_referer="https://myapp.example",
        x_open_router_title="My App",
        x_open_router_categories="cli-agent,cloud-agent",
    )
    assert res.data.id == "gen-1"
    headers = httpserver.log[0][0].headers
    assert headers["HTTP-Referer"] == "https://myapp.example"
    assert headers["X-ModelGates-Title"] == "My App"
    assert headers["X-ModelGates-Categories"] == "cli-agent,cloud-agent"


def test_http_headers_are_sent_and_replace_a_header_of_any_case(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    call(mode, maker(httpserver), "chat.send", messages=MESSAGES, http_headers={"X-Trace": "t-1", "user-agent": "a/1"})
    headers = httpserver.log[0][0].headers
    assert headers["X-Trace"] == "t-1"
    assert headers.get_all("User-Agent") == ["a/1"]


def test_extra_body_is_merged_into_the_json_body_and_wins(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    extra = {"brand_new_field": {"level": 2}, "temperature": 0.1}
    call(mode, maker(httpserver), "chat.send", messages=MESSAGES, temperature=0.5, extra_body=extra)
    assert httpserver.log[0][0].get_json() == {
        "messages": MESSAGES,
        "temperature": 0.1,
        "brand_new_field": {"level": 2},
    }


def test_extra_query_adds_parameters(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/generation").respond_with_json(GENERATION)
    extra = {"verbose": True, "tag": ["a", "b"], "left_out": None}
    call(mode, maker(httpserver), "generations.get_generation", id="gen-1", extra_query=extra)
    assert httpserver.log[0][0].query_string == b"id=gen-1&verbose=true&tag=a&tag=b"


def test_extra_query_replaces_the_parameter_of_its_name(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/generation").respond_with_json(GENERATION)
    call("sync", maker(httpserver), "generations.get_generation", id="gen-1", extra_query={"id": "gen-2"})
    assert httpserver.log[0][0].query_string == b"id=gen-2"


def test_server_url_given_per_call_is_used_for_that_call(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/other/v2/chat/completions").respond_with_json(completion("elsewhere"))
    make = maker(httpserver, server_url="http://127.0.0.1:9/api/v1")  # nothing listens there
    res = call(mode, make, "chat.send", messages=MESSAGES, server_url=httpserver.url_for("/other/v2/"))
    assert res.choices[0].message.content == "elsewhere"
    assert httpserver.log[0][0].path == "/other/v2/chat/completions"


def test_unknown_option_is_refused_with_a_suggestion(httpserver: HTTPServer) -> None:
    with maker(httpserver)() as mg, pytest.raises(TypeError) as info:
        mg.chat.send(messages=MESSAGES, temprature=0.2)  # type: ignore[call-overload]
    assert str(info.value) == (
        "chat.send() got an unexpected keyword argument 'temprature' (did you mean 'temperature'?)"
    )
    assert httpserver.log == []


def test_option_of_the_wrong_type_is_refused_naming_it(httpserver: HTTPServer, mode: str) -> None:
    with pytest.raises(TypeError, match=r"generations.get_generation\(http_referer\): expected a string, got int"):
        call(mode, maker(httpserver), "generations.get_generation", id="g", http_referer=5)
    assert httpserver.log == []
