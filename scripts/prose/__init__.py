"""Prose overlays: the words of an OpenAPI document, apart from its facts.

A prose overlay is a nested mapping (the shape described in the README, "Taking a new spec") that holds only
prose, keyed by where it stands in the document:

    info: <text> | {title, description}
    servers: {<url>: <text>}
    tags: {<tag name>: <text>}
    paths:
      <path>:
        summary / description / parameters: ...       (path-item level, rare)
        <method>:
          summary: <text>
          description: <text>
          parameters: {"<in> <name>": <text> | {description, example, examples, schema: <schema prose>}}
          requestBody: <text> | {description, content: {<media type>: <media prose>}}
          responses: {'<status>': <text> | {description, headers: {<name>: ...}, content: {...}}}
    components:
      schemas: {<name>: <schema prose>}
      parameters / responses / requestBodies / headers: {<key>: ...}   (as in operations)
      securitySchemes: {<name>: <text>}

    <schema prose>: <text> | {description, title, example, examples,
                              properties: {<name>: <schema prose>}, patternProperties: {...},
                              items: <schema prose>, additionalProperties: <schema prose>, not: <schema prose>,
                              oneOf|anyOf|allOf|prefixItems: {<index>: <schema prose>}}
    <media prose>:  <schema prose> of the media type's schema, plus `example` / `examples` of the media type
                    object itself and `schemaExample` / `schemaExamples` for the schema's own examples.

A <text> alone stands for {description: <text>}. Prose is description, summary and title, and our
`example` / `examples` (kept at the same locations). Prose reaches into inline schemas only: a `$ref`
schema takes a description beside the `$ref` (what the value means at this place), never nested prose.

Functions: `elements(spec)` lists every location of a document that can carry prose (elements.py);
`extract(spec)` takes the overlay out; `apply(overlay, spec)` puts it back where the location exists and returns
what had no home; `parse(overlay)` checks an overlay file's shape (overlay.py); `missing(spec)` lists locations
without a description (missing.py).
"""

from __future__ import annotations

from .elements import (
    COMPONENT_KINDS,
    SCHEMA_LISTS,
    SCHEMA_MAPS,
    SCHEMA_ONE,
    Element,
    Location,
    describe,
    elements,
    index,
    parameter_key,
)
from .missing import missing, missing_locations, todo_overlay
from .overlay import KIND_KEYS, PROSE_KEYS, TEXT_KEYS, Flat, apply, apply_flat, extract, extract_flat, nest, parse

__all__ = [
    "COMPONENT_KINDS",
    "KIND_KEYS",
    "PROSE_KEYS",
    "SCHEMA_LISTS",
    "SCHEMA_MAPS",
    "SCHEMA_ONE",
    "TEXT_KEYS",
    "Element",
    "Flat",
    "Location",
    "apply",
    "apply_flat",
    "describe",
    "elements",
    "extract",
    "extract_flat",
    "index",
    "missing",
    "missing_locations",
    "nest",
    "parameter_key",
    "parse",
    "todo_overlay",
]
