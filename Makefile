# 安龙县文联 portal. Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint fmt messages check-messages install clean-data manage

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）。Python 3.11 is required."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) scripts/run.py

test: $(STAMP)
	$(PY) scripts/test.py $(ARGS)

bench: $(STAMP)
	$(PY) scripts/test.py -p no:randomly tests/bench/bench.py -s -q $(ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: $(STAMP)
	$(PY) scripts/i18n.py extract
	$(PY) scripts/i18n.py compile

check-messages: $(STAMP)
	$(PY) scripts/i18n.py check

clean-data:
	rm -rf .local

# Run a manage.py command with the services up: make manage ARGS="seed_demo --members 1000"
manage: $(STAMP)
	$(PY) scripts/services.py $(PY) manage.py $(ARGS)
