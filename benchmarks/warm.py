"""Warm work per request: the handler's own time once the container is up, with no I/O.

The skill runs whole rituals (every request of one complete check-in, in order, with session
attributes threaded as Alexa would) against an in-memory repository, so what is timed is
ask-sdk dispatch, the skill's interceptors and handlers, the ritual engine and response
rendering. The floor's hello-world skill answers its LaunchRequest. Blocks alternate, one
ritual of the skill then as many floor launches as the ritual had requests (A/B interleaving),
until each side has at least `min_requests` samples. Only the `lambda_handler(event, context)`
call is inside the timer; building the next envelope is not. Garbage collection stays on, as
in Lambda. A first untimed block warms caches.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable

from benchmarks.stats import percentile, ratio, summary
from benchmarks.targets import ROOT

Handler = Callable[[dict, object], dict]
# Drives one complete ritual, calling the handler it is given for every request.
RitualDriver = Callable[[Handler, int], None]


def launch_event() -> dict:
    return json.loads((ROOT / "tests" / "events" / "launch_request.json").read_text())


class TimedHandler:
    """Wraps a handler; records the time of each call and a label for the request."""

    def __init__(self, handler: Handler):
        self.handler = handler
        self.samples: list[int] = []
        self.labels: list[str] = []
        self.recording = True

    def __call__(self, event: dict, context: object = None) -> dict:
        start = time.perf_counter_ns()
        response = self.handler(event, context)
        elapsed = time.perf_counter_ns() - start
        if self.recording:
            self.samples.append(elapsed)
            self.labels.append(request_label(event))
        return response


def request_label(event: dict) -> str:
    request = event.get("request", {})
    kind = request.get("type", "?")
    if kind == "IntentRequest":
        return request.get("intent", {}).get("name", kind)
    return kind


def _per_position(samples: list[int], labels: list[str]) -> list[float]:
    """One ritual's requests, each the median over all rituals of that position (ms)."""
    length = len(labels) // max(1, labels.count(labels[0])) if labels else 0
    if not length or len(samples) % length:
        return [s / 1e6 for s in samples[:length]]
    return [percentile([s / 1e6 for s in samples[i::length]], 50) for i in range(length)]


def measure(skill_handler: Handler, drive_ritual: RitualDriver, floor_handler: Handler,
            min_requests: int = 2000) -> dict:
    skill = TimedHandler(skill_handler)
    floor = TimedHandler(floor_handler)
    event = launch_event()

    def floor_block(count: int) -> None:
        for _ in range(count):
            floor(event, None)

    skill.recording = floor.recording = False
    drive_ritual(skill, 0)
    floor_block(50)
    skill.recording = floor.recording = True
    ritual = 1
    while len(skill.samples) < min_requests or len(floor.samples) < min_requests:
        before = len(skill.samples)
        drive_ritual(skill, ritual)
        ritual += 1
        floor_block(max(1, len(skill.samples) - before))
    skill_stats, floor_stats = summary(skill.samples), summary(floor.samples)
    by_label: dict[str, list[int]] = {}
    for label, sample in zip(skill.labels, skill.samples, strict=True):
        by_label.setdefault(label, []).append(sample)
    return {
        "rituals": ritual - 1,
        "requests_per_ritual": len(skill.samples) / max(1, ritual - 1),
        "skill": skill_stats,
        "floor_launch": floor_stats,
        "ratio_median": ratio(skill_stats["median_ms"], floor_stats["median_ms"]),
        "ratio_p99": ratio(skill_stats["p99_ms"], floor_stats["p99_ms"]),
        "skill_by_request": {
            label: {"n": len(v), "median_ms": percentile([x / 1e6 for x in v], 50),
                    "p99_ms": percentile([x / 1e6 for x in v], 99)}
            for label, v in sorted(by_label.items())
        },
        "skill_ms_per_ritual": _per_position(skill.samples, skill.labels),
    }
