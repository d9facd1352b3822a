# The README's commands. Everything runs from .venv: `make run` installs what production
# runs (requirements.txt); test, lint, bench and format also install the tools
# (requirements-dev.txt, which includes requirements.txt). A stamp each, so a second run
# installs nothing unless its requirements file changed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check
RUNTIME_STAMP := $(VENV)/.runtime-requirements-installed
DEV_STAMP := $(VENV)/.dev-requirements-installed

.PHONY: run test bench lint format install install-dev migrate messages

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PIP_INSTALL) -r requirements.txt
	touch $(RUNTIME_STAMP)

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $(DEV_STAMP)

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

migrate: $(RUNTIME_STAMP)
	$(PY) manage.py migrate --noinput

run: $(RUNTIME_STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seeds
	$(PY) manage.py create_demo_users
	$(PY) -m config.runall

# The whole suite in one run on two processes, each test going to whichever process is
# free (worksteal). The real-worker tests run among the others: each test process sends its
# tasks to a Celery queue of its own, where only the workers it starts listen
# (tests/conftest.py, tests/support/worker.py). Bytecode is cached whatever PYTHONDONTWRITEBYTECODE
# says outside: every test process, and every worker or command a test starts, imports the
# project afresh, some 2.5 s of compiling a process without the cache.
# The translation catalogues (up to date with the code, Russian complete) are checked by a
# test of the suite (tests/config/test_check_translations.py, as under CI=true), which
# runs beside the others rather than as some 8 s on its own before them.
test: $(DEV_STAMP)
	@started=$$(date +%s); \
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n 2 --dist worksteal; \
	status=$$?; echo "make test: wall time $$(( $$(date +%s) - started )) s"; exit $$status

bench: $(DEV_STAMP)
	$(PY) -m tests.bench.run_all

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the Russian and Kazakh catalogues from the code and compile them (needs GNU gettext):
# the project's locale/ and every app's own <app>/locale/ (a file's strings go to the nearest).
messages: $(DEV_STAMP)
	$(PY) manage.py makemessages --no-obsolete -l ru -l kk --ignore=.venv --ignore=var --ignore=tests --ignore=static --ignore=screenshots --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var
	-$(PY) -m config.check_translations  # what is left to translate; never fails here
