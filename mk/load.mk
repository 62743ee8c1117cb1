# The load test (issue 16): `make load` plays 300 households' first evenings at once through
# lambda_handler in 4 processes, on DynamoDB Local; `make load-serve` plays the same load through
# the web service under gunicorn (make serve's server). Each prints its table, writes
# .cache/load/<lambda|http>.json, and fails when a check-in was lost or doubled or an error
# was heard. Not part of `make test` (it takes a few minutes); tests/tools/test_load_smoke.py
# runs it with tiny counts. LOAD_ARGS passes options: python -m loadtest --help.

LOAD_ARGS ?=

.PHONY: load load-serve

load: venv node-deps check-java
	$(PY) -m loadtest $(LOAD_ARGS)

load-serve: venv node-deps check-java
	$(PY) -m loadtest --via http --workers $(SERVE_WORKERS) --threads $(SERVE_THREADS) $(LOAD_ARGS)
