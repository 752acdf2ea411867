# The two commands a newcomer runs (README): `make run` and `make test`.
# Only Python 3.11 is assumed; everything else is installed into .venv by these targets.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
CONSTRAINTS := requirements/constraints.txt
export DJANGO_SETTINGS_MODULE ?= kechuang.settings.dev

.PHONY: run test lint fmt install install-dev demo serve worker messages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Kechuang needs Python 3.11 (found %s); set PYTHON=/path/to/python3.11" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(PIP) install --quiet -c $(CONSTRAINTS) -e .
	@touch $@

# One pip run for the project and its dev tools (the dev install holds the plain one, so it marks both done):
# installing `.` first and then `.[dev]` resolved and built the project twice.
$(VENV)/.installed-dev: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(PIP) install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, migrate SQLite under var/, load the demo (once), print the admin login, serve :8000
run: install
	$(BIN)/kechuang demo
	$(BIN)/kechuang serve 127.0.0.1:8000

demo: install
	$(BIN)/kechuang demo

serve: install
	$(BIN)/kechuang serve 127.0.0.1:8000

worker: install
	$(BIN)/kechuang worker

## make test: lint, migrations check, the suite on SQLite, then on PostgreSQL when KECHUANG_TEST_POSTGRES_URL is set
test: install-dev
	$(BIN)/python tools/runtests.py

lint: install-dev
	$(BIN)/ruff check src tests tools benchmarks
	$(BIN)/ruff format --check src tests tools benchmarks

fmt: install-dev
	$(BIN)/ruff format src tests tools benchmarks
	$(BIN)/ruff check --fix src tests tools benchmarks

## make messages: regenerate the English catalogue from the code, carry translations over, compile it
messages: install-dev
	cd src/kechuang && ../../$(BIN)/kechuang makemessages -l en --no-obsolete -i "*/tests/*" --no-location
	$(BIN)/python tools/po_fill.py src/kechuang/locale/en/LC_MESSAGES/django.po src/kechuang/locale/en/translations.json
	cd src/kechuang && ../../$(BIN)/kechuang compilemessages -l en -l zh_Hans

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
