"""The benchmark harness runs end to end with tiny counts (the figures come from `make bench`)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import cost, dynamo, instructions, report, stats
from benchmarks.deployed import _bundled_requirements
from benchmarks.targets import SKILL, lambda_env

ROOT = Path(__file__).resolve().parents[2]


def test_quick_run_writes_every_key(tmp_path):
    # Given the harness with tiny counts, its per-process phases run side by side
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--parallel", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)

    # Then it prints the table and writes every figure of issue 7
    assert done.returncode == 0, done.stderr[-3000:]
    assert "skill / floor" in done.stdout
    results = json.loads(out.read_text())
    for key in ("meta", "cold_init", "importtime", "warm", "warm_screen", "dynamodb", "faults",
                "package", "cost", "snapstart", "targets", "metrics"):
        assert key in results, key
    assert set(results["cold_init"]["targets"]) >= {"empty", "floor", "usual", "skill",
                                                     "skill, emf by hand", "skill, powertools"}
    ratios = results["cold_init"]["ratios"]
    assert {"skill/floor.process_ms", "skill/usual.process_ms",
            "skill, powertools/skill, emf by hand.process_ms"} <= set(ratios)
    # and issue 16's comparison of Powertools' Metrics with the skill's EMF by hand
    assert set(results["metrics"]["cold_ms"]) == {"hand-written", "powertools"}
    assert results["metrics"]["warm_us"]["powertools"]["median"] > 0
    assert "metrics, cold" in done.stdout
    assert results["warm"]["skill"]["n"] >= 20 and results["warm"]["floor_launch"]["n"] >= 20
    assert results["warm_screen"]["skill"]["n"] >= 20
    assert results["targets"]["warm_screen_median_over_hello"]["value"] is not None
    assert results["dynamodb"]["regular_night"]["reads"] >= 1
    assert results["faults"]["throttle"]["bound"]["all_spoken"] is True
    assert results["importtime"]["direct_imports"]
    assert results["cost"]["usd_per_1000_cold"] > 0
    assert results["snapstart"]["per_month"]


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert stats.percentile(values, 99) == 99
    assert stats.percentile(values, 50) == 50
    assert stats.percentile([7], 99) == 7


@pytest.mark.parametrize("item, size", [
    ({"pk": {"S": "abc"}}, 5),
    ({"n": {"N": "12345"}}, 1 + 4),
    ({"m": {"M": {"a": {"BOOL": True}}}}, 1 + 3 + 1 + 1 + 1),
])
def test_item_size_follows_dynamodb_accounting(item, size):
    assert dynamo.item_size(item) == size


def test_request_units_of_reads_and_transactions():
    calls = [
        {"operation": "Query", "consistent": True, "read_bytes": [3000, 3000], "write_bytes": []},
        {"operation": "PutItem", "consistent": False, "read_bytes": [], "write_bytes": [1500]},
        {"operation": "TransactWriteItems", "read_bytes": [], "write_bytes": [100, 100]},
    ]
    assert cost.request_units(calls) == (2, 2 + 4)


def test_targets_are_unmet_only_when_measured():
    verdicts = report.targets({"cold_init": {"ratios": {"skill/floor.process_ms": 1.2}}})
    assert verdicts["cold_skill_over_floor"]["met"] is False
    assert verdicts["package_mb"]["met"] is None


def test_the_deployed_package_leaves_out_what_the_runtime_provides(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# pins\nask-sdk-core==1.19.0\nurllib3==2.8.0\n"
                            "python_dateutil==2.9.0.post0\nsix==1.17.0\nidna==3.20\n")
    assert _bundled_requirements(requirements) == "ask-sdk-core==1.19.0\nidna==3.20\n"


def test_the_instruction_count_plays_what_it_counts_without_valgrind(tmp_path):
    # Given the process that callgrind would run, run directly (it needs no valgrind): it
    # plays whole nights through the real handler and counts every call it would count
    count = tmp_path / "count.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.instructions", "--inside", "echo_show",
         "--requests", "5", "--count-file", str(count)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=lambda_env([SKILL.path, ROOT], LOG_LEVEL="WARNING"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(count.read_text())["requests"] >= 5
    # and callgrind's total is read from its output file
    assert instructions._total("events: Ir\nsummary: 1234\n") == 1234
    with pytest.raises(RuntimeError):
        instructions._total("events: Ir\n")
