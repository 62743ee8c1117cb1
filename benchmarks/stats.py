"""Small statistics helpers: the harness reports medians, p99s and ratios, nothing fancier."""
from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else math.nan


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `pct`% of values at or below."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return float(ordered[rank - 1])


def ratio(numerator: float, denominator: float) -> float | None:
    if numerator is None or denominator is None:
        return None
    if not denominator or math.isnan(numerator) or math.isnan(denominator):
        return None
    return numerator / denominator


def summary(values_ns: Sequence[int | float]) -> dict:
    """Median, p99, min and count of a list of nanosecond timings, in milliseconds."""
    ms = [v / 1e6 for v in values_ns]
    return {
        "n": len(ms),
        "median_ms": median(ms),
        "p99_ms": percentile(ms, 99),
        "min_ms": min(ms) if ms else math.nan,
    }
