"""The ritual's state: a stage, the household profile, and the ritual in progress, if any.

Everything here is frozen and round-trips through plain dicts, so it can live in Alexa
session attributes between requests and in a DynamoDB checkpoint between sessions.
"""
from __future__ import annotations

from dataclasses import field
from enum import StrEnum

from checkin.records import record, replace
from checkin.ritual.awareness import CheckRecord, Noticing
from checkin.ritual.history import HOME, TurnRecord
from checkin.ritual.profile import Profile
from checkin.ritual.reply import Effect, Reply

QUESTIONS = ("accessibility", "responsiveness", "engagement")
TURNS_PER_RITUAL = 2 * len(QUESTIONS)


class Stage(StrEnum):
    NEW = "new"  # a session has begun and nothing has been said yet
    ASK_FIRST_NAME = "ask_first_name"
    ASK_SECOND_NAME = "ask_second_name"
    CONSENT = "consent"  # "Is now a good time for both of you to talk?"
    ASK_WHEN = "ask_when"  # "When would be better?"
    OFFER_RESUME = "offer_resume"
    TURN = "turn"  # a partner holds the floor
    HANDOVER = "handover"  # a turn ended; waiting for the next speaker to be ready
    OFFER_EXTRA = "offer_extra"  # the first speaker is offered the extra time the second took
    PAUSED = "paused"
    CONFIRM_DELETE = "confirm_delete"  # "Delete everything? This can't be undone."
    ASK_REMIND_TIME = "ask_remind_time"  # "What time should I remind you?"
    OFFER_REMINDER = "offer_reminder"  # "Shall I remind you then?"
    # Step one, awareness: the check of the five signs, once a week before the questions.
    OFFER_AWARENESS = "offer_awareness"  # "Five short lines on how close you've felt?"
    AWARENESS = "awareness"  # one sign read; answered yes, a little, or no
    AWARENESS_SAFETY = "awareness_safety"  # not feeling safe was affirmed: go on now?
    # Step three, being intentional: one small thing each, then a plan for the next time.
    OFFER_SMALL_THING = "offer_small_thing"
    SMALL_THING = "small_thing"  # a partner holds the floor for their one small thing
    SMALL_HANDOVER = "small_handover"  # the other partner's small thing next, or the wrap-up
    OFFER_PLAN = "offer_plan"  # "Would you like me to remind you, same time tomorrow?"
    ENDED = "ended"


class Goes(StrEnum):
    """Where a transition leads when the stage depends on the state (see stages.py)."""

    SAME = "same"  # stays at the stage it was heard at
    BACK = "back"  # to where the couple was before this stage interrupted them
    OPENING = "opening"  # to the opening question: consent, or the names first


@record
class Ritual:
    """One check-in in progress. Times are epoch seconds taken from request timestamps."""

    ritual_id: str
    started_at: int
    first_partner: int  # who opens the first question tonight
    wording_base: int  # where tonight's rotation of wordings starts
    question_seconds: int  # turn length for the current question, equal for both partners
    turns: tuple[TurnRecord, ...] = ()  # finished turns, in order
    mode: str = HOME
    allowance: int = 0  # seconds the current speaker may talk in this segment of turns
    spoken: int = 0  # seconds already spoken against the allowance, before this hold
    hold_started_at: int = 0
    hold_seconds: int = 0
    owed: tuple[int, int] = (0, 0)  # extra seconds each partner is due on this question
    bonus_partner: int = -1  # >= 0 while a partner takes extra time after their turn
    extra: int = 0  # seconds of the allowance asked for as more time; what is used is owed
    timer_id: str = ""  # the Alexa timer keeping this turn's time, when timers are allowed
    last_activity: int = 0
    device: str = ""  # a hash of the device it is played on, to tell other devices' rituals

    @property
    def index(self) -> int:
        return len(self.turns)

    @property
    def finished(self) -> bool:
        return self.index >= TURNS_PER_RITUAL and self.bonus_partner < 0

    @property
    def question(self) -> int:
        if self.bonus_partner >= 0:
            return self.turns[-1].question
        return min(self.index // 2, len(QUESTIONS) - 1)

    @property
    def order(self) -> int:
        """0 for the question's first speaker, 1 for its second."""
        return self.index % 2

    @property
    def speaker(self) -> int:
        if self.bonus_partner >= 0:
            return self.bonus_partner
        return speaker_of(self.first_partner, self.question, self.order)

    @property
    def remaining(self) -> int:
        return max(0, self.allowance - self.spoken)

    def elapsed(self, now: int) -> int:
        return max(0, now - self.hold_started_at)

    def to_dict(self) -> dict:
        return {
            "ritual_id": self.ritual_id,
            "started_at": self.started_at,
            "first_partner": self.first_partner,
            "wording_base": self.wording_base,
            "question_seconds": self.question_seconds,
            "turns": [t.to_dict() for t in self.turns],
            "mode": self.mode,
            "allowance": self.allowance,
            "spoken": self.spoken,
            "hold_started_at": self.hold_started_at,
            "hold_seconds": self.hold_seconds,
            "owed": list(self.owed),
            "bonus_partner": self.bonus_partner,
            "extra": self.extra,
            "timer_id": self.timer_id,
            "last_activity": self.last_activity,
            "device": self.device,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Ritual:
        ints = ("started_at", "first_partner", "wording_base", "question_seconds", "allowance",
                "spoken", "hold_started_at", "hold_seconds", "last_activity", "extra")
        owed = ([int(x) for x in data.get("owed", ())] + [0, 0])[:2]
        return cls(
            ritual_id=str(data["ritual_id"]),
            turns=tuple(TurnRecord.from_dict(t) for t in data.get("turns", [])),
            mode=str(data.get("mode", HOME)),
            owed=(owed[0], owed[1]),
            bonus_partner=int(data.get("bonus_partner", -1)),
            timer_id=str(data.get("timer_id", "")),
            device=str(data.get("device", "")),
            **{name: int(data.get(name, 0)) for name in ints},
        )


def speaker_of(first_partner: int, question: int, order: int) -> int:
    """The first speaker alternates from question to question."""
    return (first_partner + question + order) % 2


@record
class LaterTime:
    """The better time the couple named, planned to a day, for the reminder offered for it."""

    on_date: str  # ISO date
    time: str  # "HH:MM", local
    today: str  # the household's date when it was said, so the offer can say "tomorrow"

    def to_dict(self) -> dict:
        return {"on_date": self.on_date, "time": self.time, "today": self.today}

    @classmethod
    def from_dict(cls, data: object) -> LaterTime | None:
        if not isinstance(data, dict):
            return None
        return cls(str(data.get("on_date", "")), str(data.get("time", "")),
                   str(data.get("today", "")))


@record
class SmallThing:
    """The closing turn "one small thing": each partner in turn, for the same short time.

    Never recorded: it lives only in the session."""

    first: int  # who speaks first
    allowance: int  # seconds each partner has, the same for both
    order: int = 0  # 0 while the first partner speaks, 1 for the second
    spoken: int = 0  # seconds the speaker had spoken before this hold (a pause)
    hold_started_at: int = 0
    hold_seconds: int = 0

    @property
    def speaker(self) -> int:
        return (self.first + self.order) % 2

    def to_dict(self) -> dict:
        return {"first": self.first, "allowance": self.allowance, "order": self.order,
                "spoken": self.spoken, "hold_started_at": self.hold_started_at,
                "hold_seconds": self.hold_seconds}

    @classmethod
    def from_dict(cls, data: object) -> SmallThing | None:
        if not isinstance(data, dict):
            return None
        return cls(**{name: int(data.get(name, 0)) for name in
                      ("first", "allowance", "order", "spoken", "hold_started_at",
                       "hold_seconds")})


@record
class State:
    stage: Stage
    profile: Profile
    ritual: Ritual | None = None
    pending: Ritual | None = None  # an interrupted ritual from earlier this evening
    elsewhere: bool = False  # the pending ritual is under way right now on another device
    stale: tuple[Ritual, ...] = ()  # older checkpoints, recorded at the session's first request
    tag: str = ""  # per session, so rituals begun in the same second get different ids
    paused_from: Stage | None = None
    first_name: str = ""  # the first name heard while the second is asked for
    walk: bool = False  # the next ritual is a walk check-in
    task: bool = False  # started by an Alexa Routine, which is told when the ritual closes
    later: LaterTime | None = None
    # "I need help" was heard, and "help with the check-in, or support right now?" asked.
    help_or_support: bool = False
    # Paused by "I don't feel safe": a "we're done" or "ready" there is not taken as "carry on".
    paused_for_safety: bool = False
    # Permissions granted in the current request (not stored: Alexa sends them every time).
    grants: frozenset[str] = frozenset()
    device: str = ""  # a hash of the requesting device (not stored: sent every time)
    # The household's part of the day at the latest request (clock.part_of_day), for its words.
    day_part: str = ""
    noticing: Noticing | None = None  # the check of the five signs, while it is under way
    small: SmallThing | None = None  # one small thing, while it is under way
    checks: tuple[CheckRecord, ...] = ()  # the latest checks kept, oldest first, for the trend

    def at(self, stage: Stage, **changes: object) -> State:
        return replace(self, stage=stage, **changes)

    def to_dict(self) -> dict:
        return {
            "stage": self.stage.value,
            "profile": self.profile.to_dict(),
            "ritual": self.ritual.to_dict() if self.ritual else None,
            "pending": self.pending.to_dict() if self.pending else None,
            "elsewhere": self.elsewhere,
            "paused_from": self.paused_from.value if self.paused_from else None,
            "first_name": self.first_name,
            "walk": self.walk,
            "task": self.task,
            "later": self.later.to_dict() if self.later else None,
            "help_or_support": self.help_or_support,
            "paused_for_safety": self.paused_for_safety,
            "day_part": self.day_part,
            "tag": self.tag,
            "noticing": self.noticing.to_dict() if self.noticing else None,
            "small": self.small.to_dict() if self.small else None,
            "checks": [check.to_dict() for check in self.checks],
        }

    @classmethod
    def from_dict(cls, data: dict) -> State:
        return cls(
            stage=Stage(data["stage"]),
            profile=Profile.from_dict(data.get("profile") or {}),
            ritual=Ritual.from_dict(data["ritual"]) if data.get("ritual") else None,
            pending=Ritual.from_dict(data["pending"]) if data.get("pending") else None,
            elsewhere=bool(data.get("elsewhere", False)),
            paused_from=Stage(data["paused_from"]) if data.get("paused_from") else None,
            first_name=str(data.get("first_name", "")),
            walk=bool(data.get("walk", False)),
            task=bool(data.get("task", False)),
            later=LaterTime.from_dict(data.get("later")),
            help_or_support=bool(data.get("help_or_support", False)),
            paused_for_safety=bool(data.get("paused_for_safety", False)),
            day_part=str(data.get("day_part", "")),
            tag=str(data.get("tag", "")),
            noticing=Noticing.from_dict(data.get("noticing")),
            small=SmallThing.from_dict(data.get("small")),
            checks=tuple(CheckRecord.from_dict(c) for c in data.get("checks") or ()),
        )


@record
class Step:
    """What one event did: the state it led to, what to say, and what to store or set."""

    state: State
    reply: Reply
    effects: tuple[Effect, ...] = field(default_factory=tuple)


@record
class Checkpoint:
    """A ritual under way, kept between sessions so that it can be resumed, or recorded later.

    Stored as a plain dict (`to_dict`); `from_dict` returns None for one it cannot read, which
    is not worth failing a launch over."""

    ritual: Ritual

    def to_dict(self) -> dict:
        return {"ritual": self.ritual.to_dict()}

    @classmethod
    def from_dict(cls, data: object) -> Checkpoint | None:
        try:
            return cls(Ritual.from_dict(data["ritual"]))  # type: ignore[index]
        except (KeyError, TypeError, ValueError):
            return None
