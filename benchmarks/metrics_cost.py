"""Powertools' `Metrics` against the skill's hand-written EMF (`checkin.metrics`): what each
costs a cold start, and what each costs a warm request.

Both produce the same figures for one typical request (its duration with and without the
stage dimension, the store's duration, and a ritual started by mode and locale), serialized
as one EMF line; neither writes it anywhere, so only the library's own work is timed.

Cold. Each sample is a fresh interpreter with a Lambda-like environment that first imports the
skill's handler module, untimed, so that what both candidates share (json, logging, typing,
botocore) is loaded already, as it is in the skill. Then it times, with perf_counter:

* hand-written: loading `checkin.metrics` afresh (its module body runs again) and its first
  request's line, with its cache of composed directives still empty;
* Powertools: importing `aws_lambda_powertools.metrics`, building a `Metrics` for the
  namespace, adding the request's metrics and dimension sets, and serializing them.

The two alternate in a new random order each round (A/B interleaving), after an untimed round
that warms the OS's file cache. Reported: each one's median, and the median over rounds of the
difference between them: what choosing the library would add to every cold start.

Warm. In one process, after both have been used once, each candidate's line for one request is
timed `warm_requests` times, alternating blocks.
"""
from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Callable

from benchmarks import emf_lines
from benchmarks.stats import median, percentile
from benchmarks.targets import LAMBDA_DIR, ROOT, lambda_env

CANDIDATES = ("hand-written", "powertools")
LIBRARY_THRESHOLD_MS = 15.0  # issue 16: the library, unless it costs a cold start more

_CHILD = """\
import sys, time
import lambda_function
from benchmarks import metrics_cost
started = time.perf_counter()
metrics_cost.{function}()
sys.stdout.write("%d" % ((time.perf_counter() - started) * 1e9))
"""


def hand_written_cold() -> str:
    """A fresh copy of checkin.metrics (its module body runs again), and its first line."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "checkin.metrics_afresh", LAMBDA_DIR / "checkin" / "metrics.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return emf_lines.hand_written(module)


def powertools_cold() -> str:
    """Powertools' Metrics imported, built, and used for one request's line."""
    return emf_lines.powertools()


_COLD = {"hand-written": "hand_written_cold", "powertools": "powertools_cold"}


def sample_cold(candidate: str, python: str = sys.executable) -> float:
    """One fresh process: milliseconds `candidate` took after the skill was imported."""
    done = subprocess.run(
        [python, "-c", _CHILD.format(function=_COLD[candidate])],
        env=lambda_env([LAMBDA_DIR, ROOT]), cwd=LAMBDA_DIR, capture_output=True, text=True,
        timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"metrics cost of {candidate} failed:\n{done.stderr[-1500:]}")
    return int(done.stdout.strip().splitlines()[-1]) / 1e6


def measure(rounds: int = 20, warm_requests: int = 2000, seed: int = 11,
            warm_up: bool = True) -> dict:
    if warm_up:
        for candidate in CANDIDATES:
            sample_cold(candidate)
    samples: dict[str, list[float]] = {c: [] for c in CANDIDATES}
    rng = random.Random(seed)
    for _ in range(rounds):
        order = list(CANDIDATES)
        rng.shuffle(order)
        for candidate in order:
            samples[candidate].append(sample_cold(candidate))
    differences = [p - h for h, p in zip(samples["hand-written"], samples["powertools"],
                                          strict=True)]
    return {
        "rounds": rounds,
        "cold_ms": {c: median(v) for c, v in samples.items()},
        "cold_samples_ms": {c: [round(x, 3) for x in v] for c, v in samples.items()},
        "powertools_extra_cold_ms": median(differences),
        "warm_us": _warm(warm_requests),
        "library_threshold_ms": LIBRARY_THRESHOLD_MS,
    }


def _warm(requests: int) -> dict:
    """Microseconds per request line, median and p99, each candidate warmed up first."""
    import lambda_function  # noqa: F401  (the skill's logging set up, as in a warm container)

    metrics = emf_lines.powertools_metrics()
    candidates: dict[str, Callable[[], str]] = {
        "hand-written": emf_lines.hand_written,
        "powertools": lambda: emf_lines.powertools(metrics),
    }
    timings: dict[str, list[float]] = {c: [] for c in candidates}
    for line in candidates.values():
        line()
    block = 100
    while min(len(t) for t in timings.values()) < requests:
        for name, line in candidates.items():
            for _ in range(block):
                started = time.perf_counter_ns()
                line()
                timings[name].append((time.perf_counter_ns() - started) / 1000)
    return {name: {"median": median(v), "p99": percentile(v, 99)} for name, v in timings.items()}
