# The README's two commands. Everything runs from .venv, made from requirements.txt.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed

.PHONY: run test bench lint format install migrate clean-var messages

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

# The whole suite in one run on two processes, each test going to whichever process is
# free (worksteal). The real-worker tests run among the others: each test process sends its
# tasks to a Celery queue of its own, where only the workers it starts listen
# (tests/conftest.py, tests/worker.py). Bytecode is cached whatever PYTHONDONTWRITEBYTECODE
# says outside: every test process, and every worker or command a test starts, imports the
# project afresh, some 2.5 s of compiling a process without the cache.
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n 2 --dist worksteal

bench: $(STAMP)
	$(PY) -m tests.bench.run_all

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the Russian and Kazakh catalogues from the code and compile them (needs GNU gettext).
messages: $(STAMP)
	$(PY) manage.py makemessages --no-obsolete -l ru -l kk --ignore=.venv --ignore=var --ignore=tests --ignore=static --ignore=screenshots
	$(PY) manage.py compilemessages --ignore=.venv
