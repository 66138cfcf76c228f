PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test lint bench clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP)

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

# The suite on SQLite; when REGISTRY_TEST_DATABASE_URL names a PostgreSQL database, again there.
test: $(DEVSTAMP) chromium
	REGISTRY_TEST_BACKEND=sqlite $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$REGISTRY_TEST_DATABASE_URL" ]; then \
	  echo "== the same suite on PostgreSQL =="; \
	  REGISTRY_TEST_BACKEND=postgresql $(BIN)/pytest $(PYTEST_ARGS); \
	fi

lint: $(DEVSTAMP)
	$(BIN)/ruff check app tests bench
	$(BIN)/mypy app

bench: $(DEVSTAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) registry.db registry.db-wal registry.db-shm
