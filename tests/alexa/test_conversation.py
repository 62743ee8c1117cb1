"""Whole rituals as a couple would play them: real envelopes through lambda_handler."""
from __future__ import annotations

import re

import pytest

from checkin.alexa import intents
from checkin.alexa.session_state import saved_state
from checkin.ritual.history import COMPLETED, STOPPED
from devtools.envelopes import Conversation
from tests.skill_fixtures import EVENING, household, introduce, six_turns, wire

CHIME = "soundbank://soundlibrary/"


def test_a_full_ritual_ends_with_one_completed_record(talk, moto_repository):
    # Given a couple using the skill for the first time
    introduce(talk)
    assert "good time for both of you" in talk.speech
    # When they say yes and each partner takes three turns
    talk.intent(intents.YES)
    assert "Sam" in talk.speech and CHIME in talk.speech_ssml
    six_turns(talk, seconds=90)
    # Then the close thanks them, summarises, and one completed record holds six turns
    assert "Thank you both" in talk.speech
    # And, with no nightly reminder set, it offers to plan the next time; "no" says goodnight
    assert talk.speech.endswith("same time tomorrow?") and talk.session_open
    talk.intent(intents.NO)
    assert "Goodnight" in talk.speech and not talk.session_open
    records = moto_repository.rituals(household(), talk.now)
    assert len(records) == 1
    record = records[0]
    assert record.outcome == COMPLETED and len(record.turns) == 6
    assert record.seconds[0] > 0 and record.seconds[1] > 0
    assert sum(record.seconds) == pytest.approx(6 * 93, abs=6 * 4)
    profile = moto_repository.load(household(), talk.now).profile
    assert profile.completed == 1 and profile.names == ("Sam", "Alex")
    assert moto_repository.load(household(), talk.now).checkpoint is None


def test_turns_that_run_out_are_handed_over_after_a_chime(talk, moto_repository):
    introduce(talk)
    talk.intent(intents.YES)
    ssml = talk.speech_ssml
    # A two-minute hold is twelve ten-second breaks, then the chime and the hand-over by name.
    assert ssml.count('<break time="10s"/>') == 12
    assert ssml.index(CHIME) > ssml.rindex("<break") and "Alex" in ssml[ssml.index(CHIME):]
    talk.advance(200)
    talk.intent(intents.DONE)  # "ready", from Alex after the hand-over
    assert "Alex" in talk.speech
    talk.advance(200)
    talk.intent(intents.YES)
    state_turns = saved_state(talk.attributes)["ritual"]["turns"]
    assert [t["seconds"] for t in state_turns] == [120, 120]


def test_the_no_path_asks_when_and_ends_kindly_without_a_record(talk, moto_repository):
    introduce(talk)
    talk.intent(intents.NO)
    assert "better time" in talk.speech and talk.session_open
    talk.intent(intents.WHEN, time="21:30")
    assert "remind you both at 9:30 PM" in talk.speech and talk.session_open
    talk.intent(intents.NO)
    assert not talk.session_open and "Take care" in talk.speech
    assert moto_repository.rituals(household(), talk.now) == []


def test_resume_after_the_session_ends_mid_turn(talk, moto_repository):
    introduce(talk)
    talk.intent(intents.YES)
    talk.advance(60)
    talk.intent(intents.DONE)
    talk.advance(30)
    talk.end_session("EXCEEDED_MAX_REPROMPTS")
    assert moto_repository.load(household(), talk.now).checkpoint is not None
    talk.advance(20 * 60)
    talk.launch()
    talk.intent(intents.YES)
    assert "pick up" in talk.speech and "Alex" in talk.speech
    talk.intent(intents.YES)
    assert "Alex" in talk.speech
    for _ in range(5):
        talk.advance(45)
        talk.intent(intents.DONE)
    records = moto_repository.rituals(household(), talk.now)
    assert [r.outcome for r in records] == [COMPLETED] and len(records[0].turns) == 6


def test_more_time_is_offered_to_the_other_partner(talk):
    introduce(talk)
    talk.intent(intents.YES)
    talk.advance(100)
    talk.intent(intents.MORE_TIME)
    assert "Alex can have too" in talk.speech
    talk.advance(60)
    talk.intent(intents.DONE)  # Sam used 46 s of the extra minute: Alex has that much more
    assert "extra time" in talk.speech and "46 seconds more" in talk.speech


def test_a_changed_turn_length_is_used_and_remembered(talk, moto_repository):
    introduce(talk)
    talk.intent(intents.SET_TURN_LENGTH, minutes="3")
    assert "3 minutes" in talk.speech
    talk.intent(intents.YES)
    assert talk.speech_ssml.count('<break time="10s"/>') == 18
    assert moto_repository.load(household(), talk.now).profile.turn_seconds == 180


def test_two_nights_alternate_who_goes_first(talk, moto_repository):
    introduce(talk)
    talk.intent(intents.YES)
    first_night = talk.speech
    six_turns(talk, 30)
    talk.advance(24 * 3600)
    talk.launch()
    assert "Welcome back, Sam and Alex" in talk.speech
    talk.intent(intents.YES)
    assert "five short lines" in talk.speech  # the week's check, offered from the second night
    talk.intent(intents.SKIP)
    second_night = talk.speech
    opens = r", (you're first|would you start|you'll begin this one|you start)"
    assert re.search("Sam" + opens, first_night)
    assert re.search("Alex" + opens, second_night)
    six_turns(talk, 30)
    assert "one small thing" in talk.speech  # and, on the same evening, one small thing
    talk.intent(intents.SKIP)
    assert "2 nights in a row" in talk.speech
    assert moto_repository.load(household(), talk.now).profile.streak == 2


def test_repeat_says_the_question_again(talk):
    introduce(talk)
    talk.intent(intents.YES)
    question = re.search(r"(Tell your partner[^?]*\?)", talk.speech).group(1)
    talk.advance(20)
    talk.intent(intents.REPEAT)
    assert question in talk.speech


def test_stop_mid_ritual_records_a_stopped_ritual(talk, moto_repository):
    introduce(talk)
    talk.intent(intents.YES)
    talk.advance(50)
    talk.intent(intents.STOP)
    assert not talk.session_open and "stop here" in talk.speech
    assert [r.outcome for r in moto_repository.rituals(household(), talk.now)] == [STOPPED]


def test_how_are_we_doing_reports_history(talk):
    introduce(talk)
    talk.intent(intents.YES)
    six_turns(talk, 30)
    talk.advance(3600)
    talk.intent(intents.HISTORY)  # a one-shot: "Alexa, ask connection check in how are we doing"
    assert "first check-in together" in talk.speech


def test_an_unknown_intent_gets_a_kind_answer(talk):
    introduce(talk)
    talk.intent("AMAZON.ShuffleOnIntent")
    assert "didn't quite get that" in talk.speech and talk.session_open


@pytest.mark.parametrize("heard", [None, "", "<b>&", "x" * 300])
def test_empty_or_odd_names_are_asked_for_again(talk, heard):
    talk.launch()
    talk.intent(intents.NAME, name=heard)
    assert "didn't catch a name" in talk.speech and talk.session_open
    assert "<b>" not in talk.speech_ssml


def test_a_foreign_skill_id_is_refused_with_a_spoken_answer(monkeypatch, moto_repository):
    handler = wire(monkeypatch, moto_repository, "amzn1.ask.skill.ours")
    talk = Conversation(handler, start=EVENING, skill_id="amzn1.ask.skill.someone-else")
    talk.launch()
    assert "wasn't meant for Connection Check-In" in talk.speech
    assert moto_repository.load(household(), talk.now).profile is None


@pytest.mark.parametrize("event", [{}, {"version": "1.0"}, {"request": "nonsense"}, [], None,
                                   {"version": "1.0", "session": {}, "context": {}, "request": {}}])
def test_malformed_requests_get_a_spoken_answer(monkeypatch, moto_repository, event):
    handler = wire(monkeypatch, moto_repository)
    response = handler(event, None)
    assert "outputSpeech" in response["response"]


def test_disabling_the_skill_deletes_everything_kept_about_the_household(talk, moto_repository):
    introduce(talk)
    talk.intent(intents.YES)
    six_turns(talk, 30)
    talk.launch()
    talk.intent(intents.YES)  # a second ritual under way leaves a checkpoint too
    assert moto_repository.rituals(household(), talk.now)
    response = talk.skill_disabled(persisted=False)
    assert "outputSpeech" not in response["response"]
    snapshot = moto_repository.load(household(), talk.now)
    assert snapshot.profile is None and snapshot.checkpoint is None
    assert moto_repository.rituals(household(), talk.now) == []


def test_delete_our_history_asks_first_then_deletes_everything(talk, moto_repository):
    introduce(talk)
    talk.intent(intents.YES)
    six_turns(talk, 30)
    talk.launch()
    talk.intent(intents.DELETE_HISTORY)
    assert "can't be undone" in talk.speech and talk.session_open
    talk.intent(intents.NO)
    assert "kept everything" in talk.speech
    assert moto_repository.rituals(household(), talk.now)
    talk.intent(intents.DELETE_HISTORY)
    talk.intent(intents.YES)
    assert not talk.session_open and "deleted everything" in talk.speech
    assert moto_repository.load(household(), talk.now).profile is None
    assert moto_repository.rituals(household(), talk.now) == []
    talk.launch()
    assert "what should I call one of you" in talk.speech  # a fresh start, names asked again


def test_a_one_shot_keep_going_offers_to_pick_up_where_they_left_off(talk):
    introduce(talk)
    talk.intent(intents.YES)
    talk.advance(40)
    talk.intent(intents.PAUSE)
    talk.wait(60)  # nobody answers: Alexa reprompts, then ends the session
    assert not talk.session_open
    talk.intent(intents.RESUME)  # "Alexa, tell connection check in to keep going"
    assert "pick up there" in talk.speech
    talk.intent(intents.YES)
    assert "Sam" in talk.speech and "<break" in talk.speech_ssml
