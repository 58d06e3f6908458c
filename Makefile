# make run  — set up and start the whole system (web, Celery worker, Celery beat) with demo data
# make test — set up and run the whole test suite
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# One pytest-xdist worker per core, each with its own test database (TEST_WORKERS=0: one process).
# Bytecode caching on even where the environment turns it off: every worker and every process a test
# starts would otherwise compile Django, the project and the rewritten test modules again (~6 s each).
TEST_WORKERS ?= auto

.PHONY: run test setup lint bench browser clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py seed_reference
	$(BIN)/python manage.py collectstatic --noinput -v 0

run: setup
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runsystem

test: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput -v 0
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

browser:
	bash scripts/install_chromium.sh

clean:
	rm -rf var $(VENV)
