# Kompeten: `make demo` runs the Sawahlunto demo on SQLite; `make test` runs the test suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
DB ?= sqlite
PG_URL ?= postgres://postgres@127.0.0.1:5432/kompeten_test_$(shell date +%s)_$(shell echo $$$$)

ifeq ($(DB),postgres)
TEST_ENV := DATABASE_URL=$${DATABASE_URL:-$(PG_URL)}
else
TEST_ENV :=
endif

.PHONY: demo test test-unit lint types contracts check install run worker clean-demo

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 tidak ditemukan ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml requirements/lock.txt
	$(BIN)/pip install --quiet -c requirements/lock.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@mkdir -p var
	DEBUG=true $(BIN)/kompeten migrate --no-input -v 0
	DEBUG=true $(BIN)/kompeten demo --if-empty
	@DEBUG=true $(BIN)/kompeten demo_logins --port $(PORT)
	@trap 'kill 0' INT TERM EXIT; \
	DEBUG=true $(BIN)/kompeten worker & \
	DEBUG=true $(BIN)/kompeten runserver --noreload 127.0.0.1:$(PORT)

test: $(STAMP)
	@test -x /usr/bin/chromium || { echo "Browser tests need /usr/bin/chromium: installing Debian's chromium"; \
		(apt-get update -qq && apt-get install -y -qq chromium) >/dev/null; }
	$(TEST_ENV) $(BIN)/pytest -n 2 --dist loadgroup -q $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy kompeten

contracts: $(STAMP)
	$(BIN)/lint-imports

check: lint types contracts test
