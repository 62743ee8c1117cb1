"""Turn mechanics as a couple hears them: hand-overs, extra time, wordings and the close."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from checkin.alexa import intents
from checkin.ritual.history import COMPLETED
from devtools.alexa_api import TIMERS_SCOPE
from devtools.ssml_text import spoken_text
from tests.skill_fixtures import allow, household, no_small_thing, yes_now

CHIME = "soundbank://soundlibrary/"
PROMPTS = json.loads((Path(__file__).resolve().parents[2] / "lambda" / "checkin" / "speech"
                      / "locales" / "en.json").read_text(encoding="utf-8"))


def meet(talk, skip_names: bool = False) -> None:
    """S: open connection check in / Priya / Mateo, and yes to "a good time?"."""
    talk.launch()
    if skip_names:
        talk.intent(intents.SKIP)
    else:
        talk.intent(intents.NAME, name="Priya")
        talk.intent(intents.NAME, name="Mateo")
    talk.intent(intents.YES)


def after_chime(talk) -> str:
    """What is said once the held turn's time is up."""
    ssml = talk.speech_ssml
    assert CHIME in ssml
    return spoken_text("<speak>" + ssml[ssml.rindex(CHIME):].split("/>", 1)[1])


def before_chime(talk) -> str:
    ssml = talk.speech_ssml
    return spoken_text(ssml[:ssml.index(CHIME)] + "</speak>") if CHIME in ssml else talk.speech


def wording_of(speech: str, key: str) -> int:
    found = [i for i, text in enumerate(PROMPTS[key]) if text in speech]
    assert len(found) == 1, (key, speech)
    return found[0]


def test_when_extra_time_is_owed_the_hand_over_offers_it_and_then_gives_it(talk):
    # issue 11, defect 4
    meet(talk)
    talk.advance(60)
    talk.intent(intents.DONE)  # Priya's turn on the first question ends
    talk.advance(100)
    talk.intent(intents.MORE_TIME)  # Mateo, second on the question, takes a minute more
    announced = after_chime(talk)
    assert "Would you like" in announced and "Priya" in announced
    assert "you'll start" not in announced
    talk.advance(90)  # Mateo's time runs out; the chime and the offer are heard
    talk.intent(intents.YES)
    assert "Priya, here's your extra time" in talk.speech
    assert "Would you like" not in before_chime(talk)


def test_extra_time_asked_for_but_not_used_is_not_owed(talk):
    # issue 11, defect 5
    meet(talk)
    talk.advance(60)
    talk.intent(intents.DONE)
    talk.advance(20)
    talk.intent(intents.MORE_TIME)
    talk.advance(14)
    talk.intent(intents.DONE)  # Mateo finishes after about 40 s in all
    assert "took" not in talk.speech and "Would you like" not in talk.speech
    assert "Mateo" in talk.speech and "next question" in talk.speech


def test_a_few_seconds_over_the_allowance_are_not_mentioned(talk):
    # issue 11, defect 5
    meet(talk)
    talk.advance(60)
    talk.intent(intents.DONE)
    talk.advance(100)
    talk.intent(intents.MORE_TIME)
    talk.advance(24)  # about 10 s beyond the two minutes
    talk.intent(intents.DONE)
    assert "took" not in talk.speech and "Would you like" not in talk.speech


def test_extra_time_owed_is_what_was_used(talk):
    # issue 11, defect 5
    meet(talk)
    talk.advance(60)
    talk.intent(intents.DONE)
    talk.advance(100)
    talk.intent(intents.MORE_TIME)
    talk.advance(44)  # about 30 s beyond the two minutes
    talk.intent(intents.DONE)
    assert "Would you like" in talk.speech and "30 seconds" in talk.speech
    assert "1 minute" not in talk.speech


def test_default_partner_names_are_capitalised_at_the_start_of_a_sentence(talk):
    # issue 11, defect 7
    meet(talk, skip_names=True)
    assert "Partner two, whenever you're ready" in talk.speech
    assert not re.search(r"[.!?] partner (one|two)", talk.speech)
    talk.advance(30)
    talk.intent(intents.DONE)
    assert not re.search(r"(^|[.!?] )partner (one|two)", talk.speech)


def last_turn_runs_out(talk) -> None:
    for _ in range(5):
        talk.advance(30)
        talk.intent(intents.DONE)
    talk.advance(130)  # the last turn runs out: "Shall I wrap up?"


def test_no_to_wrapping_up_offers_more_time_for_both_instead_of_asking_again(talk,
                                                                             moto_repository):
    # issue 11, defect 13
    meet(talk)
    last_turn_runs_out(talk)
    talk.intent(intents.NO)
    assert "Shall I wrap up" not in talk.speech and "more time" in talk.speech
    assert talk.session_open
    talk.intent(intents.MORE_TIME)  # Mateo spoke last, and is first to have another minute
    assert "Mateo, here's your extra time" in talk.speech
    talk.advance(25)
    talk.intent(intents.DONE)
    assert "Priya" in talk.speech and "Would you like" in talk.speech
    talk.intent(intents.YES)
    assert "Priya, here's your extra time" in talk.speech
    talk.advance(25)
    talk.intent(intents.DONE)
    assert "Thank you both" in talk.speech and "same time tomorrow" in talk.speech
    record = moto_repository.rituals(household(), talk.now)[0]
    assert record.outcome == COMPLETED


def test_both_partners_hear_the_same_question_and_an_invitation_fitting_their_place(talk):
    # issue 11, defect 17
    meet(talk)
    first = before_chime(talk)
    talk.advance(30)
    talk.intent(intents.DONE)
    second = before_chime(talk)
    key = "question.accessibility"
    assert wording_of(first, key) == wording_of(second, key)
    assert not re.search(r"Mateo, (would you start|you're first|you start|you'll begin)", second)


def test_the_close_speaks_of_time_together_and_never_compares(talk, moto_repository):
    # issue 11, defect 19
    meet(talk)
    for seconds in (47, 25, 60, 60, 60, 60):
        talk.advance(seconds)
        talk.intent(intents.DONE)
    assert "spoke for" not in talk.speech and "talked for" in talk.speech
    talk.launch()
    talk.intent(intents.HISTORY)
    assert "spoken for" not in talk.speech and "Priya" not in talk.speech.split(".")[1]
    assert "talked for" in talk.speech


def test_a_check_in_with_every_question_skipped_is_recorded_but_not_counted(talk,
                                                                           moto_repository):
    # issue 11, defect 19
    meet(talk)
    for _ in range(3):
        talk.intent(intents.SKIP)
    assert "try again" in talk.speech and "same time tomorrow" in talk.speech  # a plan, kindly
    talk.intent(intents.NO)
    assert not talk.session_open
    assert not re.search(r"(first|1st) check-in", talk.speech)
    assert len(moto_repository.rituals(household(), talk.now)) == 1
    assert moto_repository.load(household(), talk.now).profile.completed == 0
    talk.launch()
    talk.intent(intents.HISTORY)
    assert "haven't finished a check-in yet" in talk.speech


def test_history_says_the_streak_once_when_it_is_the_longest(talk):
    # issue 11, defect 20
    meet(talk)
    for _ in range(6):
        talk.advance(20)
        talk.intent(intents.DONE)
    talk.advance(24 * 3600)
    talk.launch()
    yes_now(talk)
    for _ in range(6):
        talk.advance(20)
        talk.intent(intents.DONE)
    no_small_thing(talk)
    talk.launch()
    talk.intent(intents.HISTORY)
    assert "2 nights in a row" in talk.speech and "longest run" not in talk.speech


def test_more_time_at_the_hand_over_is_announced_once(talk):
    # issue 11, defect 20
    meet(talk)
    talk.advance(125)  # Priya's time runs out
    talk.intent(intents.MORE_TIME)
    assert not ("Take another minute" in talk.speech and "here's your extra time" in talk.speech)


def test_the_partner_who_ends_a_question_and_starts_the_next_is_named_once(talk):
    # issue 11, defect 20
    meet(talk)
    talk.advance(30)
    talk.intent(intents.DONE)
    talk.advance(30)
    talk.intent(intents.DONE)  # Mateo ends the first question, and starts the second
    assert before_chime(talk).count("Mateo") == 1
    talk.advance(30)
    talk.intent(intents.DONE)
    talk.advance(200)  # Priya's time runs out; she ends the second question, starts the third
    assert after_chime(talk).count("Priya") == 1


def test_a_misheard_second_name_does_not_thank_the_first_partner_again(talk):
    # issue 11, defect 20
    talk.launch()
    talk.intent(intents.NAME, name="Priya")
    assert "Thanks, Priya" in talk.speech
    talk.intent(intents.NAME, name=None)
    assert "Priya" not in talk.speech and "other partner" in talk.speech


@pytest.mark.alexa_api("America/Chicago")
def test_a_timer_that_ends_a_question_with_extra_time_owed_offers_it_and_gives_it(talk, api):
    # issue 11, defect 4; with timers allowed, each turn is a timer, handed over by one-shots
    allow(talk, api, TIMERS_SCOPE)
    meet(talk)
    talk.advance(60)
    talk.intent(intents.DONE)  # "Alexa, tell connection check in I'm done": Priya ends early
    talk.advance(100)
    talk.intent(intents.MORE_TIME)  # "... more time": Mateo, second on the question
    announce = api.calls_to("/v1/alerts/timers", "POST")[-1] \
        .body["triggeringBehavior"]["operation"]["textToAnnounce"][0]["text"]
    assert "Priya" in announce and "more time" in announce and "you'll start" not in announce
    talk.advance(90)
    api.fire_due()
    talk.intent(intents.MORE_TIME)  # Priya takes the extra time she was offered
    assert "Priya" in talk.speech and "timer" in talk.speech
    assert "Mateo" not in talk.speech


def test_ready_just_after_over_to_you_does_not_end_the_turn_it_answers(talk, moto_repository):
    # "Thank you, Priya. Mateo, over to you. <question>": Mateo's turn starts at once, and
    # "ready" is a DoneIntent sample. Said a few seconds in, it answers the invitation.
    meet(talk)
    first = "Priya" if "Priya, you" in talk.speech else "Mateo"
    second = "Mateo" if first == "Priya" else "Priya"
    talk.advance(60)
    talk.intent(intents.DONE)
    assert f"{second}, over to you" in talk.speech
    talk.advance(6)
    talk.intent(intents.DONE)  # "Alexa, tell connection check in I'm ready"
    assert talk.speech.startswith(f"Take your time, {second}.")
    assert "<break" in talk.speech_ssml  # still holding the floor for the same turn
    talk.advance(70)
    talk.intent(intents.DONE)  # now the turn is over
    assert talk.speech.startswith(f"Thank you, {second}.")
    for _ in range(4):
        talk.advance(30)
        talk.intent(intents.DONE)
    record, = moto_repository.rituals(household(), talk.now)
    assert record.outcome == COMPLETED
    assert record.turns[1].seconds >= 6 + 70  # one turn, not a 6-second one and another
