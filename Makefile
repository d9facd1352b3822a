# The README's two commands. Everything runs from .venv, made from requirements.txt.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed

.PHONY: run test bench lint format install migrate clean-var

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seeds
	$(PY) manage.py create_demo_users
	$(PY) -m config.runall

# Two processes for everything but the real-worker tests, which share one broker and so
# run afterwards, on their own.
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile -m "not worker"
	$(PY) -m pytest -m worker

bench: $(STAMP)
	$(PY) -m tests.bench.run_all

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
