"""Whole evenings played as a couple would, through `lambda_handler`, each reply read as a
listener hears it: true to what happened, kind, said once, and saying what can come next.

Each test is one defect heard in the console, with the words that reproduce it.
"""
from __future__ import annotations

import pytest

from checkin.alexa import intents
from checkin.ritual.history import STOPPED
from devtools.alexa_api import TIMERS_SCOPE
from tests.alexa.test_conversation_words import open_with_names, say
from tests.skill_fixtures import allow, household, introduce


def test_yes_to_when_would_be_better_asks_for_a_time_and_never_starts_the_questions(talk):
    # You: "no" to "is now a good time?", then "yes" to "when would be a better time?".
    # Heard: "Wonderful. The speaker talks and ..." and the first turn: the couple had said
    # not now, and a yes names no time.
    open_with_names(talk)
    say(talk, "not now")
    assert "When would be a better time?" in talk.speech
    say(talk, "yes")
    assert "Wonderful" not in talk.speech and "you're first" not in talk.speech
    assert "When would suit you both? For example" in talk.speech
    assert talk.session_open
    say(talk, "tomorrow at eight")
    assert "remind" in talk.speech.lower()


def test_i_m_done_as_a_turn_begins_is_not_told_to_say_i_m_done(talk):
    # You: "yes", then "I'm done" a few seconds into the first turn.
    # Heard: "Take your time, Priya. When you've finished, say: I'm done." to someone who had
    # just said it.
    open_with_names(talk)
    say(talk, "yes")
    speaker = "Priya" if "Priya, you're first" in talk.speech else "Mateo"
    talk.advance(4)
    say(talk, "I'm done")
    assert talk.speech.startswith(f"Take your time, {speaker}.")
    assert "When you've finished" not in talk.speech
    assert "say it again: I'm done" in talk.speech
    talk.advance(3)
    say(talk, "I'm done")  # said again, as invited: the turn ends
    assert talk.speech.startswith(f"Thank you, {speaker}.")


def test_the_resume_offer_does_not_say_the_couple_stopped(talk):
    # You: a turn under way, then the session closes (nobody answered); opened again.
    # Heard: "Earlier tonight you stopped partway through": they did not stop, the speaker
    # closed, and "you stopped" sounds like a reproach.
    open_with_names(talk)
    say(talk, "yes")
    talk.advance(50)
    talk.end_session()
    talk.advance(300)
    talk.launch()
    say(talk, "yes")
    assert "Shall we pick up there?" in talk.speech
    assert "stopped" not in talk.speech
    assert "partway through the 1st question" in talk.speech


def test_my_partner_is_not_taken_for_a_name(talk):
    # You: "open connection check in", then "my partner" where a name is asked for.
    # Heard: "Thanks, My Partner. And what should I call the other partner?"
    talk.launch()
    say(talk, "my partner", expecting_name=True)
    assert "My Partner" not in talk.speech
    assert "didn't catch a name" in talk.speech
    say(talk, "Sam", expecting_name=True)
    say(talk, "my wife", expecting_name=True)
    assert "My Wife" not in talk.speech
    assert "What should I call the other partner?" in talk.speech
    say(talk, "Alex", expecting_name=True)
    assert "good time for both of you" in talk.speech


def test_the_check_asked_for_says_what_it_is_before_its_first_line(talk):
    # You: "how connected are we" at "is now a good time?".
    # Heard: "Answer each one together: say yes, a little, or no. We've had less time together
    # lately." Each what? Asked for, the check never said what it is.
    open_with_names(talk)
    say(talk, "how connected are we")
    speech = talk.speech
    assert "five short lines" in speech
    assert speech.index("five short lines") < speech.index("Answer each one together")


def test_a_stray_word_heard_as_a_name_never_replaces_the_couple_s_names(talk, moto_repository):
    # You: "huh" twice at "is now a good time?" (a bare word is easily heard as a first name).
    # Heard: "Thanks, Huh. And what should I call the other partner?", then "Two of you called
    # Huh, lovely": Priya and Mateo were gone.
    open_with_names(talk)
    say(talk, "huh")
    say(talk, "huh")
    assert "Huh" not in talk.speech
    assert "change our names" in talk.speech and "good time for both of you" in talk.speech
    assert set(moto_repository.load(household(), talk.now).profile.names) == {"Priya", "Mateo"}
    say(talk, "change our names")  # asked for, names are changed
    assert "what should I call" in talk.speech


@pytest.mark.alexa_api("America/Chicago")
@pytest.mark.parametrize("utterance", ["stop", "I don't feel safe"])
def test_stopping_a_timed_walk_turn_cancels_its_timer(talk, api, moto_repository, utterance):
    # You: "we're on a walk" (timers allowed), "yes", then "Alexa, tell connection check in
    # stop" a minute into the first turn.
    # Heard: "Okay. Come back whenever you like." and, three minutes later, the timer: "Time's
    # up, Sam. Alex, when you're ready, say: Alexa, tell connection check in I'm ready."
    introduce(talk)
    talk.intent(intents.STOP)
    talk.advance(60)
    talk.intent(intents.START_WALK)
    [directive] = [d for d in talk.directives if d["type"] == "Connections.SendRequest"]
    allow(talk, api, TIMERS_SCOPE)
    talk.connections_response("ACCEPTED", token=directive["token"])
    talk.intent(intents.YES)
    [running] = api.timers
    assert not talk.session_open  # the timer keeps the turn
    talk.advance(60)
    say(talk, utterance)  # a one-shot, in a new session
    assert running not in api.timers
    talk.advance(300)
    assert api.fire_due() == []  # nothing announces a hand-over
    if utterance == "stop":
        assert "stop here" in talk.speech
        [record] = moto_repository.rituals(household(), talk.now)
        assert record.outcome == STOPPED
    else:
        assert "988" in talk.speech
