"""The project's tooling: code generation, the spec-update tools and the benchmark (run as `python -m scripts.<name>`)."""
