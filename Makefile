# Two entry points a newcomer needs: `make run` (default scenario) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-slow lint profiles clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python run.py solve --scenario base

# unit tests on constructed networks and a few zone-model integration tests (<= 5 min on 2 cores)
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -m "not slow" -n auto --maxprocesses=4 --dist loadgroup

# the zone model solved many times, pathways, Dask sweeps with killed workers (9 min on a fast 2-core machine, 30 on a slow one)
test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m slow

lint: $(STAMP)
	$(BIN)/ruff check .

profiles: $(STAMP)
	$(BIN)/python run.py profiles

clean:
	rm -rf results/* profiles/built
