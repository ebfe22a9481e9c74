"""Reading a tree's public surface: the package imported in a fresh interpreter (DUMP), never read from the file
layout; a git ref's package taken out with `git archive`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

from ..common.text import tail

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "modelgates_client"

Json = dict[str, Any]

# Run inside a tree (cwd), with that tree first on sys.path; prints the surface as JSON.
DUMP = r"""
import functools, inspect, json, pathlib, re, sys, typing
root = pathlib.Path.cwd().resolve()  # first on sys.path (python -c), before the editable install
import modelgates_client
here = pathlib.Path(modelgates_client.__file__).resolve()
assert here.is_relative_to(root), f"imported {here}, not the package of {root}"


def text(annotation):
    if annotation is inspect.Parameter.empty or annotation is inspect.Signature.empty:
        return ""
    if isinstance(annotation, str):
        return annotation
    if isinstance(annotation, typing.ForwardRef):
        return annotation.__forward_arg__
    return inspect.formatannotation(annotation)


def find(name, namespace):
    if name in namespace:
        return namespace[name]
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("modelgates_client") and hasattr(module, name):
            return getattr(module, name)
    return None


def typeddict_fields(obj):
    required = getattr(obj, "__required_keys__", frozenset())
    return {k: {"annotation": text(v), "required": k in required} for k, v in obj.__annotations__.items()}


def parameters(function):
    out = {}
    signature = inspect.signature(function)
    namespace = getattr(getattr(function, "__func__", function), "__globals__", {})
    for p in signature.parameters.values():
        annotation = text(p.annotation)
        if p.kind is p.VAR_KEYWORD:
            match = re.fullmatch(r"\s*(?:typing\.|typing_extensions\.)?Unpack\[\s*([\w.]+)\s*\]\s*", annotation)
            options = find(match.group(1).rsplit(".", 1)[-1], namespace) if match else None
            if options is not None and typing.is_typeddict(options):
                for name, info in typeddict_fields(options).items():
                    out[name] = {"kind": "keyword", **info}
                continue
            out["**" + p.name] = {"kind": "var", "annotation": annotation, "required": False}
        elif p.kind is p.VAR_POSITIONAL:
            out["*" + p.name] = {"kind": "var", "annotation": annotation, "required": False}
        else:
            kind = "keyword" if p.kind is p.KEYWORD_ONLY else "positional"
            out[p.name] = {"kind": kind, "annotation": annotation, "required": p.default is p.empty}
    return {"parameters": out, "returns": text(signature.return_annotation)}


def methods(resource):
    # A group's methods. Its views (with_raw_response) mirror them one for one and are not listed again.
    out = {}
    cls = type(resource)
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        static = inspect.getattr_static(cls, name)
        if inspect.isfunction(static) or isinstance(static, (staticmethod, classmethod)):
            out[name] = parameters(getattr(resource, name))
    return out


def groups():
    from modelgates_client import ModelGates
    client = ModelGates(api_key="k", server_url="http://127.0.0.1:1")
    out = {}
    for cls in type(client).__mro__:
        for name, attr in vars(cls).items():
            if name.startswith("_") or name in out or not isinstance(attr, functools.cached_property):
                continue
            value = getattr(client, name)
            if type(value).__module__.startswith("modelgates_client"):
                out[name] = methods(value)
    return dict(sorted(out.items()))


def models():
    import attrs
    import modelgates_client.models as m
    out = {}
    for name in sorted(m.__all__):
        obj = getattr(m, name)
        if typing.get_origin(obj) is typing.Literal:
            out[name] = {"kind": "enum", "values": [repr(v) for v in typing.get_args(obj)]}
        elif inspect.isclass(obj) and attrs.has(obj):
            fields = {}
            for f in attrs.fields(obj):
                fields[f.name] = {"annotation": text(f.type), "required": f.init and f.default is attrs.NOTHING}
            out[name] = {"kind": "model", "fields": fields}
        elif inspect.isclass(obj) and typing.is_typeddict(obj):
            out[name] = {"kind": "model", "fields": typeddict_fields(obj)}
        elif inspect.isclass(obj) and hasattr(obj, "__members__"):
            out[name] = {"kind": "enum", "values": [repr(v.value) for v in obj.__members__.values()]}
        else:
            out[name] = {"kind": "other", "annotation": text(obj) if not inspect.isclass(obj) else obj.__qualname__}
    return out


def errors():
    import modelgates_client.errors as e
    statuses = {}
    for status, cls in getattr(e, "STATUS_ERRORS", {}).items():
        statuses.setdefault(cls.__name__, []).append(int(status))
    out = {}
    for name in sorted(e.__all__):
        obj = getattr(e, name)
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            out[name] = {"statuses": sorted(statuses.get(name, [])), "bases": [b.__name__ for b in obj.__bases__]}
    return out


print(json.dumps({
    "exports": sorted(getattr(modelgates_client, "__all__", [])),
    "groups": groups(),
    "models": models(),
    "errors": errors(),
}, sort_keys=True))
"""


class SurfaceError(Exception):
    """The public surface of a tree could not be read."""


def surface(tree: Path) -> Json:
    """The public surface of the package in `tree` (which holds modelgates_client/), read in a fresh interpreter."""
    if not (tree / PACKAGE / "__init__.py").exists():
        raise SurfaceError(f"{tree} holds no {PACKAGE} package")
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", DUMP], capture_output=True, text=True, cwd=tree, env=env, timeout=600
    )
    if result.returncode != 0:
        raise SurfaceError(f"importing {PACKAGE} from {tree} failed:\n{tail(result.stderr.strip())}")
    data: Json = json.loads(result.stdout)
    return data


def checkout(ref: str, target: Path, repo: Path = ROOT) -> Path:
    """Write the ref's modelgates_client/ into target (with `git archive`); returns target."""
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), "archive", "--format=tar", ref, PACKAGE], capture_output=True, timeout=120
        )
    except OSError as exc:
        raise SurfaceError(f"git is not available: {exc}") from exc
    if result.returncode != 0:
        raise SurfaceError(f"git archive {ref}: {result.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        archive.extractall(target, filter="data")
    return target
