"""Paged list operations: iterating a page goes through every item, fetching further pages lazily, and stops
exactly at the end (no request beyond it); over real HTTP on loopback (pytest-httpserver), sync and async."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from modelgates_client import AsyncPage, ModelGates, Page
from modelgates_client.models import AppRankingsItem, ListWorkspacesResponse, ModelGatesFile, Workspace

from ..conftest import NO_RETRIES


def client(server: HTTPServer) -> ModelGates:
    return ModelGates(api_key="sk-test", server_url=server.url_for("/api/v1"), retry_config=NO_RETRIES)


def serve_pages(server: HTTPServer, path: str, page: Any) -> None:
    """Answer `path` with page(query) for every request; the requests are in server.log."""

    def handler(request: Request) -> Response:
        return Response(json.dumps(page(request.args.to_dict())), content_type="application/json")

    server.expect_request(path).respond_with_handler(handler)


def workspaces(total: int) -> Any:
    """Pages of `total` workspaces, reporting total_count."""

    def page(query: dict[str, str]) -> Any:
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 50))
        items = [{"id": f"ws-{i}", "name": f"W{i}", "slug": f"w{i}"} for i in range(offset, min(offset + limit, total))]
        return {"data": items, "total_count": total}

    return page


def queries(server: HTTPServer) -> list[dict[str, str]]:
    return [request.args.to_dict() for request, _ in server.log]


def collect(mode: str, mg: ModelGates, group: str, method: str, **kwargs: Any) -> list[Any]:
    """Every item of a paged call, by iterating its first page (sync) or `async for` (async)."""
    if mode == "sync":
        with mg:
            page = getattr(getattr(mg, group), method)(**kwargs)
            assert type(page) is Page
            return list(page)

    async def run() -> list[Any]:
        async with mg:
            page = await getattr(getattr(mg, group), method + "_async")(**kwargs)
            assert type(page) is AsyncPage
            return [item async for item in page]

    return asyncio.run(run())


def test_offset_pages_are_fetched_lazily_until_the_total(httpserver: HTTPServer, mode: str) -> None:
    serve_pages(httpserver, "/api/v1/workspaces", workspaces(5))
    items = collect(mode, client(httpserver), "workspaces", "list", limit=2)
    assert [w.id for w in items] == ["ws-0", "ws-1", "ws-2", "ws-3", "ws-4"]
    assert {type(w) for w in items} == {Workspace}
    assert queries(httpserver) == [{"limit": "2"}, {"limit": "2", "offset": "2"}, {"limit": "2", "offset": "4"}]


def test_offset_pages_end_without_a_request_when_the_total_is_a_multiple_of_the_limit(
    httpserver: HTTPServer, mode: str
) -> None:
    serve_pages(httpserver, "/api/v1/workspaces", workspaces(4))
    assert len(collect(mode, client(httpserver), "workspaces", "list", limit=2)) == 4
    assert len(httpserver.log) == 2


def test_first_page_is_fetched_once_and_the_next_only_when_reached(httpserver: HTTPServer) -> None:
    serve_pages(httpserver, "/api/v1/workspaces", workspaces(5))
    with client(httpserver) as mg:
        page = mg.workspaces.list(limit=2)
        assert len(httpserver.log) == 1
        assert [w.id for w in page.data] == ["ws-0", "ws-1"]
        assert type(page.result) is ListWorkspacesResponse and page.result.total_count == 5
        assert page.has_next_page()
        second = page.get_next_page()
        assert second is not None and [w.id for w in second.data] == ["ws-2", "ws-3"]
        assert len(httpserver.log) == 2


def test_iter_pages_goes_page_by_page_and_the_last_has_no_next(httpserver: HTTPServer) -> None:
    serve_pages(httpserver, "/api/v1/workspaces", workspaces(5))
    with client(httpserver) as mg:
        pages = list(mg.workspaces.list(limit=2).iter_pages())
    assert [len(p.data) for p in pages] == [2, 2, 1]
    assert not pages[-1].has_next_page() and pages[-1].get_next_page() is None


def test_async_iter_pages_goes_page_by_page(httpserver: HTTPServer) -> None:
    serve_pages(httpserver, "/api/v1/workspaces", workspaces(3))

    async def run() -> list[int]:
        async with client(httpserver) as mg:
            first = await mg.workspaces.list_async(limit=2)
            return [len(p.data) async for p in first.iter_pages()]

    assert asyncio.run(run()) == [2, 1]


def test_offset_pages_without_a_total_end_at_a_page_shorter_than_the_default_limit(
    httpserver: HTTPServer, mode: str
) -> None:
    """No limit sent: the spec's default page size (50) tells a short, last page."""

    def page(query: dict[str, str]) -> Any:
        offset = int(query.get("offset", 0))
        count = 50 if offset == 0 else 7
        return {
            "data": [{"rank": offset + i + 1, "app_id": i} for i in range(count)],
            "meta": {"as_of": "2026-11-01", "version": "v1", "start_date": "2026-10-01", "end_date": "2026-10-31"},
        }

    serve_pages(httpserver, "/api/v1/datasets/app-rankings", page)
    items = collect(mode, client(httpserver), "datasets", "get_app_rankings")
    assert len(items) == 57 and {type(i) for i in items} == {AppRankingsItem}
    assert queries(httpserver) == [{}, {"offset": "50"}]


def test_offset_pages_never_ask_beyond_the_largest_offset_the_spec_allows(httpserver: HTTPServer) -> None:
    """app-rankings accepts offsets up to 100: with full pages of 50, offsets 0, 50 and 100 are asked, not 150."""
    serve_pages(
        httpserver,
        "/api/v1/datasets/app-rankings",
        lambda query: {"data": [{"rank": i} for i in range(50)], "meta": {}},
    )
    with client(httpserver) as mg:
        assert len(list(mg.datasets.get_app_rankings())) == 150
    assert [q.get("offset") for q in queries(httpserver)] == [None, "50", "100"]


def test_empty_first_page_makes_no_further_request(httpserver: HTTPServer, mode: str) -> None:
    serve_pages(httpserver, "/api/v1/workspaces", lambda query: {"data": [], "total_count": 0})
    assert collect(mode, client(httpserver), "workspaces", "list") == []
    assert len(httpserver.log) == 1


def test_cursor_pages_follow_the_next_cursor_until_there_is_none(httpserver: HTTPServer, mode: str) -> None:
    def page(query: dict[str, str]) -> Any:
        cursor = query.get("cursor")
        start = {None: 0, "c2": 2}[cursor]
        return {
            "_shape": "modelgates",
            "data": [{"id": f"file-{i}", "filename": f"f{i}.txt", "bytes": 3} for i in range(start, start + 2)],
            "has_more": cursor is None,
            "first_id": None,
            "last_id": None,
            "cursor": "c2" if cursor is None else None,
        }

    serve_pages(httpserver, "/api/v1/files", page)
    items = collect(mode, client(httpserver), "files", "list", limit=2)
    assert [f.id for f in items] == ["file-0", "file-1", "file-2", "file-3"]
    assert {type(f) for f in items} == {ModelGatesFile}
    assert queries(httpserver) == [{"limit": "2"}, {"limit": "2", "cursor": "c2"}]


def test_cursor_page_repeating_the_cursor_it_was_asked_with_is_the_last(httpserver: HTTPServer) -> None:
    serve_pages(
        httpserver,
        "/api/v1/files",
        lambda query: {"_shape": "modelgates", "data": [{"id": "file-1"}], "has_more": True, "cursor": "same"},
    )
    with client(httpserver) as mg:
        assert len(list(mg.files.list(cursor="same"))) == 1
    assert len(httpserver.log) == 1


def test_next_pages_keep_the_call_options(httpserver: HTTPServer) -> None:
    serve_pages(httpserver, "/api/v1/workspaces", workspaces(3))
    with client(httpserver) as mg:
        list(mg.workspaces.list(limit=2, http_headers={"X-Trace": "t-1"}, extra_query={"tag": "a"}))
    assert [r.headers.get("X-Trace") for r, _ in httpserver.log] == ["t-1", "t-1"]
    assert [q.get("tag") for q in queries(httpserver)] == ["a", "a"]


def test_raw_response_of_a_list_operation_parses_to_a_page(httpserver: HTTPServer) -> None:
    serve_pages(httpserver, "/api/v1/workspaces", workspaces(1))
    with client(httpserver) as mg:
        raw = mg.workspaces.with_raw_response.list()
        page = raw.parse()
        assert type(page) is Page
        assert [w.id for w in page] == ["ws-0"]
