"""Pages of list operations: iterate over every item (further pages are fetched as the loop reaches them), or
page by page. The rule that finds the next page (or the end) is `next_args`, shared by Page and AsyncPage."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._types import Unset

if TYPE_CHECKING:
    from ._base_client import BaseClient
    from ._operation import Operation, Paging
    from ._options import CallOptions

__all__ = ["AsyncPage", "Page"]

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")


def _at(value: Any, path: tuple[str, ...]) -> Any:
    """The attribute at `path` of a model, None when a step is missing or unset."""
    for name in path:
        value = getattr(value, name, None)
        if value is None or isinstance(value, Unset):
            return None
    return value


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def next_args(paging: Paging, args: dict[str, Any], result: Any) -> dict[str, Any] | None:
    """The arguments of the page after the one `args` brought (`result`), or None when that page was the last."""
    items = _at(result, paging.results) or []
    if not items:
        return None
    if paging.kind == "cursor":
        assert paging.cursor is not None and paging.next_cursor is not None
        cursor = _at(result, paging.next_cursor)
        if cursor is None or cursor == "" or cursor == args.get(paging.cursor):
            return None
        return {**args, paging.cursor: cursor}
    assert paging.offset is not None
    offset = (_int(args.get(paging.offset)) or 0) + len(items)
    total = _int(_at(result, paging.total)) if paging.total is not None else None
    if total is not None:
        if offset >= total:
            return None
    else:
        limit = _int(args.get(paging.limit)) if paging.limit is not None else None
        limit = limit if limit is not None else paging.limit_default
        if limit is not None and len(items) < limit:
            return None
    if paging.offset_max is not None and offset > paging.offset_max:
        return None
    return {**args, paging.offset: offset}


class _PageBase(Generic[ItemT, ResultT]):
    __slots__ = ("result", "_client", "_op", "_args", "_options", "_next")

    def __init__(self, client: BaseClient, op: Operation, args: dict[str, Any], options: CallOptions, result: Any):
        self.result: ResultT = result
        self._client = client
        self._op = op
        self._args = args
        self._options = options
        assert op.paging is not None
        self._next = next_args(op.paging, args, result)

    @property
    def data(self) -> list[ItemT]:
        """The items of this page only."""
        return list(_at(self.result, self._op.paging.results) or [])  # type: ignore[union-attr]

    def has_next_page(self) -> bool:
        """Whether there is a page after this one (known without a request)."""
        return self._next is not None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._op.name}: {len(self.data)} items, more: {self._next is not None}>"


class Page(_PageBase[ItemT, ResultT]):
    """One page of a list operation's answer. `for item in page` goes through the items of this page and of every
    page after it, fetching each when the loop reaches it; `iter_pages()` goes page by page; `data` holds this
    page's items and `result` the whole typed answer (with any counts or links it carries)."""

    __slots__ = ()

    def get_next_page(self) -> Page[ItemT, ResultT] | None:
        """The next page (one request), or None when this page is the last."""
        if self._next is None:
            return None
        return self._client._request(self._op, self._next, self._options)  # type: ignore[no-any-return]

    def iter_pages(self) -> Iterator[Page[ItemT, ResultT]]:
        """This page, then each next one as the loop asks for it."""
        page: Page[ItemT, ResultT] | None = self
        while page is not None:
            yield page
            page = page.get_next_page()

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from page.data


class AsyncPage(_PageBase[ItemT, ResultT]):
    """The async twin of Page: `async for item in page`, `async for p in page.iter_pages()`,
    `await page.get_next_page()`."""

    __slots__ = ()

    async def get_next_page(self) -> AsyncPage[ItemT, ResultT] | None:
        """The next page (one request), or None when this page is the last."""
        if self._next is None:
            return None
        return await self._client._arequest(self._op, self._next, self._options)  # type: ignore[no-any-return]

    async def iter_pages(self) -> AsyncIterator[AsyncPage[ItemT, ResultT]]:
        """This page, then each next one as the loop asks for it."""
        page: AsyncPage[ItemT, ResultT] | None = self
        while page is not None:
            yield page
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item
