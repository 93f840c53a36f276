# Two entry points (see README): `make demo` and `make test`. Both create .venv and install
# everything they need into it, so they work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean fonts

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Chinese glyphs for the report PDF: Debian's Noto CJK where apt is at hand as root (the
# report command says what to install where it is not).
fonts:
	@if ! fc-list :lang=zh 2>/dev/null | grep -q . && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get install -y -q fonts-noto-cjk || (apt-get update -q && apt-get install -y -q fonts-noto-cjk); fi

demo: $(BIN)/.installed fonts
	$(BIN)/cxassess build --out site
	@echo "Open site/index.html through a web server, e.g.: $(BIN)/cxassess serve"

lint: $(BIN)/.installed
	$(BIN)/ruff check assessment tests benchmarks
	$(BIN)/ruff format --check assessment tests benchmarks
	$(BIN)/mypy

# axe-core for the accessibility tests, where npm is at hand (CI has it; see .ci/run).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund && touch $@; fi

test: lint fonts node_modules/axe-core/axe.min.js
	$(BIN)/pytest

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks.run --orgs 1

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
