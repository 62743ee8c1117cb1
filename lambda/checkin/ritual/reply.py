"""What the engine asks to be said and done. Words are ids; the speech package renders them."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from checkin.records import record
from checkin.ritual.awareness import CheckRecord
from checkin.ritual.history import RitualRecord
from checkin.ritual.profile import Profile

if TYPE_CHECKING:  # state and screens import this module for Reply, Effect, Say and Partner
    from checkin.ritual.screens import Card, Screen
    from checkin.ritual.state import Checkpoint


# Typed values inside a prompt, so each locale can speak them its own way.
@record
class Partner:
    index: int


@record
class Duration:
    seconds: int


@record
class Ordinal:
    number: int


@record
class ClockTime:
    """A time of day, "HH:MM", spoken the locale's way ("9 PM")."""

    value: str


@record
class TimeOnDay:
    """A time on a coming day: "at 8 PM", "tomorrow at 8 PM", "on Saturday at 8 PM"."""

    value: str  # "HH:MM"
    days_ahead: int = 0
    weekday: int = 0  # 0 is Monday
    month: int = 0  # the date, said when it is a week or more away
    day: int = 0

    @classmethod
    def on(cls, value: str, iso_date: str, days_ahead: int) -> TimeOnDay:
        try:
            when = date.fromisoformat(iso_date)
        except ValueError:
            return cls(value)
        return cls(value, days_ahead, when.weekday(), when.month, when.day)


@record
class Say:
    key: str
    params: tuple[tuple[str, object], ...] = ()
    variant: int = 0  # rotates among a prompt's wordings

    @classmethod
    def of(cls, key: str, variant: int = 0, **params: object) -> Say:
        return cls(key, tuple(sorted(params.items())), variant)


@record
class Hold:
    """Quiet time that keeps the floor for the speaker."""

    seconds: int


@record
class Chime:
    pass


Part = Say | Hold | Chime


# Directives: platform requests that travel with the reply.
REMINDERS = "reminders"
TIMERS = "timers"


@record
class AskPermission:
    """Ask by voice for a permission (Connections.SendRequest AskFor)."""

    scope: str  # REMINDERS or TIMERS
    token: str  # comes back in the Connections.Response


@record
class CompleteTask:
    """Tell a Routine that started the skill that its task is done (Tasks.CompleteTask)."""


Directive = AskPermission | CompleteTask


@record
class Reply:
    speech: tuple[Part, ...]
    reprompt: tuple[Part, ...] = ()
    end_session: bool = False
    directives: tuple[Directive, ...] = ()
    # What a device with a screen shows, and the Alexa app's card (screens.py decides both).
    screen: Screen | None = None
    card: Card | None = None


# Effects: what must be stored. The adapter carries them out; the engine never does I/O.
@record
class SaveProfile:
    profile: Profile


@record
class SaveCheckpoint:
    checkpoint: Checkpoint
    expires_at: int


@record
class FinishRitual:
    """Record a ritual (completed, stopped or abandoned) and drop its checkpoint."""

    record: RitualRecord
    profile: Profile | None = None


@record
class RecordCheck:
    """Keep what a check of the five signs found: numbers and a date, never words."""

    check: CheckRecord


@record
class DeleteHousehold:
    """Forget the household: profile, checkpoint and every ritual record."""


# Alexa API effects. Ids the APIs hand back are written into the state by the adapter.
@record
class SetReminder:
    """A reminder at `time` (HH:MM, household-local): every day, or once on `date`."""

    time: str
    date: str = ""  # ISO date for a one-off reminder; "" for a daily one
    replaces: str = ""  # the id of a reminder this one supersedes


@record
class CancelReminder:
    reminder_id: str


@record
class StartTimer:
    """A real Alexa timer for a turn; it announces the hand-over when it goes off."""

    seconds: int
    announce: Say


@record
class CancelTimer:
    timer_id: str


ApiEffect = SetReminder | CancelReminder | StartTimer | CancelTimer
API_EFFECTS = (SetReminder, CancelReminder, StartTimer, CancelTimer)
Effect = SaveProfile | SaveCheckpoint | FinishRitual | RecordCheck | DeleteHousehold | ApiEffect
