# Kvietimas: everything a developer or CI needs, from a machine with only python3 and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-slow test-all lint format run bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)  ## whole flow on the built-in emulator, no token needed
	$(BIN)/python -m bot demo

run: $(STAMP)  ## the real bot; needs BOT_TELEGRAM__TOKEN or config.toml
	$(BIN)/python -m bot run $(if $(CONFIG),--config $(CONFIG),)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint  ## lint, types, then the test suite (slow crash tests excluded)
	$(BIN)/python -m pytest -q -m "not slow"

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
