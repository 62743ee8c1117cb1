"""What the Alexa adapter reads from requests other than intents, played through lambda_handler.

The request shapes are parsed once, by checkin.alexa.directives; these conversations show the
skill acting on that reading, not on a second one of its own. Then the session-state codec.
"""
from __future__ import annotations

import pytest

from checkin.alexa import intents
from checkin.alexa.conversation import request_time
from checkin.alexa.session_state import (
    STATE_ATTRIBUTE,
    saved_state,
    session_attributes,
    state_from_session,
)
from checkin.ritual.machine import begin
from checkin.ritual.state import Stage
from devtools.alexa_api import REMINDERS_SCOPE
from tests.alexa.test_nightly_and_walk import ZONE, ask_for, known_couple
from tests.skill_fixtures import EVENING

pytestmark = pytest.mark.alexa_api(ZONE)


def test_a_consent_answer_alexa_could_not_deliver_sets_no_reminder(talk, api):
    # issue 12, item 4: a Connections.Response with status code 500 is not an answer
    known_couple(talk)
    talk.intent(intents.REMIND, time="21:00")
    directive = ask_for(talk)
    talk.send({"type": "Connections.Response", "name": "AskFor",
               "status": {"code": "500", "message": "Internal error"},
               "payload": {"permissionScope": REMINDERS_SCOPE, "status": "ACCEPTED"},
               "token": directive["token"]})
    assert api.calls_to("/v1/alerts/reminders") == [] and api.reminders == {}
    assert "no reminders" in talk.speech


def test_a_launch_by_some_other_task_is_not_treated_as_our_routine(talk):
    # issue 12, item 4: only the StartCheckIn task is a Routine's check-in
    known_couple(talk)
    talk.launch(task={"name": "SomethingElse", "version": "1", "input": {}})
    talk.intent(intents.NO)
    talk.intent(intents.WHEN, time="22:30")
    if talk.session_open:
        talk.intent(intents.NO)  # no reminder, thanks
    assert not talk.session_open
    assert not [d for d in talk.directives if d["type"] == "Tasks.CompleteTask"]


# --- the session-state codec (checkin.alexa.session_state) --------------------------------------

def test_the_session_carries_the_state_as_one_string_and_nothing_once_ended():
    state = begin(None, (), "abc123")
    attributes = session_attributes(state)
    assert list(attributes) == [STATE_ATTRIBUTE] and isinstance(attributes[STATE_ATTRIBUTE], str)
    assert state_from_session(attributes) == state
    assert saved_state(attributes)["stage"] == Stage.NEW.value
    assert session_attributes(state.at(Stage.ENDED)) == {}


@pytest.mark.parametrize("attributes", [None, {}, {"other": "x"}, {STATE_ATTRIBUTE: "{not json"},
                                        {STATE_ATTRIBUTE: "[]"}, {STATE_ATTRIBUTE: 7}])
def test_no_or_unreadable_session_state_reads_as_none(attributes):
    assert state_from_session(attributes) is None


def test_an_unreadable_session_state_is_answered_from_the_store(talk):
    known_couple(talk)
    talk.launch()
    talk.attributes = {STATE_ATTRIBUTE: "{not json"}
    talk.intent(intents.REPEAT)
    assert talk.speech and "went wrong" not in talk.speech and talk.session_open


# --- what is read from the raw event (checkin.alexa.skill._what_is_read) ----------------------

@pytest.mark.parametrize("timestamp", ["2026-11-26T21:00:00Z", "2026-11-26T21:00:00.250Z",
                                       "2026-11-26T21:00:00+00:00", "2026-11-26T22:00:00+01:00"])
def test_a_request_is_dated_by_its_own_timestamp_as_alexa_writes_it(timestamp):
    assert request_time(timestamp, lambda: 0.0) == int(EVENING.timestamp())


@pytest.mark.parametrize("timestamp", [None, "", "yesterday", 1795726800, "2026-13-40T25:00:00Z"])
def test_a_request_without_a_readable_timestamp_is_dated_by_the_clock(timestamp):
    assert request_time(timestamp, lambda: 1234.5) == 1234
