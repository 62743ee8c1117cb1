"""DynamoDB Local killed with kill -9 mid-ritual and restarted on the same -dbPath.

Inherently one backend: moto keeps its data in the test process and cannot crash. The session's
DynamoDB Local process is killed and started again on its data directory and port; the test
always leaves it running, whatever happens, for the tests after it.
"""
from __future__ import annotations

import contextlib
import time
import uuid

import pytest

from checkin.alexa import intents
from checkin.speech.render import Voice
from checkin.store.client import CLIENT_CONFIG, make_dynamodb_client
from checkin.store.keys import household_key
from checkin.store.repository import HouseholdRepository
from devtools.dynamodb_local import free_port
from devtools.envelopes import Conversation
from devtools.table import create_table
from tests.faults import DynamoFaults, Recorded, play_to_close, play_until, stage_of, turns_done
from tests.skill_fixtures import EVENING, wire

VOICE = Voice("en-US")
# Generous: a refused connection fails at once, and botocore's backoff between the three
# attempts of a non-throttling error is at most 25 ms + 50 ms. The target is 3 s.
QUICK_SECONDS = 3.0


@pytest.fixture
def crashable(dynamodb_local):
    """The session's DynamoDB Local, running again after the test even if the test failed."""
    yield dynamodb_local
    if dynamodb_local.process is None or dynamodb_local.process.poll() is not None:
        dynamodb_local.start()


def test_kill_9_mid_ritual_loses_nothing_acknowledged_and_the_ritual_resumes(
        crashable, monkeypatch):
    client = make_dynamodb_client(endpoint_url=crashable.endpoint_url)
    table = f"checkin-restart-{uuid.uuid4().hex[:12]}"
    create_table(client, table, expire=False)  # its evening is a fixed, past date
    try:
        _crash_and_resume(crashable, client, table, monkeypatch)
    finally:
        with contextlib.suppress(Exception):
            client.delete_table(TableName=table)


def _crash_and_resume(server, client, table, monkeypatch) -> None:
    faults = DynamoFaults(client)  # no faults planned: it only counts calls and attempts
    repository = HouseholdRepository(client, table)
    handler = Recorded(wire(monkeypatch, repository), faults)
    user_id = f"amzn1.ask.account.RESTART{uuid.uuid4().hex.upper()}"
    key = household_key(user_id, "")
    talk = Conversation(handler, start=EVENING, user_id=user_id,
                        api_endpoint=f"http://127.0.0.1:{free_port()}")

    # Given a first night two turns in: names and three turn-start checkpoints acknowledged
    talk.launch()
    play_until(talk, lambda t: turns_done(t) == 2 and stage_of(t) == "turn")
    acknowledged = repository.load(key, talk.now)
    assert acknowledged.profile.names == ("Sam", "Alex")
    assert len(acknowledged.checkpoint.ritual.turns) == 2
    assert all(not c.failed for c in faults.calls)

    # When DynamoDB Local is killed with kill -9
    server.kill()
    try:
        # Then every request still gets a spoken answer, quickly, and an honest one
        mark = handler.mark()
        seconds: list[float] = []

        def timed(send) -> None:
            started = time.monotonic()
            send()
            seconds.append(time.monotonic() - started)

        talk.advance(60)
        timed(lambda: talk.intent(intents.DONE))
        assert stage_of(talk) == "turn" and turns_done(talk) == 3  # the ritual went on
        timed(lambda: talk.end_session("EXCEEDED_MAX_REPROMPTS"))
        timed(talk.launch)
        timed(lambda: talk.intent(intents.STOP))
        done, ended, launch, stop = handler.exchanges[mark:]
        assert VOICE.text("store.failed") in done.speech
        assert [c.operation for c in ended.calls] == ["PutItem"]  # the session-end checkpoint
        assert VOICE.text("store.unreachable") in launch.speech
        assert stop.speech
        down = [c for e in handler.exchanges[mark:] for c in e.calls]
        attempts = CLIENT_CONFIG.retries["total_max_attempts"]
        assert down and all(c.attempts == attempts and c.error == "EndpointConnectionError"
                            for c in down), down
        assert max(seconds) < QUICK_SECONDS, seconds
    finally:
        # When it is started again on the same -dbPath and port
        server.start()

    # Then nothing acknowledged was lost
    assert repository.load(key, talk.now) == acknowledged
    # and the ritual resumes: launch, consent, "pick up there?", and on to its close
    talk.advance(20 * 60)
    talk.launch()
    assert VOICE.text("consent.ask") in talk.speech
    talk.intent(intents.YES)
    assert stage_of(talk) == "offer_resume" and "pick up" in talk.speech
    talk.intent(intents.YES)
    play_until(talk, lambda t: stage_of(t) == "offer_plan")  # the close offers a reminder
    assert VOICE.text("close.thanks") in talk.speech
    play_to_close(talk)
    # with one completed record that keeps the two turns acknowledged before the crash
    records = repository.rituals(key, talk.now)
    assert [r.outcome for r in records] == ["completed"] and len(records[0].turns) == 6
    before = acknowledged.checkpoint.ritual
    assert records[0].ritual_id == before.ritual_id
    assert records[0].turns[:2] == before.turns
    after = repository.load(key, talk.now)
    assert after.profile.completed == 1 and after.checkpoint is None

