"""After the load: the table, read back, against what every household heard; and the metrics
the skill wrote, against the table.

Per household (by its hashed key, as the skill stores it):
* every ritual it heard closed is recorded as completed, once (else: lost);
* no ritual is recorded twice, and none it never began (else: duplicated, stray);
* every ritual it began is recorded (else: lost), and no checkpoint is left over;
* its profile counts exactly its completed records, each of six turns;
* it completed as many as its scenario plays (two on two devices, one otherwise).
Over the whole table: no ritual record of a household the load does not know.
From the skill's log lines: one `request` line per request sent, and the EMF `Rituals` count
of completed check-ins equal to the completed records in the table.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from checkin.ritual.history import COMPLETED
from checkin.ritual.state import TURNS_PER_RITUAL
from checkin.store.keys import household_key
from checkin.store.repository import RITUAL_PREFIX, HouseholdRepository


def check_table(client: Any, table: str, salt: str, households: list[dict]) -> dict:
    repository = HouseholdRepository(client, table)
    problems: list[str] = []
    lost = duplicated = completed_records = 0
    keys = set()
    for household in households:
        key = household_key(household["user_id"], salt)
        keys.add(key)
        now = household["last_now"]
        where = f"household {household['index']} ({household['scenario']})"
        records = repository.rituals(key, now)
        snapshot = repository.load(key, now)
        by_id = Counter(r.ritual_id for r in records)
        doubled = sum(n - 1 for n in by_id.values() if n > 1)
        duplicated += doubled
        if doubled:
            problems.append(f"{where}: ritual recorded more than once: {dict(by_id)}")
        completed = {r.ritual_id for r in records if r.outcome == COMPLETED}
        completed_records += sum(1 for r in records if r.outcome == COMPLETED)
        missing = set(household["closed"]) - completed
        unrecorded = set(household["started"]) - set(by_id) - missing
        lost += len(missing) + len(unrecorded)
        if missing:
            problems.append(f"{where}: closed but not recorded as completed: {sorted(missing)}")
        if unrecorded:
            problems.append(f"{where}: begun but never recorded: {sorted(unrecorded)}")
        stray = set(by_id) - set(household["started"])
        if stray:
            problems.append(f"{where}: records of rituals it never began: {sorted(stray)}")
        short = [r.ritual_id for r in records if r.outcome == COMPLETED
                 and len(r.turns) != TURNS_PER_RITUAL]
        if short:
            problems.append(f"{where}: completed without six turns: {short}")
        counted = snapshot.profile.completed if snapshot.profile else 0
        if counted != len(completed):
            # Counted more often than it was ever closed: counted twice (a loss shows above).
            duplicated += max(0, counted - len(completed | set(household["closed"])))
            problems.append(f"{where}: profile counts {counted}, records hold {len(completed)}")
        if len(completed) != household["expected_completions"] and not household["errors"]:
            problems.append(f"{where}: {len(completed)} completed, the scenario plays "
                            f"{household['expected_completions']}")
        if snapshot.checkpoints:
            problems.append(f"{where}: {len(snapshot.checkpoints)} checkpoint(s) left over")
    strays = _records_of_unknown_households(client, table, keys)
    if strays:
        problems.append(f"{strays} ritual record(s) of households the load does not know")
    return {"completed_records": completed_records, "lost": lost, "duplicated": duplicated,
            "stray_records": strays, "problems": problems}


def _records_of_unknown_households(client: Any, table: str, keys: set[str]) -> int:
    strays = 0
    request: dict[str, Any] = {"TableName": table, "ProjectionExpression": "pk, sk"}
    while True:
        page = client.scan(**request)
        for item in page.get("Items", []):
            if item["sk"]["S"].startswith(RITUAL_PREFIX) and item["pk"]["S"] not in keys:
                strays += 1
        if "LastEvaluatedKey" not in page:
            return strays
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def read_metrics(log_paths: Iterable[Path]) -> dict:
    """Sum the EMF metrics of the skill's log lines, as CloudWatch would: by metric and by the
    dimension values of each of its dimension sets; and count the request lines."""
    sums: Counter = Counter()
    request_lines = 0
    for path in log_paths:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if not line.startswith("{") or '"_aws"' not in line:
                    continue
                entry = json.loads(line)
                if entry.get("log") == "request":
                    request_lines += 1
                for directive in entry["_aws"]["CloudWatchMetrics"]:
                    for metric in directive["Metrics"]:
                        name = metric["Name"]
                        for dimensions in directive["Dimensions"]:
                            label = ",".join(f"{d}={entry[d]}" for d in dimensions)
                            sums[f"{name}{{{label}}}" if label else name] += entry[name]
    return {"request_lines": request_lines, "sums": dict(sorted(sums.items()))}
