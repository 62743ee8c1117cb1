"""Help that fits the moment, "I need help" asked about first, a pause one can come back to,
words that fit the time of day, and first-time one-shots: conversations through lambda_handler.
"""
from __future__ import annotations

import re

import pytest

from checkin.alexa import intents
from checkin.speech.prompts import prompts
from devtools.envelopes import Conversation
from devtools.nlu import resolve
from tests.skill_fixtures import (
    EVENING,
    alexa_api,
    household,
    introduce,
    six_turns,
    talk_with_api,
)

CRISIS_LINE = "988"
# "Alexa, tell connection check in to ...": Alexa hands the skill only what follows.
INVOCATION = re.compile(r"^alexa,? tell connection check in to ", re.IGNORECASE)


def say(talk: Conversation, words: str) -> None:
    """What a partner says, heard the way the interaction model hears it."""
    heard = resolve(INVOCATION.sub("", words), expecting_name=False)
    talk.intent(heard.intent, **heard.slots)


def _mid_turn(talk: Conversation) -> None:
    introduce(talk)  # Sam and Alex
    talk.intent(intents.YES)
    talk.advance(40)


# --- help says what can be said here (issue 11, defect 10) --------------------------------------

def test_help_while_paused_offers_what_works_when_paused_and_asks_to_carry_on(talk):
    # issue 11, defect 10
    _mid_turn(talk)
    say(talk, "pause")
    say(talk, "help")
    assert "more time" not in talk.speech.lower()  # it does nothing while paused
    assert "skip this question" in talk.speech
    assert talk.speech.endswith("shall we carry on, or stop for now?")
    say(talk, "skip this question")  # and what help offered does what it says
    assert "skip that one" in talk.speech and "Alex" in talk.speech


def test_help_before_starting_tells_of_history_reminders_walks_turn_length_and_deleting(talk):
    # issue 11, defect 10
    introduce(talk)
    say(talk, "what can we say")
    for offered in ("how are we doing", "remind us every night", "start a walk check in",
                    "make the turns three minutes", "delete our history"):
        assert offered in talk.speech
    assert "not therapy" in talk.speech and "I don't feel safe" in talk.speech
    assert talk.speech.endswith("Is now a good time for both of you to talk?")


def test_help_while_naming_and_while_deleting_ends_with_that_question(talk):
    # issue 11, defect 10
    talk.launch()
    say(talk, "help")
    assert talk.speech.endswith("what should I call one of you?")
    assert "remind us" not in talk.speech  # names first: the rest comes later
    say(talk, "Sam")
    say(talk, "help")
    assert talk.speech.endswith("Or say skip.") or talk.speech.endswith("?")
    assert "other partner" in talk.speech
    say(talk, "skip")
    say(talk, "delete our history")
    say(talk, "help")
    assert "To keep everything, say: no" in talk.speech and "not therapy" not in talk.speech
    assert talk.speech.endswith("check-in history?")


OFFERED = re.compile(r"say:? ([^.?]+)", re.IGNORECASE)


def _offered_phrases(text: str) -> list[str]:
    phrases = []
    for found in OFFERED.findall(re.sub(r"Alexa, tell connection check in to ", "", text)):
        for phrase in re.split(r",\s*(?:or\s+)?|\s+or\s+", found):
            if phrase.strip():
                phrases.append(phrase.strip())
    return phrases


HELP_DOES = {
    "how are we doing": intents.HISTORY, "remind us every night": intents.REMIND,
    "remind us every night at nine": intents.REMIND,
    "start a walk check in": intents.START_WALK,
    "make the turns three minutes": intents.SET_TURN_LENGTH,
    "delete our history": intents.DELETE_HISTORY, "I don't feel safe": intents.SAFETY,
    "skip this question": intents.SKIP, "start over": intents.START_OVER,
    "skip": intents.SKIP, "yes": intents.YES, "no": intents.NO, "carry on": intents.RESUME,
    "stop": intents.STOP, "how it works": intents.HELP, "I need support": intents.SAFETY,
}


@pytest.mark.parametrize("key", [k for k in prompts("en-US")
                                 if k.startswith(("help", "paused")) and k != "help.which"])
def test_every_phrase_help_offers_is_heard_as_what_it_does(key):
    # issue 11, defect 10: every "say ..." in help is a sample of the intent that does it
    for wording in prompts("en-US")[key]:
        for phrase in _offered_phrases(wording):
            assert phrase in HELP_DOES, f"{key} offers {phrase!r}, which nothing here does"
            assert resolve(phrase).intent == HELP_DOES[phrase], (key, phrase)


# --- "I need help" (issue 11, defect 11) ---------------------------------------------------------

def test_i_need_help_mid_turn_asks_which_help_and_the_check_in_gets_help_without_crisis_lines(talk):
    # issue 11, defect 11
    _mid_turn(talk)
    say(talk, "I need help")
    assert CRISIS_LINE not in talk.speech
    assert talk.speech.endswith("help with the check-in, or support right now?")
    say(talk, "how it works")
    assert CRISIS_LINE not in talk.speech and "skip this question" in talk.speech
    say(talk, "carry on")
    assert "Welcome back, Sam" in talk.speech


@pytest.mark.parametrize("answer", ["support", "yes I need support", "yes"])
def test_i_need_help_then_support_gives_the_crisis_lines(talk, answer):
    # issue 11, defect 11
    introduce(talk)
    say(talk, "I need help")
    assert CRISIS_LINE not in talk.speech and talk.session_open
    say(talk, answer)
    assert CRISIS_LINE in talk.speech and talk.speech.endswith("?")


def test_i_dont_feel_safe_is_still_answered_at_once(talk):
    # issue 11, defect 11: the clear phrases stay immediate
    _mid_turn(talk)
    say(talk, "I don't feel safe")
    assert CRISIS_LINE in talk.speech


# --- a pause one can come back to (issue 11, defect 12) -----------------------------------------

def test_pause_says_how_to_come_back_and_carrying_on_later_picks_up_the_paused_turn(
        talk, moto_repository):
    # issue 11, defect 12
    _mid_turn(talk)
    say(talk, "pause")
    assert "Alexa, tell connection check in to carry on" in talk.speech + talk.reprompt
    # Alexa closes the session; its closing request never reaches the skill.
    talk._close()
    talk.advance(90 * 60)  # later the same evening
    say(talk, "Alexa, tell connection check in to carry on")
    assert "you were on the" in talk.speech and "with Sam to speak" in talk.speech
    say(talk, "yes")
    assert "Sam" in talk.speech and "<break" in talk.speech_ssml
    checkpoint = moto_repository.load(household(), talk.now).checkpoints
    assert checkpoint and not checkpoint[-1].ritual.turns  # Sam's turn, not yet over


# --- the time of day (issue 11, defect 16) -------------------------------------------------------

@pytest.fixture
def morning_talk(monkeypatch, moto_repository):
    """21:00 UTC is 11:00 the next morning on Kiritimati (UTC+14), the household's zone."""
    with alexa_api("Pacific/Kiritimati") as stub:
        yield talk_with_api(monkeypatch, moto_repository, stub, EVENING)


def _no_night_words(text: str) -> None:
    assert not re.search(r"tonight|goodnight", text, re.IGNORECASE), text


def test_in_the_morning_nothing_speaks_of_tonight_or_says_goodnight(morning_talk):
    # issue 11, defect 16
    talk = morning_talk
    introduce(talk)
    say(talk, "not now")
    _no_night_words(talk.speech + talk.reprompt)
    assert "later today" in talk.reprompt
    talk.launch()
    say(talk, "stop")
    _no_night_words(talk.speech)
    talk.launch()
    talk.intent(intents.YES)
    talk.advance(40)
    talk.end_session()
    talk.advance(600)
    talk.launch()
    talk.intent(intents.YES)
    assert "Earlier today" in talk.speech
    _no_night_words(talk.speech)
    talk.intent(intents.YES)
    six_turns(talk, 30)
    assert "same time tomorrow" in talk.speech  # no nightly reminder yet: a plan is offered
    _no_night_words(talk.speech + talk.reprompt)
    say(talk, "no thanks")
    assert "Have a good day" in talk.speech and "Goodnight" not in talk.speech


def test_late_in_the_evening_the_words_still_say_tonight(talk):
    # issue 11, defect 16: the fixtures' 9 pm is night, and night keeps its words
    introduce(talk)
    say(talk, "not now")
    assert "later tonight" in talk.reprompt
    talk.launch()
    say(talk, "stop")
    assert "Goodnight" in talk.speech


# --- first-time one-shots, and the walk's close (issue 11, also) ---------------------------------

def test_a_first_walk_one_shot_welcomes_asks_names_then_starts_the_walk(talk):
    # issue 11, also: a first-time one-shot skipped the welcome, the not-therapy line and names
    say(talk, "start a walk check in")
    assert "welcome" in talk.speech.lower() and "not therapy" in talk.speech
    assert "what should I call one of you" in talk.speech
    say(talk, "Sam")
    say(talk, "Alex")
    assert "walk" in talk.speech.lower()
    assert talk.speech.endswith("Is now a good time for both of you to talk?")
    talk.intent(intents.YES)
    six_turns(talk, 30)
    assert "Thank you both." in talk.speech
    assert "showing up" not in talk.speech  # the walk's close, not the home one


def test_a_first_how_are_we_doing_welcomes_answers_and_asks_names(talk):
    # issue 11, also
    say(talk, "how are we doing")
    assert "not therapy" in talk.speech and "haven't finished a check-in" in talk.speech
    assert talk.speech.endswith("what should I call one of you?")


def test_a_walk_closes_with_the_walk_wording(talk):
    # issue 11, also: a walk ended with the home closing
    introduce(talk)
    say(talk, "stop")
    talk.advance(60)
    say(talk, "start a walk check in")  # Alexa asks whether timers may be used
    talk.connections_response("DENIED", token="timers|walk")
    talk.intent(intents.YES)
    six_turns(talk, 30)
    assert talk.speech.startswith("Thank you, ") and "Thank you both." in talk.speech
    assert "showing up for each other" not in talk.speech
