"""The table `make bench` prints, and the pass/fail of each target of issues 7, 3 and 12."""
from __future__ import annotations

import math

TARGETS = {
    "cold_skill_over_floor": 1.1,
    "cold_skill_over_usual": 0.9,
    "warm_median_over_hello": 2.5,  # issue 12: ask-sdk's own serializer, no private overrides
    "warm_screen_median_over_hello": 2.5,  # issue 13: every answer draws a screen (Echo Show)
    "reads_per_session": 1,
    "throttled_worst_ms": 3000.0,
    "package_mb": 5.0,
}


def _get(data: dict, *path: str, default=None):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def targets(results: dict) -> dict:
    """Each target: its measured value, the limit, and whether it is met (None: not measured)."""
    ratios = _get(results, "cold_init", "ratios", default={})
    scenarios = results.get("dynamodb") if isinstance(results.get("dynamodb"), dict) else {}
    reads = [s.get("max_reads_per_session") for s in scenarios.values()
             if isinstance(s, dict) and "max_reads_per_session" in s]
    regular = scenarios.get("regular_night", {}) if scenarios else {}
    throttle = _get(results, "faults", "throttle", default={})
    throttled = [m.get("worst_ms") for m in throttle.values() if isinstance(m, dict)
                 and m.get("worst_ms") is not None]
    values = {
        "cold_skill_over_floor": ratios.get("skill/floor.process_ms"),
        "cold_skill_over_usual": ratios.get("skill/usual.process_ms"),
        "warm_median_over_hello": _get(results, "warm", "ratio_median"),
        "warm_screen_median_over_hello": _get(results, "warm_screen", "ratio_median"),
        "reads_per_session": max(reads) if reads else None,
        "writes_over_turn_boundaries": (
            regular["writes"] - regular["turn_boundaries"] if "writes" in regular else None),
        "throttled_worst_ms": max(throttled) if throttled else None,
        "package_mb": (_get(results, "package", "zip_mb")
                       if _get(results, "package", "within_limit") is not None else None),
    }
    limits = dict(TARGETS, writes_over_turn_boundaries=0)
    return {name: {"value": value, "limit": limits[name],
                   "met": None if value is None else value <= limits[name]}
            for name, value in values.items()}


def _ms(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.2f} ms" if value < 10 \
        else f"{value:.1f} ms"


def _x(value) -> str:
    return "-" if value is None else f"{value:.3f}x"


def _ok(target: dict) -> str:
    return {True: "ok", False: "MISSED", None: "n/a"}[target["met"]]


def table(results: dict) -> str:
    t = results.get("targets") or targets(results)
    meta = results.get("meta", {})
    rows: list[tuple[str, str, str, str]] = []

    def add(figure: str, value: str, ratio: str = "", verdict: str = "") -> None:
        rows.append((figure, value, ratio, verdict))

    cold = _get(results, "cold_init", "targets", default={})
    n = _get(results, "cold_init", "rounds")
    for name in ("empty", "floor", "usual", "skill", "skill, gc on", "floor+first",
                 "skill+first", "deployed, plain", "deployed, bytecode"):
        if name in cold:
            label = name.replace("+first", " + 1st launch")
            add(f"cold init, {label} (median of {n})",
                f"{_ms(cold[name]['process_ms'])} (import {_ms(cold[name]['import_ms'])})")
    for name, error in _get(results, "cold_init", "failed", default={}).items():
        add(f"cold init, {name}", "FAILED: " + error.strip().splitlines()[-1][:70])
    ratios = _get(results, "cold_init", "ratios", default={})
    paired = _get(results, "cold_init", "paired_ratios", default={})
    add("  skill / floor, spawn to ready", "", _x(ratios.get("skill/floor.process_ms")),
        f"{_ok(t['cold_skill_over_floor'])} (<= 1.1x); paired "
        f"{_x(paired.get('skill/floor.process_ms'))}")
    add("  skill / usual, spawn to ready", "", _x(ratios.get("skill/usual.process_ms")),
        f"{_ok(t['cold_skill_over_usual'])} (<= 0.9x); paired "
        f"{_x(paired.get('skill/usual.process_ms'))}")
    add("  floor / usual, spawn to ready", "", _x(ratios.get("floor/usual.process_ms")))
    add("  skill / floor, import only", "", _x(ratios.get("skill/floor.import_ms")))
    if "skill, gc on/floor.process_ms" in ratios:
        add("  skill with gc on during init / floor", "",
            _x(ratios.get("skill, gc on/floor.process_ms")))
    if "skill+first/floor+first.process_ms" in ratios:
        add("  skill / floor, to the first answer", "",
            _x(ratios.get("skill+first/floor+first.process_ms")))
    if "deployed, bytecode/deployed, plain.process_ms" in ratios:
        add("  deployed: with bytecode / as sam build leaves it", "",
            _x(ratios.get("deployed, bytecode/deployed, plain.process_ms")))

    warm = results.get("warm", {})
    if "skill" in warm:
        add(f"warm request, skill ritual (n={warm['skill']['n']})",
            f"median {_ms(warm['skill']['median_ms'])}, p99 {_ms(warm['skill']['p99_ms'])}")
        add(f"warm request, hello launch (n={warm['floor_launch']['n']})",
            f"median {_ms(warm['floor_launch']['median_ms'])}, "
            f"p99 {_ms(warm['floor_launch']['p99_ms'])}")
        add("  skill / hello, median", "", _x(warm.get("ratio_median")),
            f"{_ok(t['warm_median_over_hello'])} "
            f"(<= {TARGETS['warm_median_over_hello']}x)")
        add("  skill / hello, p99", "", _x(warm.get("ratio_p99")))
    elif warm:
        add("warm request", str(warm.get("error") or warm.get("skipped"))[:60])
    screen = results.get("warm_screen", {})
    if "skill" in screen:
        add(f"warm request, skill ritual on an Echo Show (n={screen['skill']['n']})",
            f"median {_ms(screen['skill']['median_ms'])}, p99 {_ms(screen['skill']['p99_ms'])}")
        add("  skill with a screen / hello, median", "", _x(screen.get("ratio_median")),
            f"{_ok(t['warm_screen_median_over_hello'])} "
            f"(<= {TARGETS['warm_screen_median_over_hello']}x)")
        add("  skill with a screen / hello, p99", "", _x(screen.get("ratio_p99")))
    elif screen:
        add("warm request, Echo Show", str(screen.get("error") or screen.get("skipped"))[:60])

    scenarios = results.get("dynamodb", {})
    for name, s in scenarios.items():
        if isinstance(s, dict) and "calls" in s:
            per_session = "/".join(str(x["reads"]) for x in s["sessions"])
            add(f"DynamoDB, {name.replace('_', ' ')}",
                f"{s['calls']} calls: {s['reads']} R + {s['writes']} W in {s['requests']} req, "
                f"{len(s['sessions'])} session(s)",
                f"R/session {per_session}; {s['turn_boundaries']} boundaries")
    if scenarios:
        add("  reads per Alexa session (max)", "", str(t["reads_per_session"]["value"]),
            f"{_ok(t['reads_per_session'])} (<= 1)")
        add("  writes beyond 1 per turn boundary", "",
            str(t["writes_over_turn_boundaries"]["value"]),
            f"{_ok(t['writes_over_turn_boundaries'])} (regular night)")

    faults = results.get("faults", {})
    for kind in ("throttle", "5xx", "timeout"):
        for mode, r in faults.get(kind, {}).items():
            if "worst_ms" in r:
                add(f"worst response, {kind} ({mode})",
                    f"{_ms(r['worst_ms'])} ({r['worst_request']}, {r['requests']} req)",
                    "spoken" if r["all_spoken"] else "NOT ALL SPOKEN")
            else:
                add(f"worst response, {kind} ({mode})", str(r.get("error", ""))[:60])
    if faults.get("throttle"):
        add("  worst under throttling", "", _ms(t["throttled_worst_ms"]["value"]),
            f"{_ok(t['throttled_worst_ms'])} (< 3 s)")

    pkg = results.get("package", {})
    if "zip_bytes" in pkg:
        label = ("package zip, with bytecode (runtime's excluded)" if "dependencies" not in pkg
                 else "package zip (lambda/ only: quick run)")
        sources = f"; sources only {pkg['sources_zip_mb']:.2f} MB" if "sources_zip_mb" in pkg \
            else ""
        add(label, f"{pkg['zip_mb']:.2f} MB{sources}",
            f"{pkg['runtime']} {pkg['architecture']}", f"{_ok(t['package_mb'])} (<= 5 MB)")
    elif pkg:
        add("package zip", str(pkg.get("error", ""))[:60])

    c = results.get("cost", {})
    if "usd_per_1000_cold" in c:
        add(f"cost per 1,000 check-ins @ {c['memory_mb']} MB",
            f"${c['usd_per_1000_cold']:.4f} cold, ${c['usd_per_1000_warm']:.4f} warm",
            f"prices of {c['prices_looked_up']}")
    snap = results.get("snapstart", {})
    if "per_month" in snap:
        row = snap["per_month"][1] if len(snap["per_month"]) > 1 else snap["per_month"][0]
        add(f"SnapStart, {row['households']:,} households/month",
            f"+${row['net_extra_usd']:.2f} (cache ${row['cache_usd']:.2f}, "
            f"restores ${row['restore_usd']:.2f})",
            f"saves {row['init_seconds_saved'] / 3600:.1f} h of init")

    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    header = (f"Connection Check-In benchmarks: {meta.get('when', '')}, git {meta.get('git', '')}, "
              f"Python {meta.get('python', '')}, {meta.get('cpus', '?')} CPUs"
              f"{' (QUICK: tiny counts, not figures)' if meta.get('quick') else ''}")
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip())
    return "\n".join(lines)
