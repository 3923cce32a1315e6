# The README's two commands: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck docs bench clean po system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	# pip 25.1 is the first pip that installs PEP 735 dependency groups.
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"

$(VENV)/.demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[cli,sim,report]"
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[cli,fast]" --group dev
	touch $@

demo: $(VENV)/.demo
	$(BIN)/infopen deadline 2026-09-28 --extend 20
	$(BIN)/infopen show --as-of 2026-11-25
	$(BIN)/infopen simulate --seed 1 --out out/demo

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy

docs: $(VENV)/.dev
	$(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html

system-deps:
	bash scripts/system-deps.sh

test: system-deps $(VENV)/.dev lint typecheck docs
	$(BIN)/python -m pytest -q

bench: $(VENV)/.dev
	$(BIN)/python benchmarks/calendar.py
	$(BIN)/python benchmarks/estimate.py
	$(BIN)/python benchmarks/lifecycle.py
	$(BIN)/python benchmarks/store.py
	$(BIN)/python benchmarks/simulate.py
	$(BIN)/python benchmarks/audit.py
	$(BIN)/python benchmarks/sweep_pairing.py
	$(BIN)/python benchmarks/register_read.py
	$(BIN)/python benchmarks/history.py
	$(BIN)/python benchmarks/desk.py

clean:
	rm -rf $(VENV) docs/_build .pytest_cache .mypy_cache .ruff_cache

# Rebuild the committed English catalogue after editing the .po file.
po: $(VENV)/.dev
	$(BIN)/pybabel compile -d src/infopen/locale -D infopen
