"""The real Lambda entry point, wired to a test table: conversations play through it."""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

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
def talk(monkeypatch, moto_repository):
    """A conversation through lambda_handler on moto, starting at 9 pm."""
    handler = wire(monkeypatch, moto_repository, DEFAULT_SKILL_ID)
    return Conversation(handler, start=EVENING)


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
