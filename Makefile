# The newcomer's path: `make run` (set up + start the app) and `make test` (set up + all tests).
PY := .venv/bin/python

.PHONY: run test setup setup-test unit evals ingest lint bench

# `app` brings the index up to date in the terminal (progress bar) before Streamlit starts.
run: setup
	$(PY) -m rammeaftale app

test: setup-test
	$(MAKE) lint
	$(PY) -m pytest -q
	$(PY) -m rammeaftale eval

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

unit:
	$(PY) -m pytest -q -m "not integration and not browser"

ingest:
	$(PY) -m rammeaftale ingest

evals:
	$(PY) -m rammeaftale eval

# Fails on any lint, format or type error (rules and checked packages: pyproject.toml).
lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

bench: setup
	$(PY) -m pip install -q -e ".[bench]"
	$(PY) benchmarks/run.py
