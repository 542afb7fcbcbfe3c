# Buurtbasis developer menu. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
export PYTHONPATH := src
export DJANGO_SETTINGS_MODULE := buurtbasis.settings
# The framework-free core (src/buurtcore, no database) runs once, in the SQLite pass;
# everything that touches the database runs again on PostgreSQL.
PG_PYTEST_ARGS ?= --ignore=src/buurtcore --ignore=tests/test_architecture.py
# The inner loop: no browser, no PostgreSQL or Redis, no shared Pabulib files, on two processes.
FAST_PYTEST_ARGS ?= -m "not browser and not slow and not pabulib" -n 2
# The background-task tests run a third time with the tasks on RQ over a throwaway Redis.
REDIS_PYTEST_ARGS ?= -m tasks

.PHONY: help venv run demo test test-fast test-sqlite test-postgres test-redis lint format messages check-messages bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)  ## create .venv and install the pinned dependencies

compilemessages: $(STAMP)
	@$(BIN)/python scripts/messages.py compile

demo: $(STAMP) compilemessages  ## migrate the SQLite database and load the demo municipality (idempotent)
	DEBUG=True $(BIN)/python manage.py migrate --noinput -v 0
	DEBUG=True $(BIN)/python manage.py load_demo

run: demo  ## set everything up and serve the demo on http://127.0.0.1:8000, with a task worker
	DEBUG=True $(BIN)/python scripts/run_dev.py --host $(HOST) --port $(PORT)

test: $(STAMP) compilemessages check-messages lint  ## the whole suite: SQLite, a throwaway PostgreSQL, the task tests on Redis
	DEBUG=True $(BIN)/python manage.py makemigrations --check --dry-run -v 1
	$(BIN)/python -m pytest -q
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/python -m pytest -q $(PG_PYTEST_ARGS)
	$(BIN)/python scripts/with_redis.py -- $(BIN)/python -m pytest -q $(REDIS_PYTEST_ARGS)

test-fast: $(STAMP) compilemessages  ## the inner loop: no browser, PostgreSQL, Redis or Pabulib files (about a minute)
	$(BIN)/python -m pytest -q $(FAST_PYTEST_ARGS)

test-sqlite: $(STAMP) compilemessages  ## only the SQLite run
	$(BIN)/python -m pytest -q

test-postgres: $(STAMP) compilemessages  ## only the PostgreSQL run
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/python -m pytest -q $(PG_PYTEST_ARGS)

test-redis: $(STAMP) compilemessages  ## only the task tests, on RQ over a throwaway Redis
	$(BIN)/python scripts/with_redis.py -- $(BIN)/python -m pytest -q $(REDIS_PYTEST_ARGS)

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check src tests bench scripts conftest.py
	$(BIN)/ruff format --check src tests bench scripts conftest.py

format: $(STAMP)  ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix src tests bench scripts conftest.py
	$(BIN)/ruff format src tests bench scripts conftest.py

messages: $(STAMP)  ## extract translatable strings into the nl catalogues
	$(BIN)/python scripts/messages.py extract

check-messages: $(STAMP)  ## fail on missing or fuzzy Dutch translations
	$(BIN)/python scripts/messages.py check

bench: $(STAMP)  ## run the benchmarks and print their figures
	$(BIN)/python bench/pb_rules.py
	$(BIN)/python bench/ballots.py --db postgresql
	$(BIN)/python bench/ballots.py --db sqlite
	$(BIN)/python bench/areas_map.py
	$(BIN)/python bench/close_round.py --db sqlite
	$(BIN)/python bench/close_round.py --db postgresql
	$(BIN)/python bench/ledger.py --db postgresql
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/buddies.py

clean:  ## remove the virtualenv and the local database
	rm -rf $(VENV) buurtbasis.sqlite3 media private_media
