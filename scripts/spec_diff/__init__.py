"""Compare the facts of our OpenAPI document with a published one, operation by operation.

    python -m scripts.spec_diff UPSTREAM [--spec openapi/modelgates.yaml] [--prose] [--op METHOD:PATH ...]
    make spec-diff UPSTREAM=PATH

Facts are what a client depends on: operations (method + path) on either side only; parameters (by
`in` and name) and whether they are required; request bodies; response status codes and media types;
and, through `$ref`s, every property name, type (3.0 `nullable` and 3.1 type lists alike), required list,
enum/const value, format, array item, additionalProperties and union member (a `null` member counts as
nullability; `allOf` is merged), plus the SDK names the published document gives its operations
(`x-speakeasy-name-override` and friends, which we carry as `x-modelgates-*`). Schema names may differ:
the JSON each side describes is compared. Prose (description, summary, title, examples) is not a fact.

Prints one line per difference (`<where>: <what>`), then a summary; exits 0 when the facts agree.
With --prose, also lists our texts that repeat the published ones (the whole text, or the same first
40 characters, case and whitespace ignored), as a separate category that also makes the exit code 1.
"""

from __future__ import annotations

from ..common.document import load
from .cli import main, summary
from .compare import MEDIA_SDK, OPERATION_SDK, SDK_EXTENSIONS, Comparer, Difference, compare, ref_pairs
from .repeats import DATA_KEYS, NAME_MAPS, PROSE_MIN, Published, normalise, repeated, repeated_prose, texts
from .sides import Side, operations

__all__ = [
    "DATA_KEYS",
    "MEDIA_SDK",
    "NAME_MAPS",
    "OPERATION_SDK",
    "PROSE_MIN",
    "SDK_EXTENSIONS",
    "Comparer",
    "Difference",
    "Published",
    "Side",
    "compare",
    "load",
    "main",
    "normalise",
    "operations",
    "ref_pairs",
    "repeated",
    "repeated_prose",
    "summary",
    "texts",
]
