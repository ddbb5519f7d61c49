# The portal's commands. `make run` and `make test` set everything up on a fresh machine.
VENV      ?= .venv
PY        := $(VENV)/bin/python
FLASK     := $(VENV)/bin/flask --app portal
HOST      ?= 127.0.0.1
PORT      ?= 5000
# PostgreSQL used by the second test run (its tables are dropped and recreated).
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto

.PHONY: install run test test-sqlite test-postgres e2e e2e-prereqs lint bench bench-prereqs demo-reset translations translations-compile pdf-prereqs

install: $(VENV)/.installed translations-compile pdf-prereqs

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

translations-compile: $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -d portal/translations

pdf-prereqs:
	@sh scripts/pdf_prereqs.sh

run: install
	$(FLASK) db upgrade
	$(FLASK) regions load
	$(FLASK) catalogues load
	$(FLASK) seed-demo --if-empty
	@echo "Serving the portal on http://$(HOST):$(PORT), with its task worker  (Ctrl-C stops both)"
	@sh scripts/run.sh "$(VENV)/bin/flask" $(HOST) $(PORT)

demo-reset: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo

test: install bench-prereqs test-sqlite test-postgres e2e

test-sqlite:
	@echo "== tests on SQLite"
	$(PY) -m pytest -q -n $(TEST_WORKERS)

test-postgres:
	@if $(PY) scripts/pg_reachable.py "$(TEST_DATABASE_URL)"; then \
	  echo "== tests on PostgreSQL ($(TEST_DATABASE_URL))"; \
	  TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(PY) -m pytest -q -n $(TEST_WORKERS); \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL is unreachable and CI=true: the PostgreSQL run is required in CI."; exit 1; \
	else \
	  echo "PostgreSQL is unreachable: only the SQLite run was made (CI makes both)."; \
	fi

# Browser journeys (tests/e2e): Playwright drives Debian's Chromium against a real server on a
# fresh demo database; screenshots and axe reports go to build/e2e/. Never `playwright install`.
e2e: install e2e-prereqs
	@echo "== browser journeys (Chromium)"
	$(PY) -m pytest -q -m e2e tests/e2e

e2e-prereqs:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium (the browser journeys drive it)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing (the browser journeys need /usr/bin/chromium). Install it with:  sudo apt-get install -y chromium"; exit 1; fi; }

# PostgreSQL database the queue benchmark empties and fills (skipped when unreachable).
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/portal_bench

bench: install bench-prereqs
	$(PY) bench/receipt_pdf.py
	$(PY) bench/checklist_pdf.py
	$(PY) bench/checklist_bundle.py
	$(PY) bench/draw.py
	BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) bench/queue_bench.py $(BENCH_ARGS)
	BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) bench/load_mix.py $(LOAD_ARGS)

bench-prereqs:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing wrk (HTTP load generator)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing (the queue benchmark needs it). Install it with:  sudo apt-get install -y wrk"; fi; }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check portal tests scripts migrations bench

# Developers: extract new strings, merge them into both catalogues, then translate and compile.
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o portal/translations/messages.pot .
	$(VENV)/bin/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete
	rm -f portal/translations/messages.pot  # a throw-away template (Babel flags its header fuzzy)
