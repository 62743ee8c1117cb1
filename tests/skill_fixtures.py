"""The real Lambda entry point, wired to a test table: conversations play through it.

Every response any test receives through devtools.envelopes.Conversation is held to Alexa's
limits for a whole response (`response_limits`, on for every test): at most 24 KB of JSON, and
under 8,000 characters of speech and of reprompt. A screen links to its APL document in the
skill package; the response stays under 24 KB with that document inline too, so the documents
could travel in the response again. The end of the run reports how many were checked and the
largest seen.
"""
from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from checkin.alexa import intents
from checkin.alexa.conversation import Services
from checkin.alexa.skill import build_skill
from checkin.alexa.timing import Clock
from checkin.config import Settings
from checkin.store.client import make_dynamodb_client
from checkin.store.keys import household_key
from checkin.store.repository import HouseholdRepository
from devtools import apl_package
from devtools.alexa_api import AlexaApiStub
from devtools.envelopes import DEFAULT_SKILL_ID, DEFAULT_USER_ID, Conversation
from devtools.table import create_table
from tests.clients import PATIENT

EVENING = datetime(2026, 11, 26, 21, 0, tzinfo=UTC)
MAX_RESPONSE_BYTES = 24 * 1024  # the documented limit of a skill's whole response
MAX_SPEECH_CHARS = 8000


@dataclass
class _Largest:
    """What the run has seen: responses checked, the largest, the longest speech."""

    responses: int = 0
    bytes: int = 0
    speech: int = 0
    test: str = ""


_LARGEST = _Largest()


def limit_problems(response: dict) -> list[str]:
    """How a response breaks Alexa's size limits, if it does."""
    found = []
    size = _size(response)
    if size >= MAX_RESPONSE_BYTES:
        found.append(f"{size} bytes; a response must stay under {MAX_RESPONSE_BYTES}")
    inline = _size(apl_package.inlined(response)) if apl_package.render_documents(response) \
        else size
    if inline >= MAX_RESPONSE_BYTES:
        found.append(f"{inline} bytes with its APL document inline; under {MAX_RESPONSE_BYTES}")
    body = response.get("response") or {}
    for label, speech in (("speech", body.get("outputSpeech")),
                          ("reprompt", (body.get("reprompt") or {}).get("outputSpeech"))):
        text = (speech or {}).get("ssml") or (speech or {}).get("text") or ""
        if len(text) >= MAX_SPEECH_CHARS:
            found.append(f"{len(text)} characters of {label}; under {MAX_SPEECH_CHARS}")
    return found


def _size(response: dict) -> int:
    return len(json.dumps(response, separators=(",", ":")).encode("utf-8"))


@pytest.fixture(autouse=True)
def response_limits(request, monkeypatch):
    """Every response of the test, checked against Alexa's limits when the test ends."""
    seen: list[dict] = []
    original = Conversation._invoke

    def measured(self, envelope):
        response = original(self, envelope)
        seen.append(response)
        return response

    monkeypatch.setattr(Conversation, "_invoke", measured)
    yield seen
    problems = [f"{number}. {problem}" for number, response in enumerate(seen, 1)
                for problem in limit_problems(response)]
    for response in seen:
        size = _size(response)
        speech = ((response.get("response") or {}).get("outputSpeech") or {}).get("ssml") or ""
        _LARGEST.responses += 1
        if size > _LARGEST.bytes:
            _LARGEST.bytes, _LARGEST.test = size, request.node.nodeid
        _LARGEST.speech = max(_LARGEST.speech, len(speech))
    if problems:
        pytest.fail("responses over Alexa's limits:\n" + "\n".join(problems), pytrace=False)


def pytest_terminal_summary(terminalreporter) -> None:
    if _LARGEST.responses:
        terminalreporter.write_line(
            f"response limits: {_LARGEST.responses} responses checked; largest "
            f"{_LARGEST.bytes} bytes ({_LARGEST.test}), longest speech {_LARGEST.speech} "
            "characters")


def wire(monkeypatch, repository: HouseholdRepository, skill_id: str | None = None,
         clock: Clock | None = None):
    """Point lambda_function's skill at `repository`; return the real lambda_handler."""
    import lambda_function

    settings = Settings.from_env({"SKILL_ID": skill_id or ""})
    services = Services(repository, settings, clock or Clock())
    monkeypatch.setattr(lambda_function, "skill", build_skill(services))
    return lambda_function.lambda_handler


def evening_in(time_zone: str) -> datetime:
    """EVENING's date and hour, in `time_zone`."""
    return EVENING.replace(tzinfo=ZoneInfo(time_zone)).astimezone(UTC)


def household() -> str:
    return household_key(DEFAULT_USER_ID, "")


@pytest.fixture
def moto_repository(moto_server):
    """A fresh table on moto only: for conversation tests, where speed matters more than truth."""
    client = make_dynamodb_client(endpoint_url=moto_server, config=PATIENT)
    name = f"checkin-talk-{uuid.uuid4().hex[:12]}"
    create_table(client, name)
    yield HouseholdRepository(client, name)
    client.delete_table(TableName=name)


@pytest.fixture
def talk(request, monkeypatch, moto_repository):
    """A conversation through lambda_handler on moto, starting at 9 pm.

    A test marked `alexa_api(time_zone)` talks to the `api` stub for its Alexa APIs (settings,
    reminders, timers), from 9 pm in that zone; any other test has none, as on a device that
    never granted them."""
    mark = request.node.get_closest_marker("alexa_api")
    if mark:
        return talk_with_api(monkeypatch, moto_repository, request.getfixturevalue("api"),
                             evening_in(mark.args[0]))
    handler = wire(monkeypatch, moto_repository, DEFAULT_SKILL_ID)
    return Conversation(handler, start=EVENING)


@pytest.fixture
def api(request) -> Iterator[AlexaApiStub]:
    """The fake Alexa APIs, in the time zone of the test's `alexa_api` mark (UTC without one)."""
    mark = request.node.get_closest_marker("alexa_api")
    with alexa_api(mark.args[0] if mark else "UTC") as stub:
        yield stub


@contextlib.contextmanager
def alexa_api(time_zone: str) -> Iterator[AlexaApiStub]:
    """The fake Alexa APIs (device settings, reminders, timers), running for one test."""
    stub = AlexaApiStub(time_zone=time_zone).start()
    try:
        yield stub
    finally:
        stub.stop()


def talk_with_api(monkeypatch, repository: HouseholdRepository, api: AlexaApiStub,
                  start: datetime = EVENING) -> Conversation:
    """A conversation through lambda_handler whose Alexa APIs are `api`, on its own clock."""
    handler = wire(monkeypatch, repository, DEFAULT_SKILL_ID)
    conversation = Conversation(handler, start=start, api_endpoint=api.endpoint)
    api.clock = lambda: conversation.clock
    return conversation


def allow(talk: Conversation, api: AlexaApiStub, scope: str) -> None:
    """The household said yes to Alexa's permission question for `scope`."""
    api.grant(scope)
    talk.grants.add(scope)


def introduce(talk: Conversation) -> None:
    """A first evening's opening: launch, and the two names asked for."""
    talk.launch()
    talk.intent(intents.NAME, name="Sam")
    talk.intent(intents.NAME, name="Alex")


def six_turns(talk: Conversation, seconds: int = 90) -> None:
    """Each turn ended by "I'm done" after `seconds`."""
    for _ in range(6):
        talk.advance(seconds)
        talk.intent(intents.DONE)


def yes_now(talk: Conversation) -> None:
    """ "Yes, now is good"; and, when the week's check of the five signs is offered, "skip"."""
    talk.intent(intents.YES)
    if "five short lines" in talk.speech:
        talk.intent(intents.SKIP)


def no_small_thing(talk: Conversation) -> None:
    """At the close of the week's evening, "skip" to one small thing, when it is offered."""
    if "one small thing" in talk.speech and talk.session_open:
        talk.intent(intents.SKIP)
