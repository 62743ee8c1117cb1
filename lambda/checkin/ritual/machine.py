"""The ritual as a state machine: advance(state, event, now) -> Step.

Pure: time is passed in as epoch seconds from the request, nothing is read or written here.
The rules (which stage answers which event, and how) are the table in stages.py; this engine
applies what holds for every request, then the transition the table chooses, and says what a
screen shows (screens.py).
"""
from __future__ import annotations

from collections.abc import Sequence

from checkin.records import replace
from checkin.ritual import closing, screens, stages, turns
from checkin.ritual.answers import LIVE_GRACE_SECONDS, RESUME_WINDOW_SECONDS
from checkin.ritual.awareness import RECENT_CHECKS, CheckRecord
from checkin.ritual.clock import part_of_day
from checkin.ritual.events import Event, Kind
from checkin.ritual.names import means_ready
from checkin.ritual.profile import Profile
from checkin.ritual.reply import (
    CancelTimer,
    CompleteTask,
)
from checkin.ritual.state import Checkpoint, Stage, State, Step

__all__ = ["LIVE_GRACE_SECONDS", "RESUME_WINDOW_SECONDS", "advance", "begin"]


def begin(profile: Profile | None, checkpoints: Sequence[Checkpoint] = (),
          tag: str = "", checks: Sequence[CheckRecord] = ()) -> State:
    """The state at the start of a session, from what the store holds (oldest checkpoint first).

    The latest checkpoint may be resumed; any older ones are recorded at the first request.
    `tag` tells apart rituals begun in the same second on different devices. `checks` are the
    latest checks of the five signs, for the trend.
    """
    rituals = [checkpoint.ritual for checkpoint in checkpoints]
    pending = rituals[-1] if rituals else None
    return State(Stage.NEW, profile or Profile(), pending=pending, stale=tuple(rituals[:-1]),
                 tag=tag, checks=tuple(checks)[-RECENT_CHECKS:])


def advance(state: State, event: Event, now: int) -> Step:
    if event.kind is Kind.LAUNCH and event.value == "task":
        state = replace(state, task=True)  # started by a Routine
    state = replace(state, day_part=part_of_day(now, state.profile.time_zone))
    running = _running_timer(state, now)
    state = _catch_up(state, now)
    if event.kind is Kind.NAME and means_ready(event.value) and \
            state.stage not in (Stage.ASK_FIRST_NAME, Stage.ASK_SECOND_NAME):
        event = Event(Kind.DONE)  # "I am ready" is a hand-over wherever no name was asked for
    if event.kind is Kind.SESSION_ENDED:  # nothing is said, so nothing follows up
        return stages.route(state, event, now).do(state, event, now)
    if state.help_or_support:
        state, event = replace(state, help_or_support=False), _which_help(event)
    step = stages.route(state, event, now).do(state, event, now)
    return screens.shown(state, _platform_follow_up(state, step, running), event, now)


def _which_help(answer: Event) -> Event:
    """The answer to "help with the check-in, or support right now?"."""
    if answer.kind in (Kind.SAFETY, Kind.YES):  # "support", "yes", or "I need help" again
        return Event(Kind.SAFETY)
    if answer.kind is Kind.NO:  # neither: back to the question at hand
        return Event(Kind.REPEAT)
    return answer  # "how it works" is help; anything else is heard as usual


def _running_timer(state: State, now: int) -> str:
    ritual = state.ritual
    if state.stage is Stage.TURN and ritual and ritual.timer_id and \
            ritual.elapsed(now) < ritual.hold_seconds:
        return ritual.timer_id
    return ""


def _platform_follow_up(before: State, step: Step, running_timer: str) -> Step:
    """A timer whose hold was cut short is cancelled; a Routine hears when its task is done."""
    if running_timer and not _hold_kept(before, step.state):
        step = replace(step, effects=(CancelTimer(running_timer),) + step.effects)
    reply = step.reply
    if reply.end_session and (before.task or step.state.task) and \
            not any(isinstance(d, CompleteTask) for d in reply.directives):
        step = replace(step, reply=replace(reply, directives=reply.directives + (CompleteTask(),)))
    return step


def _hold_kept(before: State, after: State) -> bool:
    return after.stage is Stage.TURN and after.ritual is not None and before.ritual is not None \
        and after.ritual.hold_started_at == before.ritual.hold_started_at


def _catch_up(state: State, now: int) -> State:
    """A hold that has run out ended the turn (or the small thing), whether or not anyone spoke
    since."""
    ritual = state.ritual
    if state.stage is Stage.TURN and ritual and ritual.elapsed(now) >= ritual.hold_seconds:
        return turns.end_segment(state, ritual.spoken + ritual.hold_seconds)
    return closing.held_out(state, now)
