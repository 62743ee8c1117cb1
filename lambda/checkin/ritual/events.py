"""What can happen to a ritual: every request the couple makes becomes one Event."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    LAUNCH = "launch"
    YES = "yes"
    NO = "no"
    NAME = "name"  # value: the name heard, possibly empty
    DONE = "done"  # "I'm done", "next", "ready"
    MORE_TIME = "more_time"
    REPEAT = "repeat"
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    START_OVER = "start_over"
    STOP = "stop"
    SET_LENGTH = "set_length"  # value: minutes as heard, possibly None
    WHEN = "when"  # value: spoken time, possibly None
    HELP = "help"
    HISTORY = "history"
    SAFETY = "safety"
    DELETE_HISTORY = "delete_history"  # asks for confirmation first
    FALLBACK = "fallback"
    TIME_ELAPSED = "time_elapsed"  # a turn's hold ran out without anyone speaking
    SESSION_ENDED = "session_ended"


@dataclass(frozen=True)
class Event:
    kind: Kind
    value: str | int | None = None
