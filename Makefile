# Two entry points (see README): `make demo` and `make test`. Both create .venv and install
# everything they need into it, so they work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/cxassess build --out site
	@echo "Open site/index.html through a web server, e.g.: $(BIN)/cxassess serve"

lint: $(BIN)/.installed
	$(BIN)/ruff check assessment tests benchmarks
	$(BIN)/ruff format --check assessment tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks.run --orgs 1

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
