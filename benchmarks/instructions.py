"""Warm work per request counted in instructions (valgrind's callgrind): a figure that a busy
machine cannot move, for comparing two versions of the code.

    PYTHONPATH=lambda:. python -m benchmarks.instructions            # hello, voice, echo_show
    PYTHONPATH=lambda:. python -m benchmarks.instructions voice      # one of them
    PYTHONPATH=lambda:. python -m benchmarks.instructions --cold     # cold init instead

Each kind runs in its own process under callgrind. The process builds the skill over the
in-memory repository (as `make bench` does), introduces the household and plays one regular
night untimed; then it plays regular nights until at least `--requests` requests have been
answered. Only the handler calls of those nights are counted: each is made inside
`functools.reduce`, and callgrind collects inside that C function only, so building the
envelopes, the driver and the warm-up are left out. `hello` counts the floor's LaunchRequest.
The environment is the bench's (`lambda_env`, log level INFO as in `make bench`). Needs
valgrind; not part of `make test` or `make bench` (callgrind runs ~50 times slower).
"""
from __future__ import annotations

import argparse
import functools
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.cold import child_code, sample_once
from benchmarks.targets import FLOOR, FLOOR_FIRST, ROOT, SKILL, SKILL_FIRST, Target, lambda_env

KINDS = {"hello": None, "voice": None, "echo_show": "echo_show"}
# The C function whose calls callgrind counts (libpython's _functools.reduce).
COUNTED = "functools_reduce"


def counted(handler: Callable[[dict, Any], dict]) -> Callable[[dict, Any], dict]:
    """`handler`, called inside functools.reduce so that callgrind counts exactly that call."""
    def call(event: dict, context: Any = None) -> dict:
        calls.append(1)
        return functools.reduce(lambda _, __: handler(event, context), (None,), None)

    calls: list[int] = []
    call.calls = calls  # type: ignore[attr-defined]
    return call


def inside(kind: str, requests: int) -> int:
    """Play `kind`'s requests in this process; returns how many were counted."""
    from benchmarks import baseline_floor, skill_adapter, warm

    if kind == "hello":
        event = warm.launch_event()
        for _ in range(50):
            baseline_floor.lambda_handler(event, None)
        hello = counted(baseline_floor.lambda_handler)
        for _ in range(requests):
            hello(event, None)
        return len(hello.calls)  # type: ignore[attr-defined]
    from benchmarks.memory_store import MemoryHouseholdRepository

    device = KINDS[kind]
    handler = skill_adapter.skill_over(MemoryHouseholdRepository())
    skill_adapter.introduce(handler, device=device)
    skill_adapter.play(handler, "regular_night", night=0, device=device)
    skill = counted(handler)
    night = 1
    while len(skill.calls) < requests:  # type: ignore[attr-defined]
        skill_adapter.play(skill, "regular_night", night=night, device=device)
        night += 1
    return len(skill.calls)  # type: ignore[attr-defined]


def measure(kind: str, requests: int) -> dict:
    """Run `kind` under callgrind; instructions per request."""
    with tempfile.TemporaryDirectory() as tmp:
        out, counts = Path(tmp) / "callgrind.out", Path(tmp) / "count.json"
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--collect-atstart=no",
             f"--toggle-collect={COUNTED}", f"--callgrind-out-file={out}",
             sys.executable, "-m", "benchmarks.instructions", "--inside", kind,
             "--requests", str(requests), "--count-file", str(counts)],
            cwd=ROOT, env=lambda_env([SKILL.path, ROOT], LOG_LEVEL="INFO"),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if run.returncode:
            raise RuntimeError(f"{kind} under callgrind failed:\n{run.stderr[-3000:]}")
        total = _total(out.read_text(errors="replace"))
        if total == 0:
            raise RuntimeError(f"callgrind counted nothing: is {COUNTED} among the symbols of "
                               "this Python's libpython (not stripped)?")
        answered = json.loads(counts.read_text())["requests"]
    return {"requests": answered, "instructions": total, "per_request": total / answered}


def cold(target: Target) -> int:
    """Instructions from a fresh interpreter's start until `target` is ready, as cold.py's
    `process_ms` times it: the child leaves with os._exit, so teardown is not counted."""
    sample_once(target)  # bytecode caches written, not counted
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             "-c", child_code(target) + "\nimport os\nos._exit(0)"],
            cwd=target.path, env=lambda_env([target.path, ROOT], **target.env),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if run.returncode:
            raise RuntimeError(f"{target.name} under callgrind failed:\n{run.stderr[-3000:]}")
        return _total(out.read_text(errors="replace"))


def _print_cold() -> None:
    counted = {target.name: cold(target) for target in (FLOOR, SKILL, FLOOR_FIRST, SKILL_FIRST)}
    for name, total in counted.items():
        print(f"{name:12} {total / 1e6:8.1f} M instructions from start to ready")
    print(f"skill / floor {counted['skill'] / counted['floor']:.3f}x; to the first answer "
          f"{counted['skill+first'] / counted['floor+first']:.3f}x")


def _total(callgrind_out: str) -> int:
    match = re.search(r"^(?:summary|totals):\s+(\d+)", callgrind_out, re.MULTILINE)
    if match is None:
        raise RuntimeError("callgrind wrote no totals")
    return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kinds", nargs="*", help=f"any of {', '.join(KINDS)} (default: all)")
    parser.add_argument("--requests", type=int, default=80)
    parser.add_argument("--cold", action="store_true",
                        help="count cold init (floor, skill, and each to its first answer)")
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    parser.add_argument("--count-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        answered = inside(args.inside, args.requests)
        Path(args.count_file).write_text(json.dumps({"requests": answered}))
        return
    if args.cold:
        _print_cold()
        return
    unknown = set(args.kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kind {', '.join(sorted(unknown))}; one of {', '.join(KINDS)}")
    results = {kind: measure(kind, args.requests) for kind in args.kinds or KINDS}
    hello = results.get("hello")
    for kind, result in results.items():
        line = f"{kind:10} {result['per_request'] / 1e6:6.2f} M instructions per request " \
               f"({result['requests']} requests)"
        if hello and kind != "hello":
            line += f", {result['per_request'] / hello['per_request']:.2f}x hello"
        print(line)


if __name__ == "__main__":
    main()
