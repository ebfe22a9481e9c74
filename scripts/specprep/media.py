"""Passes on what the generator must not see: media types it would misread (anything but JSON, forms and
multipart is read as bytes) and vendor extensions (removed once the passes that read ours have run)."""

from __future__ import annotations

from typing import Any

from ..common.document import Json, is_json_media, operations, resolve

#: Keys whose value maps names to things: the names are not extensions (a property called `x-request-id` stays).
NAME_MAPS = ("properties", "patternProperties", "schemas", "mapping", "headers")


def binary_content_types(spec: Json) -> dict[str, str]:
    """Every response or body media type that is neither JSON nor form nor multipart is read as bytes."""
    overrides: dict[str, str] = {}
    for _m, _p, op, _i in operations(spec):
        contents = [resolve(spec, op.get("requestBody") or {}).get("content") or {}]
        for response in (op.get("responses") or {}).values():
            contents.append(resolve(spec, response).get("content") or {})
        for content in contents:
            for media_type in content:
                simple = media_type.split(";")[0].strip().lower()
                if is_json_media(simple) or simple in (
                    "application/x-www-form-urlencoded",
                    "multipart/form-data",
                    "application/octet-stream",
                ):
                    continue
                overrides[media_type] = "application/octet-stream"
    return dict(sorted(overrides.items()))


def drop_vendor_extensions(spec: Json) -> None:
    """x-speakeasy-* and other vendor keys are removed (after the passes that read ours).

    The keys of name maps (a schema's properties, component names, discriminator values, headers) are names,
    not extensions: a property called `x-request-id` stays."""

    def walk(node: Any, names: bool = False) -> None:
        if isinstance(node, dict):
            if not names:
                for key in [k for k in node if isinstance(k, str) and k.startswith("x-")]:
                    del node[key]
            for key, value in node.items():
                walk(value, not names and key in NAME_MAPS)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
