"""Builders for engine tests: a state at any stage, and a short way to play events."""
from __future__ import annotations

from dataclasses import replace

from checkin.ritual.events import Event, HeardTime, Kind
from checkin.ritual.machine import advance, begin
from checkin.ritual.profile import Profile
from checkin.ritual.state import Checkpoint, Stage, State, Step

T0 = 1_795_000_000  # an evening in 2026, in epoch seconds
NAMED = Profile(names=("Sam", "Alex"), named=True)
# A couple with a check-in behind them: the week's check of the five signs is offered.
KNOWN = replace(NAMED, completed=1, streak=1, best_streak=1, total_seconds=(300, 300))


class Player:
    """Plays events into the engine with a moving clock, keeping every step."""

    def __init__(self, state: State | None = None, now: int = T0):
        self.state = state or begin(NAMED)
        self.now = now
        self.steps: list[Step] = []

    def __call__(self, kind: Kind, value: object = None, after: int = 3) -> Step:
        self.now += after
        step = advance(self.state, Event(kind, value), self.now)
        self.state = step.state
        self.steps.append(step)
        return step

    @property
    def effects(self):
        return [effect for step in self.steps for effect in step.effects]


def player_at(stage: Stage) -> Player:
    """A player whose state has reached `stage` the way a couple would get there."""
    if stage is Stage.NEW:
        return Player()
    if stage in (Stage.ASK_FIRST_NAME, Stage.ASK_SECOND_NAME):
        play = Player(begin(None))
        play(Kind.LAUNCH)
        if stage is Stage.ASK_SECOND_NAME:
            play(Kind.NAME, "Sam")
        return play
    if stage is Stage.OFFER_RESUME:
        play = player_at(Stage.TURN)
        play(Kind.SESSION_ENDED, after=30)
        pending = play.state.pending
        play.state = replace(begin(play.state.profile, (Checkpoint(pending),)))
        play(Kind.LAUNCH, after=60)
        play(Kind.YES)
        return play
    if stage in _WEEKLY:
        return _weekly_player_at(stage)
    play = Player()
    play(Kind.LAUNCH)
    if stage is Stage.CONSENT:
        return play
    if stage is Stage.ASK_WHEN:
        play(Kind.NO)
        return play
    if stage is Stage.OFFER_REMINDER:
        play(Kind.NO)
        play(Kind.WHEN, HeardTime(time="21:30"))
        return play
    if stage is Stage.ASK_REMIND_TIME:
        play(Kind.REMIND)
        return play
    play(Kind.YES)
    if stage is Stage.TURN:
        return play
    if stage is Stage.HANDOVER:
        play(Kind.REPEAT, after=130)  # the 120 s hold ran out, and nobody spoke
        return play
    if stage is Stage.PAUSED:
        play(Kind.PAUSE, after=30)
        return play
    if stage is Stage.OFFER_EXTRA:
        play(Kind.DONE, after=60)  # first speaker done early
        play(Kind.MORE_TIME, after=100)  # second speaker asks for more
        play(Kind.DONE, after=60)  # and uses 40 s of it
        return play
    if stage is Stage.ENDED:
        play(Kind.STOP)
        return play
    if stage is Stage.CONFIRM_DELETE:
        play(Kind.DELETE_HISTORY, after=30)
        return play
    if stage is Stage.OFFER_PLAN:  # no nightly reminder: a plan is offered at the close
        for _ in range(6):
            play(Kind.DONE, after=40)
        return play
    raise AssertionError(f"no way to reach {stage}")


_WEEKLY = (Stage.OFFER_AWARENESS, Stage.AWARENESS, Stage.AWARENESS_SAFETY,
           Stage.OFFER_SMALL_THING, Stage.SMALL_THING, Stage.SMALL_HANDOVER)


def _weekly_player_at(stage: Stage) -> Player:
    """The week's evening of a known couple: the check before the questions, one small thing
    after them."""
    play = Player(begin(KNOWN, ()))
    play(Kind.LAUNCH)
    play(Kind.YES)  # now is a good time; the check is offered
    if stage is Stage.OFFER_AWARENESS:
        return play
    if stage in (Stage.AWARENESS, Stage.AWARENESS_SAFETY):
        play(Kind.YES)
        if stage is Stage.AWARENESS_SAFETY:
            for _ in range(4):
                play(Kind.NO)
            play(Kind.YES)  # not feeling safe when we talk, the last line
        return play
    play(Kind.SKIP)  # straight to the questions
    for _ in range(6):
        play(Kind.DONE, after=40)
    if stage is Stage.OFFER_SMALL_THING:
        return play
    play(Kind.YES)
    if stage is Stage.SMALL_HANDOVER:
        play(Kind.REPEAT, after=40)  # the 30 s small thing ran out, and nobody spoke
    return play
