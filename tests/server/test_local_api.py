"""The local server for the whole API, through the client: stateful collections (create, get, list, update,
delete; 404 after delete; pagination over what was created), files that keep their bytes, a video job that
completes, every event stream, and error injection on any operation."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from modelgates_client import AsyncBinaryResponse, BinaryResponse, ModelGates, errors
from modelgates_client.models import ModelGatesFile, TextDeltaEvent, Workspace
from modelgates_client.testing import ModelGatesServer


@pytest.fixture
def server() -> Iterator[ModelGatesServer]:
    with ModelGatesServer() as s:
        yield s


@pytest.fixture
def mg(server: ModelGatesServer) -> Iterator[ModelGates]:
    with server.client() as client:
        yield client


def test_workspace_created_is_read_listed_updated_and_deleted(mg: ModelGates) -> None:
    created = mg.workspaces.create(name="Research", slug="research").data
    assert type(created) is Workspace and created.name == "Research"
    assert mg.workspaces.get(id=created.id).data.name == "Research"
    assert "Research" in [w.name for w in mg.workspaces.list()]
    mg.workspaces.update(id=created.id, name="Research & Dev")
    assert mg.workspaces.get(id=created.id).data.name == "Research & Dev"
    mg.workspaces.delete(id=created.id)
    with pytest.raises(errors.NotFoundResponseError):
        mg.workspaces.get(id=created.id)
    assert created.id not in [w.id for w in mg.workspaces.list()]


def test_created_objects_get_their_own_keys(mg: ModelGates) -> None:
    ids = {mg.guardrails.create(name=f"g{i}").data.id for i in range(3)}
    assert len(ids) == 3


def test_list_pages_over_what_was_created(mg: ModelGates) -> None:
    before = len(list(mg.guardrails.list()))
    for i in range(5):
        mg.guardrails.create(name=f"guardrail {i}")
    pages = list(mg.guardrails.list(limit=2).iter_pages())
    assert sum(len(p.data) for p in pages) == before + 5
    assert all(len(p.data) <= 2 for p in pages)
    assert pages[0].result.total_count == before + 5


def test_file_uploaded_is_listed_retrieved_downloaded_as_sent_and_deleted(mg: ModelGates) -> None:
    stored = mg.files.upload(file=b"%PDF-1.7 local")
    assert type(stored) is ModelGatesFile
    assert stored.id in [f.id for f in mg.files.list()]
    assert mg.files.retrieve(file_id=stored.id).id == stored.id
    with mg.files.download(file_id=stored.id) as content:
        assert type(content) is BinaryResponse and content.read() == b"%PDF-1.7 local"
    mg.files.delete(file_id=stored.id)
    with pytest.raises(errors.NotFoundResponseError):
        mg.files.retrieve(file_id=stored.id)


def test_video_job_completes_and_its_video_downloads(mg: ModelGates) -> None:
    job = mg.video_generation.generate(model="google/veo-3", prompt="A cat on a sofa")
    assert job.status == "pending"
    assert mg.video_generation.get_generation(job_id=job.id).status == "completed"
    with mg.video_generation.get_video_content(job_id=job.id) as video:
        assert video.content_type == "video/mp4" and video.read()


def test_responses_stream_sends_the_api_events_in_order(mg: ModelGates) -> None:
    with mg.responses.send(input="Hi", model="openai/gpt-4o", stream=True) as stream:
        events = list(stream)
    kinds = [e.type for e in events]
    assert kinds[0] == "response.created" and "response.completed" in kinds
    assert any(type(e) is TextDeltaEvent for e in events)


def test_async_client_works_the_same(server: ModelGatesServer) -> None:
    async def run() -> bytes:
        async with server.client() as mg:
            stored = await mg.files.upload_async(file=b"async bytes")
            async with await mg.files.download_async(file_id=stored.id) as content:
                assert type(content) is AsyncBinaryResponse
                return await content.read()

    assert asyncio.run(run()) == b"async bytes"


def test_injected_status_reaches_any_operation(server: ModelGatesServer, mg: ModelGates) -> None:
    server.inject(status=503, path="/workspaces")
    with pytest.raises(errors.ServiceUnavailableResponseError):
        mg.workspaces.list()
    assert mg.workspaces.list().data is not None  # used up


def test_injected_error_mid_stream_reaches_any_stream(server: ModelGatesServer, mg: ModelGates) -> None:
    server.inject(mid_stream_error={"code": 502, "message": "upstream fell over"}, after=2, path="/responses")
    seen = []
    with pytest.raises(errors.BadGatewayResponseError, match="upstream fell over"):
        with mg.responses.send(input="Hi", stream=True) as stream:
            seen.extend(stream)
    assert len(seen) == 2


def test_injected_disconnect_breaks_any_stream(server: ModelGatesServer, mg: ModelGates) -> None:
    server.inject(disconnect=True, after=1, path="/messages")
    with pytest.raises(errors.StreamInterruptedError):
        with mg.anthropic_messages.create(
            model="anthropic/claude-sonnet-4", max_tokens=10, messages=[{"role": "user", "content": "Hi"}], stream=True
        ) as stream:
            list(stream)


def test_request_missing_a_required_field_is_refused_naming_it(server: ModelGatesServer) -> None:
    import httpx

    response = httpx.post(server.url + "/embeddings", json={"model": "m"}, headers={"Authorization": "Bearer k"})
    assert response.status_code == 400 and "input" in response.json()["error"]["message"]


def test_readme_offline_examples_of_the_whole_api_run() -> None:
    """The README's CRUD/files and Responses stream examples (the offline section's blocks using ModelGatesServer
    beyond the first), run as written."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Testing your app offline", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```python\n")[1:]]
    ran = 0
    for code in blocks:
        if "ModelGatesServer()" in code and "inject" not in code:
            exec(compile("from modelgates_client.testing import ModelGatesServer\n" + code, "README.md", "exec"), {})
            ran += 1
    assert ran == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"input": "x"}, "model: Required"),
        ({"model": 5, "input": "x"}, "model: 5 is not of type 'string'"),
        ({"model": "m", "input": "x", "encoding_format": "hex"}, "encoding_format: 'hex' is not one of"),
    ],
    ids=["missing", "wrong-type", "not-in-enum"],
)
def test_request_body_against_the_spec_is_refused_naming_the_field(
    server: ModelGatesServer, body: dict[str, object], message: str
) -> None:
    import httpx

    response = httpx.post(server.url + "/embeddings", json=body, headers={"Authorization": "Bearer k"})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(message)


def test_guardrail_key_assignments_are_added_listed_across_guardrails_and_removed(mg: ModelGates) -> None:
    guardrail = mg.guardrails.create(name="PII filter").data
    assert mg.guardrails.bulk_assign_keys(id=guardrail.id, key_hashes=["h1", "h2"]).assigned_count == 2
    assigned = list(mg.guardrails.list_guardrail_key_assignments(id=guardrail.id))
    assert {(a.key_hash, a.guardrail_id) for a in assigned} == {("h1", guardrail.id), ("h2", guardrail.id)}
    assert mg.guardrails.bulk_unassign_keys(id=guardrail.id, key_hashes=["h1"]).unassigned_count == 1
    everywhere = [a.key_hash for a in mg.guardrails.list_key_assignments()]
    assert "h2" in everywhere and "h1" not in everywhere


def test_workspace_members_and_budgets_follow_what_was_set(mg: ModelGates) -> None:
    workspace = mg.workspaces.create(name="Ops", slug="ops").data
    assert mg.workspaces.bulk_add_members(id=workspace.id, user_ids=["u1", "u2"]).added_count == 2
    mg.workspaces.bulk_remove_members(id=workspace.id, user_ids=["u1"])
    assert [m.user_id for m in mg.workspaces.list_members(id=workspace.id)] == ["u2"]
    mg.workspaces.set_budget(id=workspace.id, interval="monthly", limit_usd=50.0)
    budget = mg.workspaces.get_budget(id=workspace.id, interval="monthly").data
    assert (budget.limit_usd, budget.reset_interval, budget.workspace_id) == (50.0, "monthly", workspace.id)
    mg.workspaces.delete_budget(id=workspace.id, interval="monthly")
    with pytest.raises(errors.NotFoundResponseError):
        mg.workspaces.get_budget(id=workspace.id, interval="monthly")
