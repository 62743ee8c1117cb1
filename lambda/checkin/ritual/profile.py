"""What the skill remembers about a household: names, settings, counts and its reminders.

Plain frozen records with dict round-trips; the store decides how dicts become items.
"""
from __future__ import annotations

from datetime import date, timedelta

from checkin.records import record, replace
from checkin.ritual.history import RitualRecord

DEFAULT_TURN_SECONDS = 120
MIN_TURN_MINUTES = 1
MAX_TURN_MINUTES = 5
WEEKS_KEPT = 8  # the check-ins of the last eight weeks, one count per week, for the history chart

# Profile fields by what changes them, each field in exactly one group (a test holds this, so
# a new field cannot be left out). A profile written over a newer stored one takes the request's
# SETTINGS and ALERTS, and keeps the store's COUNTS.
SETTINGS = ("names", "named", "turn_seconds", "time_zone", "reminders_declined_at",
            "timers_declined_at", "awareness_asked_at", "therapist_noted_at")
ALERTS = ("reminder_id", "reminder_time", "once_reminders")  # what the Alexa APIs hold for us
COUNTS = ("completed", "streak", "best_streak", "last_completed_on", "total_seconds",
          "week_counts", "week_of")
ROTATION = ("last_first_partner", "wording_cursor")  # who starts, and which wordings come next
FIELD_GROUPS = (SETTINGS, ALERTS, COUNTS, ROTATION, ("version",))


@record
class OnceReminder:
    """A one-off reminder the skill set ("tomorrow at eight"): kept until its day is past, so
    that "stop reminding us" can reach it too."""

    on_date: str  # ISO date, household-local
    reminder_id: str

    def to_dict(self) -> dict:
        return {"on_date": self.on_date, "reminder_id": self.reminder_id}

    @classmethod
    def from_dict(cls, data: object) -> OnceReminder:
        if isinstance(data, dict):
            return cls(str(data.get("on_date", "")), str(data.get("reminder_id", "")))
        on_date, _, reminder_id = str(data).partition("|")  # as first stored: "date|id"
        return cls(on_date, reminder_id)


@record
class Profile:
    """One household's names, settings and history. `version` guards concurrent writes."""

    names: tuple[str, str] = ("", "")  # "" means the couple skipped names
    named: bool = False  # True once names were asked, given or skipped
    turn_seconds: int = DEFAULT_TURN_SECONDS
    completed: int = 0
    streak: int = 0
    best_streak: int = 0
    last_completed_on: str = ""  # household-local ISO date
    total_seconds: tuple[int, int] = (0, 0)
    # Completed check-ins per week (weeks start on Monday), oldest first; the last count is
    # the week that starts on `week_of` (ISO date). At most WEEKS_KEPT counts.
    week_counts: tuple[int, ...] = ()
    week_of: str = ""
    last_first_partner: int = 1  # so the very first night starts with partner 0
    wording_cursor: int = 0  # advances every question asked, so wordings rotate
    time_zone: str = ""  # IANA name from the Settings API; "" until known (dates in UTC)
    reminder_id: str = ""  # the Alexa reminder of the nightly check-in, if one is set
    reminder_time: str = ""  # its local time, HH:MM
    once_reminders: tuple[OnceReminder, ...] = ()
    reminders_declined_at: int = 0  # epoch seconds of the last "no" to reminders
    timers_declined_at: int = 0  # epoch seconds of the last "no" to timers
    awareness_asked_at: int = 0  # epoch seconds the check of the five signs was last offered
    therapist_noted_at: int = 0  # epoch seconds a therapist was last suggested after a check
    version: int = 0

    def taking(self, other: Profile, fields: tuple[str, ...]) -> Profile:
        """This profile with `fields` (a group above) as `other` has them."""
        return replace(self, **{name: getattr(other, name) for name in fields})

    def to_dict(self) -> dict:
        return {
            "names": list(self.names),
            "named": self.named,
            "turn_seconds": self.turn_seconds,
            "completed": self.completed,
            "streak": self.streak,
            "best_streak": self.best_streak,
            "last_completed_on": self.last_completed_on,
            "total_seconds": list(self.total_seconds),
            "week_counts": list(self.week_counts),
            "week_of": self.week_of,
            "last_first_partner": self.last_first_partner,
            "wording_cursor": self.wording_cursor,
            "time_zone": self.time_zone,
            "reminder_id": self.reminder_id,
            "reminder_time": self.reminder_time,
            "once_reminders": [once.to_dict() for once in self.once_reminders],
            "reminders_declined_at": self.reminders_declined_at,
            "timers_declined_at": self.timers_declined_at,
            "awareness_asked_at": self.awareness_asked_at,
            "therapist_noted_at": self.therapist_noted_at,
            "version": self.version,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Profile:
        default = cls()
        names = [str(n) for n in data.get("names", default.names)] + ["", ""]
        totals = [int(t) for t in data.get("total_seconds", default.total_seconds)] + [0, 0]
        return cls(
            names=(names[0], names[1]),
            named=bool(data.get("named", default.named)),
            turn_seconds=int(data.get("turn_seconds", default.turn_seconds)),
            completed=int(data.get("completed", 0)),
            streak=int(data.get("streak", 0)),
            best_streak=int(data.get("best_streak", 0)),
            last_completed_on=str(data.get("last_completed_on", "")),
            total_seconds=(totals[0], totals[1]),
            week_counts=tuple(int(c) for c in data.get("week_counts") or ())[-WEEKS_KEPT:],
            week_of=str(data.get("week_of", "")),
            last_first_partner=int(data.get("last_first_partner", default.last_first_partner)),
            wording_cursor=int(data.get("wording_cursor", 0)),
            time_zone=str(data.get("time_zone", default.time_zone)),
            reminder_id=str(data.get("reminder_id", "")),
            reminder_time=str(data.get("reminder_time", "")),
            once_reminders=tuple(OnceReminder.from_dict(entry)
                                 for entry in data.get("once_reminders") or ()),
            reminders_declined_at=int(data.get("reminders_declined_at", 0)),
            timers_declined_at=int(data.get("timers_declined_at", 0)),
            awareness_asked_at=int(data.get("awareness_asked_at", 0)),
            therapist_noted_at=int(data.get("therapist_noted_at", 0)),
            version=int(data.get("version", 0)),
        )

    @property
    def reminder_ids(self) -> tuple[str, ...]:
        """Every reminder the skill set for this household: the nightly one, then one-offs."""
        once = tuple(entry.reminder_id for entry in self.once_reminders)
        return tuple(r for r in (self.reminder_id, *once) if r)

    def after_completion(self, record: RitualRecord, local_day: date) -> Profile:
        """Counts and streak once `record` is completed on the household's `local_day`.

        A ritual in which no question was answered by both is not a check-in: not counted.
        """
        if not record.answered_by_both:
            return self
        today = local_day.isoformat()
        weeks = self.weeks_to(local_day)
        if self.last_completed_on == today:
            streak = self.streak
        elif self.last_completed_on and _days_between(self.last_completed_on, local_day) == 1:
            streak = self.streak + 1
        else:
            streak = 1
        return replace(
            self,
            completed=self.completed + 1,
            streak=streak,
            best_streak=max(self.best_streak, streak),
            last_completed_on=today,
            total_seconds=(
                self.total_seconds[0] + record.seconds[0],
                self.total_seconds[1] + record.seconds[1],
            ),
            week_counts=weeks[:-1] + (weeks[-1] + 1,),
            week_of=_monday(local_day).isoformat(),
        )

    def weeks_to(self, day: date) -> tuple[int, ...]:
        """Completed check-ins in each of the WEEKS_KEPT weeks up to `day`'s week, oldest first."""
        counts = (0,) * WEEKS_KEPT + self.week_counts
        try:
            ahead = (_monday(day) - date.fromisoformat(self.week_of)).days // 7
        except ValueError:
            return (0,) * WEEKS_KEPT
        if ahead < 0:  # counted in a week after `day` (a clock set back): shown as it stands
            return counts[-WEEKS_KEPT:]
        counts += (0,) * min(ahead, WEEKS_KEPT)
        return counts[-WEEKS_KEPT:]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _days_between(earlier_iso: str, later: date) -> int:
    try:
        return (later - date.fromisoformat(earlier_iso)).days
    except ValueError:
        return -1
