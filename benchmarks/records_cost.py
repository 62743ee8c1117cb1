"""What defining the skill's records costs at cold start: `record` against plain dataclasses.

Every class the skill decorates with `record` is rebuilt from its fields and decorated again,
once by `record`, once by `@dataclass(frozen=True)` and once with `slots=True`; the best of
15 rounds of each is printed, in milliseconds. Run it on the template's Python:
    PYTHONPATH=lambda:. python3.13 -m benchmarks.records_cost
It needs only the standard library and the skill's pure modules.
"""
from __future__ import annotations

import dataclasses
import gc
import importlib
import time
from collections.abc import Callable

from checkin import records

# The modules that define the records the skill uses.
DEFINING = ("checkin.ritual.machine", "checkin.ritual.stages", "checkin.speech.render")

ROUNDS = 15


def record_classes() -> list[type]:
    return [c for c in gc.get_objects()
            if isinstance(c, type) and "__record_fields__" in vars(c)]


def _namespace(cls: type) -> dict:
    namespace: dict = {"__annotations__": dict(cls.__annotations__), "__module__": cls.__module__}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            namespace[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f.name] = dataclasses.field(default_factory=f.default_factory)
    return namespace


def best_ms(classes: list[type], decorate: Callable[[type], type]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        fresh = [type(c.__name__, (), _namespace(c)) for c in classes]
        started = time.perf_counter()
        for cls in fresh:
            decorate(cls)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    for name in DEFINING:
        importlib.import_module(name)
    classes = record_classes()
    print(f"{len(classes)} record classes")
    for label, decorate in (("record", records.record),
                            ("dataclass(frozen=True)", dataclasses.dataclass(frozen=True)),
                            ("dataclass(frozen=True, slots=True)",
                             dataclasses.dataclass(frozen=True, slots=True))):
        print(f"{label:36} {best_ms(classes, decorate):6.1f} ms")


if __name__ == "__main__":
    main()
