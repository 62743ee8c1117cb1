"""Cold init: how long a fresh interpreter takes until the handler module is ready to answer.

Method. Each sample is a new `python -c` process whose driver imports the target module and then
runs its `finish` code (construction the module defers but a cold start pays before its first
answer). Two clocks are read:

* `process_ms`: from just before the parent spawns the child to the moment the child's import
  has finished, both read from CLOCK_MONOTONIC, which is one system-wide clock on Linux. This is
  the figure Lambda's INIT phase resembles: interpreter start-up (including `site`) plus the
  import. It leaves out interpreter teardown, which a wall-clock of the whole subprocess would
  wrongly include (tearing down botocore's modules is itself tens of milliseconds).
* `import_ms`: `time.perf_counter()` around the import inside the child: the handler's own cost.

An `empty` target (the same driver importing nothing) is sampled too, so `process_ms - empty`
shows start-up overhead. The targets are sampled round-robin in a freshly shuffled order each
round (A/B interleaving), so a noisy neighbour slows every target alike; a first untimed round
warms the OS file cache and writes the bytecode caches. The headline ratios are of medians;
`paired_ratios` (the median of each round's own ratio) is printed beside them as a check on a
machine whose load drifts during the run.

`floor+first` and `skill+first` add one LaunchRequest answered without I/O to the import
(first_request.py): the first answer of a cold container, including work deferred to it.

`importtime_offenders` runs `python -X importtime` on a target and lists the costliest top-level
packages (cumulative) and modules (self), and the packages the skill imports that the floor does
not: what the handler imports that it should not.
"""
from __future__ import annotations

import random
import re
import subprocess
import sys
import time
from collections.abc import Sequence

from benchmarks.stats import median, ratio
from benchmarks.targets import ROOT, Target, lambda_env

_DRIVER = """\
import time, sys
t0 = time.perf_counter()
{body}
t1 = time.perf_counter()
sys.stdout.write("%d %d" % (time.monotonic_ns(), int((t1 - t0) * 1e9)))
"""

EMPTY = Target("empty", "", ROOT)


def child_code(target: Target) -> str:
    lines = target.before.splitlines()
    if target.module:
        lines.append(f"import {target.module}")
    if target.finish:
        lines.extend(target.finish.splitlines())
    return _DRIVER.format(body="\n".join(lines) or "pass")


def sample_once(target: Target, python: str = sys.executable) -> tuple[float, float]:
    """One fresh process: (process_ms, import_ms)."""
    env = lambda_env([target.path, ROOT], **target.env)
    code = child_code(target)
    start = time.monotonic_ns()
    done = subprocess.run([python, "-c", code], env=env, cwd=target.path,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"cold import of {target.name} failed:\n{done.stderr[-2000:]}")
    # The figures come last: the skill's own lines (its metrics are written at any log level)
    # may come before them.
    ready_ns, import_ns = (int(x) for x in done.stdout.rsplit("\n", 1)[-1].split())
    return (ready_ns - start) / 1e6, import_ns / 1e6


def measure(targets: Sequence[Target], rounds: int = 15, seed: int = 7,
            python: str = sys.executable, warm_up: bool = True) -> dict:
    """Interleaved cold-start samples of every target, plus the empty interpreter."""
    everyone = [EMPTY, *targets]
    failed: dict[str, str] = {}

    def sample(target: Target) -> tuple[float, float] | None:
        try:
            return sample_once(target, python)
        except RuntimeError as error:  # e.g. the skill mid-edit: report it, measure the rest
            failed[target.name] = str(error)[-1500:]
            return None

    for target in everyone if warm_up else ():  # bytecode and page caches, not timed
        sample(target)
    samples: dict[str, dict[str, list[float]]] = {
        t.name: {"process_ms": [], "import_ms": []} for t in everyone}
    rng = random.Random(seed)
    for _ in range(rounds):
        order = [t for t in everyone if t.name not in failed]
        rng.shuffle(order)
        for target in order:
            measured = sample(target)
            if measured is not None:
                samples[target.name]["process_ms"].append(measured[0])
                samples[target.name]["import_ms"].append(measured[1])
    result: dict = {"rounds": rounds, "targets": {}, "failed": failed}
    for name, series in samples.items():
        if name in failed or not series["process_ms"]:
            continue
        result["targets"][name] = {
            "process_ms": median(series["process_ms"]),
            "import_ms": median(series["import_ms"]),
            "process_ms_min": min(series["process_ms"]),
            "samples_process_ms": [round(v, 2) for v in series["process_ms"]],
        }
    samples = {name: series for name, series in samples.items() if name not in failed}
    result["ratios"] = _ratios(result["targets"])
    result["paired_ratios"] = _paired_ratios(samples)
    result["ratios_of_minimums"] = {
        f"{num}/{den}.process_ms": ratio(result["targets"][num]["process_ms_min"],
                                         result["targets"][den]["process_ms_min"])
        for num, den in _PAIRS if num in result["targets"] and den in result["targets"]}
    return result


_PAIRS = (("skill", "floor"), ("skill", "usual"), ("floor", "usual"), ("skill, gc on", "floor"),
          ("skill+first", "floor+first"), ("deployed, bytecode", "deployed, plain"),
          ("deployed, plain", "floor"), ("deployed, bytecode", "floor"),
          ("skill, emf by hand", "floor"), ("skill, powertools", "floor"),
          ("skill, powertools", "skill, emf by hand"))


def _ratios(by_name: dict) -> dict:
    """Ratios of the medians: the headline figures."""
    out = {}
    for num, den in _PAIRS:
        if num in by_name and den in by_name:
            for key in ("process_ms", "import_ms"):
                out[f"{num}/{den}.{key}"] = ratio(by_name[num][key], by_name[den][key])
    return out


def _paired_ratios(samples: dict[str, dict[str, list[float]]]) -> dict:
    """Median over rounds of the ratio within a round: a check that resists slow drifts in the
    machine's load, since both samples of a pair were taken within a second of each other."""
    out = {}
    for num, den in _PAIRS:
        if num in samples and den in samples:
            pairs = zip(samples[num]["process_ms"], samples[den]["process_ms"], strict=True)
            out[f"{num}/{den}.process_ms"] = median([a / b for a, b in pairs])
    return out


_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def _subtree(stderr: str, module: str) -> dict[str, tuple[int, int, int]]:
    """The `-X importtime` rows of `module` and everything it imported (not start-up's)."""
    rows = [(m.group(4), int(m.group(1)), int(m.group(2)), (len(m.group(3)) - 1) // 2)
            for m in _LINE.finditer(stderr)]
    # Rows are printed in post-order: a top-level import's row follows all of its children.
    end = next(i for i, r in enumerate(rows) if r[0] == module and r[3] == 0)
    begin = max((i for i in range(end) if rows[i][3] == 0), default=-1) + 1
    return {name: (self_us, cum_us, depth) for name, self_us, cum_us, depth in rows[begin:end + 1]}


def importtime(target: Target, python: str = sys.executable, repeat: int = 3) -> list[dict]:
    """Parsed `-X importtime` of the target: per module, the median self and cumulative ms."""
    runs: list[dict[str, tuple[int, int, int]]] = []
    for _ in range(repeat):
        done = subprocess.run([python, "-X", "importtime", "-c", f"import {target.module}"],
                              env=lambda_env([target.path, ROOT], **target.env),
                              cwd=target.path, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"importtime of {target.name} failed:\n{done.stderr[-2000:]}")
        runs.append(_subtree(done.stderr, target.module))
    rows = []
    for name in set().union(*runs):
        present = [r[name] for r in runs if name in r]
        rows.append({
            "module": name,
            "self_ms": median([p[0] for p in present]) / 1000,
            "cumulative_ms": median([p[1] for p in present]) / 1000,
            "depth": present[0][2],
        })
    return rows


def offenders(skill_rows: list[dict], floor_rows: list[dict], top: int = 12) -> dict:
    """Where the skill's import time goes, and what it imports that the floor does not.

    A module imported by both is charged to neither, whichever imports it first, so
    `beyond_floor_by_package` (self time of the skill's extra modules, summed per top-level
    package) is the cost of what the handler imports beyond the floor's needs.
    """
    def body(rows: list[dict]) -> dict:
        return next(r for r in rows if r["depth"] == 0)

    floor_modules = {r["module"] for r in floor_rows}
    own = body(skill_rows)
    extra = [r for r in skill_rows if r["depth"] > 0 and r["module"] not in floor_modules]
    by_package: dict[str, dict] = {}
    for row in extra:
        group = by_package.setdefault(row["module"].split(".")[0],
                                      {"package": row["module"].split(".")[0],
                                       "self_ms": 0.0, "modules": 0})
        group["self_ms"] += row["self_ms"]
        group["modules"] += 1
    beyond = sorted(by_package.values(), key=lambda g: g["self_ms"], reverse=True)
    return {
        "total_ms": own["cumulative_ms"],
        "module_body_ms": own["self_ms"],
        "floor_total_ms": body(floor_rows)["cumulative_ms"],
        "floor_module_body_ms": body(floor_rows)["self_ms"],
        "extra_over_floor_ms": sum(r["self_ms"] for r in extra),
        "direct_imports": [_row(r) for r in sorted(
            (r for r in skill_rows if r["depth"] == 1),
            key=lambda r: r["cumulative_ms"], reverse=True)[:top]],
        "beyond_floor_by_package": [{**g, "self_ms": round(g["self_ms"], 2)}
                                    for g in beyond[:top]],
        "beyond_floor_modules": [_row(r) for r in sorted(
            extra, key=lambda r: r["self_ms"], reverse=True)[:top]],
        "top_self": [_row(r) for r in sorted(
            (r for r in skill_rows if r["depth"] > 0),
            key=lambda r: r["self_ms"], reverse=True)[:top]],
    }


def _row(r: dict) -> dict:
    return {"module": r["module"], "self_ms": round(r["self_ms"], 2),
            "cumulative_ms": round(r["cumulative_ms"], 2)}
