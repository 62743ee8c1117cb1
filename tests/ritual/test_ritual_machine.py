"""The ritual engine on its own: every (stage, event) pair, then the rules of a fair ritual."""
from __future__ import annotations

from dataclasses import replace

import pytest

from checkin.ritual.events import HeardTime, Kind, PermissionAnswer
from checkin.ritual.history import ABANDONED, COMPLETED, STOPPED
from checkin.ritual.machine import RESUME_WINDOW_SECONDS, begin
from checkin.ritual.profile import Profile
from checkin.ritual.reply import AskPermission, FinishRitual, Hold, SaveCheckpoint, SaveProfile, Say
from checkin.ritual.state import Checkpoint, Stage
from checkin.ritual.state import Stage as S  # short names for the table
from tests.ritual_helpers import NAMED, Player, player_at

K = Kind

TABLE = {
    S.NEW: dict(
        LAUNCH=S.CONSENT, YES=S.CONSENT, NO=S.CONSENT, NAME=S.ASK_SECOND_NAME, DONE=S.CONSENT,
        MORE_TIME=S.CONSENT, REPEAT=S.CONSENT, PAUSE=S.CONSENT, RESUME=S.CONSENT, SKIP=S.CONSENT,
        START_OVER=S.CONSENT, STOP=S.ENDED, SET_LENGTH=S.CONSENT, WHEN=S.CONSENT, HELP=S.CONSENT,
        HISTORY=S.CONSENT, SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.ENDED,
        REMIND=S.ENDED, STOP_REMINDERS=S.ENDED, PERMISSION=S.ENDED, FALLBACK=S.CONSENT,
        SESSION_ENDED=S.ENDED, CHANGE_NAMES=S.ASK_FIRST_NAME,
        AWARENESS=S.AWARENESS, A_LITTLE=S.CONSENT,
    ),
    S.ASK_FIRST_NAME: dict(
        LAUNCH=S.ASK_FIRST_NAME, YES=S.ASK_FIRST_NAME, NO=S.CONSENT, NAME=S.ASK_SECOND_NAME,
        DONE=S.CONSENT, MORE_TIME=S.ASK_FIRST_NAME, REPEAT=S.ASK_FIRST_NAME,
        PAUSE=S.ASK_FIRST_NAME, RESUME=S.ASK_FIRST_NAME, SKIP=S.CONSENT,
        START_OVER=S.ASK_FIRST_NAME, STOP=S.ENDED, SET_LENGTH=S.ASK_FIRST_NAME,
        WHEN=S.ASK_FIRST_NAME, HELP=S.ASK_FIRST_NAME, HISTORY=S.ASK_FIRST_NAME, SAFETY=S.PAUSED,
        DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.ENDED, REMIND=S.ENDED,
        STOP_REMINDERS=S.ASK_FIRST_NAME, PERMISSION=S.ASK_FIRST_NAME, FALLBACK=S.ASK_FIRST_NAME,
        SESSION_ENDED=S.ENDED, CHANGE_NAMES=S.ASK_FIRST_NAME,
        AWARENESS=S.AWARENESS, A_LITTLE=S.ASK_FIRST_NAME,
    ),
    S.ASK_SECOND_NAME: dict(
        LAUNCH=S.ASK_SECOND_NAME, YES=S.ASK_SECOND_NAME, NO=S.CONSENT, NAME=S.CONSENT,
        DONE=S.CONSENT, MORE_TIME=S.ASK_SECOND_NAME, REPEAT=S.ASK_SECOND_NAME,
        PAUSE=S.ASK_SECOND_NAME, RESUME=S.ASK_SECOND_NAME, SKIP=S.CONSENT,
        START_OVER=S.ASK_FIRST_NAME, STOP=S.ENDED, SET_LENGTH=S.ASK_SECOND_NAME,
        WHEN=S.ASK_SECOND_NAME, HELP=S.ASK_SECOND_NAME, HISTORY=S.ASK_SECOND_NAME,
        SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.ENDED, REMIND=S.ENDED,
        STOP_REMINDERS=S.ASK_SECOND_NAME, PERMISSION=S.ASK_SECOND_NAME,
        FALLBACK=S.ASK_SECOND_NAME, SESSION_ENDED=S.ENDED,
        CHANGE_NAMES=S.ASK_FIRST_NAME,
        AWARENESS=S.AWARENESS, A_LITTLE=S.ASK_SECOND_NAME,
    ),
    S.CONSENT: dict(
        LAUNCH=S.CONSENT, YES=S.TURN, NO=S.ASK_WHEN, NAME=S.CONSENT, DONE=S.CONSENT,
        MORE_TIME=S.CONSENT, REPEAT=S.CONSENT, PAUSE=S.CONSENT, RESUME=S.TURN, SKIP=S.CONSENT,
        START_OVER=S.CONSENT, STOP=S.ENDED, SET_LENGTH=S.CONSENT, WHEN=S.OFFER_REMINDER,
        HELP=S.CONSENT, HISTORY=S.CONSENT, SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE,
        START_WALK=S.ENDED, REMIND=S.ENDED, STOP_REMINDERS=S.CONSENT, PERMISSION=S.CONSENT,
        FALLBACK=S.CONSENT, SESSION_ENDED=S.ENDED,
        CHANGE_NAMES=S.ASK_FIRST_NAME,
        AWARENESS=S.AWARENESS, A_LITTLE=S.CONSENT,
    ),
    S.ASK_WHEN: dict(
        LAUNCH=S.ENDED, YES=S.ASK_WHEN, NO=S.ENDED, NAME=S.ASK_WHEN, DONE=S.ENDED,
        MORE_TIME=S.ENDED,
        REPEAT=S.ASK_WHEN, PAUSE=S.ENDED, RESUME=S.ENDED, SKIP=S.ENDED, START_OVER=S.ENDED,
        STOP=S.ENDED, SET_LENGTH=S.ASK_WHEN, WHEN=S.OFFER_REMINDER, HELP=S.ASK_WHEN,
        HISTORY=S.ASK_WHEN, SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.ENDED,
        REMIND=S.ENDED, STOP_REMINDERS=S.ASK_WHEN, PERMISSION=S.ASK_WHEN, FALLBACK=S.ENDED,
        SESSION_ENDED=S.ENDED, CHANGE_NAMES=S.ASK_FIRST_NAME,
        AWARENESS=S.AWARENESS, A_LITTLE=S.ENDED,
    ),
    S.OFFER_RESUME: dict(
        LAUNCH=S.OFFER_RESUME, YES=S.TURN, NO=S.TURN, NAME=S.OFFER_RESUME, DONE=S.TURN,
        MORE_TIME=S.OFFER_RESUME, REPEAT=S.OFFER_RESUME, PAUSE=S.OFFER_RESUME, RESUME=S.TURN,
        SKIP=S.TURN, START_OVER=S.TURN, STOP=S.ENDED, SET_LENGTH=S.OFFER_RESUME,
        WHEN=S.OFFER_RESUME, HELP=S.OFFER_RESUME, HISTORY=S.OFFER_RESUME, SAFETY=S.PAUSED,
        DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.ENDED, REMIND=S.ENDED,
        STOP_REMINDERS=S.OFFER_RESUME, PERMISSION=S.OFFER_RESUME, FALLBACK=S.OFFER_RESUME,
        SESSION_ENDED=S.ENDED, CHANGE_NAMES=S.ASK_FIRST_NAME,
        AWARENESS=S.AWARENESS, A_LITTLE=S.OFFER_RESUME,
    ),
    S.TURN: dict(
        LAUNCH=S.TURN, YES=S.TURN, NO=S.TURN, NAME=S.TURN, DONE=S.TURN, MORE_TIME=S.TURN,
        REPEAT=S.TURN, PAUSE=S.PAUSED, RESUME=S.TURN, SKIP=S.TURN, START_OVER=S.TURN,
        STOP=S.ENDED, SET_LENGTH=S.TURN, WHEN=S.TURN, HELP=S.PAUSED, HISTORY=S.PAUSED,
        SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.TURN, REMIND=S.ENDED,
        STOP_REMINDERS=S.TURN, PERMISSION=S.TURN, FALLBACK=S.TURN,
        SESSION_ENDED=S.ENDED, CHANGE_NAMES=S.TURN,
        AWARENESS=S.TURN, A_LITTLE=S.TURN,
    ),
    S.HANDOVER: dict(
        LAUNCH=S.HANDOVER, YES=S.TURN, NO=S.PAUSED, NAME=S.HANDOVER, DONE=S.TURN,
        MORE_TIME=S.TURN, REPEAT=S.HANDOVER, PAUSE=S.PAUSED, RESUME=S.TURN, SKIP=S.TURN,
        START_OVER=S.TURN, STOP=S.ENDED, SET_LENGTH=S.HANDOVER, WHEN=S.HANDOVER, HELP=S.PAUSED,
        HISTORY=S.PAUSED, SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.HANDOVER,
        REMIND=S.ENDED, STOP_REMINDERS=S.HANDOVER, PERMISSION=S.HANDOVER, FALLBACK=S.HANDOVER,
        SESSION_ENDED=S.ENDED, CHANGE_NAMES=S.HANDOVER,
        AWARENESS=S.HANDOVER, A_LITTLE=S.HANDOVER,
    ),
    S.OFFER_EXTRA: dict(
        LAUNCH=S.OFFER_EXTRA, YES=S.TURN, NO=S.TURN, NAME=S.OFFER_EXTRA, DONE=S.TURN,
        MORE_TIME=S.TURN, REPEAT=S.OFFER_EXTRA, PAUSE=S.PAUSED, RESUME=S.TURN, SKIP=S.TURN,
        START_OVER=S.TURN, STOP=S.ENDED, SET_LENGTH=S.OFFER_EXTRA, WHEN=S.OFFER_EXTRA,
        HELP=S.PAUSED, HISTORY=S.PAUSED, SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE,
        START_WALK=S.OFFER_EXTRA, REMIND=S.ENDED, STOP_REMINDERS=S.OFFER_EXTRA,
        PERMISSION=S.OFFER_EXTRA, FALLBACK=S.OFFER_EXTRA,
        SESSION_ENDED=S.ENDED, CHANGE_NAMES=S.OFFER_EXTRA,
        AWARENESS=S.OFFER_EXTRA, A_LITTLE=S.OFFER_EXTRA,
    ),
    S.PAUSED: dict(
        LAUNCH=S.PAUSED, YES=S.TURN, NO=S.ENDED, NAME=S.PAUSED, DONE=S.TURN, MORE_TIME=S.PAUSED,
        REPEAT=S.PAUSED, PAUSE=S.PAUSED, RESUME=S.TURN, SKIP=S.TURN, START_OVER=S.TURN,
        STOP=S.ENDED, SET_LENGTH=S.PAUSED, WHEN=S.PAUSED, HELP=S.PAUSED, HISTORY=S.PAUSED,
        SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.PAUSED, REMIND=S.ENDED,
        STOP_REMINDERS=S.PAUSED, PERMISSION=S.PAUSED, FALLBACK=S.PAUSED,
        SESSION_ENDED=S.ENDED, CHANGE_NAMES=S.PAUSED,
        AWARENESS=S.PAUSED, A_LITTLE=S.PAUSED,
    ),
    S.CONFIRM_DELETE: dict(
        LAUNCH=S.CONFIRM_DELETE, YES=S.ENDED, NO=S.PAUSED, NAME=S.CONFIRM_DELETE,
        DONE=S.CONFIRM_DELETE, MORE_TIME=S.CONFIRM_DELETE, REPEAT=S.CONFIRM_DELETE,
        PAUSE=S.PAUSED, RESUME=S.PAUSED, SKIP=S.CONFIRM_DELETE, START_OVER=S.TURN, STOP=S.ENDED,
        SET_LENGTH=S.CONFIRM_DELETE, WHEN=S.CONFIRM_DELETE, HELP=S.CONFIRM_DELETE,
        HISTORY=S.CONFIRM_DELETE, SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE,
        START_WALK=S.CONFIRM_DELETE, REMIND=S.ENDED, STOP_REMINDERS=S.CONFIRM_DELETE,
        PERMISSION=S.CONFIRM_DELETE, FALLBACK=S.CONFIRM_DELETE,
        SESSION_ENDED=S.ENDED, CHANGE_NAMES=S.CONFIRM_DELETE,
        AWARENESS=S.CONFIRM_DELETE, A_LITTLE=S.CONFIRM_DELETE,
    ),
    S.ASK_REMIND_TIME: dict(
        LAUNCH=S.ASK_REMIND_TIME, YES=S.ASK_REMIND_TIME, NO=S.CONSENT, NAME=S.ASK_REMIND_TIME,
        DONE=S.ASK_REMIND_TIME, MORE_TIME=S.ASK_REMIND_TIME, REPEAT=S.ASK_REMIND_TIME,
        PAUSE=S.ASK_REMIND_TIME, RESUME=S.ASK_REMIND_TIME, SKIP=S.CONSENT, START_OVER=S.CONSENT,
        STOP=S.ENDED, SET_LENGTH=S.ASK_REMIND_TIME, WHEN=S.ENDED, HELP=S.ASK_REMIND_TIME,
        HISTORY=S.ASK_REMIND_TIME, SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE,
        START_WALK=S.ENDED, REMIND=S.ENDED, STOP_REMINDERS=S.CONSENT, PERMISSION=S.CONSENT,
        FALLBACK=S.ASK_REMIND_TIME, SESSION_ENDED=S.ENDED,
        CHANGE_NAMES=S.ASK_FIRST_NAME,
        AWARENESS=S.AWARENESS, A_LITTLE=S.ASK_REMIND_TIME,
    ),
    S.OFFER_REMINDER: dict(
        LAUNCH=S.OFFER_REMINDER, YES=S.ENDED, NO=S.ENDED, NAME=S.OFFER_REMINDER, DONE=S.ENDED,
        MORE_TIME=S.OFFER_REMINDER, REPEAT=S.OFFER_REMINDER, PAUSE=S.OFFER_REMINDER,
        RESUME=S.OFFER_REMINDER, SKIP=S.ENDED, START_OVER=S.CONSENT, STOP=S.ENDED,
        SET_LENGTH=S.OFFER_REMINDER, WHEN=S.OFFER_REMINDER, HELP=S.OFFER_REMINDER,
        HISTORY=S.OFFER_REMINDER, SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE,
        START_WALK=S.ENDED, REMIND=S.ENDED, STOP_REMINDERS=S.OFFER_REMINDER,
        PERMISSION=S.OFFER_REMINDER, FALLBACK=S.ENDED,
        SESSION_ENDED=S.ENDED, CHANGE_NAMES=S.ASK_FIRST_NAME,
        AWARENESS=S.AWARENESS, A_LITTLE=S.OFFER_REMINDER,
    ),
    S.OFFER_AWARENESS: dict(
        LAUNCH=S.OFFER_AWARENESS, YES=S.AWARENESS, NO=S.TURN, NAME=S.OFFER_AWARENESS,
        CHANGE_NAMES=S.ASK_FIRST_NAME, DONE=S.OFFER_AWARENESS, MORE_TIME=S.OFFER_AWARENESS,
        REPEAT=S.OFFER_AWARENESS, PAUSE=S.PAUSED, RESUME=S.AWARENESS, SKIP=S.TURN,
        START_OVER=S.CONSENT, STOP=S.ENDED, SET_LENGTH=S.OFFER_AWARENESS,
        WHEN=S.OFFER_AWARENESS, HELP=S.OFFER_AWARENESS, HISTORY=S.OFFER_AWARENESS,
        SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.ENDED,
        REMIND=S.ENDED, STOP_REMINDERS=S.OFFER_AWARENESS, PERMISSION=S.OFFER_AWARENESS,
        AWARENESS=S.AWARENESS, A_LITTLE=S.AWARENESS, FALLBACK=S.OFFER_AWARENESS,
        SESSION_ENDED=S.ENDED,
    ),
    S.AWARENESS: dict(
        LAUNCH=S.AWARENESS, YES=S.AWARENESS, NO=S.AWARENESS, NAME=S.AWARENESS,
        CHANGE_NAMES=S.ASK_FIRST_NAME, DONE=S.TURN, MORE_TIME=S.AWARENESS,
        REPEAT=S.AWARENESS, PAUSE=S.PAUSED, RESUME=S.AWARENESS, SKIP=S.TURN,
        START_OVER=S.CONSENT, STOP=S.ENDED, SET_LENGTH=S.AWARENESS, WHEN=S.AWARENESS,
        HELP=S.AWARENESS, HISTORY=S.AWARENESS, SAFETY=S.PAUSED,
        DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.ENDED, REMIND=S.ENDED,
        STOP_REMINDERS=S.AWARENESS, PERMISSION=S.AWARENESS, AWARENESS=S.AWARENESS,
        A_LITTLE=S.AWARENESS, FALLBACK=S.AWARENESS, SESSION_ENDED=S.ENDED,
    ),
    S.AWARENESS_SAFETY: dict(
        LAUNCH=S.AWARENESS_SAFETY, YES=S.TURN, NO=S.ENDED, NAME=S.AWARENESS_SAFETY,
        CHANGE_NAMES=S.ASK_FIRST_NAME, DONE=S.AWARENESS_SAFETY, MORE_TIME=S.AWARENESS_SAFETY,
        REPEAT=S.AWARENESS_SAFETY, PAUSE=S.PAUSED, RESUME=S.TURN, SKIP=S.TURN,
        START_OVER=S.CONSENT, STOP=S.ENDED, SET_LENGTH=S.AWARENESS_SAFETY,
        WHEN=S.AWARENESS_SAFETY, HELP=S.AWARENESS_SAFETY, HISTORY=S.AWARENESS_SAFETY,
        SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.ENDED,
        REMIND=S.ENDED, STOP_REMINDERS=S.AWARENESS_SAFETY, PERMISSION=S.AWARENESS_SAFETY,
        AWARENESS=S.AWARENESS_SAFETY, A_LITTLE=S.AWARENESS_SAFETY,
        FALLBACK=S.AWARENESS_SAFETY, SESSION_ENDED=S.ENDED,
    ),
    S.OFFER_SMALL_THING: dict(
        LAUNCH=S.OFFER_SMALL_THING, YES=S.SMALL_THING, NO=S.OFFER_PLAN,
        NAME=S.OFFER_SMALL_THING, CHANGE_NAMES=S.OFFER_SMALL_THING, DONE=S.OFFER_PLAN,
        MORE_TIME=S.OFFER_SMALL_THING, REPEAT=S.OFFER_SMALL_THING, PAUSE=S.PAUSED,
        RESUME=S.SMALL_THING, SKIP=S.OFFER_PLAN, START_OVER=S.TURN, STOP=S.ENDED,
        SET_LENGTH=S.OFFER_SMALL_THING, WHEN=S.OFFER_SMALL_THING, HELP=S.OFFER_SMALL_THING,
        HISTORY=S.OFFER_SMALL_THING, SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE,
        START_WALK=S.OFFER_SMALL_THING, REMIND=S.ENDED, STOP_REMINDERS=S.OFFER_SMALL_THING,
        PERMISSION=S.OFFER_SMALL_THING, AWARENESS=S.OFFER_SMALL_THING,
        A_LITTLE=S.OFFER_SMALL_THING, FALLBACK=S.OFFER_SMALL_THING, SESSION_ENDED=S.ENDED,
    ),
    S.SMALL_THING: dict(
        LAUNCH=S.SMALL_THING, YES=S.SMALL_THING, NO=S.SMALL_THING, NAME=S.SMALL_THING,
        CHANGE_NAMES=S.SMALL_THING, DONE=S.SMALL_THING, MORE_TIME=S.SMALL_THING,
        REPEAT=S.SMALL_THING, PAUSE=S.PAUSED, RESUME=S.SMALL_THING, SKIP=S.OFFER_PLAN,
        START_OVER=S.TURN, STOP=S.ENDED, SET_LENGTH=S.SMALL_THING, WHEN=S.SMALL_THING,
        HELP=S.PAUSED, HISTORY=S.PAUSED, SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE,
        START_WALK=S.SMALL_THING, REMIND=S.ENDED, STOP_REMINDERS=S.SMALL_THING,
        PERMISSION=S.SMALL_THING, AWARENESS=S.SMALL_THING, A_LITTLE=S.SMALL_THING,
        FALLBACK=S.SMALL_THING, SESSION_ENDED=S.ENDED,
    ),
    S.SMALL_HANDOVER: dict(
        LAUNCH=S.SMALL_HANDOVER, YES=S.SMALL_THING, NO=S.PAUSED, NAME=S.SMALL_HANDOVER,
        CHANGE_NAMES=S.SMALL_HANDOVER, DONE=S.SMALL_THING, MORE_TIME=S.SMALL_THING,
        REPEAT=S.SMALL_HANDOVER, PAUSE=S.PAUSED, RESUME=S.SMALL_THING, SKIP=S.OFFER_PLAN,
        START_OVER=S.TURN, STOP=S.ENDED, SET_LENGTH=S.SMALL_HANDOVER, WHEN=S.SMALL_HANDOVER,
        HELP=S.PAUSED, HISTORY=S.SMALL_HANDOVER, SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE,
        START_WALK=S.SMALL_HANDOVER, REMIND=S.ENDED, STOP_REMINDERS=S.SMALL_HANDOVER,
        PERMISSION=S.SMALL_HANDOVER, AWARENESS=S.SMALL_HANDOVER, A_LITTLE=S.SMALL_HANDOVER,
        FALLBACK=S.SMALL_HANDOVER, SESSION_ENDED=S.ENDED,
    ),
    S.OFFER_PLAN: dict(
        LAUNCH=S.OFFER_PLAN, YES=S.ENDED, NO=S.ENDED, NAME=S.OFFER_PLAN,
        CHANGE_NAMES=S.ASK_FIRST_NAME, DONE=S.ENDED, MORE_TIME=S.OFFER_PLAN,
        REPEAT=S.OFFER_PLAN, PAUSE=S.PAUSED, RESUME=S.OFFER_PLAN, SKIP=S.ENDED,
        START_OVER=S.CONSENT, STOP=S.ENDED, SET_LENGTH=S.OFFER_PLAN, WHEN=S.ENDED,
        HELP=S.OFFER_PLAN, HISTORY=S.OFFER_PLAN, SAFETY=S.PAUSED,
        DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.ENDED, REMIND=S.ENDED,
        STOP_REMINDERS=S.OFFER_PLAN, PERMISSION=S.OFFER_PLAN, AWARENESS=S.AWARENESS,
        A_LITTLE=S.OFFER_PLAN, FALLBACK=S.OFFER_PLAN, SESSION_ENDED=S.ENDED,
    ),
    S.ENDED: dict(
        LAUNCH=S.CONSENT, YES=S.CONSENT, NO=S.CONSENT, NAME=S.ASK_SECOND_NAME, DONE=S.CONSENT,
        MORE_TIME=S.CONSENT, REPEAT=S.CONSENT, PAUSE=S.CONSENT, RESUME=S.CONSENT, SKIP=S.CONSENT,
        START_OVER=S.CONSENT, STOP=S.ENDED, SET_LENGTH=S.CONSENT, WHEN=S.CONSENT, HELP=S.CONSENT,
        HISTORY=S.CONSENT, SAFETY=S.PAUSED, DELETE_HISTORY=S.CONFIRM_DELETE, START_WALK=S.ENDED,
        REMIND=S.ENDED, STOP_REMINDERS=S.ENDED, PERMISSION=S.ENDED, FALLBACK=S.CONSENT,
        SESSION_ENDED=S.ENDED, CHANGE_NAMES=S.ASK_FIRST_NAME,
        AWARENESS=S.AWARENESS, A_LITTLE=S.CONSENT,
    ),
}

VALUES = {K.NAME: "Jo", K.SET_LENGTH: 3, K.WHEN: HeardTime(time="21:00"),
          K.REMIND: HeardTime(time="21:00"),
          K.PERMISSION: PermissionAnswer("ACCEPTED", "remind|daily||21:00")}
ENDS_SESSION = {K.STOP, K.SESSION_ENDED}


@pytest.mark.parametrize(
    ("stage", "kind", "expected"),
    [(stage, Kind[kind], nxt) for stage, row in TABLE.items() for kind, nxt in row.items()],
    ids=lambda v: v.name if hasattr(v, "name") else str(v),
)
def test_transition_table(stage, kind, expected):
    # Given a couple at `stage`, when `kind` happens, then the ritual moves to `expected`
    play = player_at(stage)
    step = play(kind, VALUES.get(kind))
    assert step.state.stage is expected
    if kind in ENDS_SESSION:
        assert step.reply.end_session
    elif step.reply.speech:
        handed_over = any(isinstance(d, AskPermission) for d in step.reply.directives)
        assert step.reply.end_session or step.reply.reprompt or handed_over, \
            "an open session needs a reprompt"


def test_table_covers_every_stage_and_event():
    assert set(TABLE) == set(Stage)
    assert all(set(row) == {k.name for k in Kind} for row in TABLE.values())


def _play_ritual(play: Player, turn_seconds: int = 60) -> None:
    play(K.LAUNCH)
    play(K.YES)
    if play.state.stage is Stage.OFFER_AWARENESS:  # the week's check: not tonight
        play(K.SKIP)
    for _ in range(6):
        play(K.DONE, after=turn_seconds)
    if play.state.stage is Stage.OFFER_SMALL_THING:  # and no small thing either
        play(K.SKIP)


def _finish(play: Player) -> FinishRitual:
    finishes = [e for e in play.effects if isinstance(e, FinishRitual)]
    assert len(finishes) == 1
    return finishes[0]


def test_a_whole_ritual_records_six_turns_with_seconds_from_timestamps():
    play = Player()
    _play_ritual(play, turn_seconds=50)
    record = _finish(play).record
    assert record.outcome == COMPLETED
    assert len(record.turns) == 6
    assert [t.question for t in record.turns] == [0, 0, 1, 1, 2, 2]
    assert record.seconds == (150, 150)
    # No nightly reminder is set: the close offers one, and "no" says goodnight
    assert play.state.stage is Stage.OFFER_PLAN and not play.steps[-1].reply.end_session
    assert play.state.profile.completed == 1 and play.state.profile.streak == 1
    assert play(K.NO).reply.end_session and play.state.stage is Stage.ENDED


def test_each_partner_answers_each_question_and_first_speaker_alternates_per_question():
    play = Player()
    _play_ritual(play)
    turns = _finish(play).record.turns
    firsts = [turns[i].partner for i in (0, 2, 4)]
    assert firsts == [0, 1, 0]
    for q in range(3):
        assert {turns[2 * q].partner, turns[2 * q + 1].partner} == {0, 1}


def test_first_speaker_alternates_from_night_to_night():
    play = Player()
    _play_ritual(play)
    first_night = _finish(play).record.turns[0].partner
    second = Player(begin(play.state.profile), now=play.now + 86400)
    _play_ritual(second)
    assert _finish(second).record.turns[0].partner == 1 - first_night
    assert second.state.profile.streak == 2


def test_wordings_do_not_repeat_on_consecutive_nights():
    def questions(play: Player) -> list[tuple[str, int]]:
        return [(p.key, p.variant) for s in play.steps for p in s.reply.speech
                if isinstance(p, Say) and p.key.startswith("question.")]

    night_one = Player()
    _play_ritual(night_one)
    night_two = Player(begin(night_one.state.profile), now=night_one.now + 86400)
    _play_ritual(night_two)
    from checkin.speech.prompts import prompts
    wordings = prompts("en-US")
    def texts(play):
        return {wordings[k][v % len(wordings[k])] for k, v in questions(play)}
    assert len(questions(night_one)) == 6
    assert texts(night_one).isdisjoint(texts(night_two))


def test_a_hold_that_runs_out_counts_the_full_turn():
    play = Player()
    play(K.LAUNCH)
    play(K.YES)
    play(K.DONE, after=200)  # the 120 s hold ran out long before anyone spoke
    assert play.state.ritual.turns[0].seconds == 120


def test_more_time_is_mirrored_for_the_other_partner():
    play = Player()
    play(K.LAUNCH)
    play(K.YES)
    more = play(K.MORE_TIME, after=100)
    assert sum(p.seconds for p in more.reply.speech if isinstance(p, Hold)) == 80
    second_turn = play(K.DONE, after=70)  # Sam spoke 170 s
    assert play.state.ritual.turns[0].seconds == 170
    assert any(isinstance(p, Say) and p.key == "turn.extra_too" for p in second_turn.reply.speech)
    assert play.state.ritual.allowance == 170  # Alex is due the 50 s of extra Sam used
    play(K.DONE, after=400)
    assert play.state.ritual.turns[1].seconds == 170


def test_more_time_for_the_second_speaker_is_offered_back_to_the_first():
    play = player_at(Stage.OFFER_EXTRA)
    assert play.state.ritual.owed[play.state.ritual.turns[0].partner] == 40  # what was used
    play(K.YES)
    assert play.state.ritual.bonus_partner == play.state.ritual.turns[0].partner
    play(K.DONE, after=40)
    first = play.state.ritual.turns[0]
    assert first.seconds == 60 + 40  # their turn plus the offered extra they used


def test_a_new_turn_length_applies_from_the_next_question_for_both_partners():
    play = Player()
    play(K.LAUNCH)
    play(K.YES)
    step = play(K.SET_LENGTH, 3, after=10)
    assert any(isinstance(e, SaveProfile) for e in step.effects)
    assert play.state.stage is Stage.TURN
    play(K.DONE, after=30)
    assert play.state.ritual.allowance == 120  # the second speaker keeps this question's length
    play(K.DONE, after=30)
    assert play.state.ritual.allowance == 180


@pytest.mark.parametrize("minutes", [0, 6, "lots", None])
def test_turn_lengths_outside_one_to_five_minutes_are_refused(minutes):
    play = player_at(Stage.CONSENT)
    step = play(K.SET_LENGTH, minutes)
    assert play.state.profile.turn_seconds == 120
    # No number heard ("how long are the turns") is answered with the length alone.
    key = "length.now" if minutes is None else "length.invalid"
    assert any(isinstance(p, Say) and p.key == key for p in step.reply.speech)


def test_repeat_asks_the_same_wording_again_and_keeps_the_remaining_time():
    play = player_at(Stage.TURN)
    asked = [p for p in play.steps[-1].reply.speech
             if isinstance(p, Say) and p.key.startswith("question.")]
    step = play(K.REPEAT, after=30)
    again = [p for p in step.reply.speech if isinstance(p, Say) and p.key.startswith("question.")]
    assert again == asked
    assert sum(p.seconds for p in step.reply.speech if isinstance(p, Hold)) == 90


def test_pause_and_resume_keep_the_time_already_spoken():
    play = player_at(Stage.TURN)
    play(K.PAUSE, after=40)
    step = play(K.RESUME, after=300)
    assert sum(p.seconds for p in step.reply.speech if isinstance(p, Hold)) == 80


def test_skip_moves_to_the_next_question_and_marks_the_skipped_turn():
    play = player_at(Stage.TURN)
    play(K.DONE, after=30)
    play(K.SKIP, after=5)
    turns = play.state.ritual.turns
    assert turns[1].skipped and turns[1].seconds == 5
    assert play.state.ritual.question == 1


def test_no_at_consent_asks_when_and_says_a_kind_goodbye_without_recording():
    play = player_at(Stage.CONSENT)
    asked = play(K.NO)
    assert any(p.key == "when.ask" for p in asked.reply.speech if isinstance(p, Say))
    bye = play(K.WHEN, HeardTime(date="2026-11-27"))  # "tomorrow": a day, no time to remind at
    assert bye.reply.end_session and not play.effects


@pytest.mark.parametrize("stage", [s for s in Stage if s is not Stage.ENDED])
def test_stop_ends_at_once_at_every_stage(stage):
    play = player_at(stage)
    ritual = play.state.ritual
    step = play(K.STOP)
    assert step.reply.end_session and play.state.stage is Stage.ENDED
    finishes = [e for e in step.effects if isinstance(e, FinishRitual)]
    # A ritual whose six turns are done (one small thing under way) is recorded as completed
    expected = [] if ritual is None else [COMPLETED if ritual.finished else STOPPED]
    assert [f.record.outcome for f in finishes] == expected


@pytest.mark.parametrize("stage", list(Stage))
def test_help_answers_at_every_stage_and_keeps_the_session_open(stage):
    play = player_at(stage)
    step = play(K.HELP)
    # Help fits the stage (issue 11, defect 10): "help" or one of its "help.<stage>" wordings
    assert any(isinstance(p, Say) and p.key.split(".")[0] == "help" for p in step.reply.speech)
    assert not step.reply.end_session and step.reply.reprompt


def test_session_end_mid_turn_checkpoints_and_the_same_evening_resumes():
    play = player_at(Stage.TURN)
    play(K.DONE, after=40)  # first turn done, second under way
    ended = play(K.SESSION_ENDED, after=50)
    saved = next(e for e in ended.effects if isinstance(e, SaveCheckpoint))
    checkpoint = Checkpoint.from_dict(saved.checkpoint.to_dict())  # as stored
    later = Player(begin(play.state.profile, (checkpoint,)), now=play.now + 1800)
    later(K.LAUNCH)
    offer = later(K.YES)
    assert later.state.stage is Stage.OFFER_RESUME
    assert any(p.key.startswith("resume.offer") for p in offer.reply.speech
               if isinstance(p, Say))
    later(K.YES)
    assert later.state.stage is Stage.TURN and later.state.ritual.index == 1
    for _ in range(5):
        later(K.DONE, after=30)
    record = _finish(later).record
    assert record.outcome == COMPLETED and len(record.turns) == 6


def test_a_checkpoint_from_another_evening_is_recorded_as_abandoned():
    play = player_at(Stage.TURN)
    ended = play(K.SESSION_ENDED, after=50)
    saved = next(e for e in ended.effects if isinstance(e, SaveCheckpoint))
    checkpoint = Checkpoint.from_dict(saved.checkpoint.to_dict())  # as stored
    later = Player(begin(play.state.profile, (checkpoint,)),
                   now=play.now + RESUME_WINDOW_SECONDS + 60)
    step = later(K.LAUNCH)
    assert [e.record.outcome for e in step.effects if isinstance(e, FinishRitual)] == [ABANDONED]
    assert later.state.stage is Stage.CONSENT and later.state.pending is None


def test_a_finished_but_unrecorded_ritual_is_recorded_at_the_next_launch():
    play = Player()
    play(K.LAUNCH)
    play(K.YES)
    for _ in range(6):
        play(K.DONE, after=30)
    finished = replace(play.steps[-2].state.ritual, turns=_finish(play).record.turns)
    later = Player(begin(NAMED, (Checkpoint(finished),)), now=play.now + 600)
    step = later(K.LAUNCH)
    assert [e.record.outcome for e in step.effects if isinstance(e, FinishRitual)] == [COMPLETED]
    assert step.reply.speech[0] == Say.of("recovered.completed")
    assert later.state.profile.completed == 1


@pytest.mark.parametrize("heard", ["", "   ", "<b>&", "x" * 300, "12345"])
def test_odd_names_are_asked_for_again(heard):
    play = player_at(Stage.ASK_FIRST_NAME)
    step = play(K.NAME, heard)
    assert play.state.stage is Stage.ASK_FIRST_NAME
    assert step.reply.speech[0] == Say.of("name.unclear")


def test_names_can_be_skipped():
    play = player_at(Stage.ASK_FIRST_NAME)
    step = play(K.SKIP)
    assert play.state.profile.names == ("", "") and play.state.profile.named
    assert [type(e) for e in step.effects] == [SaveProfile]


def test_state_round_trips_through_a_dict_at_every_stage():
    from checkin.ritual.state import State
    for stage in Stage:
        state = player_at(stage).state
        assert State.from_dict(state.to_dict()) == state


def test_history_reports_counts_and_streaks():
    profile = Profile(names=("Sam", "Alex"), named=True, completed=12, streak=4, best_streak=6,
                      total_seconds=(1500, 1600))
    play = Player(begin(profile))
    step = play(K.HISTORY)
    keys = [p.key for p in step.reply.speech if isinstance(p, Say)]
    assert keys[:3] == ["history.count", "history.streak", "history.best"]
    assert play.state.stage is Stage.CONSENT
