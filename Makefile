# Culture Hub. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DEBUG ?= 1

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/culturehub: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	@touch $@

install: $(BIN)/culturehub node_modules/.installed ## Create .venv and install everything
	npm run --silent build

demo: install ## Install, build, load the demo data and serve on http://127.0.0.1:8000
	$(BIN)/culturehub manage migrate --no-input
	$(BIN)/culturehub load-demo
	$(BIN)/culturehub serve --port 8000

test: install ## Install, then run every test on SQLite, and on PostgreSQL when one answers
	$(BIN)/ruff check src tests bench conftest.py
	DEBUG=1 $(BIN)/culturehub manage makemigrations --check --dry-run
	scripts/run-tests.sh

lint: install ## Check style
	$(BIN)/ruff check src tests bench conftest.py

bench: install ## Run the benchmarks (they print figures; the directory data takes minutes to generate)
	$(BIN)/python bench/import_fingertips.py
	$(BIN)/python bench/directory_generate.py
	$(BIN)/python bench/directory_search.py
	$(BIN)/python bench/tagger.py
	$(BIN)/python bench/notices.py
	$(BIN)/python bench/import_notices.py
	$(BIN)/python bench/outcomes.py

clean: ## Remove the virtual environment, node modules, builds and the local database
	rm -rf $(VENV) node_modules src/culturehub/static_build var .pytest_cache

.PHONY: help install demo test lint bench clean
