# Suban: `make run` to try it, `make test` to check it. Everything installs into .venv and node_modules.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run test test-sqlite test-pg lint bench setup browser migrate demo serve clean messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt package.json package-lock.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

setup: $(STAMP)

# The browser tests drive Debian's Chromium (never a downloaded browser); installed from Debian's packages
# when missing, with CJK fonts so that screenshots show the Chinese pages.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi; \
	echo "Installing Debian's chromium and CJK fonts for the browser tests"; \
	$$apt_get update -qq && DEBIAN_FRONTEND=noninteractive $$apt_get install -y -qq chromium fonts-noto-cjk >/dev/null

browser: $(CHROMIUM)

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

# Serves the demo on http://$(HOST):$(PORT) with the background worker beside it; Ctrl-C stops both.
run: demo
	@$(BIN)/python manage.py run_huey --workers 2 --flush-locks & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Suban is serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

test: setup browser test-sqlite

test-sqlite:
	$(BIN)/pytest -q

test-pg: setup browser
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy suban
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: setup
	$(BIN)/python bench/run.py

messages: setup
	cd suban && ../$(BIN)/python ../manage.py makemessages -l zh_Hans --no-obsolete && ../$(BIN)/python ../manage.py compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) node_modules staticfiles var
