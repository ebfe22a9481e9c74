"""What changed for users: the public surface of the client in the working tree against a git ref.

    python -m scripts.api_changes [--base REF] [--changelog] [--release TITLE]
    python -m scripts.api_changes --old DIR --new DIR        # two trees that each hold modelgates_client/
    make api-changes [BASE=REF]

The surface is read by importing the package in a fresh interpreter per tree (the working tree, and the
ref's `modelgates_client/` taken out with `git archive`), never from the file layout: the client's groups
(its cached properties) and their methods with each parameter (name, kind, annotation, required) and return
annotation; the models of `modelgates_client.models` (attrs fields, TypedDict keys, or Literal enum values);
the error classes (`modelgates_client.errors.__all__` and the statuses STATUS_ERRORS maps to them); and the
names the package exports.

Each change is classed breaking or additive. Breaking: anything removed (group, method, parameter, field,
enum value, error class, export), a parameter or field that became required (or a new required one), and any
other change of an annotation, except a union that only gained members (a parameter that accepts more, a
field that may hold more), which is additive; for return types, a union that only lost members is additive.
Annotations are compared as strings with whitespace normalised. Prints a Markdown section for CHANGELOG.md;
--changelog also puts it at the top of CHANGELOG.md's entries.
"""

from __future__ import annotations

from .cli import CHANGELOG, changes_against, main, markdown, prepend_changelog, summary
from .compare import Change, Comparison, compare, fold_async, members, norm, widened
from .surface import DUMP, PACKAGE, SurfaceError, checkout, surface

__all__ = [
    "CHANGELOG",
    "DUMP",
    "PACKAGE",
    "Change",
    "Comparison",
    "SurfaceError",
    "changes_against",
    "checkout",
    "compare",
    "fold_async",
    "main",
    "markdown",
    "members",
    "norm",
    "prepend_changelog",
    "summary",
    "surface",
    "widened",
]
