"""What the Alexa adapter reads from requests other than intents, played through lambda_handler.

The request shapes are parsed once, by checkin.alexa.directives; these conversations show the
skill acting on that reading, not on a second one of its own.
"""
from __future__ import annotations

import pytest

from checkin.alexa import intents
from devtools.alexa_api import REMINDERS_SCOPE
from tests.skill_fixtures import alexa_api, talk_with_api
from tests.test_nightly_and_walk import EVENING, ZONE, ask_for, known_couple


@pytest.fixture
def api():
    with alexa_api(ZONE) as stub:
        yield stub


@pytest.fixture
def talk(monkeypatch, moto_repository, api):
    return talk_with_api(monkeypatch, moto_repository, api, EVENING)


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
