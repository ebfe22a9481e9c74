"""The generated reference pages (docs/): every example runs against the bundled local server, every link
between pages resolves, and the Chat and Generations pages carry the facts of the product docs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelgates_client.testing import ModelGatesServer

DOCS = Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(r"```python\n(.*?)```", re.S)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def examples() -> list[tuple[str, str]]:
    """(page#operation, code) of every example in the group pages."""
    found = []
    for page in sorted(DOCS.glob("*.md")):
        operation = None
        for line_or_code in re.split(r"(```python\n.*?```)", page.read_text(encoding="utf-8"), flags=re.S):
            headings = re.findall(r"^## (\w+)$", line_or_code, re.M)
            if headings:
                operation = headings[-1]
            match = FENCE.match(line_or_code)
            if match:
                found.append((f"{page.stem}#{operation}", match.group(1)))
    return found


@pytest.fixture
def server() -> Iterator[ModelGatesServer]:
    """A fresh server per example: one example deletes what another one reads."""
    with ModelGatesServer() as s:
        yield s


def test_docs_have_a_page_per_group_and_an_example_per_operation() -> None:
    assert (DOCS / "README.md").exists()
    assert len(examples()) == 97


@pytest.mark.parametrize(("where", "code"), examples(), ids=[w for w, _ in examples()])
def test_docs_example_runs_against_the_local_server(
    where: str, code: str, server: ModelGatesServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MODELGATES_BASE_URL", server.url)
    monkeypatch.setenv("MODELGATES_API_KEY", "sk-local")
    monkeypatch.chdir(tmp_path)
    for name in ("example.pdf", "audio.wav"):
        (tmp_path / name).write_bytes(b"example file")
    exec(compile(code, where, "exec"), {"__name__": "__docs__"})  # noqa: S102 (our own generated examples)


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_docs_links_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if target.startswith(("http://", "https://")):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (page.parent / file_part).resolve() if file_part else page
        assert linked.exists(), f"{page.name}: link to {target}: no such page"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.M)
            anchors = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}
            assert anchor in anchors, f"{page.name}: link to {target}: no such heading"


SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _product_page(title: str) -> str:
    for page in sorted(SEEDS.glob("*.txt")):
        text = page.read_text(encoding="utf-8")
        if f"{title} - Python SDK" in text[:400]:
            return text
    pytest.skip(f"the product docs' {title} page is not here (../shared/seeds)")


def _section(text: str, operation: str) -> str:
    """The part of a product-docs page about one operation (from its name to the next operation's)."""
    start = text.rindex(f"\n{operation}\n")  # the last mention: the first ones are the list of operations
    return text[start:]


@pytest.mark.parametrize(
    ("title", "page", "operation"),
    [
        ("Chat", "chat", "send"),
        ("Generations", "generations", "get_generation"),
        ("Generations", "generations", "list_generation_content"),
    ],
)
def test_docs_page_carries_the_product_docs_parameters_and_errors(title: str, page: str, operation: str) -> None:
    product = _section(_product_page(title), operation)
    errors_at = product.index("\nErrors\n")
    product = product[: product.index("ModelGatesDefaultError", errors_at)]
    ours = (DOCS / f"{page}.md").read_text(encoding="utf-8")
    ours = ours[ours.index(f"\n## {operation}\n") :]
    ours = ours[: ours.index("\n## ", 10) if "\n## " in ours[10:] else len(ours)]
    their_params = re.findall(r"^([a-z_]+)(?:Optional|List|Dict|str|bool|int|float|components)", product, re.M)
    our_params = set(re.findall(r"^\| `(\w+)` \|", ours, re.M))
    assert their_params and set(their_params) <= our_params
    their_required = set(
        re.findall(
            r"^([a-z_]+?)(?:Optional|List|Dict|str|bool|int|float|components)\S*:heavy_check_mark:", product, re.M
        )
    )
    our_required = set(re.findall(r"^\| `(\w+)` \| .*? \| :heavy_check_mark: \|", ours, re.M))
    assert their_required == our_required
    their_errors = re.findall(r"^errors\.(\w+?)(\d{3})application/json$", product, re.M)
    our_errors = re.findall(r"^\| errors\.(\w+) \| (\d{3}) \| application/json \|$", ours, re.M)
    assert their_errors and set(their_errors) <= set(our_errors)


def test_readme_api_table_lists_every_group_and_method_of_the_reference() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    in_docs = {
        group: re.findall(r"\[`(\w+)`\]", methods)
        for group, methods in re.findall(r"^\| \[(\w+)\]\(\w+\.md\) \| (.*) \|$", index, re.M)
    }
    in_readme = {
        group: re.findall(r"`(\w+)`", methods)
        for group, methods in re.findall(r"^\| \[(\w+)\]\(docs/\w+\.md\) \| (.*) \|$", readme, re.M)
    }
    assert in_readme == in_docs
    assert sum(len(m) for m in in_docs.values()) == 97
