"""The project's tooling, run as `python -m scripts.<tool>` from the repository root (the make targets do).

Commands (each a make target):

    generate        make generate: the _generated package and docs/ from openapi/modelgates.yaml
    check_drift     make check-drift: fails when _generated or docs/ is not what generate produces
    spec_diff/      make spec-diff: the facts of our spec against a published one
    spec_sync       make spec-sync: our spec with the published facts, keeping our words
    spec_describe   make spec-describe: prose overlay files applied to our spec
    api_changes/    make api-changes: what the working tree's client changes for users
    bench/          make bench, make bench-quick

What they are made of:

    common/         rules every tool shares: the OpenAPI document ($ref resolver, types, operations), names,
                    excerpts
    specprep/       spec preparation for the generator: rewrite passes by kind, the SDK facts of operations
    generator/      from the prepared spec to code and reference pages (generator/__init__.py has its map)
    prose/          prose overlays: a document's words apart from its facts (spec-sync, spec-describe)
"""
