"""Whole evenings played as a couple would, through `lambda_handler`, each reply read as a
listener hears it: true to what happened, kind, said once, and saying what can come next.

Each test is one defect heard in the console, with the words that reproduce it.
"""
from __future__ import annotations

import pytest

from checkin.alexa import intents
from checkin.ritual.history import COMPLETED, STOPPED
from devtools import nlu
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


def test_yes_to_what_time_each_night_asks_for_the_time_with_an_example(talk):
    # You: "remind us every night", then "yes" to "What time should I remind you each night?".
    # Heard: "Sorry, I didn't quite get that." to a plain yes.
    open_with_names(talk)
    say(talk, "remind us every night")
    assert "What time should I remind you each night?" in talk.speech
    say(talk, "yes")
    assert "didn't quite get that" not in talk.speech
    assert talk.speech == "What time works for your check-in? For example, nine PM."
    assert talk.session_open


def to_the_last_hand_over(talk) -> None:
    """Named, yes, six two-minute turns each ended by the chime: "Shall I wrap up?"."""
    open_with_names(talk)
    say(talk, "yes")
    for _ in range(5):
        talk.advance(125)
        say(talk, "ready")
    talk.advance(125)


def test_help_once_all_six_turns_are_done_offers_only_more_time_or_the_close(talk):
    # You: "help" at "That was the last question. Shall I wrap up?".
    # Heard: "We're paused. You can say: skip this question, or start over." Nothing is left to
    # skip, and starting over would set aside an evening the couple had finished.
    to_the_last_hand_over(talk)
    assert "Shall I wrap up?" in talk.speech
    say(talk, "help")
    assert "paused" not in talk.speech and "start over" not in talk.speech
    assert talk.speech == ("Say more time for another minute each, or say yes to wrap up. "
                           "That was the last question. Shall I wrap up?")
    say(talk, "yes")
    assert "Thank you both" in talk.speech


def test_alexa_closing_at_shall_i_wrap_up_records_the_evening_and_says_nothing(
        talk, moto_repository):
    # Nobody answers "Shall I wrap up?" and Alexa closes. The evening is recorded, but the
    # SessionEndedRequest was answered with the whole close ("Thank you both ..."), which Alexa
    # never plays and certification forbids.
    to_the_last_hand_over(talk)
    talk.end_session()
    assert talk.speech == ""
    [record] = moto_repository.rituals(household(), talk.now)
    assert record.outcome == COMPLETED


def test_back_after_alexa_closed_at_shall_i_wrap_up_hears_that_the_day_is_saved(talk):
    # You: nobody answers "Shall I wrap up?" and Alexa closes; a minute later, "Alexa, open
    # connection check in", then "no".
    # Heard: "Welcome back. Is now a good time for both of you to talk?", as if the evening had
    # been lost, and after "no": "When would be a better time?" on an evening already done.
    to_the_last_hand_over(talk)
    talk.end_session()
    talk.advance(60)
    talk.launch()
    assert talk.speech == ("Welcome back, Priya and Mateo. Today's check-in is saved. "
                           "Is now a good time for both of you to talk?")
    say(talk, "no")
    assert talk.speech == ("Okay. Whenever you're ready, just say: Alexa, open connection "
                           "check in. Take care of each other.")
    assert not talk.session_open


def test_the_next_evening_s_welcome_says_nothing_is_saved_yet(talk):
    to_the_last_hand_over(talk)
    say(talk, "yes")
    talk.end_session()
    talk.advance(24 * 3600)
    talk.launch()
    assert talk.speech == ("Welcome back, Priya and Mateo. "
                           "Is now a good time for both of you to talk?")
    say(talk, "no")
    assert "When would be a better time?" in talk.speech


def test_a_check_in_recorded_as_the_skill_opens_is_said_to_be_saved_once(talk):
    # The device lost its connection after the last turn: no SessionEndedRequest came, and the
    # evening is recorded when the skill is next opened.
    to_the_last_hand_over(talk)
    talk.advance(600)
    talk.launch()
    assert talk.speech.startswith("Before we begin, I've saved your last check-in")
    assert "Today's check-in is saved" not in talk.speech


def test_we_re_done_after_i_don_t_feel_safe_is_asked_about_never_taken_to_carry_on(talk):
    # You: "I don't feel safe" during the first turn, then "we're done".
    # Heard: "Welcome back, Priya. The question was ..." and the turn's quiet again.
    open_with_names(talk)
    say(talk, "yes")
    talk.advance(20)
    say(talk, "I don't feel safe")
    assert "988" in talk.speech
    say(talk, "we're done")
    assert talk.speech == "When you're ready, shall we carry on, or stop for now?"
    say(talk, "stop")
    assert not talk.session_open and "we'll stop here" in talk.speech


def test_ready_after_a_plain_pause_still_carries_on(talk):
    open_with_names(talk)
    say(talk, "yes")
    talk.advance(20)
    say(talk, "pause")
    say(talk, "I'm ready")
    assert "The question was" in talk.speech
    # "I need help", answered as help with the check-in: no support lines, so a plain pause.
    say(talk, "I need help")
    say(talk, "how it works")
    say(talk, "I'm ready")
    assert "The question was" in talk.speech
    # A pause after support was given, then carried on from, is a plain pause again.
    say(talk, "I don't feel safe")
    say(talk, "carry on")
    say(talk, "pause")
    say(talk, "I'm ready")
    assert "The question was" in talk.speech


@pytest.mark.parametrize("utterance", ["give us a minute", "more time", "pause"])
def test_give_us_a_minute_at_an_offer_is_fine_and_the_question_waits(talk, utterance):
    # You: "not now", "later tonight", then "give us a minute" at "Would you like me to remind
    # you both at 10 PM?".
    # Heard: "Sorry, I didn't quite get that."
    open_with_names(talk)
    say(talk, "not now")
    say(talk, "later tonight")
    question = talk.speech
    assert question.startswith("Would you like me to remind you both")
    say(talk, utterance)
    assert talk.speech == f"Take your time. {question}"
    assert talk.session_open


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
    assert "you were on the 1st question" in talk.speech


def test_the_resume_offer_between_questions_does_not_say_partway_through_one(talk):
    # You: the first question's second turn runs to the chime, nobody says ready and Alexa
    # closes; opened again later that evening.
    # Heard: "you were partway through the 2nd question": it had not begun.
    open_with_names(talk)
    say(talk, "yes")
    second = "Mateo" if "Priya, you're first" in talk.speech else "Priya"
    talk.advance(60)
    say(talk, "I'm done")
    assert "On to the next question, and you'll start this one." in talk.speech
    talk.advance(125)  # the turn runs out; the chime, and "say ready when you are"
    talk.end_session()
    talk.advance(600)
    talk.launch()
    say(talk, "yes")
    assert f"you were on the 2nd question, with {second} to speak" in talk.speech
    assert "partway" not in talk.speech


def test_i_m_ready_after_alexa_closed_at_a_hand_over_offers_to_pick_up_there(talk):
    # You: the first turn ends, nobody says ready in time and Alexa closes; a minute later,
    # "Alexa, tell connection check in I'm ready".
    # Heard: "Welcome back. Is now a good time for both of you to talk?", then, after a yes,
    # where they were: two questions before the second partner could speak.
    open_with_names(talk)
    say(talk, "yes")
    second = "Mateo" if "Priya, you're first" in talk.speech else "Priya"
    # The last words before Alexa closes say how to come back.
    assert "If I close before then, say: Alexa, tell connection check in I'm ready." \
        in talk.reprompt
    talk.advance(125)
    talk.end_session()
    talk.advance(60)
    say(talk, "I'm ready")  # a one-shot, in a new session
    assert "good time" not in talk.speech
    assert f"you were on the 1st question, with {second} to speak" in talk.speech
    say(talk, "yes")
    assert f"{second}, " in talk.speech and "can I reach you?" in talk.speech


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


def test_help_while_the_five_lines_are_paused_says_skip_leaves_them_all(talk):
    # You: "how connected are we", "yes", then "pause" and "help" on the second line.
    # Heard: "You can say: skip this question" (a skip leaves all five lines, not one).
    open_with_names(talk)
    say(talk, "how connected are we")
    say(talk, "yes")
    say(talk, "pause")
    say(talk, "help")
    assert "skip this question" not in talk.speech
    assert talk.speech.startswith("We're paused. To leave the five lines, say: skip.")
    say(talk, "skip")
    assert "five" not in talk.speech and "We've" not in talk.speech


def test_a_stray_word_heard_as_a_name_never_replaces_the_couple_s_names(talk, moto_repository):
    # You: "huh" twice at "is now a good time?" (a bare word is easily heard as a first name;
    # "huh" is now heard as asking to repeat, so a stray "pizza" stands in for it).
    # Heard: "Thanks, Huh. And what should I call the other partner?", then "Two of you called
    # Huh, lovely": Priya and Mateo were gone.
    open_with_names(talk)
    say(talk, "pizza")
    say(talk, "pizza")
    assert "Pizza" not in talk.speech
    assert "change our names" in talk.speech and "good time for both of you" in talk.speech
    assert set(moto_repository.load(household(), talk.now).profile.names) == {"Priya", "Mateo"}
    say(talk, "change our names")  # asked for, names are changed
    assert "what should I call" in talk.speech


@pytest.mark.parametrize("sound", ["hmm", "umm", "uh"])
def test_a_thinking_sound_where_a_name_is_asked_for_is_no_name(talk, sound):
    # You: "open connection check in", then "hmm" while deciding who goes first.
    # Heard: "Thanks, Hmm. And what should I call the other partner?", and "Hmm, you're first"
    # every evening after.
    talk.launch()
    say(talk, sound, expecting_name=True)
    assert sound.capitalize() not in talk.speech
    assert "didn't catch a name" in talk.speech
    say(talk, "Sam", expecting_name=True)
    say(talk, "Alex", expecting_name=True)
    assert "good time for both of you" in talk.speech


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


DAY = 24 * 3600


def six_turns_said_done(talk, last_runs_out: bool = False) -> None:
    """Each turn ended by "I'm done" a minute in; the last one, if asked, left to its chime."""
    for turn in range(6):
        talk.advance(65)
        if turn == 5 and last_runs_out:
            talk.advance(130)
            return
        say(talk, "I'm done")


def test_history_after_the_last_turn_counts_tonight_and_asks_what_comes_next(talk):
    # You: the six turns, the last left to its chime ("That was the last question. Shall I wrap
    # up?"), then "how are we doing".
    # Heard: "You haven't finished a check-in yet. This could be your first. When you're ready,
    # shall we carry on, or stop for now?": tonight's is done but for its recording, and nothing
    # was paused.
    open_with_names(talk)
    say(talk, "yes")
    six_turns_said_done(talk, last_runs_out=True)
    say(talk, "how are we doing")
    assert "Tonight's is your first check-in together" in talk.speech
    assert "haven't finished" not in talk.speech and "carry on" not in talk.speech
    assert talk.speech.endswith("Shall I wrap up?") and talk.session_open
    say(talk, "yes")
    assert "That's your 1st check-in" in talk.speech


def test_history_at_the_small_thing_offer_counts_tonight_and_asks_it_again(talk):
    # You: a first evening, then the next (the week's check skipped), its six turns, and "how
    # are we doing" at "One last thing, if you'd like: ... Shall we?".
    # Heard: "You've done your first check-in together ... When you're ready, shall we carry
    # on, or stop for now?": one short, and a question that did not fit.
    open_with_names(talk)
    say(talk, "yes")
    six_turns_said_done(talk)
    say(talk, "stop")
    talk.advance(DAY)
    talk.launch()
    say(talk, "yes")
    assert "five short lines" in talk.speech
    say(talk, "skip")
    six_turns_said_done(talk)
    assert talk.speech.endswith("Shall we?")
    say(talk, "how are we doing")
    assert "With tonight's, you've done 2 check-ins together" in talk.speech
    assert "2 nights in a row" in talk.speech and "first" not in talk.speech
    assert "carry on" not in talk.speech
    assert talk.speech.endswith("one small thing you'll do for the other this week. Shall we?")
    say(talk, "skip")
    assert "That's your 2nd check-in" in talk.speech


@pytest.mark.parametrize("utterance", ["what?", "huh", "what was that"])
def test_what_and_huh_ask_for_the_question_again(talk, utterance):
    # You: "what?" or "huh" at "is now a good time?".
    # Heard: "what?" as help (half a minute of how the skill works), "huh" as a name ("If you'd
    # like to change your names, say: change our names").
    open_with_names(talk)
    say(talk, utterance)
    assert talk.speech == "Is now a good time for both of you to talk?"


@pytest.mark.parametrize("locale, utterance", [
    ("en-US", "what?"), ("en-GB", "huh"), ("en-US", "excuse me"),
    ("es-US", "¿qué?"), ("es-ES", "¿cómo?"), ("de-DE", "wie bitte?"), ("de-DE", "was?"),
    ("fr-FR", "pardon ?"), ("fr-CA", "comment ?"), ("it-IT", "come?"), ("it-IT", "cosa?"),
    ("pt-BR", "o quê?"), ("pt-BR", "como?"),
])
def test_what_is_heard_as_asking_to_repeat_in_every_language(locale, utterance):
    assert nlu.for_locale(locale).resolve(utterance).intent == "AMAZON.RepeatIntent"
    # where a name is asked for, too
    assert nlu.for_locale(locale).resolve(utterance, True).intent == "AMAZON.RepeatIntent"


def test_skip_at_is_now_a_good_time_says_what_can_be_said(talk):
    # You: "skip" at "is now a good time?".
    # Heard: "Sorry, I didn't quite get that. Is now a good time for both of you to talk?"
    open_with_names(talk)
    say(talk, "skip")
    assert "didn't quite get" not in talk.speech
    assert "nothing to skip" in talk.speech and "say yes" in talk.speech
    assert "not now" in talk.speech and talk.session_open
    say(talk, "yes")
    assert "Wonderful" in talk.speech


def test_help_while_paused_in_a_turn_names_its_options_without_also(talk):
    # You: "yes", "pause" half a minute into the first turn, then "help".
    # Heard: "We're paused. You can also say: skip this question, or start over." with nothing
    # said before it for "also" to add to.
    open_with_names(talk)
    say(talk, "yes")
    talk.advance(30)
    say(talk, "pause")
    say(talk, "help")
    assert talk.speech.startswith("We're paused. You can say: skip this question, or start over.")
    assert " also " not in talk.speech


@pytest.mark.alexa_api("America/Chicago")
@pytest.mark.parametrize("answer", ["ACCEPTED", "DENIED"])
def test_a_walk_started_at_consent_says_once_that_it_is_a_walk_check_in(talk, api, answer):
    # You: "we're on a walk" at "is now a good time?", then yes (or no) to Alexa's question
    # about timers.
    # Heard: the question about timers, then "Thanks. I'll use timers for your turns. Is now a
    # good time for both of you to talk?": never that this is a walk check-in, or what that is.
    open_with_names(talk)
    say(talk, "we're on a walk")
    heard = [talk.speech]
    [directive] = [d for d in talk.directives if d["type"] == "Connections.SendRequest"]
    if answer == "ACCEPTED":
        allow(talk, api, TIMERS_SCOPE)
    talk.connections_response(answer, token=directive["token"])
    heard.append(talk.speech)
    assert heard[0].startswith("A walk check-in. Turns are longer, and I'll keep it brief.")
    assert "timers" in heard[0]
    assert "walk check-in" not in heard[1]  # said once
    assert heard[1].endswith("Is now a good time for both of you to talk?")


@pytest.mark.parametrize("words", ["we are on a walk", "we are going for a walk"])
def test_we_are_on_a_walk_without_the_contraction_starts_a_walk(talk, words):
    # You: "we are on a walk" at "is now a good time?".
    # Heard: "Sorry, I didn't quite get that." ("we're on a walk" was understood).
    open_with_names(talk)
    say(talk, words)
    assert talk.speech.startswith("A walk check-in.")
