# Saohei: `make run` serves the demo, `make test` runs every check. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAOHEI := $(BIN)/saohei
PG_URL ?= postgresql://postgres@127.0.0.1:5432/saohei
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Checks and the diagram import the settings; they need keys but no secrets.
CHECK_ENV := SAOHEI_ENV_FILE=/nonexistent SAOHEI_SECRET_KEY=check-only SAOHEI_RECEIPT_KEY=check-only \
	SAOHEI_IDENTITY_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=

.PHONY: setup node run demo check lint types imports messages-check test test-sqlite test-postgres debs postgres messages diagram bench bench-cases clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

node: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.env:
	$(BIN)/python scripts/make_env.py .env

run: setup node .env
	$(SAOHEI) migrate --noinput
	$(SAOHEI) createcachetable
	$(SAOHEI) demo --if-empty
	$(SAOHEI) portal drain
	@echo "Serving http://$(HOST):$(PORT)/ — log in as one of the personas above (password demo-password)."
	@trap 'kill $$worker 2>/dev/null' EXIT; \
	  $(SAOHEI) db_worker >/dev/null 2>&1 & worker=$$!; \
	  $(SAOHEI) runserver --noreload $(HOST):$(PORT)

demo: setup node .env
	$(SAOHEI) migrate --noinput
	$(SAOHEI) createcachetable
	$(SAOHEI) demo

lint: setup
	$(BIN)/ruff check .

types: setup
	$(CHECK_ENV) $(BIN)/mypy saohei config

imports: setup
	$(BIN)/lint-imports

messages-check: setup
	$(BIN)/python scripts/messages.py check

check: lint types imports messages-check

debs:
	bash scripts/ensure-debs.sh

postgres:
	bash scripts/ensure-postgres.sh

# The two database suites run side by side (one per core), each with its own media folder; each suite's
# output is printed whole when it ends (--output-sync), and `make test` fails if either fails.
test: setup node debs check postgres
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite: setup node
	env -u DATABASE_URL SAOHEI_MEDIA_ROOT=$(CURDIR)/build/test-media/sqlite $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: setup node postgres
	DATABASE_URL=$(PG_URL) SAOHEI_MEDIA_ROOT=$(CURDIR)/build/test-media/postgres $(BIN)/pytest $(PYTEST_ARGS)

messages: setup
	$(BIN)/python scripts/messages.py

diagram: setup
	$(CHECK_ENV) $(SAOHEI) workflow diagram --output docs/workflow.mmd
	$(CHECK_ENV) $(SAOHEI) workflow diagram --format dot | dot -Tsvg -o docs/workflow.svg

bench: setup node postgres
	$(BIN)/python -m benchmarks.run

bench-cases: setup node postgres
	$(BIN)/python -m benchmarks.cases_bench

clean:
	rm -rf $(VENV) node_modules staticfiles
