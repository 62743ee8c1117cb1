# The self-hosted web service (webservice/, issue 4) and its long fuzz run.
# Included by the main Makefile, which defines PY, VENV, PIP_STAMP and the `venv` target.

SERVE_ARGS ?=
FUZZ_ARGS ?=

.PHONY: serve fuzz

# requirements-dev.txt includes requirements-serve.txt: reinstall when the latter changes too.
$(PIP_STAMP): requirements-serve.txt

# Verified by default on 127.0.0.1:5000. Development only: make serve SERVE_ARGS=--no-verify
serve: venv
	$(PY) -m webservice $(SERVE_ARGS)

# The fuzz tests with the "fuzz-deep" hypothesis profile (10,000 examples each, see
# tests/web_fixtures.py) instead of the 500 that `make test` runs.
fuzz: venv
	$(PY) -m pytest -p tests.web_fixtures --hypothesis-profile=fuzz-deep -q tests/alexa/test_fuzz.py $(FUZZ_ARGS)
