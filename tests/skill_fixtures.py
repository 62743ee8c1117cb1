"""The real Lambda entry point, wired to a test table: conversations play through it."""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
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
from devtools.alexa_api import AlexaApiStub
from devtools.envelopes import DEFAULT_SKILL_ID, DEFAULT_USER_ID, Conversation
from devtools.table import create_table
from tests.clients import PATIENT

EVENING = datetime(2026, 11, 26, 21, 0, tzinfo=UTC)


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
