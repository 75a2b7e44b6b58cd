# anpo — the two commands a user needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck contracts pytest bench lock clean install install-dev browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUN): requirements/run.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/run.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(STAMP_DEV): requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@ $(STAMP_RUN)

install: $(STAMP_RUN)
install-dev: $(STAMP_DEV)

## make demo: install, run the default scenario, write the HTML report and print where it is
demo: $(STAMP_RUN)
	$(BIN)/anpo demo

## make test: ruff, mypy, the layer contracts and the whole pytest suite
test: lint typecheck contracts pytest

lint: $(STAMP_DEV)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

contracts: $(STAMP_DEV)
	$(BIN)/lint-imports

pytest: $(STAMP_DEV) browser
	$(BIN)/pytest -n 2

## browser: Debian's chromium for the end-to-end web tests (browser downloads do not work here)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "make test needs Debian's chromium: run 'sudo apt-get install chromium' once"; exit 1; \
	  fi; }

## make bench: each vectorized model against its reference implementation, and whole runs
bench: $(STAMP_DEV)
	$(BIN)/python benchmarks/bench_missile_defense.py
	$(BIN)/python benchmarks/bench_air_base.py
	$(BIN)/python benchmarks/bench_naval.py
	$(BIN)/python benchmarks/bench_asw.py
	$(BIN)/python benchmarks/bench_air_superiority.py
	$(BIN)/python benchmarks/bench_runs.py
	$(BIN)/python benchmarks/bench_sweep.py

## make lock: regenerate the hashed lock files from pyproject.toml (needs uv)
lock:
	uv pip compile pyproject.toml requirements/build.in --python-version 3.11 --generate-hashes --universal -q -o requirements/run.lock
	uv pip compile pyproject.toml requirements/build.in --extra dev --python-version 3.11 --generate-hashes --universal -q -o requirements/dev.lock

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
