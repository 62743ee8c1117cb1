"""The load harness (`make load`) with tiny counts: it runs end to end, through the handler and
through gunicorn, and its check against the table finds what it must find.

`make load` itself is not part of `make test` (it takes minutes and measures speed); these
runs have no pause between requests and check correctness only.
"""
from __future__ import annotations

import json
import uuid

import pytest

from checkin.store.client import make_dynamodb_client
from checkin.store.codec import encode
from checkin.store.keys import household_key
from checkin.store.repository import PROFILE_SK, RITUAL_PREFIX, HouseholdRepository
from devtools.envelopes import DEFAULT_MODEL_PATH, DEFAULT_SKILL_ID
from devtools.table import create_table
from loadtest import check, run
from loadtest.households import SCENARIOS, Household, scenario_for
from tests.clients import PATIENT
from tests.skill_fixtures import wire


def test_every_scenario_is_in_the_first_twenty_households():
    assert {scenario_for(i) for i in range(20)} == set(SCENARIOS)


def test_a_small_load_through_the_handler_passes_its_own_check():
    results = run.run("lambda", households=20, processes=2, warm_up=2, pause=0.0)
    figures = results["figures"]
    assert results["passed"], results["check"]["problems"] + results["errors"]
    assert set(results["meta"]["scenarios"]) == set(SCENARIOS)
    # 11 plain, 3 on two devices (two each), 3 interrupted, 3 faulted; and 2 to warm up
    assert figures["completed_records"] == 11 + 2 * 3 + 3 + 3 + 2
    assert figures["lost"] == figures["duplicated"] == figures["errors"] == 0
    # the faults were injected and told: a failed checkpoint, and a failed completion
    assert figures["faults_injected"] > 0 and figures["failures_told"] == 2
    # and the skill's own metrics agree with the table
    sums = results["metrics"]["sums"]
    assert sums["Rituals{Outcome=completed}"] == figures["completed_records"]
    assert sums["RitualsResumed"] == 3
    assert sums["StoreFaults{Kind=throttled}"] == 1 and sums["StoreFaults{Kind=server}"] == 1
    assert figures["requests"] > 200 and figures["latency_ms"]["p99"] > 0


def test_a_sustained_load_keeps_its_households_playing_until_the_window_ends():
    # 4 seats, no pause: each plays evening after evening for 3 s, then closes the one under
    # way; every evening is checked, and only requests begun in the window are timed.
    results = run.run("lambda", households=4, processes=1, warm_up=0, pause=0.0, seconds=3.0)
    figures = results["figures"]
    assert results["passed"], results["check"]["problems"] + results["errors"]
    assert results["meta"]["window_seconds"] == 3.0 and figures["seconds"] == 3.0
    assert figures["evenings"] > 4
    # seats 0-3 play plain first evenings: one check-in recorded for each evening played
    assert figures["completed_records"] == figures["evenings"]
    assert figures["requests_after_window"] > 0
    assert figures["requests"] + figures["requests_after_window"] == \
        results["metrics"]["request_lines"]
    assert figures["requests_per_second"] == round(figures["requests"] / 3.0, 1)


def test_the_same_load_through_gunicorn_passes_its_own_check():
    results = run.run("http", households=8, processes=1, workers=2, threads=2, warm_up=0,
                      pause=0.0)
    assert results["passed"], results["check"]["problems"] + results["errors"]
    assert results["meta"]["server"] == {"workers": 2, "threads": 2}
    assert results["figures"]["completed_records"] == 8  # households 0-7 play plain evenings
    assert results["metrics"]["request_lines"] == results["figures"]["requests"]


@pytest.fixture
def played(dynamodb_local, monkeypatch):
    """Three households' first evenings through lambda_handler, on DynamoDB Local."""
    client = make_dynamodb_client(endpoint_url=dynamodb_local.endpoint_url, config=PATIENT)
    table = f"checkin-load-check-{uuid.uuid4().hex[:8]}"
    create_table(client, table, expire=False)
    handler = wire(monkeypatch, HouseholdRepository(client, table), DEFAULT_SKILL_ID)
    model = json.loads(DEFAULT_MODEL_PATH.read_text())
    households = []
    for index in range(3):
        household = Household(index, "first_evening", uuid.uuid4().hex[:6].upper(), None)
        household.play(handler, model, "http://127.0.0.1:9")
        households.append(household.result())
    yield client, table, households
    client.delete_table(TableName=table)


def _ritual_items(client, table: str, user_id: str) -> list[dict]:
    key = household_key(user_id, "")
    items = client.query(TableName=table, KeyConditionExpression="pk = :pk",
                         ExpressionAttributeValues={":pk": encode(key)})["Items"]
    return [i for i in items if i["sk"]["S"].startswith(RITUAL_PREFIX)]


def test_the_check_finds_a_lost_a_doubled_and_a_miscounted_check_in(played):
    client, table, households = played
    # Given three evenings the check finds whole (one completed check-in each)
    assert check.check_table(client, table, "", households)["problems"] == []
    first, second, third = households
    # When one record disappears, one is stored twice, and one profile counts one more
    [lost] = _ritual_items(client, table, first["user_id"])
    client.delete_item(TableName=table, Key={"pk": lost["pk"], "sk": lost["sk"]})
    [doubled] = _ritual_items(client, table, second["user_id"])
    client.put_item(TableName=table, Item={**doubled, "sk": {"S": doubled["sk"]["S"] + "x"}})
    client.update_item(TableName=table,
                       Key={"pk": encode(household_key(third["user_id"], "")),
                            "sk": encode(PROFILE_SK)},
                       UpdateExpression="SET #data.#completed = :two",
                       ExpressionAttributeNames={"#data": "data", "#completed": "completed"},
                       ExpressionAttributeValues={":two": encode(2)})
    # Then the check says so, of each
    found = check.check_table(client, table, "", households)
    assert found["lost"] == 1 and found["duplicated"] == 2  # the doubled record, the miscount
    problems = "\n".join(found["problems"])
    assert "household 0 (first_evening): closed but not recorded as completed" in problems
    assert "household 1 (first_evening): ritual recorded more than once" in problems
    assert "household 2 (first_evening): profile counts 2, records hold 1" in problems
