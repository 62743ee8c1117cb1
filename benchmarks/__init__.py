"""Performance benchmarks for the skill: run with `make bench` (not part of `make test`)."""
