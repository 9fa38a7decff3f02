# SafeSpaces: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
ASSETS_STAMP := src/safespaces/web/static/vendor/.fetched

.PHONY: run test check bench install install-dev clean help

help:
	@echo "make run    set up and serve the demo on http://127.0.0.1:$(PORT)"
	@echo "make test   set up and run the whole test suite (SQLite, then PostgreSQL)"
	@echo "make check  lint, format, types, migrations and translation catalogs"
	@echo "make bench  run the benchmarks in bench/"

$(VENV)/bin/python:
	@scripts/require-python $(PYTHON)
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml constraints.txt $(ASSETS_STAMP) | $(VENV)/bin/python
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	@touch $@

# Front-end packages (Leaflet) from the npm registry, checked against their integrity hash.
$(ASSETS_STAMP): assets.lock.json
	$(PYTHON) scripts/fetch-assets
	@touch $@

$(DEV_STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

install: $(RUN_STAMP)
install-dev: $(DEV_STAMP)

run: $(RUN_STAMP)
	$(BIN)/safespaces manage migrate --noinput --verbosity 0
	$(BIN)/safespaces manage createcachetable
	$(BIN)/safespaces demo
	PORT=$(PORT) $(BIN)/safespaces serve --no-migrate

test: $(DEV_STAMP)
	scripts/run-tests

check: $(DEV_STAMP)
	scripts/check

bench: $(DEV_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
