# The self-hosted web service (webservice/, issue 4) and its long fuzz run.
# Included by the main Makefile, which defines PY, VENV, PIP_STAMP and the `venv` target.

SERVE_ARGS ?=
FUZZ_ARGS ?=
# Gunicorn: 2 x cores + 1 worker processes (its documentation's rule), 4 threads each.
SERVE_WORKERS ?= $(shell echo $$(( 2 * $$(nproc) + 1 )))
SERVE_THREADS ?= 4

.PHONY: serve fuzz

# requirements-dev.txt includes requirements-serve.txt: reinstall when the latter changes too.
$(PIP_STAMP): requirements-serve.txt

# Gunicorn, verified by default, on 127.0.0.1:5000. Development only: SERVE_ARGS=--no-verify;
# Werkzeug's single-process development server: SERVE_WORKERS=0.
serve: venv
	$(PY) -m webservice --workers $(SERVE_WORKERS) --threads $(SERVE_THREADS) $(SERVE_ARGS)

# The fuzz tests with the "fuzz-deep" hypothesis profile (10,000 examples each, see
# tests/web_fixtures.py) instead of the 500 that `make test` runs.
fuzz: venv
	$(PY) -m pytest -p tests.web_fixtures --hypothesis-profile=fuzz-deep -q tests/alexa/test_fuzz.py $(FUZZ_ARGS)
