# The front door: `make run` serves the app, `make test` runs the whole suite.
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/creatordesk

.PHONY: run test test-fast lint format bench eval eval-viral setup setup-test migrate demo messages

setup:
	@scripts/bootstrap.sh

setup-test:
	@scripts/bootstrap.sh --with-browser

migrate: setup
	@$(MANAGE) migrate --no-input -v0

demo: migrate
	@$(MANAGE) load_demo

run: demo
	@$(MANAGE) collectstatic --no-input -v0
	@$(MANAGE) serve

# Test processes in parallel (pytest-xdist); `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= 2

test: setup-test
	CREATORDESK_VAR_DIR=$(CURDIR)/var/test $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The inner loop: everything but the Chromium and real-video tests.
test-fast: setup
	CREATORDESK_VAR_DIR=$(CURDIR)/var/test $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser and not media" $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy creatordesk tests $(wildcard bench)
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/python scripts/check_translations.py

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

eval: setup
	$(BIN)/python -m creatordesk.engine.rules.evaluate
	$(BIN)/python -m tests.engine.perception.stickers
	$(BIN)/python -m tests.engine.perception.speech

eval-viral: setup
	$(BIN)/creatordesk viral-eval

bench: setup
	$(BIN)/python bench/review_speed.py
	$(BIN)/python bench/creator_list.py
	$(BIN)/python bench/creator_import.py
	$(BIN)/python bench/performance.py
	$(BIN)/python bench/load.py

messages: setup
	cd creatordesk && ../$(MANAGE) makemessages -l de --no-obsolete --ignore 'engine/*' && ../$(MANAGE) compilemessages -l de
