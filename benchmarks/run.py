"""`make bench`: every performance figure of issue 7, measured in one run, as ratios.

    python -m benchmarks.run                 # the full run: prints the table, writes results.json
    python -m benchmarks.run --quick         # tiny counts, for the smoke test
    python -m benchmarks.run --phase warm    # one phase in this process (used internally)

Phases that import the skill (warm, dynamodb counts, each fault) run in their own fresh
process, so that one phase's imports, monkeypatches, moto state or drained retry quota cannot
leak into another. Cold init spawns its own processes. See each module for its method:
cold.py, warm.py, dynamo.py, package.py, cost.py.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import cold, cost, deployed, package, report
from benchmarks.targets import (
    FLOOR,
    FLOOR_FIRST,
    ROOT,
    SKILL,
    SKILL_FIRST,
    SKILL_GC_ON,
    USUAL,
    lambda_env,
)

RESULTS = ROOT / "benchmarks" / "results.json"
FULL = {"cold_rounds": 20, "cold_warm_up": True, "warm_requests": 2000, "importtime_repeat": 3,
        "faults": ("throttle", "5xx", "timeout"), "fault_modes": ("measured", "bound"),
        "timeout_measured_requests": 2, "package_dependencies": True,
        "scenarios": ("first_night", "regular_night", "interrupted")}
# Tiny counts for the smoke test: every phase runs and every key is written, in seconds.
QUICK = {"cold_rounds": 1, "cold_warm_up": False, "warm_requests": 20, "importtime_repeat": 1,
         "faults": ("throttle",), "fault_modes": ("bound",), "timeout_measured_requests": 0,
         "package_dependencies": False, "scenarios": ("regular_night",)}


# --- phases that run in a fresh process --------------------------------------------------------

def phase_warm(min_requests: int, device: str | None = None) -> dict:
    """Warm work per request; with `device` (e.g. echo_show), every answer draws a screen."""
    from benchmarks import baseline_floor, skill_adapter, warm
    from benchmarks.memory_store import MemoryHouseholdRepository

    handler = skill_adapter.skill_over(MemoryHouseholdRepository())
    skill_adapter.introduce(handler, device=device)

    def drive(timed, night: int) -> None:
        skill_adapter.play(timed, "regular_night", night=night, device=device)

    return warm.measure(handler, drive, baseline_floor.lambda_handler, min_requests)


def phase_counts(scenarios: tuple[str, ...]) -> dict:
    from benchmarks import dynamo

    return dynamo.count_scenarios(scenarios)


def phase_fault(kind: str, mode: str, limit: int | None) -> dict:
    from benchmarks import dynamo

    return dynamo.run_fault(kind, mode, max_requests=limit)


def _run_phase_here(args: argparse.Namespace) -> None:
    if args.phase == "warm":
        result = phase_warm(args.min_requests, args.device or None)
    elif args.phase == "counts":
        result = phase_counts(tuple(args.scenarios.split(",")))
    elif args.phase == "fault":
        result = phase_fault(args.fault, args.mode, args.limit or None)
    else:
        raise SystemExit(f"unknown phase {args.phase}")
    Path(args.out).write_text(json.dumps(result))


def _spawn(*phase_args: str) -> tuple[subprocess.Popen, Path]:
    """Start a phase in a fresh process; its JSON lands in a temporary file."""
    handle, out = tempfile.mkstemp(prefix="bench-", suffix=".json")
    os.close(handle)
    env = lambda_env([SKILL.path, ROOT], LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "INFO"))
    # stdout gets the skill's INFO logs, as CloudWatch would: thrown away, but paid for.
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.run", "--phase", *phase_args, "--out", out],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return process, Path(out)


def _collect(process: subprocess.Popen, out: Path, timeout: float = 600) -> dict:
    _, stderr = process.communicate(timeout=timeout)
    try:
        if process.returncode != 0:
            return {"error": f"exit {process.returncode}: {stderr[-1500:]}"}
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


# --- the whole run -------------------------------------------------------------------------------

def run(quick: bool = False, parallel: bool = False) -> dict:
    settings = QUICK if quick else FULL
    started = time.monotonic()
    skill_ready = SKILL.available
    results: dict = {"meta": _meta(quick)}
    jobs = _jobs(settings) if skill_ready else {}
    # With --parallel (quick runs) the per-process phases run beside cold init; otherwise cold
    # init runs first and alone: it is the figure most sensitive to a busy machine.
    started_jobs = {name: _spawn(*args) for name, args in jobs.items()} if parallel else None

    deployed_targets = list(deployed.build()) if skill_ready and not quick else []
    results["cold_init"] = cold.measure(
        [FLOOR, USUAL]
        + ([SKILL] if skill_ready else [])
        + ([SKILL_GC_ON, FLOOR_FIRST, SKILL_FIRST] if skill_ready and not quick else [])
        + deployed_targets,
        rounds=settings["cold_rounds"], warm_up=settings["cold_warm_up"])
    if skill_ready and "skill" in results["cold_init"]["targets"]:
        results["importtime"] = cold.offenders(
            cold.importtime(SKILL, repeat=settings["importtime_repeat"]),
            cold.importtime(FLOOR, repeat=settings["importtime_repeat"]))
    else:
        results["importtime"] = {"skipped": "lambda_function is missing or failed to import"}

    if started_jobs is not None:
        phase_results = {name: _collect(*job) for name, job in started_jobs.items()}
    else:
        phase_results = {name: _collect(*_spawn(*args)) for name, args in jobs.items()}
    results["warm"] = phase_results.get("warm", {"skipped": "no skill"})
    results["warm_screen"] = phase_results.get("warm_screen", {"skipped": "no skill"})
    results["dynamodb"] = phase_results.get("dynamodb", {"skipped": "no skill"})
    results["faults"] = _faults(phase_results)

    try:
        results["package"] = package.measure(
            with_dependencies=settings["package_dependencies"])
    except (subprocess.SubprocessError, OSError) as error:
        results["package"] = {"error": f"{type(error).__name__}: {str(error)[-500:]}"}

    results["cost"], results["snapstart"] = _costs(results)
    results["targets"] = report.targets(results)
    results["meta"]["seconds"] = round(time.monotonic() - started, 1)
    return results


def _jobs(settings: dict) -> dict[str, tuple[str, ...]]:
    """The phases that run in their own process, by name, with their arguments."""
    jobs = {
        "warm": ("warm", "--min-requests", str(settings["warm_requests"])),
        "warm_screen": ("warm", "--min-requests", str(settings["warm_requests"]),
                        "--device", "echo_show"),
        "dynamodb": ("counts", "--scenarios", ",".join(settings["scenarios"])),
    }
    for kind in settings["faults"]:
        for mode in settings["fault_modes"]:
            limit = 0
            if (kind, mode) == ("timeout", "measured"):
                limit = settings["timeout_measured_requests"]
                if not limit:
                    continue
            jobs[f"fault:{kind}:{mode}"] = ("fault", "--fault", kind, "--mode", mode,
                                            "--limit", str(limit))
    return jobs


def _faults(phase_results: dict) -> dict:
    faults: dict = {"target_worst_ms": 3000.0}
    for name, result in phase_results.items():
        if name.startswith("fault:"):
            _, kind, mode = name.split(":")
            faults.setdefault(kind, {})[mode] = result
    return faults


def _costs(results: dict) -> tuple[dict, dict]:
    memory = cost.memory_mb()
    cold_skill = results["cold_init"]["targets"].get("skill", {})
    init_ms = cold_skill.get("process_ms")
    regular = results["dynamodb"].get("regular_night") if "error" not in results["dynamodb"] \
        else None
    warm = results["warm"]
    if not init_ms or not regular or "skill_ms_per_ritual" not in warm:
        return {"skipped": "needs the skill's cold, warm and DynamoDB figures"}, \
            {"skipped": "needs the skill's cold init"}
    per_1000 = cost.per_thousand(requests=regular["requests"],
                                 handler_ms=warm["skill_ms_per_ritual"],
                                 dynamodb_calls=regular["raw_calls"],
                                 init_ms=init_ms, memory=memory)
    return per_1000, cost.snapstart(init_ms=init_ms, memory=memory)


def _meta(quick: bool) -> dict:
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "git": _git_head(),
    }


def _git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny counts (smoke test)")
    parser.add_argument("--parallel", action="store_true",
                        help="run the per-process phases at once (quick runs only: it skews)")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--min-requests", type=int, default=2000, help=argparse.SUPPRESS)
    parser.add_argument("--fault", help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--scenarios", default="", help=argparse.SUPPRESS)
    parser.add_argument("--device", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        _run_phase_here(args)
        return 0
    results = run(quick=args.quick, parallel=args.parallel)
    Path(args.out).write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(report.table(results))
    print(f"\nwrote {os.path.relpath(args.out, Path.cwd())} in {results['meta']['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
