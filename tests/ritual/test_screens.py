"""What the engine says a screen shows (checkin.ritual.screens): plain data, decided per request."""
from __future__ import annotations

from datetime import date

import pytest

from checkin.records import replace
from checkin.ritual import answers, stages
from checkin.ritual.awareness import CheckRecord
from checkin.ritual.events import UNCLEAR, Event, HeardTime, Kind
from checkin.ritual.history import COMPLETED, RitualRecord, TurnRecord
from checkin.ritual.machine import begin
from checkin.ritual.profile import WEEKS_KEPT, Profile
from checkin.ritual.reply import Partner, Say
from checkin.ritual.screens import (
    BUTTONS,
    UNASKED,
    CloseCard,
    CloseScreen,
    HistoryScreen,
    PromptScreen,
    SafetyCard,
    SafetyScreen,
    TurnScreen,
    buttons_at,
)
from checkin.ritual.state import Stage
from tests.ritual_helpers import NAMED, T0, Player, player_at

ASKING = [stage for stage in Stage if stage not in UNASKED]
# Answers a button must never get: what is said when the words were not understood, and what
# a turn says to anything it takes for the speaker talking.
NOT_AN_ANSWER = (answers.not_understood, answers.go_on)


@pytest.mark.parametrize("stage", ASKING, ids=str)
def test_every_stage_that_asks_something_offers_its_answers_as_buttons(stage):
    play = player_at(stage)
    assert play.state.stage is stage
    assert buttons_at(play.state), f"{stage} has no buttons: add them to screens.BUTTONS"


def test_the_button_table_names_only_stages_that_ask():
    assert not set(BUTTONS) & UNASKED


@pytest.mark.parametrize("stage", ASKING, ids=str)
def test_every_button_is_answered_at_its_stage_as_its_words_are(stage):
    play = player_at(stage)
    for button in buttons_at(play.state):
        rule = stages.route(play.state, Event(button.event), play.now + 3)
        assert rule.do not in NOT_AN_ANSWER, (stage, button)


def test_the_help_or_support_question_has_its_two_answers_as_buttons():
    play = player_at(Stage.CONSENT)
    step = play(Kind.SAFETY, UNCLEAR)
    assert [b.event for b in step.reply.screen.buttons] == [Kind.HELP, Kind.SAFETY]
    assert play(Kind.SAFETY).reply.screen == SafetyScreen(buttons_at(play.state))


def test_a_turn_shows_who_speaks_who_listens_the_question_asked_and_the_time_left():
    play = player_at(Stage.CONSENT)
    step = play(Kind.YES)
    screen = step.reply.screen
    assert isinstance(screen, TurnScreen)
    ritual = step.state.ritual
    assert screen.speaker == Partner(ritual.speaker)
    assert screen.listener == Partner(1 - ritual.speaker)
    assert screen.question in step.reply.speech  # the question as it was asked
    assert screen.seconds_left == screen.seconds == NAMED.turn_seconds
    assert [b.event for b in screen.buttons] == [Kind.DONE, Kind.MORE_TIME, Kind.PAUSE]


def test_a_turn_asked_again_counts_down_from_what_is_left():
    play = player_at(Stage.TURN)
    step = play(Kind.REPEAT, after=50)
    assert step.reply.screen.seconds_left == NAMED.turn_seconds - 50
    assert step.reply.screen.seconds == NAMED.turn_seconds


def test_more_time_lengthens_the_countdown():
    play = player_at(Stage.TURN)
    step = play(Kind.MORE_TIME, after=100)
    assert step.reply.screen.seconds_left == NAMED.turn_seconds + 60 - 100
    assert step.reply.screen.seconds == NAMED.turn_seconds + 60


def test_a_hand_over_shows_who_is_next_and_which_question():
    play = player_at(Stage.TURN)
    play(Kind.DONE, after=60)
    step = play(Kind.DONE, after=60)  # both answered question 1: question 2 begins
    assert isinstance(step.reply.screen, TurnScreen)
    play = player_at(Stage.HANDOVER)
    screen = play.steps[-1].reply.screen
    assert isinstance(screen, PromptScreen)
    ritual = play.state.ritual
    assert screen.title == Say.of("screen.handover.next", next=Partner(ritual.speaker))
    assert screen.lines == (Say.of("screen.handover.question", number=1, total=3),)
    assert [b.event for b in screen.buttons] == [Kind.DONE, Kind.PAUSE]


def test_consent_and_pause_show_the_question_asked_with_its_answers():
    consent = player_at(Stage.CONSENT).steps[-1].reply.screen
    assert consent.lines == (Say.of("consent.ask"),)
    assert [b.event for b in consent.buttons] == [Kind.YES, Kind.NO]
    paused = player_at(Stage.PAUSED).steps[-1].reply.screen
    assert paused.lines == (Say.of("paused.prompt"),)
    assert [b.event for b in paused.buttons] == [Kind.RESUME, Kind.STOP]


def _six_turns(play: Player) -> None:
    for _ in range(6):
        play(Kind.DONE, after=70)


def test_the_close_shows_each_partners_time_and_the_count_and_the_app_gets_a_card():
    play = Player(begin(replace(NAMED, reminder_id="nightly")))  # no plan to offer
    play(Kind.LAUNCH)
    play(Kind.YES)
    _six_turns(play)
    reply = play.steps[-1].reply
    assert reply.end_session
    assert reply.screen == CloseScreen((210, 210), 1, 1)
    assert reply.card == CloseCard(420)


def test_a_close_that_offers_a_plan_shows_it_under_the_bars_with_its_answers():
    play = player_at(Stage.TURN)
    _six_turns(play)
    reply = play.steps[-1].reply
    assert not reply.end_session and play.state.stage is Stage.OFFER_PLAN
    plan = PromptScreen((Say.of("plan.offer"),), buttons_at(play.state))
    assert reply.screen == CloseScreen((210, 210), 1, 1, plan)
    assert [b.event for b in plan.buttons] == [Kind.YES, Kind.NO]
    assert reply.card == CloseCard(420)


def test_a_close_where_nobody_answered_shows_no_bars_and_sends_no_card():
    play = player_at(Stage.TURN)
    for _ in range(3):
        play(Kind.SKIP)
    reply = play.steps[-1].reply
    assert reply.card is None
    assert reply.screen == PromptScreen((Say.of("close.unanswered"), Say.of("plan.offer")),
                                        buttons_at(play.state), Say.of("screen.close.title"))


def test_each_line_of_the_check_shows_where_it_is_with_its_three_answers_and_skip():
    play = player_at(Stage.AWARENESS)
    screen = play.steps[-1].reply.screen
    assert screen.title == Say.of("screen.awareness.line", number=1, total=5)
    assert screen.lines == (Say.of("awareness.sign.time"),)
    assert [b.event for b in screen.buttons] == [Kind.YES, Kind.A_LITTLE, Kind.NO, Kind.SKIP]
    screen = play(Kind.A_LITTLE).reply.screen
    assert screen.title == Say.of("screen.awareness.line", number=2, total=5)
    assert screen.lines == (Say.of("awareness.sign.talk"),)


def test_one_small_thing_is_shown_as_a_short_turn_and_the_last_hand_over_offers_to_wrap_up():
    play = player_at(Stage.SMALL_THING)
    screen = play.steps[-1].reply.screen
    small = play.state.small
    assert isinstance(screen, TurnScreen)
    speaker, listener = Partner(small.speaker), Partner(1 - small.speaker)
    assert (screen.speaker, screen.listener) == (speaker, listener)
    assert screen.question == Say.of("screen.small.line", other=listener)
    assert screen.seconds_left == screen.seconds == small.allowance
    play(Kind.DONE, after=20)  # the second partner's small thing
    step = play(Kind.REPEAT, after=small.allowance + 5)  # ran out: shall I wrap up?
    assert step.state.stage is Stage.SMALL_HANDOVER
    assert [b.event for b in step.reply.screen.buttons] == [Kind.YES, Kind.PAUSE]


def test_safety_shows_the_crisis_lines_and_sends_them_to_the_app_in_a_turn_too():
    play = player_at(Stage.TURN)
    step = play(Kind.SAFETY)
    assert step.reply.screen == SafetyScreen(buttons_at(step.state))
    assert step.reply.card == SafetyCard()


def test_history_shows_the_weeks_and_ends_with_the_question_at_hand():
    profile = replace(NAMED, completed=5, streak=2, week_counts=(1, 0, 3), week_of="2026-11-23")
    play = Player(begin(profile), now=T0)  # T0 is Wednesday 2026-11-18, UTC
    play(Kind.LAUNCH)
    step = play(Kind.HISTORY)
    screen = step.reply.screen
    assert isinstance(screen, HistoryScreen)
    # 2026-11-23 is the week after T0's: the newest stored count is in the future, kept as is.
    assert screen.weeks == (0, 0, 0, 0, 0, 1, 0, 3)
    assert (screen.count, screen.streak) == (5, 2)
    assert screen.then.lines == (Say.of("consent.ask"),)
    assert screen.trend is None  # no check of the five signs yet


def test_history_shows_the_trend_of_the_checks_in_words():
    week = 7 * 86_400
    checks = tuple(CheckRecord(T0 - i * week, f"day{i}", signs=(1, 2, 3) if i > 4 else (1,))
                   for i in range(8, -1, -1))
    play = Player(begin(replace(NAMED, completed=9), checks=checks), now=T0 + 60)
    play(Kind.LAUNCH)
    screen = play(Kind.HISTORY).reply.screen
    assert screen.trend == Say.of("screen.trend.fewer")


def test_a_walk_shows_nothing_but_the_safety_card_still_reaches_the_app():
    play = player_at(Stage.CONSENT)
    assert play(Kind.START_WALK).reply.screen is None
    play(Kind.YES)
    assert play.steps[-1].reply.screen is None
    step = play(Kind.SAFETY)
    assert step.reply.screen is None and step.reply.card == SafetyCard()


def test_nothing_is_shown_for_a_session_that_ended_or_a_permission_alexa_asks_for():
    play = player_at(Stage.TURN)
    assert play(Kind.SESSION_ENDED).reply.screen is None
    play = player_at(Stage.CONSENT)
    step = play(Kind.REMIND, HeardTime(time="21:00"))  # Alexa asks for the permission
    assert step.reply.directives and step.reply.screen is None


def test_a_closing_reply_leaves_a_quiet_last_screen():
    play = player_at(Stage.TURN)
    step = play(Kind.STOP)
    assert step.reply.screen == PromptScreen((Say.of("screen.ended"),))


# --- the weekly counts behind the history chart -----------------------------------------------

def _completed(day: date) -> RitualRecord:
    return RitualRecord("r", 0, 0, COMPLETED, turns=(TurnRecord(0, 0, 60), TurnRecord(1, 0, 60)))


def test_completions_are_counted_by_the_week_they_fall_in():
    profile = Profile()
    for day in (date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 16), date(2026, 11, 22)):
        profile = profile.after_completion(_completed(day), day)
    assert profile.week_of == "2026-11-16"
    assert profile.weeks_to(date(2026, 11, 22)) == (0, 0, 0, 0, 0, 2, 0, 2)
    # Four weeks on, the oldest counts have left the chart.
    assert profile.weeks_to(date(2026, 12, 14)) == (0, 2, 0, 2, 0, 0, 0, 0)
    assert profile.weeks_to(date(2027, 3, 1)) == (0,) * WEEKS_KEPT


def test_weekly_counts_round_trip_and_stay_within_eight_weeks():
    profile = Profile(week_counts=tuple(range(12)), week_of="2026-11-16")
    again = Profile.from_dict(profile.to_dict())
    assert again.week_counts == tuple(range(4, 12)) and again.week_of == "2026-11-16"
    assert Profile.from_dict({}).weeks_to(date(2026, 11, 16)) == (0,) * WEEKS_KEPT
