"""What can happen to a ritual: every request the couple makes becomes one Event."""
from __future__ import annotations

from enum import StrEnum

from checkin.records import record


class Kind(StrEnum):
    LAUNCH = "launch"
    YES = "yes"
    NO = "no"
    NAME = "name"  # value: the name heard, possibly empty
    CHANGE_NAMES = "change_names"  # "change our names": both are asked for again
    DONE = "done"  # "I'm done", "next", "ready"
    MORE_TIME = "more_time"
    REPEAT = "repeat"
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    START_OVER = "start_over"
    STOP = "stop"
    SET_LENGTH = "set_length"  # value: minutes as heard, "shorter", "longer", or None
    WHEN = "when"  # value: HeardTime
    HELP = "help"
    HISTORY = "history"
    SAFETY = "safety"
    DELETE_HISTORY = "delete_history"  # asks for confirmation first
    START_WALK = "start_walk"  # "start a walk check-in"
    REMIND = "remind"  # value: HeardTime, or None when no time was heard
    STOP_REMINDERS = "stop_reminders"
    PERMISSION = "permission"  # value: PermissionAnswer, from a Connections.Response
    AWARENESS = "awareness"  # "how connected are we": the check of the five signs, on request
    A_LITTLE = "a_little"  # "a little": the middle answer to a sign of the check
    FALLBACK = "fallback"
    SESSION_ENDED = "session_ended"


# Event(Kind.SAFETY, UNCLEAR): "I need help", which may mean help with the check-in.
UNCLEAR = "unclear"


@record
class PermissionAnswer:
    """The couple's answer to a voice permission request, and what it was asked for."""

    status: str  # ACCEPTED, DENIED or NOT_ANSWERED
    token: str  # our own note of what to do once allowed, e.g. "remind|daily|21:00"


@record
class HeardTime:
    """A time as Alexa heard it: AMAZON.DATE and AMAZON.TIME values, each possibly empty."""

    date: str = ""  # "2026-11-27"
    time: str = ""  # "20:00", or a part of the day: "MO", "AF", "EV", "NI"


@record
class Event:
    kind: Kind
    value: str | int | HeardTime | PermissionAnswer | None = None
