"""The three steps in the engine alone: when the check is offered, what it keeps, the trend,
the therapist's mention, and the new stages answering help, pause, stop, safety, skip and repeat.
"""
from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkin.ritual import awareness
from checkin.ritual.awareness import (
    DAY_SECONDS,
    FEWER,
    MORE,
    OFFER_EVERY_SECONDS,
    SAME,
    STARTED,
    CheckRecord,
    Noticing,
    stuck_since,
    trend,
)
from checkin.ritual.events import Kind
from checkin.ritual.machine import begin
from checkin.ritual.reply import FinishRitual, Hold, RecordCheck, SaveProfile, Say
from checkin.ritual.state import Stage, State
from tests.ritual_helpers import KNOWN, NAMED, T0, Player, player_at

NEW_STAGES = (Stage.OFFER_AWARENESS, Stage.AWARENESS, Stage.AWARENESS_SAFETY,
              Stage.OFFER_SMALL_THING, Stage.SMALL_THING, Stage.SMALL_HANDOVER, Stage.OFFER_PLAN)
WEEK = 7 * 24 * 3600  # spelt out: the tests hold the constant to it


def _keys(step) -> list[str]:
    return [p.key for p in step.reply.speech if isinstance(p, Say)]


# --- when the check is offered --------------------------------------------------------------------

def test_not_offered_on_a_couple_s_first_check_in():
    play = Player()  # named, nothing completed yet
    play(Kind.LAUNCH)
    play(Kind.YES)
    assert play.state.stage is Stage.TURN


def test_offered_after_consent_and_its_time_saved_at_once():
    play = Player(begin(KNOWN, ()))
    play(Kind.LAUNCH)
    step = play(Kind.YES)
    assert play.state.stage is Stage.OFFER_AWARENESS and _keys(step)[:2] == [
        "consent.yes", "awareness.offer"]
    [save] = step.effects
    assert isinstance(save, SaveProfile) and save.profile.awareness_asked_at == play.now


@settings(max_examples=200, deadline=None)
@given(gaps=st.lists(st.integers(min_value=3600, max_value=5 * DAY_SECONDS), min_size=2,
                     max_size=25),
       asked=st.lists(st.booleans(), min_size=25, max_size=25))
def test_offered_at_most_once_in_any_seven_days_by_the_request_clock(gaps, asked):
    # Given evenings at any spacing, some of which open with "how connected are we"
    profile, now, times = KNOWN, T0, []
    for gap, on_request in zip(gaps, asked, strict=False):
        now += gap
        play = Player(begin(profile, ()), now=now)
        if on_request:
            play(Kind.AWARENESS)
        else:
            play(Kind.LAUNCH)
            play(Kind.YES)
        if play.state.stage in (Stage.OFFER_AWARENESS, Stage.AWARENESS):
            times.append((play.now, on_request))
        profile = play.state.profile
    # Then the check is never offered within seven days of the last time it was asked
    for (earlier, _), (later, on_request) in pairwise(times):
        assert on_request or later - earlier >= WEEK


def test_offered_again_exactly_seven_days_later():
    assert OFFER_EVERY_SECONDS == WEEK
    play = Player(begin(KNOWN, ()))
    play(Kind.LAUNCH)
    play(Kind.YES)
    asked = play.state.profile.awareness_asked_at
    for seconds, expected in ((WEEK - 1, Stage.TURN), (WEEK, Stage.OFFER_AWARENESS)):
        again = Player(begin(play.state.profile, ()), now=asked + seconds - 6)
        again(Kind.LAUNCH)
        again(Kind.YES)
        assert again.state.stage is expected


# --- what it keeps --------------------------------------------------------------------------------

def test_only_numbers_are_kept_and_a_little_counts_as_noticed():
    play = player_at(Stage.AWARENESS)
    for kind in (Kind.YES, Kind.A_LITTLE, Kind.NO, Kind.A_LITTLE):
        play(kind)
    step = play(Kind.NO)
    [check] = [e.check for e in step.effects if isinstance(e, RecordCheck)]
    assert check.signs == (awareness.TIME,)
    assert check.partly == (awareness.TALK, awareness.LONELY)
    assert (check.count, check.answered, check.complete) == (3, 5, True)
    assert set(check.to_dict()) == {"at", "on", "signs", "partly", "count", "answered"}
    assert CheckRecord.from_dict(check.to_dict()) == check


@pytest.mark.parametrize("data", [{"at": 1, "on": "2026-11-26", "signs": [9], "partly": []},
                                  {"at": 1, "on": "2026-11-26", "signs": "time", "partly": []},
                                  {"on": "2026-11-26"}])
def test_a_stored_check_that_is_not_numbers_is_refused(data):
    with pytest.raises((KeyError, ValueError)):
        CheckRecord.from_dict(data)


def test_a_check_skipped_before_any_answer_keeps_nothing():
    play = player_at(Stage.AWARENESS)
    step = play(Kind.SKIP)
    assert not [e for e in step.effects if isinstance(e, RecordCheck)]
    assert play.state.stage is Stage.TURN


def test_a_check_in_progress_round_trips_and_bad_answers_are_refused():
    state = player_at(Stage.AWARENESS).state
    state = replace(state, noticing=state.noticing.answered(awareness.A_LITTLE))
    assert State.from_dict(state.to_dict()) == state
    with pytest.raises(ValueError):
        Noticing.from_dict({"answers": [7]})


# --- the trend and the run of hard weeks ----------------------------------------------------------

def _checks(counts_weekly: list[int], end: int = T0) -> tuple[CheckRecord, ...]:
    start = end - (len(counts_weekly) - 1) * WEEK
    return tuple(CheckRecord(start + i * WEEK, f"d{i}", signs=tuple(range(1, n + 1)))
                 for i, n in enumerate(counts_weekly))


@pytest.mark.parametrize(("weekly", "expected"), [
    ([3, 3, 3, 3, 1, 1, 1, 1], FEWER),
    ([2, 2, 2, 2, 2, 2, 3, 2], SAME),
    ([1, 1, 1, 1, 3, 3, 2, 3], MORE),
    ([2, 3], STARTED),
    ([], None),
])
def test_the_trend_compares_the_last_four_weeks_with_the_four_before(weekly, expected):
    assert trend(_checks(weekly), T0) == expected


def test_no_trend_from_checks_long_past():
    assert trend(_checks([3, 3]), T0 + 20 * WEEK) is None


def test_a_run_of_most_signs_counts_weeks_not_checks():
    assert stuck_since(_checks([3, 4, 3])) == T0 - 2 * WEEK
    assert stuck_since(_checks([4, 2, 3, 3])) is None  # a better week ends the run
    daily = tuple(CheckRecord(T0 + i * DAY_SECONDS, f"d{i}", signs=(1, 2, 3)) for i in range(5))
    assert stuck_since(daily) is None  # five checks in five days are one week
    apart = _checks([3, 3]) + (CheckRecord(T0 + 3 * WEEK, "late", signs=(1, 2, 3)),)
    assert stuck_since(apart) is None  # three weeks between checks: not weeks running


# --- every new stage answers help, pause, stop, safety, skip and repeat ---------------------------

@pytest.mark.parametrize("stage", NEW_STAGES, ids=lambda s: s.value)
@pytest.mark.parametrize("kind", [Kind.HELP, Kind.PAUSE, Kind.STOP, Kind.SAFETY, Kind.SKIP,
                                  Kind.REPEAT], ids=lambda k: k.value)
def test_every_new_stage_answers_the_words_that_work_everywhere(stage, kind):
    play = player_at(stage)
    assert play.state.stage is stage
    step = play(kind)
    said = _keys(step)
    assert "fallback" not in said, f"{kind.value} is not understood at {stage.value}"
    if kind is Kind.STOP:
        assert step.reply.end_session and play.state.stage is Stage.ENDED
    elif kind is Kind.PAUSE:
        assert play.state.stage is Stage.PAUSED and play(Kind.RESUME).state.stage is not \
            Stage.PAUSED
    elif kind is Kind.SAFETY:
        assert "safety" in said and play.state.stage is Stage.PAUSED
    elif kind is Kind.HELP:
        assert not step.reply.end_session and any(k.startswith("help") for k in said)
    elif kind is Kind.SKIP:  # skip moves on: the check, the small thing, or the plan
        assert play.state.stage is not stage or stage is Stage.AWARENESS_SAFETY
    else:
        assert play.state.stage is stage and not step.reply.end_session


@pytest.mark.parametrize("stage", [Stage.OFFER_AWARENESS, Stage.AWARENESS])
def test_skip_while_paused_in_the_check_skips_it(stage):
    play = player_at(stage)
    play(Kind.PAUSE)
    play(Kind.SKIP)
    assert play.state.stage is Stage.TURN


def test_a_paused_small_thing_resumes_with_the_time_it_had_left():
    play = player_at(Stage.SMALL_THING)
    play(Kind.PAUSE, after=12)
    step = play(Kind.RESUME, after=300)
    assert sum(p.seconds for p in step.reply.speech if isinstance(p, Hold)) == 18


def test_stopping_during_one_small_thing_records_the_check_in_as_completed():
    play = player_at(Stage.SMALL_THING)
    step = play(Kind.STOP)
    [finish] = [e for e in step.effects if isinstance(e, FinishRitual)]
    assert finish.record.outcome == "completed" and len(finish.record.turns) == 6


def test_the_plan_is_not_offered_when_a_nightly_reminder_is_set_or_a_no_is_recent():
    for profile in (replace(NAMED, reminder_id="r-1", reminder_time="21:00"),
                    replace(NAMED, reminders_declined_at=T0 - 6 * DAY_SECONDS)):
        play = Player(begin(profile, ()))
        play(Kind.LAUNCH)
        play(Kind.YES)
        for _ in range(6):
            play(Kind.DONE, after=30)
        assert play.state.stage is Stage.ENDED and play.steps[-1].reply.end_session


def test_no_to_the_plan_starts_the_quiet_week():
    play = player_at(Stage.OFFER_PLAN)
    step = play(Kind.NO)
    [save] = step.effects
    assert save.profile.reminders_declined_at == play.now and step.reply.end_session
