# One entry for everything CI checks, plus lint and types.
PY ?= .venv/bin/python

.PHONY: check test lint types format bench

check: lint types test

test:
	$(PY) -m pytest

lint:
	$(PY) -m ruff format --check mailsim tests bench tools
	$(PY) -m ruff check mailsim tests bench tools

types:
	$(PY) -m mypy mailsim

format:
	$(PY) -m ruff format mailsim tests bench tools

bench:
	for f in bench/bench_*.py; do $(PY) $$f; done
