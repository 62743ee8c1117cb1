# Performance benchmarks (issue 7): `make bench` prints the table and writes
# benchmarks/results.json (git-ignored). Not part of `make test`; tests/tools/test_bench_smoke.py
# checks the harness itself with tiny counts. Methods: benchmarks/*.py docstrings.

.PHONY: bench bench-quick

bench: venv
	$(PY) -m benchmarks.run

bench-quick: venv
	$(PY) -m benchmarks.run --quick --parallel --out $${TMPDIR:-/tmp}/bench-quick.json
