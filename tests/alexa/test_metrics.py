"""The skill's metrics (CloudWatch Embedded Metric Format in its JSON log lines).

Each line is read as CloudWatch reads it: a valid `_aws` block, every metric and dimension it
names present at the top level, with the values the conversation should have produced.
Conversations are played through lambda_handler on moto, with the fake Alexa API where the
Reminders and Timers APIs take part.
"""
from __future__ import annotations

import json
import logging
import re

import pytest

from checkin import logs, metrics
from checkin.alexa import intents
from checkin.logs import LOGGER_NAME, log
from devtools.alexa_api import REMINDERS_SCOPE, TIMERS_SCOPE
from devtools.envelopes import DEFAULT_SKILL_ID, Conversation
from tests.alexa.test_nightly_and_walk import EVENING, ZONE, allow, ask_for, known_couple
from tests.alexa.test_privacy_logs import Captured, emf_of
from tests.faults import DynamoFaults, no_backoff, play_to_close
from tests.skill_fixtures import EVENING as NINE_PM_UTC
from tests.skill_fixtures import alexa_api, talk_with_api, wire

UNITS = {"Count", "Milliseconds"}
NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,254}")


@pytest.fixture
def lines():
    """The skill's log lines as dicts, as they are written."""
    logger = logging.getLogger(LOGGER_NAME)
    level = logger.level
    captured = Captured()
    logger.addHandler(captured)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in captured.skill_lines()]
    logger.removeHandler(captured)
    logger.setLevel(level)


@pytest.fixture
def api():
    with alexa_api(ZONE) as stub:
        yield stub


def emf_problems(entry: dict) -> list[str]:
    """What CloudWatch would refuse in one line's EMF (its specification, in short)."""
    found = []
    aws = entry["_aws"]
    if not isinstance(aws.get("Timestamp"), int) or aws["Timestamp"] <= 0:
        found.append("Timestamp must be a positive integer of milliseconds")
    directives = aws.get("CloudWatchMetrics")
    if not isinstance(directives, list) or not directives:
        return found + ["CloudWatchMetrics must be a non-empty list"]
    for directive in directives:
        if not isinstance(directive.get("Namespace"), str) or not directive["Namespace"]:
            found.append("each directive needs a Namespace")
        dimension_sets = directive.get("Dimensions")
        if not isinstance(dimension_sets, list) or not dimension_sets:
            found.append("each directive needs a list of dimension sets")
            continue
        for dimension_set in dimension_sets:
            if len(dimension_set) > 30:
                found.append("a dimension set holds at most 30 dimensions")
            for name in dimension_set:
                if not isinstance(entry.get(name), str) or not entry[name]:
                    found.append(f"dimension {name} needs a non-empty string at the top level")
        for metric in directive.get("Metrics", []):
            name = metric.get("Name", "")
            if not NAME.fullmatch(name) or metric.get("Unit") not in UNITS:
                found.append(f"bad metric declaration {metric}")
            value = entry.get(name)
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                found.append(f"metric {name} needs a number at the top level")
            if name in metrics.DIMENSIONS:
                found.append(f"{name} is both a metric and a dimension")
    return found


def totals(entries: list[dict]) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Sum of each metric by its dimension values, over lines that carry metrics."""
    summed: dict = {}
    for entry in entries:
        if "_aws" not in entry:
            continue
        assert emf_problems(entry) == [], entry
        values, dimensions = emf_of(entry)
        for name, value in values.items():
            declared = {d for directive in entry["_aws"]["CloudWatchMetrics"]
                        if any(m["Name"] == name for m in directive["Metrics"])
                        for s in directive["Dimensions"] for d in s}
            key = (name, tuple(sorted((d, dimensions[d]) for d in declared)))
            summed[key] = summed.get(key, 0) + value
    return summed


def total(summed: dict, name: str, **dimensions: str) -> float:
    return sum(v for (n, dims), v in summed.items()
               if n == name and set(dimensions.items()) <= set(dims))


# --- the format --------------------------------------------------------------------------------

def test_every_metric_is_declared_once_with_a_unit_and_known_dimensions():
    for name, (unit, sets) in metrics.METRICS.items():
        assert NAME.fullmatch(name) and unit in UNITS and sets
        assert all(set(s) <= metrics.DIMENSIONS for s in sets), name
    assert not set(metrics.METRICS) & metrics.DIMENSIONS


def test_a_whole_first_evening_writes_valid_emf_with_what_it_did(talk, lines):
    # When a new couple gives their names and completes a check-in
    talk.launch()
    play_to_close(talk)
    entries = lines()
    summed = totals(entries)
    # Then every request wrote one line with its duration, and each line's EMF is valid
    requests = [e for e in entries if e["log"] == "request"]
    # (ten, and the answer to the plan the close offers)
    assert len(requests) == 11 and all("_aws" in e for e in requests)
    assert total(summed, "RequestDuration") > 0
    assert total(summed, "StoreDuration") > 0
    # and the ritual was counted as started once (at home, in en-US) and completed once
    assert total(summed, "RitualsStarted", Mode="home") == 1
    assert total(summed, "RitualsStarted", Locale="en-US") == 1
    assert total(summed, "Rituals", Outcome="completed") == 1
    assert total(summed, "Rituals") == 1 and total(summed, "StoreFaults") == 0
    # stamped with the requests' own time, not the machine's
    stamps = [e["_aws"]["Timestamp"] for e in requests]
    assert stamps[0] == int(NINE_PM_UTC.timestamp()) * 1000 and stamps == sorted(stamps)


def test_a_stopped_ritual_counts_as_stopped_and_a_resent_request_counts_nothing(talk, lines):
    talk.launch()
    talk.intent(intents.NAME, name="Sam")
    talk.intent(intents.NAME, name="Alex")
    talk.intent(intents.YES)
    talk.advance(60)
    talk.intent(intents.STOP)
    summed = totals(lines())
    assert total(summed, "Rituals", Outcome="stopped") == 1
    assert total(summed, "Rituals") == 1


def test_lines_keep_their_metrics_whatever_the_log_level(talk):
    logger = logging.getLogger(LOGGER_NAME)
    captured = Captured()
    level = logger.level
    logger.addHandler(captured)
    logger.setLevel(logging.ERROR)
    try:
        log("plain_info_line", logging.INFO)
        talk.launch()
    finally:
        logger.removeHandler(captured)
        logger.setLevel(level)
    entries = [json.loads(line) for line in captured.skill_lines()]
    # Then the plain line is dropped and every line with metrics is still written
    assert "request" in [e["log"] for e in entries]
    assert all("_aws" in e for e in entries)


def test_outside_a_request_a_line_carries_no_metrics():
    assert metrics.current() is None
    assert metrics.ritual_recorded("completed") is None
    metrics.count("RitualsStarted", Mode="home")  # nothing to count it on; no error either


def test_the_namespace_is_configurable():
    _request, token = metrics.begin(1_800_000_000)
    try:
        metrics.configure("ConnectionCheckIn/staging")
        emf = metrics.ritual_recorded("completed")
        metrics.configure("")
        again = metrics.ritual_recorded("completed")
    finally:
        metrics.end(token)
        metrics.configure(metrics.DEFAULT_METRICS_NAMESPACE)
    assert emf is not None and again is not None
    assert json.loads(emf.aws)["CloudWatchMetrics"][0]["Namespace"] == "ConnectionCheckIn/staging"
    assert json.loads(again.aws)["CloudWatchMetrics"][0]["Namespace"] == "ConnectionCheckIn"
    assert json.loads(emf.aws)["Timestamp"] == 1_800_000_000_000


@pytest.mark.parametrize(("code", "status", "kind"), [
    ("ProvisionedThroughputExceededException", 400, "throttled"),
    ("ThrottlingException", 400, "throttled"),
    ("InternalServerError", 500, "server"),
    ("SomethingNew", 503, "server"),
    ("ReadTimeoutError", 0, "timeout"),
    ("EndpointConnectionError", 0, "unreachable"),
    ("UnreadableItem", 0, "unreadable"),
    ("SomethingElse", 400, "other"),
    ("late", 0, "late"),
])
def test_store_faults_are_sorted_into_a_few_kinds(code, status, kind):
    assert metrics.store_fault_kind(code, status) == kind


@pytest.mark.parametrize(("locale", "dimension"), [
    ("en-US", "en-US"), ("en-GB", "en-GB"), ("xx", "other"), (None, "other"),
    ("en-US'; DROP", "other"), ("Sam", "other")])
def test_a_locale_dimension_is_a_locale_or_other(locale, dimension):
    assert metrics.locale_dimension(locale) == dimension


# --- what is counted ------------------------------------------------------------------------------

def test_a_resumed_ritual_is_counted_as_resumed_not_started_again(talk, lines):
    talk.launch()
    talk.intent(intents.NAME, name="Sam")
    talk.intent(intents.NAME, name="Alex")
    talk.intent(intents.YES)
    talk.advance(60)
    talk.intent(intents.DONE)
    talk.end_session("EXCEEDED_MAX_REPROMPTS")
    talk.advance(600)
    talk.launch()
    talk.intent(intents.YES)  # a good time
    talk.intent(intents.YES)  # pick up where we left off
    summed = totals(lines())
    assert total(summed, "RitualsStarted") == 1 and total(summed, "RitualsResumed") == 1


def test_permission_answers_and_a_walk_are_counted(monkeypatch, moto_repository, api, lines):
    talk = talk_with_api(monkeypatch, moto_repository, api, EVENING)
    known_couple(talk)
    # "Start a walk check-in": timers are asked for, and allowed
    talk.intent(intents.START_WALK)
    directive = ask_for(talk)
    allow(talk, api, TIMERS_SCOPE)
    talk.connections_response("ACCEPTED", token=directive["token"])
    talk.intent(intents.YES)
    # A nightly reminder is asked for, and refused
    if talk.session_open:
        talk.end_session("USER_INITIATED")
    talk.intent(intents.REMIND, time="21:00")
    talk.connections_response("DENIED", token=ask_for(talk)["token"])
    summed = totals(lines())
    assert total(summed, "PermissionAnswers", Permission="timers", Outcome="accepted") == 1
    assert total(summed, "PermissionAnswers", Permission="reminders", Outcome="denied") == 1
    assert total(summed, "RitualsStarted", Mode="walk") == 1


def test_alexa_api_failures_are_counted_by_api_and_status(monkeypatch, moto_repository, api,
                                                         lines):
    talk = talk_with_api(monkeypatch, moto_repository, api, EVENING)
    known_couple(talk)
    allow(talk, api, TIMERS_SCOPE)
    allow(talk, api, REMINDERS_SCOPE)
    api.fail_always("/v1/alerts/timers", 500)
    talk.launch()
    talk.intent(intents.YES)  # the first turn's timer fails; the turn is kept in session
    api.fail_next("/v1/alerts/reminders", 429)
    talk.intent(intents.REMIND, time="21:00")
    summed = totals(lines())
    assert total(summed, "ApiFailures", Api="timers", Status="500") >= 1
    assert total(summed, "ApiFailures", Api="reminders", Status="429") == 1


def test_an_alexa_api_that_does_not_answer_is_counted_with_no_status(monkeypatch,
                                                                     moto_repository, lines):
    from devtools.dynamodb_local import free_port

    handler = wire(monkeypatch, moto_repository, DEFAULT_SKILL_ID)
    talk = Conversation(handler, start=EVENING, api_endpoint=f"http://127.0.0.1:{free_port()}")
    talk.launch()  # the Settings API (time zone) is asked, and the port is closed
    summed = totals(lines())
    assert total(summed, "ApiFailures", Api="settings", Status="none") == 1


def test_a_store_fault_is_counted_by_kind(monkeypatch, moto_server, lines):
    from checkin.store.client import make_dynamodb_client
    from checkin.store.repository import HouseholdRepository
    from devtools.table import create_table

    client = make_dynamodb_client(endpoint_url=moto_server)
    create_table(client, "checkin-metrics-faults")
    try:
        faults = DynamoFaults(client)
        no_backoff(monkeypatch)
        handler = wire(monkeypatch, HouseholdRepository(client, "checkin-metrics-faults"),
                       DEFAULT_SKILL_ID)
        talk = Conversation(handler, start=EVENING)
        # When every attempt of the launch's read is throttled, and later a write fails with 5xx
        faults.fail("throttle", operations={"Query"})
        talk.launch()
        faults.heal()
        talk.intent(intents.NAME, name="Sam")
        faults.fail("5xx", operations={"PutItem"})
        talk.intent(intents.NAME, name="Alex")
    finally:
        client.delete_table(TableName="checkin-metrics-faults")
    entries = lines()
    summed = totals(entries)
    # Then each is counted once, by kind, on a line that names the error code
    assert total(summed, "StoreFaults", Kind="throttled") == 1
    assert total(summed, "StoreFaults", Kind="server") == 1
    assert total(summed, "StoreFaults") == 2
    failed = [e for e in entries if e["log"] == "store_failed"]
    assert [e["code"] for e in failed] == ["ProvisionedThroughputExceededException",
                                           "ServiceUnavailable"]


def test_the_log_module_writes_the_metrics_block_last_as_one_json_object():
    _request, token = metrics.begin(1_800_000_000)
    try:
        emf = metrics.store_fault("ThrottlingException", 400)
    finally:
        metrics.end(token)
    captured = Captured()
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(captured)
    try:
        logs.log("store_failed", logging.WARNING, emf, effect="SaveCheckpoint")
    finally:
        logger.removeHandler(captured)
    [line] = captured.skill_lines()
    entry = json.loads(line)
    assert line.endswith("}}") and list(entry)[-1] == "_aws"
    assert emf_problems(entry) == []
    assert entry["StoreFaults"] == 1 and entry["Kind"] == "throttled"
