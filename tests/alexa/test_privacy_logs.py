"""Logs are JSON lines that never name the partners, nor carry the Alexa user or device id,
and their metrics (CloudWatch EMF) have no dimension that could tell one household from another.

A whole evening is played through lambda_handler (names, a safety request, pauses, history,
stopping, deleting, disabling) while every log record is captured: the skill's own `checkin`
logger at DEBUG, and every other library's logger at INFO.
"""
from __future__ import annotations

import json
import logging
import re
from xml.sax.saxutils import escape

import pytest

from checkin import metrics
from checkin.alexa import intents
from checkin.logs import LOGGER_NAME
from checkin.ritual.state import Stage
from checkin.store.keys import household_key
from devtools.envelopes import DEFAULT_SKILL_ID, Conversation
from tests.skill_fixtures import EVENING, wire

# Fixtures shared with the other conversation tests.

USER_ID = "amzn1.ask.account.AFPRIVACYCHECK7Q3ZLOGSNEVERSHOWME"
DEVICE_ID = "amzn1.ask.device.AGDEVICECHECK5XKLOGSNEVERSHOWME"
NAME_PAIRS = [("Sam", "Alex"), ("Zoë", "Siobhán"), ("Jean-Luc", "O'Brien"), ("Mary Jo", "Ngozi")]
# What a request line may say, and nothing more.
REQUEST_FIELDS = {"log", "household", "event", "before", "after", "effects", "saved",
                  "request_id"}
# Every value a metric dimension may take: closed sets, none of which can name a household.
DIMENSION_VALUES = {
    "Stage": {stage.value for stage in Stage},
    "Locale": {"en-US", "en-GB", "en-CA", "en-AU", "en-IN", "other"},
    "Mode": {"home", "walk"},
    "Outcome": {"completed", "stopped", "abandoned", "accepted", "denied", "not_answered",
                "other"},
    "Permission": {"reminders", "timers", "other"},
    "Kind": set(metrics.STORE_FAULT_KINDS.values()) | {metrics.LATE, "server", "other"},
    "Api": {"reminders", "timers", "settings"},
    "Status": {"none"} | {str(code) for code in range(400, 600)},
}


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def skill_lines(self, start: int = 0) -> list[str]:
        return [r.getMessage() for r in self.records[start:]
                if r.name == LOGGER_NAME or r.name.startswith(LOGGER_NAME + ".")]

    def everything(self) -> str:
        return "\n".join(r.getMessage() for r in self.records)


@pytest.fixture
def logs():
    skill, root = logging.getLogger(LOGGER_NAME), logging.getLogger()
    levels = skill.level, root.level
    captured = Captured()
    skill.addHandler(captured)
    root.addHandler(captured)
    skill.setLevel(logging.DEBUG)
    root.setLevel(logging.INFO)  # DEBUG would add botocore's wire dumps, never on in production
    yield captured
    skill.removeHandler(captured)
    root.removeHandler(captured)
    skill.setLevel(levels[0])
    root.setLevel(levels[1])


@pytest.fixture
def evening(monkeypatch, moto_repository):
    handler = wire(monkeypatch, moto_repository, DEFAULT_SKILL_ID)
    return Conversation(handler, start=EVENING, user_id=USER_ID, device_id=DEVICE_ID)


def _play_an_evening(talk: Conversation, first: str, second: str) -> None:
    talk.launch()
    talk.intent(intents.NAME, name=first)
    talk.intent(intents.NAME, name=second)
    talk.intent(intents.HELP)
    talk.intent(intents.YES)
    talk.advance(50)
    talk.intent(intents.MORE_TIME)
    talk.advance(40)
    talk.intent(intents.SAFETY)
    talk.intent(intents.RESUME)
    talk.advance(30)
    talk.intent(intents.DONE)
    talk.advance(60)
    talk.intent(intents.REPEAT)
    talk.intent(intents.PAUSE)
    talk.intent(intents.RESUME)
    talk.intent(intents.SKIP)
    talk.intent("AMAZON.ShuffleOnIntent")
    talk.end_session("EXCEEDED_MAX_REPROMPTS")  # they walk away; a checkpoint is kept
    talk.advance(600)
    talk.launch()
    talk.intent(intents.YES)  # is now a good time?
    talk.intent(intents.YES)  # pick up where we left off?
    for _ in range(4):
        talk.advance(45)
        talk.intent(intents.DONE)
    talk.intent(intents.HISTORY)
    talk.launch()
    talk.intent(intents.NAME, name=first)  # a name heard where none is asked for
    talk.intent(intents.DELETE_HISTORY)
    talk.intent(intents.NO)
    talk.intent(intents.STOP)
    talk.skill_disabled(persisted=False)


def emf_of(entry: dict) -> tuple[dict[str, float], dict[str, str]]:
    """A line's metrics and dimensions, read as CloudWatch reads its `_aws` block."""
    values: dict[str, float] = {}
    dimensions: dict[str, str] = {}
    for directive in entry.get("_aws", {}).get("CloudWatchMetrics", []):
        for metric in directive["Metrics"]:
            values[metric["Name"]] = entry[metric["Name"]]
        for dimension_set in directive["Dimensions"]:
            for name in dimension_set:
                dimensions[name] = entry[name]
    return values, dimensions


def _forms(text: str) -> set[str]:
    """The ways a value could be written into a log line."""
    return {text, json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1],
            escape(text), text.lower(), text.upper()}


@pytest.mark.parametrize(("first", "second"), NAME_PAIRS, ids=["-".join(p) for p in NAME_PAIRS])
def test_a_whole_evening_logs_json_lines_without_names_or_ids(evening, logs, first, second):
    # Given a couple with their names, on their own device and account
    # When they play an evening, safety request included
    _play_an_evening(evening, first, second)
    # Then the skill logged, and every line of its own is one JSON object
    lines = logs.skill_lines()
    assert len(lines) > 30
    for line in lines:
        entry = json.loads(line)
        assert isinstance(entry, dict) and entry.get("log"), line
    assert any(json.loads(line).get("event") == "safety" for line in lines)
    # and nothing any logger wrote names a partner, the account or the device
    everything = logs.everything()
    for secret in (first, second, USER_ID, DEVICE_ID, "AFPRIVACYCHECK", "AGDEVICECHECK"):
        for form in _forms(secret):
            assert form not in everything, f"{form!r} was logged"


def test_over_a_whole_evening_no_metric_dimension_can_tell_households_apart(evening, logs):
    # When a couple plays an evening, safety request included
    _play_an_evening(evening, "Sam", "Alex")
    entries = [json.loads(line) for line in logs.skill_lines()]
    with_metrics = [e for e in entries if "_aws" in e]
    # Then every request line carries metrics, and every dimension is one of a few closed values
    assert {e["log"] for e in with_metrics} >= {"request", "ritual_recorded"}
    counted: dict[str, float] = {}
    for entry in with_metrics:
        values, dimensions = emf_of(entry)
        for name, value in dimensions.items():
            assert value in DIMENSION_VALUES[name], f"{name}={value!r} in {entry}"
        for name, value in values.items():
            counted[name] = counted.get(name, 0) + value
    # (what the evening did: one ritual begun, resumed after a timeout, and completed)
    assert counted["RitualsStarted"] == 1 and counted["RitualsResumed"] == 1
    assert counted["Rituals"] == 1 and counted["SafetyRequests"] == 1
    # and no line carries the household's key, whole, nor any part of it as a dimension
    key = household_key(USER_ID, "")
    assert key not in logs.everything()
    for entry in with_metrics:
        assert all(key[:8] not in str(v) for v in emf_of(entry)[1].values())


def test_what_was_said_and_spoken_is_never_logged(evening, logs):
    _play_an_evening(evening, "Sam", "Alex")
    everything = logs.everything()
    for phrase in ("Lifeline", "Hotline", "glad you said", "therapist", "<speak>",
                   "Tell your partner", "what should I call"):
        assert phrase not in everything, f"{phrase!r} was logged"
    # A crisis number as a number of its own, not as digits inside a duration or a request id
    assert not re.search(r"(?<![\w.])988(?![\w.])", everything), "988 was logged"


def test_a_safety_request_leaves_one_line_with_its_kind_and_nothing_more(evening, logs):
    evening.launch()
    evening.intent(intents.NAME, name="Sam")
    evening.intent(intents.NAME, name="Alex")
    evening.intent(intents.YES)
    evening.advance(40)
    start = len(logs.records)
    evening.intent(intents.SAFETY)
    # Then one line says a request of kind "safety" paused the turn, stored nothing, and no more
    lines = [json.loads(line) for line in logs.skill_lines(start)]
    assert len(lines) == 1
    entry = lines[0]
    assert entry["log"] == "request" and "household" not in entry
    assert set(entry) <= REQUEST_FIELDS | {"_aws", "RequestDuration", "SafetyRequests"}
    assert entry["event"] == "safety" and entry["effects"] == 0
    assert entry["before"] == "turn" and entry["after"] == "paused"
    # and its metrics are a bare count, with the request's duration, without any dimension
    values, dimensions = emf_of(entry)
    assert set(values) == {"RequestDuration", "SafetyRequests"} and dimensions == {}
    assert values["SafetyRequests"] == 1


def test_support_asked_for_after_an_unclear_need_for_help_is_a_bare_count_too(evening, logs):
    evening.launch()
    evening.intent(intents.NAME, name="Sam")
    evening.intent(intents.NAME, name="Alex")
    evening.intent(intents.YES)
    evening.advance(40)
    # When "I need help" is heard, the skill asks which help; "yes" means support right now
    evening.intent(intents.NEED_HELP)
    start = len(logs.records)
    evening.intent(intents.YES)
    # Then the line of the answer given with the crisis lines is as bare as a safety request
    (entry,) = [json.loads(line) for line in logs.skill_lines(start)]
    assert "household" not in entry and "Stage" not in entry
    values, dimensions = emf_of(entry)
    assert values["SafetyRequests"] == 1 and dimensions == {}
