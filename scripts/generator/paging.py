"""Pages: the `Paging(...)` literal of a paged list operation (its key paths as attribute names of the generated
models) and the type of one item of its pages. What the generated models cannot follow is recorded on the
operation as unsupported: generation fails naming it."""

from __future__ import annotations

from typing import Any

from ..specprep import OperationInfo
from . import oac
from .context import Context
from .hints import join_union, model_imports, type_string
from .views import EndpointView

__all__ = ["page_view"]


def page_view(ctx: Context, view: EndpointView, info: OperationInfo, types: set[str]) -> None:
    """Set `view.paging` and `view.item_type` from the operation's Paging (adding the item's classes to `types`)."""
    paging = info.paging
    assert paging is not None
    page = next((r for r in view.responses if r.pattern[0] == "2" and r.kind == "json"), None)
    shapes = (oac.members(page.prop) or [page.prop]) if page is not None else []
    if not shapes or not all(oac.is_model(s) for s in shapes):
        info.unsupported.append(f"{info.key}: pagination: the success answer is not an object of the spec")
        return
    results = _attributes(ctx, info, shapes, paging.results)
    item_types: list[str] = []
    for shape in shapes:
        node: Any = shape
        for key in paging.results:
            node = _prop(ctx, node, key)
        inner = oac.item(node)
        if inner is None:
            info.unsupported.append(f"{info.key}: pagination: {'.'.join(paging.results)} is not an array")
            return
        model_imports(ctx, inner, types)
        item_types.append(type_string(ctx, inner))
    names = info.param_names
    fields = {
        "results": results,
        "offset": names.get(("query", paging.offset)) if paging.offset else None,
        "limit": names.get(("query", paging.limit)) if paging.limit else None,
        "cursor": names.get(("query", paging.cursor)) if paging.cursor else None,
        "next_cursor": _attributes(ctx, info, shapes, paging.next_cursor, everywhere=False),
        "total": _attributes(ctx, info, shapes, paging.total),
        "limit_default": paging.limit_default,
        "offset_max": paging.offset_max,
    }
    shown = ", ".join(f"{k}={v!r}" for k, v in fields.items() if v is not None)
    view.paging = f"Paging({paging.kind!r}, {shown})"
    view.item_type = join_union(item_types)


def _prop(ctx: Context, node: Any, key: str) -> Any:
    """The property of a model named `key` on the wire (None when it has none)."""
    return next((p for p in ctx.props(node) if oac.wire_name(p) == key), None)


def _attributes(
    ctx: Context, info: OperationInfo, shapes: list[Any], path: list[str] | None, everywhere: bool = True
) -> tuple[str, ...] | None:
    """The attribute names along a key path, the same in every shape of the page that has it (in every shape
    unless not `everywhere`: a shape without a next cursor has no next page); None if there are none."""
    if path is None:
        return None
    found: set[tuple[str, ...]] = set()
    for shape in shapes:
        names: list[str] = []
        node: Any = shape
        for key in path:
            prop = _prop(ctx, node, key)
            if prop is None:
                break
            names.append(oac.python_name(prop))
            node = prop
        found.add(tuple(names) if len(names) == len(path) else ())
    if not everywhere and len(found) > 1:
        found.discard(())
    if len(found) != 1 or () in found:
        info.unsupported.append(f"{info.key}: pagination: {'.'.join(path)} is not in every shape of the page")
        return None
    return found.pop()
