PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test lint lock bench clean chromium clients libreoffice axe

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs come from the lock files (exact versions CI tested); the project itself without deps.
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(DEVSTAMP): requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(STAMP)

# Refresh the lock files after a change of dependencies in pyproject.toml (docs/development.md).
# pip-compile keeps every pin it can; `make lock LOCK_ARGS=--upgrade` moves all to the newest.
# No index or find-links lines are written, so the files name PyPI packages only.
LOCK_FLAGS := --quiet --strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
	--no-header $(LOCK_ARGS)
lock: | $(BIN)/python
	$(BIN)/pip install --quiet "pip-tools>=7.4"
	$(BIN)/pip-compile $(LOCK_FLAGS) -o requirements.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra dev -o requirements-dev.lock pyproject.toml

run: $(STAMP)
	$(BIN)/registry migrate
	$(BIN)/registry seed
	$(BIN)/registry serve

# Browser tests drive Debian's Chromium: installed with apt when missing (never `playwright
# install`); fonts-noto-cjk so pages and screenshots show Chinese, not boxes.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends \
	    chromium fonts-noto-cjk; \
	fi

# LibreOffice headless (Debian's libreoffice-calc-nogui, installed with apt when missing) opens
# the downloads as a planner's spreadsheet would, and makes the legacy .xls of the upload tests.
libreoffice:
	@if ! command -v soffice >/dev/null; then \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends \
	    libreoffice-calc-nogui; \
	fi

# The npm tools of the generated-client check (tests/clients/test_generated_clients.py):
# openapi-typescript and typescript, exactly as pinned in clients/package-lock.json.
CLIENTS_STAMP := clients/node_modules/.installed
$(CLIENTS_STAMP): clients/package.json clients/package-lock.json
	cd clients && npm ci --no-audit --no-fund --loglevel=error
	touch $@
clients: $(CLIENTS_STAMP)

# The suite on SQLite; when REGISTRY_TEST_DATABASE_URL names a PostgreSQL database, again there.
# PYTEST_WORKERS processes share the tests (pytest-xdist, a file's tests stay together; default:
# one per core; 0 runs them in this process). Every test has its own database either way.
PYTEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)
# axe-core (npm, pinned in tests/web/package.json and package-lock.json): the browser tests
# inject it into every page they walk (tests/web/axe.py). `npm ci` installs exactly the lock.
AXE := tests/web/node_modules/axe-core/axe.min.js
$(AXE): tests/web/package.json tests/web/package-lock.json
	cd tests/web && npm ci --no-audit --no-fund --ignore-scripts
	touch $@
axe: $(AXE)

test: $(DEVSTAMP) chromium clients libreoffice $(AXE)
	REGISTRY_TEST_BACKEND=sqlite $(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)
	@if [ -n "$$REGISTRY_TEST_DATABASE_URL" ]; then \
	  echo "== the same suite on PostgreSQL =="; \
	  REGISTRY_TEST_BACKEND=postgresql $(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS); \
	fi

# The gate .ci/run runs before the tests: lint, formatting and types, zero findings each.
LINTED := app tests bench migrations
lint: $(DEVSTAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy app

bench: $(DEVSTAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) registry.db registry.db-wal registry.db-shm
