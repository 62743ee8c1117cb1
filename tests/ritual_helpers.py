"""Builders for engine tests: a state at any stage, and a short way to play events."""
from __future__ import annotations

from dataclasses import replace

from checkin.ritual.events import Event, HeardTime, Kind
from checkin.ritual.machine import advance, begin
from checkin.ritual.profile import Profile
from checkin.ritual.state import Checkpoint, Stage, State, Step

T0 = 1_795_000_000  # an evening in 2026, in epoch seconds
NAMED = Profile(names=("Sam", "Alex"), named=True)


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
    raise AssertionError(f"no way to reach {stage}")
