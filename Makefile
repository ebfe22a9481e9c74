# modelgates-client: every target runs inside .venv (created by `make install`).
PY ?= .venv/bin/python
VENV_STAMP = .venv/.installed
PYTEST = $(PY) -m pytest -q -rs

.PHONY: install generate check-drift test test-fast lint typecheck bench bench-quick reliability demo examples clean \
	spec-diff spec-sync spec-describe api-changes

$(VENV_STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'  # an editable install type checkers see (pyproject: package-dir)
	touch $(VENV_STAMP)

install: $(VENV_STAMP)

generate: install
	$(PY) -m scripts.generate

check-drift: install
	$(PY) -m scripts.check_drift

# Taking a new published spec (README, "Taking a new spec"):
#   make spec-diff UPSTREAM=PATH       facts of openapi/modelgates.yaml against the published document
#   make spec-sync UPSTREAM=PATH       rewrite our spec with its facts, keeping our prose [TODO=FILE: to-do overlay]
#   make spec-describe FILE=PATH...    apply prose overlay files (our descriptions) to our spec
#   make api-changes [BASE=REF]        what the working tree's client changes for users, against REF (HEAD)
spec-diff: install
	@test -n "$(UPSTREAM)" || { echo "usage: make spec-diff UPSTREAM=path/to/published-openapi.yaml" >&2; exit 2; }
	$(PY) -m scripts.spec_diff $(UPSTREAM) $(ARGS)

spec-sync: install
	@test -n "$(UPSTREAM)" || { echo "usage: make spec-sync UPSTREAM=path/to/published-openapi.yaml [TODO=todo.yaml]" >&2; exit 2; }
	$(PY) -m scripts.spec_sync $(UPSTREAM) $(if $(TODO),--todo $(TODO)) $(ARGS)

spec-describe: install
	@test -n "$(FILE)" || { echo "usage: make spec-describe FILE=overlay.yaml (several: FILE=\"a.yaml b.yaml\")" >&2; exit 2; }
	$(PY) -m scripts.spec_describe $(FILE) $(ARGS)

api-changes: install
	$(PY) -m scripts.api_changes --base $(or $(BASE),HEAD) $(ARGS)

# Everything, as CI runs it: four tests at a time (most of the wall time is tests waiting on purpose — stalls,
# back-offs, servers answering late — so on two cores four workers overlap the waits); --dist loadgroup keeps
# the tests of one xdist_group (a shared generated package) on one worker.
test: install
	$(PYTEST) -n 4 --dist loadgroup

# The edit-test loop: everything but the tests marked slow (generation, load, property tests, mypy runs) or history,
# four at a time (pytest-xdist: most of the wall time is tests waiting on purpose, for stalls and back-offs).
test-fast: install
	$(PYTEST) -n 4 --dist loadgroup -m "not slow and not history"

lint: install
	$(PY) -m ruff check modelgates_client scripts tests $(wildcard examples)
	$(PY) -m ruff format --check modelgates_client scripts tests $(wildcard examples)

typecheck: install
	$(PY) -m mypy modelgates_client
	$(PY) -m mypy scripts  # strict too (pyproject.toml)
	$(PY) -m mypy --strict examples

bench: install
	$(PY) -m scripts.bench

bench-quick: install
	$(PY) -m scripts.bench --quick

reliability: install
	$(PYTEST) -p no:randomly tests/reliability --reliability-matrix

demo: install
	$(PY) examples/demo.py

examples: install
	$(PY) examples/run_all.py

clean:
	rm -rf .venv build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
