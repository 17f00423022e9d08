# Kvietimas: everything a developer or CI needs, from a machine with only python3 and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install lock demo demo-dashboard test test-postgres test-slow screenshots test-all lint format run bench clean

# The exact, hash-checked versions of requirements.lock, then the project itself.
$(STAMP): pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e '.[dev,postgres]'
	touch $(STAMP)

install: $(STAMP)

# Re-resolve requirements.lock: the newest versions within pyproject.toml's bounds, with
# the hashes of every file of each version. Run it with the Python the project targets.
LOCK_TOOLS := $(VENV)/lock-tools
lock:
	$(PY) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/pip install --quiet --upgrade pip pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_TOOLS)/bin/pip-compile --quiet --upgrade \
		--generate-hashes --extra dev --extra postgres --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml
	rm -rf $(LOCK_TOOLS)

demo: $(STAMP)  ## whole flow on the built-in emulator, no token needed
	$(BIN)/python -m bot demo

demo-dashboard: $(STAMP)  ## the demo, then its organisers' dashboard in a normal browser
	$(BIN)/python -m bot demo --dashboard

run: $(STAMP)  ## the real bot; needs BOT_TELEGRAM__TOKEN or config.toml
	$(BIN)/python -m bot run $(if $(CONFIG),--config $(CONFIG),)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint  ## lint, types, then the test suite (slow crash tests excluded)
	$(BIN)/python -m pytest -q -m "not slow" -n 2

# The same fast suite on PostgreSQL: a throwaway cluster from the installed server binaries
# (/usr/lib/postgresql/<version>/bin), or the server in BOT_TEST_POSTGRES_URL; every test
# gets schemas of its own. Without either, the tests skip and say why.
test-postgres: $(STAMP)
	KV_TEST_DATABASE=postgres $(BIN)/python -m pytest -q -m "not slow" -n 2

screenshots: $(STAMP)  ## the dashboard's pictures in docs/img (browser tests, Chromium)
	KV_SCREENSHOTS=docs/img $(BIN)/python -m pytest -q tests/test_dashboard_browser.py

test-slow: $(STAMP)  ## crash tests that kill a real bot process (about a minute)
	$(BIN)/python -m pytest -q -m slow

test-all: test test-slow

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/rsvp.py
	$(BIN)/python bench/schedule.py
	$(BIN)/python bench/scores.py
	$(BIN)/python bench/broadcast.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
