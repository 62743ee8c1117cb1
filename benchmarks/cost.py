"""Estimated AWS cost per 1,000 check-ins, and SnapStart's charges against the init it saves.

Prices are us-east-1 list prices, written down as constants with the date they were looked up
and where. Re-check them before quoting: AWS changes prices (DynamoDB on-demand halved on
2024-11-01; Lambda began billing the INIT phase of on-demand functions on 2025-08-01).

The model, all inputs measured by the harness except where marked as an assumption:

* Lambda requests: the Alexa requests of one complete ritual (SessionEndedRequest included).
* Lambda duration: each request's in-process handler time measured here, plus
  `DYNAMODB_ROUND_TRIP_MS` (an assumption: same-region DynamoDB latency) per DynamoDB call it
  makes, scaled by `cpu_factor`. Lambda gives a function CPU in proportion to its memory, one
  full vCPU at 1,769 MB, so at the template's MemorySize CPU-bound work runs about 1769/MemorySize
  times slower than on one core here (an estimate: Graviton and this machine's core differ).
  Each request is billed rounded up to the next millisecond.
* Cold starts: a household that checks in once a night meets a cold start almost every time, so
  the "cold" column bills one INIT (the measured cold init, scaled the same way) per check-in;
  the "warm" column bills none.
* DynamoDB: request units estimated from the calls counted against moto and the sizes of the
  items they carry (1 WRU per KB written, 1 RRU per 4 KB strongly consistent read, half that
  eventually consistent, twice either inside a transaction).
"""
from __future__ import annotations

import math
import re

from benchmarks.targets import TEMPLATE

PRICES_LOOKED_UP = "2026-11-26"
PRICES = {
    # AWS Lambda pricing page (aws.amazon.com/lambda/pricing, copy of 2026-06-18), arm64,
    # first 7.5 billion GB-seconds a month; requests are the same price on both architectures.
    "lambda_arm64_gb_second": 0.0000133334,
    "lambda_request": 0.20 / 1_000_000,
    # SnapStart for Python/.NET: snapshot cache per GB-second of memory for as long as a
    # published version is active (minimum 3 hours), and each restore per GB of memory.
    "snapstart_cache_gb_second": 0.0000015046,
    "snapstart_restore_gb": 0.0001397998,
    # DynamoDB on-demand (aws.amazon.com/dynamodb/pricing/on-demand), standard table class,
    # after the 50% reduction effective 2024-11-01.
    "dynamodb_write_request_unit": 0.625 / 1_000_000,
    "dynamodb_read_request_unit": 0.125 / 1_000_000,
}
PRICE_SOURCES = {
    "lambda": "AWS Lambda pricing page, us-east-1 (archived 2026-06-18); INIT billed since "
              "2025-08-01",
    "snapstart": "AWS Lambda pricing page, SnapStart for Python/.NET section, us-east-1 "
                 "(figures as quoted in May 2026)",
    "dynamodb": "Amazon DynamoDB on-demand pricing, us-east-1, effective 2024-11-01",
}

ONE_VCPU_MB = 1769
DYNAMODB_ROUND_TRIP_MS = 8.0  # assumption: one same-region DynamoDB call, warm connection
SECONDS_PER_MONTH = 730 * 3600


def memory_mb(template=TEMPLATE) -> int:
    text = template.read_text() if template.exists() else ""
    found = re.search(r"MemorySize:\s*(\d+)", text)
    return int(found.group(1)) if found else 128


def cpu_factor(memory: int) -> float:
    return max(1.0, ONE_VCPU_MB / memory)


def request_units(calls: list[dict]) -> tuple[float, float]:
    """(RRU, WRU) of counted calls: {"operation", "consistent", "read_bytes", "write_bytes"}."""
    rru = wru = 0.0
    for call in calls:
        op = call["operation"]
        sizes = call.get("read_bytes", [])
        if op in ("Query", "Scan"):
            # A query is charged on the summed size of what it read, at least one unit.
            chunks = [max(1, math.ceil(sum(sizes) / 4096))]
        elif op == "GetItem":
            chunks = [max(1, math.ceil(sizes[0] / 4096))] if sizes else [1]
        else:
            chunks = [max(1, math.ceil(size / 4096)) for size in sizes]
        for units in chunks:
            if op == "TransactGetItems":
                rru += units * 2
            else:
                rru += units if call.get("consistent", False) else units / 2
        for size in call.get("write_bytes", []):
            units = max(1, math.ceil(size / 1024))
            wru += units * (2 if op == "TransactWriteItems" else 1)
    return rru, wru


def per_thousand(*, requests: int, handler_ms: list[float], dynamodb_calls: list[dict],
                 init_ms: float, memory: int) -> dict:
    """Cost of 1,000 check-ins, warm and cold, from one ritual's measured figures."""
    factor = cpu_factor(memory)
    gb = memory / 1024
    billed_ms = sum(math.ceil(ms * factor) for ms in handler_ms)
    billed_ms += math.ceil(len(dynamodb_calls) * DYNAMODB_ROUND_TRIP_MS)
    init_billed_ms = math.ceil(init_ms * factor)
    rru, wru = request_units(dynamodb_calls)
    lambda_requests = requests * PRICES["lambda_request"]
    duration = billed_ms / 1000 * gb * PRICES["lambda_arm64_gb_second"]
    init = init_billed_ms / 1000 * gb * PRICES["lambda_arm64_gb_second"]
    dynamo = (rru * PRICES["dynamodb_read_request_unit"]
              + wru * PRICES["dynamodb_write_request_unit"])
    warm = 1000 * (lambda_requests + duration + dynamo)
    cold = warm + 1000 * init
    return {
        "memory_mb": memory,
        "cpu_factor": round(factor, 2),
        "requests_per_checkin": requests,
        "billed_ms_per_checkin": billed_ms,
        "init_billed_ms_per_cold_start": init_billed_ms,
        "rru_per_checkin": rru,
        "wru_per_checkin": wru,
        "usd_per_1000_warm": warm,
        "usd_per_1000_cold": cold,
        "breakdown_per_1000_cold": {
            "lambda_requests": 1000 * lambda_requests,
            "lambda_duration": 1000 * duration,
            "lambda_init": 1000 * init,
            "dynamodb": 1000 * dynamo,
        },
        "assumptions": {"dynamodb_round_trip_ms": DYNAMODB_ROUND_TRIP_MS,
                        "one_vcpu_mb": ONE_VCPU_MB},
        "prices": PRICES,
        "prices_looked_up": PRICES_LOOKED_UP,
        "price_sources": PRICE_SOURCES,
    }


def snapstart(*, init_ms: float, memory: int, households: tuple[int, ...] = (100, 1000, 10000),
              nights: int = 30, versions: int = 1) -> dict:
    """SnapStart's monthly charges against the INIT duration it saves.

    Each household checks in once a night and meets one cold start per check-in, which
    SnapStart turns into one restore. The cache is charged per published version kept active.
    """
    gb = memory / 1024
    init_s = init_ms * cpu_factor(memory) / 1000
    cache_month = versions * gb * SECONDS_PER_MONTH * PRICES["snapstart_cache_gb_second"]
    restore = gb * PRICES["snapstart_restore_gb"]
    init_saved = init_s * gb * PRICES["lambda_arm64_gb_second"]
    rows = []
    for n in households:
        cold_starts = n * nights
        rows.append({
            "households": n,
            "cold_starts_per_month": cold_starts,
            "cache_usd": cache_month,
            "restore_usd": cold_starts * restore,
            "init_saved_usd": cold_starts * init_saved,
            "net_extra_usd": cache_month + cold_starts * (restore - init_saved),
            "init_seconds_saved": cold_starts * init_s,
        })
    return {
        "memory_mb": memory,
        "estimated_init_s_at_memory": init_s,
        "cache_usd_per_version_month": cache_month,
        "restore_usd_each": restore,
        "init_usd_saved_each": init_saved,
        "restore_over_init_cost": restore / init_saved if init_saved else None,
        "per_month": rows,
        "prices_looked_up": PRICES_LOOKED_UP,
    }
