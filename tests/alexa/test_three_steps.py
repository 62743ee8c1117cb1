"""The article's three steps, whole evenings through lambda_handler (issue 14).

Step one, awareness: once a week, after "yes, now is good", five short lines answered together
(yes, a little, or no), or "how connected are we" at any time; only numbers are kept. Step three,
being intentional: on that evening, one small thing each at the close; and, whenever no nightly
reminder is set, "Would you like me to remind you, same time tomorrow?".

Conversations run on moto with the fake Alexa API (21:00 in Chicago). Every response is held to
Alexa's certification checks (tests/certification_plugin.py: this module is listed there).
"""
from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest

from checkin.alexa import intents
from checkin.ritual.awareness import NEEDS, SAFE, TALK, TIME
from checkin.ritual.history import COMPLETED, WALK
from checkin.store.client import make_dynamodb_client
from checkin.store.repository import HouseholdRepository
from devtools import ssml_text
from devtools.alexa_api import REMINDERS_SCOPE, TIMERS_SCOPE
from devtools.envelopes import DEFAULT_SKILL_ID, Conversation
from devtools.table import create_table
from tests.alexa.test_nightly_and_walk import EVENING, TASK, ZONE, allow, ask_for
from tests.clients import PATIENT
from tests.skill_fixtures import (
    alexa_api,
    household,
    introduce,
    no_small_thing,
    six_turns,
    talk_with_api,
    yes_now,
)

DAY = 24 * 3600
CHIME = "soundbank://soundlibrary/"
LINES = ("less time together", "talking less", "needs have been going unmet", "felt lonely",
         "felt unsafe")
YES, NO, SKIP, A_LITTLE = intents.YES, intents.NO, intents.SKIP, intents.A_LITTLE


@pytest.fixture
def api():
    with alexa_api(ZONE) as stub:
        yield stub


@pytest.fixture
def table(moto_server):
    """A fresh table whose every item the tests can read back as stored."""
    client = make_dynamodb_client(endpoint_url=moto_server, config=PATIENT)
    name = f"checkin-steps-{uuid.uuid4().hex[:12]}"
    create_table(client, name)
    yield client, name
    client.delete_table(TableName=name)


@pytest.fixture
def repository(table) -> HouseholdRepository:
    return HouseholdRepository(*table)


@pytest.fixture
def talk(monkeypatch, repository, api):
    return talk_with_api(monkeypatch, repository, api, EVENING)


def first_evening(talk: Conversation) -> None:
    """Names and a first check-in (no check on the first evening); the plan left for later."""
    introduce(talk)
    talk.intent(YES)
    assert "five short lines" not in talk.speech
    six_turns(talk, 60)
    assert "same time tomorrow" in talk.speech
    talk.intent(intents.STOP)
    talk.advance(DAY)


def offered(talk: Conversation) -> bool:
    return "five short lines" in talk.speech


def the_check(talk: Conversation, answers=(YES, A_LITTLE, NO, NO, NO)) -> list[str]:
    """Yes to the offer, then one word for each line; what was said before each answer."""
    talk.intent(YES)
    heard = []
    for answer in answers:
        heard.append(talk.speech)
        talk.intent(answer)
    return heard


def items(table) -> list[dict]:
    client, name = table
    return client.scan(TableName=name)["Items"]


# --- step one: the check, taken and skipped -------------------------------------------------------

def test_the_week_s_evening_with_the_check_taken(talk, repository, table):
    first_evening(talk)
    talk.launch()
    talk.intent(YES)
    assert offered(talk) and talk.speech.startswith("Wonderful.") and talk.speech.endswith("?")
    heard = the_check(talk)
    # One line at a time, in the couple's own voice; how to answer is said once, first
    assert "say yes, a little, or no" in heard[0] and heard[0].endswith("lately.")
    assert [sum(line in said for line in LINES) for said in heard] == [1] * 5
    assert "felt unsafe" in heard[-1]  # the safety line comes last
    # Then a thank-you, never a score, and straight into the first question
    assert talk.speech.startswith("Thank you for noticing together.") and CHIME in talk.speech_ssml
    assert not re.search(r"\b(score|out of|two of five|2 of 5)\b", talk.speech)
    [check] = repository.checks(household(), talk.now)
    assert (check.signs, check.partly, check.count, check.answered) == ((TIME,), (TALK,), 2, 5)
    six_turns(talk, 30)
    assert "one small thing" in talk.speech  # the same evening closes with it on offer


def test_the_check_skipped_with_one_word_goes_straight_to_the_questions(talk, repository):
    first_evening(talk)
    talk.launch()
    talk.intent(YES)
    assert offered(talk)
    talk.intent(SKIP)
    assert talk.speech.startswith("Okay. The speaker talks") and CHIME in talk.speech_ssml
    assert repository.checks(household(), talk.now) == []
    # A "no" is a "skip" too, and only what was answered is kept from a check left partway
    talk.intent(intents.STOP)
    talk.advance(8 * DAY)
    talk.launch()
    talk.intent(YES)
    talk.intent(YES)
    talk.intent(YES)  # less time together: yes
    talk.intent(SKIP)
    assert "leave the lines there" in talk.speech and CHIME in talk.speech_ssml
    [check] = repository.checks(household(), talk.now)
    assert (check.signs, check.answered) == ((TIME,), 1)


def test_not_feeling_safe_affirmed_is_acknowledged_and_they_choose_to_go_on(talk, repository):
    first_evening(talk)
    talk.launch()
    talk.intent(YES)
    the_check(talk, (NO, NO, NO, NO, YES))
    said = talk.speech
    assert said.startswith("Thank you for saying that.")
    # The safety phrase and a therapist, once each, then the question
    assert said.count("I don't feel safe") == 1 and said.count("therapist") == 1
    assert said.endswith("Would you still like to go on with a check-in now?")
    assert "988" not in said  # the lines themselves are one phrase away, not read out now
    assert "I don't feel safe" not in talk.reprompt
    [check] = repository.checks(household(), talk.now)
    assert check.signs == (SAFE,)
    talk.intent(YES)
    assert "go gently" in talk.speech and CHIME in talk.speech_ssml
    # and "I don't feel safe" gives the support lines, as it does everywhere
    talk.intent(intents.SAFETY)
    assert "988" in talk.speech


def test_not_feeling_safe_a_little_and_not_tonight_ends_kindly(talk, repository):
    first_evening(talk)
    talk.launch(task=TASK)  # started by a Routine this time
    talk.intent(YES)
    the_check(talk, (NO, NO, NO, NO, A_LITTLE))
    assert "Thank you for saying that" in talk.speech
    talk.intent(NO)
    assert "Be gentle with each other" in talk.speech and not talk.session_open
    assert [d["type"] for d in talk.directives] == ["Tasks.CompleteTask"]
    assert len(repository.rituals(household(), talk.now)) == 1  # only the first evening's
    assert repository.checks(household(), talk.now)[0].partly == (SAFE,)


def test_we_re_done_after_saying_they_felt_unsafe_is_never_taken_for_going_on(talk):
    # You: "yes" to "We've felt unsafe when we talk", then "we're done" to "Would you still like
    # to go on with a check-in now?".
    # Heard: "Okay. Let's go gently", and the first question began.
    first_evening(talk)
    talk.launch()
    talk.intent(YES)
    the_check(talk, (NO, NO, NO, NO, YES))
    talk.intent(intents.DONE)  # "we're done", or "ready": the intent is the same
    assert talk.speech == "Would you like to go on now? Say yes, or say no."
    assert CHIME not in talk.speech_ssml and talk.session_open
    talk.intent(NO)
    assert "Be gentle with each other" in talk.speech and not talk.session_open


def test_how_connected_are_we_asks_for_the_check_at_any_time(talk, repository):
    first_evening(talk)
    # "Alexa, ask connection check in how connected are we"
    talk.intent(intents.AWARENESS)
    assert talk.speech.startswith("Welcome back, Sam and Alex.") and "less time together" in \
        talk.speech
    for _ in range(5):
        talk.intent(NO)
    assert "It sounds like you've felt close lately" in talk.speech
    assert talk.speech.endswith("good time for both of you to talk?")
    assert repository.checks(household(), talk.now)[0].count == 0
    # It was this week's: "yes" goes straight to the questions
    talk.intent(YES)
    assert not offered(talk) and CHIME in talk.speech_ssml
    # Mid-turn, it waits: the floor is held
    talk.advance(20)
    talk.intent(intents.AWARENESS)
    assert "Afterwards, you can say: how connected are we" in talk.speech
    assert "<break" in talk.speech_ssml


def test_the_check_is_offered_at_most_once_in_any_seven_days(talk):
    # By the request clock: evenings one day apart, the check offered on the second and ninth
    first_evening(talk)
    offers = []
    for evening in range(2, 17):
        talk.launch()
        talk.intent(YES)
        offers.append(evening) if offered(talk) else None
        talk.intent(intents.STOP)
        talk.advance(DAY)
    assert offers == [2, 9, 16]


def test_the_check_in_a_walk_uses_the_short_wordings(talk, api):
    first_evening(talk)
    talk.intent(intents.START_WALK)
    talk.connections_response("DENIED", token=ask_for(talk)["token"])
    talk.intent(YES)
    assert "five quick lines" in talk.speech
    talk.intent(YES)
    assert talk.speech.endswith("Less time together lately.")
    assert len(talk.speech.split()) < 12


# --- what is kept, and deleted --------------------------------------------------------------------

def test_no_words_of_an_answer_are_stored_after_a_whole_evening(talk, table):
    first_evening(talk)
    talk.launch()
    talk.intent(YES)
    the_check(talk, (YES, A_LITTLE, YES, NO, A_LITTLE))
    talk.intent(YES)  # go on after "not feeling safe, a little"
    six_turns(talk, 40)
    talk.intent(YES)  # one small thing
    talk.advance(20)
    talk.intent(intents.DONE)
    talk.intent(intents.DONE)
    talk.advance(40)
    talk.intent(YES)  # wrap up
    talk.intent(NO)  # no reminder
    stored = json.dumps(items(table)).lower()
    for word in ("less time", "talking", "safe", "needs", "lonely", "a little", "small thing",
                 "yes", "unmet", "together"):
        assert word not in stored, word
    [check] = [i for i in items(table) if i["sk"]["S"].startswith("META#CHECK#")]
    data = check["data"]["M"]
    assert set(data) == {"at", "on", "signs", "partly", "count", "answered"}
    assert [v["N"] for v in data["signs"]["L"]] == [str(TIME), str(NEEDS)]
    assert [v["N"] for v in data["partly"]["L"]] == [str(TALK), str(SAFE)]
    assert data["count"] == {"N": "4"} and re.fullmatch(r"\d{4}-\d\d-\d\d", data["on"]["S"])
    # Kept as long as the ritual records: two years by default
    ritual = next(i for i in items(table) if i["sk"]["S"].startswith("RITUAL#"))
    assert int(check["expires_at"]["N"]) - int(data["at"]["N"]) == \
        int(ritual["expires_at"]["N"]) - int(ritual["data"]["M"]["ended_at"]["N"]) == 730 * DAY


def test_delete_our_history_and_disabling_delete_the_checks(talk, repository, table):
    first_evening(talk)
    talk.intent(intents.AWARENESS)
    for _ in range(5):
        talk.intent(YES)
    assert repository.checks(household(), talk.now)
    talk.intent(intents.DELETE_HISTORY)
    talk.intent(YES)
    assert items(table) == []
    talk.launch()
    talk.intent(intents.AWARENESS)
    for _ in range(5):
        talk.intent(NO)
    assert repository.checks(household(), talk.now)
    talk.skill_disabled()
    assert items(table) == []


# --- the trend, and a therapist once --------------------------------------------------------------

def weekly_checks(talk: Conversation, answers_each_week: list[tuple]) -> None:
    for answers in answers_each_week:
        talk.launch()
        talk.intent(YES)
        assert offered(talk)
        the_check(talk, answers)
        talk.intent(intents.STOP)
        talk.advance(7 * DAY)


MANY = (YES, YES, A_LITTLE, NO, NO)  # three signs
FEW = (NO, A_LITTLE, NO, NO, NO)  # one sign


def test_how_are_we_doing_speaks_the_trend_kindly(talk):
    first_evening(talk)
    weekly_checks(talk, [MANY] * 4 + [FEW] * 4)
    talk.launch()
    talk.intent(intents.HISTORY)
    assert "fewer signs of drifting than a month ago" in talk.speech
    weekly_checks(talk, [FEW] * 4)
    talk.intent(intents.HISTORY)
    assert "about the same as last month" in talk.speech
    weekly_checks(talk, [MANY] * 4)
    talk.intent(intents.HISTORY)
    assert "a few more signs of drifting" in talk.speech
    assert "turning toward each other" in talk.speech


def test_most_signs_three_weeks_running_suggest_a_therapist_once(talk):
    first_evening(talk)
    said = []
    for _ in range(5):
        talk.launch()
        talk.intent(YES)
        the_check(talk, MANY)
        said.append(talk.speech)
        talk.intent(intents.STOP)
        talk.advance(7 * DAY)
    assert ["therapist" in s for s in said] == [False, False, True, False, False]
    assert "diagnos" not in " ".join(said).lower()
    # A better week ends the run; three more hard weeks may hear it again, once
    for answers in [FEW, MANY, MANY, MANY]:
        talk.launch()
        talk.intent(YES)
        the_check(talk, answers)
        said.append(talk.speech)
        talk.intent(intents.STOP)
        talk.advance(7 * DAY)
    assert ["therapist" in s for s in said[5:]] == [False, False, False, True]


# --- step three: one small thing ------------------------------------------------------------------

def weekly_evening_to_the_close(talk: Conversation) -> None:
    first_evening(talk)
    talk.launch()
    talk.intent(YES)
    talk.intent(SKIP)  # no check tonight; one small thing is still this evening's
    six_turns(talk, 30)


def test_one_small_thing_taken_each_in_turn_for_the_same_time(talk, repository):
    weekly_evening_to_the_close(talk)
    assert talk.speech.endswith("one small thing you'll do for the other this week. Shall we?")
    talk.intent(YES)
    # Sam started tonight second, so goes first here; 30 s each (a quarter of 2-minute turns)
    assert talk.speech.startswith("Sam, one small thing you'll do for Alex this week.")
    assert talk.speech_ssml.count('<break time="10s"/>') == 3
    assert talk.speech.endswith("Alex, say ready when you are.")
    talk.advance(40)  # the chime has gone
    talk.intent(intents.DONE)  # "ready"
    assert talk.speech.startswith("Alex, one small thing you'll do for Sam this week.")
    assert talk.speech_ssml.count('<break time="10s"/>') == 3
    assert talk.speech.endswith("Shall I wrap up?")
    talk.advance(10)
    talk.intent(intents.DONE)  # Alex finished early
    assert talk.speech.startswith("Thank you, Alex. Thank you both")
    assert "same time tomorrow" in talk.speech
    record = repository.rituals(household(), talk.now)[-1]
    assert record.outcome == COMPLETED and len(record.turns) == 6  # nothing of it is recorded


def test_one_small_thing_s_hand_over_promises_no_way_back_it_cannot_keep(talk):
    # The ritual's hand-over reprompt says how to come back once Alexa closes; here the
    # evening is already recorded, and "I'm ready" said later would only open a new one.
    weekly_evening_to_the_close(talk)
    talk.intent(YES)
    assert talk.reprompt == "Alex, say ready when you'd like to begin. Or say pause, or stop."
    talk.advance(60)
    talk.end_session()
    talk.advance(60)
    talk.intent(intents.DONE)  # "Alexa, tell connection check in I'm ready"
    assert "Shall we pick up there?" not in talk.speech


def test_more_time_in_one_small_thing_is_mirrored(talk):
    weekly_evening_to_the_close(talk)
    talk.intent(YES)
    talk.advance(25)
    talk.intent(intents.MORE_TIME)
    assert "Take 30 seconds more, Sam; Alex will have the same" in talk.speech
    assert talk.speech_ssml.count('<break time="10s"/>') == 3  # 35 s left of 60
    talk.intent(intents.DONE)
    assert talk.speech_ssml.count('<break time="10s"/>') == 6  # Sam has the minute too
    talk.advance(20)
    talk.intent(intents.MORE_TIME)
    assert "same short time for you both" in talk.speech


def test_one_small_thing_skipped_closes_at_once(talk, repository):
    weekly_evening_to_the_close(talk)
    talk.intent(SKIP)
    assert talk.speech.startswith("Thank you both") and "same time tomorrow" in talk.speech
    assert repository.rituals(household(), talk.now)[0].outcome == COMPLETED


def test_one_small_thing_is_offered_only_on_the_week_s_evening(talk):
    weekly_evening_to_the_close(talk)
    assert "one small thing" in talk.speech
    talk.intent(SKIP)
    talk.advance(DAY)
    talk.launch()
    talk.intent(YES)
    assert not offered(talk) and CHIME in talk.speech_ssml  # the next evening: neither
    six_turns(talk, 30)
    assert "one small thing" not in talk.speech and "Thank you both" in talk.speech


# --- step three: the plan -------------------------------------------------------------------------

def test_the_plan_accepted_sets_a_reminder_same_time_tomorrow(talk, api, repository):
    introduce(talk)
    talk.intent(YES)
    six_turns(talk, 60)
    assert talk.speech.endswith("Would you like me to remind you, same time tomorrow?")
    assert "tomorrow at 9 PM" in talk.reprompt
    talk.intent(YES)
    directive = ask_for(talk)  # Alexa asks for the permission in its own voice
    allow(talk, api, REMINDERS_SCOPE)
    talk.connections_response("ACCEPTED", token=directive["token"])
    assert "I'll remind you tomorrow at 9 PM" in talk.speech and not talk.session_open
    [reminder] = api.reminders.values()
    assert reminder["trigger"]["type"] == "SCHEDULED_ABSOLUTE"
    assert reminder["trigger"]["scheduledTime"].startswith("2026-11-27T21:00")
    assert "recurrence" not in reminder["trigger"]
    # A one-off is no nightly reminder: the next close offers again, and yes needs no question
    talk.advance(DAY + 600)
    talk.launch()
    yes_now(talk)
    six_turns(talk, 60)
    no_small_thing(talk)
    assert "same time tomorrow" in talk.speech
    talk.intent(YES)
    # Tonight began at about 21:17: the nearest quarter hour
    assert "I'll remind you tomorrow at 9:15 PM. Goodnight." in talk.speech


def test_the_plan_accepts_every_night_at_nine_and_then_is_not_offered(talk, api, repository):
    allow(talk, api, REMINDERS_SCOPE)
    introduce(talk)
    talk.intent(YES)
    six_turns(talk, 60)
    talk.intent(intents.REMIND, time="21:00")  # "remind us every night at nine"
    assert "every night at 9 PM" in talk.speech and talk.speech.endswith("Goodnight.")
    assert repository.load(household(), talk.now).profile.reminder_time == "21:00"
    talk.advance(DAY)
    talk.launch()
    yes_now(talk)
    six_turns(talk, 60)
    no_small_thing(talk)
    assert "remind you" not in talk.speech and not talk.session_open


def test_the_plan_accepts_tomorrow_at_eight(talk, api):
    allow(talk, api, REMINDERS_SCOPE)
    introduce(talk)
    talk.intent(YES)
    six_turns(talk, 60)
    talk.intent(intents.WHEN, date="2026-11-27", time="20:00")
    assert "I'll remind you tomorrow at 8 PM" in talk.speech
    [reminder] = api.reminders.values()
    assert reminder["trigger"]["scheduledTime"].startswith("2026-11-27T20:00")


def test_the_plan_declined_is_not_offered_again_for_seven_days(talk, repository):
    introduce(talk)
    talk.intent(YES)
    six_turns(talk, 60)
    talk.intent(NO)
    assert "Whenever you'd like, just open Connection Check-In" in talk.speech
    assert not talk.session_open
    offers = []
    for evening in range(2, 10):
        talk.advance(DAY)
        talk.launch()
        talk.intent(YES)
        if offered(talk):
            talk.intent(SKIP)
        six_turns(talk, 30)
        if "one small thing" in talk.speech:
            talk.intent(SKIP)
        offers.append(evening) if "same time tomorrow" in talk.speech else None
    assert offers == [8, 9]  # seven days after the "no", by the request clock


def test_a_routine_started_evening_ends_its_task_after_the_small_thing_and_the_plan(talk):
    first_evening(talk)
    talk.launch(task=TASK)
    talk.intent(YES)
    talk.intent(SKIP)
    six_turns(talk, 30)
    talk.intent(YES)
    talk.advance(40)
    talk.intent(intents.DONE)
    talk.advance(40)
    talk.intent(YES)
    assert "same time tomorrow" in talk.speech and not talk.directives
    talk.intent(NO)
    assert [d["type"] for d in talk.directives] == ["Tasks.CompleteTask"]


def test_a_routine_hears_complete_task_after_the_permission_question_too(talk, api):
    introduce(talk)
    talk.launch(task=TASK)
    talk.intent(YES)
    six_turns(talk, 60)
    talk.intent(YES)
    directive = ask_for(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.connections_response("ACCEPTED", token=directive["token"])
    assert "I'll remind you" in talk.speech
    assert [d["type"] for d in talk.directives] == ["Tasks.CompleteTask"]


def test_a_walk_with_timers_reaches_the_close_and_the_plan(talk, api, repository):
    first_evening(talk)
    talk.intent(intents.START_WALK)
    allow(talk, api, TIMERS_SCOPE)
    talk.connections_response("ACCEPTED", token=ask_for(talk)["token"])
    talk.intent(YES)
    talk.intent(SKIP)
    for _ in range(6):  # each turn a timer; "Alexa, tell connection check in I'm ready"
        talk.advance(240)
        api.fire_due()
        talk.intent(intents.DONE)
    if "Shall I wrap up" in talk.speech or "I'm done" in talk.speech:
        talk.intent(intents.DONE)
    assert "one small thing" in talk.speech and "Shall we?" in talk.speech
    talk.intent(SKIP)
    assert "Thank you both." in talk.speech and "Remind you same time tomorrow?" in talk.speech
    assert repository.rituals(household(), talk.now)[-1].mode == WALK


# --- the time it takes ----------------------------------------------------------------------------

@pytest.mark.parametrize("locale", ["en-US", "es-ES", "es-MX"])
def test_the_check_adds_at_most_a_minute_on_the_console_s_clock(monkeypatch, moto_repository,
                                                                 locale):
    # The console's clock, with Alexa's words at the conservative rate the certification checks
    # use (2.5 words a second); `make check-time` gives the figure with espeak-ng.
    from benchmarks.awareness_time import TARGET_SECONDS, measure
    from tests.skill_fixtures import wire

    handler = wire(monkeypatch, moto_repository, DEFAULT_SKILL_ID)
    count = iter(range(100))

    def fresh() -> Conversation:
        return Conversation(handler, start=EVENING - timedelta(hours=6),
                            user_id=f"amzn1.ask.account.TIMED{next(count)}", locale=locale)

    figures = measure(fresh, ssml_text.duration_seconds)
    assert 0 < figures["added by the check"] <= TARGET_SECONDS, figures
    assert figures["added by declining"] < 15, figures  # one short offer and one word
