"""What the engine asks to be said and done. Words are ids; the speech package renders them."""
from __future__ import annotations

from dataclasses import dataclass, field

from checkin.ritual.household import Profile, RitualRecord


# Typed values inside a prompt, so each locale can speak them its own way.
@dataclass(frozen=True)
class Partner:
    index: int


@dataclass(frozen=True)
class Duration:
    seconds: int


@dataclass(frozen=True)
class Ordinal:
    number: int


@dataclass(frozen=True)
class ClockTime:
    """A time of day, "HH:MM", spoken the locale's way ("9 PM")."""

    value: str


@dataclass(frozen=True)
class Say:
    key: str
    params: tuple[tuple[str, object], ...] = ()
    variant: int = 0  # rotates among a prompt's wordings

    @classmethod
    def of(cls, key: str, variant: int = 0, **params: object) -> Say:
        return cls(key, tuple(sorted(params.items())), variant)


@dataclass(frozen=True)
class Hold:
    """Quiet time that keeps the floor for the speaker."""

    seconds: int


@dataclass(frozen=True)
class Chime:
    pass


Part = Say | Hold | Chime


# Directives: platform requests that travel with the reply.
REMINDERS = "reminders"
TIMERS = "timers"


@dataclass(frozen=True)
class AskPermission:
    """Ask by voice for a permission (Connections.SendRequest AskFor)."""

    scope: str  # REMINDERS or TIMERS
    token: str  # comes back in the Connections.Response


@dataclass(frozen=True)
class CompleteTask:
    """Tell a Routine that started the skill that its task is done (Tasks.CompleteTask)."""


Directive = AskPermission | CompleteTask


@dataclass(frozen=True)
class Reply:
    speech: tuple[Part, ...]
    reprompt: tuple[Part, ...] = ()
    end_session: bool = False
    directives: tuple[Directive, ...] = ()


# Effects: what must be stored. The adapter carries them out; the engine never does I/O.
@dataclass(frozen=True)
class SaveProfile:
    profile: Profile


@dataclass(frozen=True)
class SaveCheckpoint:
    checkpoint: dict
    expires_at: int


@dataclass(frozen=True)
class FinishRitual:
    """Record a ritual (completed, stopped or abandoned) and drop its checkpoint."""

    record: RitualRecord
    profile: Profile | None = None


@dataclass(frozen=True)
class DeleteHousehold:
    """Forget the household: profile, checkpoint and every ritual record."""


# Alexa API effects. Ids the APIs hand back are written into the state by the adapter.
@dataclass(frozen=True)
class SetReminder:
    """A reminder at `time` (HH:MM, household-local): every day, or once on `date`."""

    time: str
    date: str = ""  # ISO date for a one-off reminder; "" for a daily one
    replaces: str = ""  # the id of a reminder this one supersedes


@dataclass(frozen=True)
class CancelReminder:
    reminder_id: str


@dataclass(frozen=True)
class StartTimer:
    """A real Alexa timer for a turn; it announces the hand-over when it goes off."""

    seconds: int
    announce: Say


@dataclass(frozen=True)
class CancelTimer:
    timer_id: str


ApiEffect = SetReminder | CancelReminder | StartTimer | CancelTimer
API_EFFECTS = (SetReminder, CancelReminder, StartTimer, CancelTimer)
Effect = SaveProfile | SaveCheckpoint | FinishRitual | DeleteHousehold | ApiEffect


@dataclass(frozen=True)
class Step:
    state: object  # checkin.ritual.state.State; typed loosely to avoid an import cycle
    reply: Reply
    effects: tuple[Effect, ...] = field(default_factory=tuple)
