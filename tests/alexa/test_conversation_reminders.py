"""Reminders and timers as a couple meets them: deleting, stopping, mid-ritual, spoken times.

Played through lambda_handler on moto, with the fake Alexa API (devtools.alexa_api) keeping
reminders and timers on the conversation's simulated clock (21:00 in Chicago).
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from checkin.alexa import intents
from checkin.ritual.history import COMPLETED
from devtools.alexa_api import REMINDERS_SCOPE, TIMERS_SCOPE, AlexaApiStub
from devtools.envelopes import Conversation
from tests.alexa.test_nightly_and_walk import ZONE, ask_for
from tests.skill_fixtures import allow, household, introduce

HOLD = "<break time="

pytestmark = pytest.mark.alexa_api(ZONE)


def known_couple(talk: Conversation) -> None:
    introduce(talk)  # Sam and Alex
    talk.intent(intents.STOP)
    talk.advance(60)


def profile(repository, talk):
    return repository.load(household(), talk.now).profile


def rings_this_week(api: AlexaApiStub, talk: Conversation) -> list:
    return api.reminders_between(talk.clock, talk.clock + timedelta(days=7))


# --- deleting our history ------------------------------------------------------------------------

def test_deleting_our_history_silences_the_nightly_reminder(talk, api, moto_repository):
    # issue 11, defect 1
    known_couple(talk)
    talk.intent(intents.REMIND, time="21:00")
    allow(talk, api, REMINDERS_SCOPE)
    talk.connections_response("ACCEPTED", token=ask_for(talk)["token"])
    assert rings_this_week(api, talk)
    talk.launch()
    talk.intent(intents.DELETE_HISTORY)
    talk.intent(intents.YES)
    assert "deleted everything" in talk.speech
    assert api.reminders == {} and rings_this_week(api, talk) == []
    assert moto_repository.load(household(), talk.now).profile is None


def test_deleting_our_history_says_so_when_the_reminder_could_not_be_turned_off(talk, api,
                                                                                moto_repository):
    # issue 11, defect 1
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.intent(intents.REMIND, time="21:00")
    api.fail_always("/v1/alerts/reminders", 500)
    talk.launch()
    talk.intent(intents.DELETE_HISTORY)
    talk.intent(intents.YES)
    assert "couldn't turn off your reminder" in talk.speech and "Alexa app" in talk.speech
    assert rings_this_week(api, talk)
    # Everything else is gone all the same, and nothing is written back
    assert moto_repository.load(household(), talk.now).profile is None


def test_deleting_our_history_cancels_the_timer_of_an_interrupted_turn(talk, api):
    # issue 11, defect 1
    known_couple(talk)
    allow(talk, api, TIMERS_SCOPE)
    talk.launch()
    talk.intent(intents.YES)  # the first turn runs on a real timer; the session closes
    assert len(api.timers) == 1
    talk.advance(20)
    talk.launch()
    talk.intent(intents.DELETE_HISTORY)
    talk.intent(intents.YES)
    assert "deleted everything" in talk.speech and api.timers == {}


# --- a reminder asked for during a check-in -----------------------------------------------------

def test_allowing_reminders_mid_turn_carries_on_with_the_same_turn(talk, api, moto_repository):
    # issue 11, defect 6
    known_couple(talk)
    talk.launch()
    talk.intent(intents.YES)  # Sam's turn begins
    talk.advance(30)
    talk.intent(intents.REMIND, time="21:00")
    directive = ask_for(talk)  # the consent dialog ends the session, as the platform requires
    talk.advance(15)
    allow(talk, api, REMINDERS_SCOPE)
    talk.connections_response("ACCEPTED", token=directive["token"])
    assert "Done." in talk.speech and "back to you, Sam" in talk.speech
    assert "pick up" not in talk.speech and talk.session_open and HOLD in talk.speech_ssml
    assert len(api.reminders) == 1
    # The turn goes on where it was, and the evening is recorded as one check-in
    talk.advance(30)
    talk.intent(intents.DONE)
    assert "Alex" in talk.speech
    for _ in range(5):
        talk.advance(60)
        talk.intent(intents.DONE)
    [record] = moto_repository.rituals(household(), talk.now)
    # 30 s before, 30 s after, and the few seconds Alexa spoke; not the consent dialog
    assert record.outcome == COMPLETED and 60 <= record.turns[0].seconds <= 70


def test_declining_reminders_between_turns_carries_on_too(talk, api, moto_repository):
    # issue 11, defect 6
    known_couple(talk)
    talk.launch()
    talk.intent(intents.YES)
    talk.advance(40)
    talk.intent(intents.DONE)  # Alex is asked to say ready
    talk.intent(intents.REMIND, time="21:00")
    talk.connections_response("DENIED", token=ask_for(talk)["token"])
    assert "no reminders" in talk.speech and "Alex" in talk.speech and talk.session_open
    talk.intent(intents.DONE)
    assert HOLD in talk.speech_ssml and "Alex" in talk.speech


def test_a_reminder_set_mid_turn_with_permission_keeps_the_turn_going(talk, api):
    # issue 11, defect 6
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.launch()
    talk.intent(intents.YES)
    talk.advance(30)
    talk.intent(intents.REMIND, time="21:00")
    assert "every night at 9" in talk.speech and "back to you, Sam" in talk.speech
    assert talk.session_open and HOLD in talk.speech_ssml


# --- stopping every reminder ----------------------------------------------------------------------

def test_stop_reminding_us_cancels_a_one_off_reminder(talk, api, moto_repository):
    # issue 11, defect 9
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.launch()
    talk.intent(intents.NO)
    talk.intent(intents.WHEN, date="2026-11-27", time="20:00")  # tomorrow at eight
    talk.intent(intents.YES)
    assert len(api.reminders) == 1
    talk.launch()
    talk.intent(intents.STOP_REMINDERS)
    assert "no reminder" not in talk.speech and api.reminders == {}
    talk.launch()
    talk.intent(intents.STOP_REMINDERS)
    assert "no reminder" in talk.speech


def test_stop_reminding_us_cancels_the_nightly_and_the_one_off_reminders(talk, api):
    # issue 11, defect 9
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.intent(intents.REMIND, time="21:00")
    talk.launch()
    talk.intent(intents.NO)
    talk.intent(intents.WHEN, date="2026-11-27", time="20:00")
    talk.intent(intents.YES)
    assert len(api.reminders) == 2
    talk.intent(intents.STOP_REMINDERS)
    assert api.reminders == {} and "stopped" in talk.speech


# --- reminder times said plainly -----------------------------------------------------------------

def test_a_time_already_past_tonight_is_said_to_be_tomorrow(talk, api):
    # issue 11, defect 18
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.launch()
    talk.intent(intents.NO)
    talk.intent(intents.WHEN, time="20:00")  # at 9 pm: "at eight"
    assert "tomorrow at 8 PM" in talk.speech
    talk.intent(intents.YES)
    assert "remind you tomorrow at 8 PM" in talk.speech
    assert talk.speech.count("remind you") == 1 and not talk.session_open  # not offered again
    [call] = api.calls_to("/v1/alerts/reminders", "POST")
    assert call.body["trigger"]["scheduledTime"].startswith("2026-11-27T20:00")


def test_a_nightly_reminder_already_past_tonight_says_it_starts_tomorrow(talk, api):
    # issue 11, defect 18
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.intent(intents.REMIND, time="20:00")
    assert "every night at 8 PM, starting tomorrow" in talk.speech


@pytest.mark.parametrize(("heard", "said"), [("12:00", "every day at noon"),
                                             ("00:00", "every night at midnight")])
def test_noon_and_midnight_are_said_as_words(talk, api, heard, said):
    # issue 11, defect 18
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.intent(intents.REMIND, time=heard)
    assert said in talk.speech and "12 PM" not in talk.speech and "12 AM" not in talk.speech


def test_later_tonight_offers_a_reminder_at_a_time_it_says(talk, api):
    # issue 11, defect 18
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.launch()
    talk.intent(intents.NO)
    talk.intent(intents.WHEN, date="2026-11-26", time="NI")  # "later tonight", at 9 pm
    assert "remind you both at 10 PM" in talk.speech
    talk.intent(intents.YES)
    [call] = api.calls_to("/v1/alerts/reminders", "POST")
    assert call.body["trigger"]["scheduledTime"].startswith("2026-11-26T22:00")


def test_tomorrow_morning_is_given_a_time_said_aloud(talk, api):
    # issue 11, defect 18
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.launch()
    talk.intent(intents.NO)
    talk.intent(intents.WHEN, date="2026-11-27", time="MO")
    assert "tomorrow at 9 AM" in talk.speech


# --- a timer that cannot be set -------------------------------------------------------------------

def test_the_consent_reply_comes_before_a_timer_failure(talk, api):
    # issue 11, also: a timer failure announced before the consent reply
    known_couple(talk)
    allow(talk, api, TIMERS_SCOPE)
    api.fail_always("/v1/alerts/timers", 500)
    talk.launch()
    talk.intent(intents.YES)
    assert talk.speech.index("Wonderful") < talk.speech.index("couldn't set a timer")


def test_the_thanks_at_a_hand_over_comes_before_a_timer_failure(talk, api):
    # The same for a timer that fails as the second speaker's turn begins
    known_couple(talk)
    allow(talk, api, TIMERS_SCOPE)
    talk.launch()
    talk.intent(intents.YES)  # the first turn, on a timer
    api.fail_always("/v1/alerts/timers", 500)
    talk.advance(40)
    talk.intent(intents.DONE)
    assert talk.speech.index("Thank you") < talk.speech.index("couldn't set a timer")


def test_later_tonight_as_the_skill_suggests_it_offers_a_reminder(talk, api):
    # issue 11, defect 18: "later tonight" is a sample of its own, with no slot filled
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.launch()
    talk.intent(intents.NO)
    talk.intent(intents.WHEN)
    assert "remind you both at 10 PM" in talk.speech and talk.session_open


# --- a one-off reminder asked for directly ------------------------------------------------

def test_remind_us_tomorrow_at_eight_sets_one_reminder_for_tomorrow(talk, api):
    # issue 11, defect 9: the one-off reminder a couple asks for in so many words
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.intent(intents.REMIND, date="2026-11-27", time="20:00")
    assert "remind you tomorrow at 8 PM" in talk.speech and "every night" not in talk.speech
    [call] = api.calls_to("/v1/alerts/reminders", "POST")
    assert call.body["trigger"]["scheduledTime"].startswith("2026-11-27T20:00")
    assert "recurrence" not in call.body["trigger"]
    talk.launch()
    talk.intent(intents.STOP_REMINDERS)
    assert "no reminder" not in talk.speech and api.reminders == {}
