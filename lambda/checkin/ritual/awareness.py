"""Step one of the article's three: noticing the drift. The five signs, what a check keeps, when
it is offered, and how the weeks compare.

A check reads each sign as a line in the couple's own voice ("We've had less time together
lately"); they answer it together in one word: yes, a little, or no. Only numbers are kept:
which signs were affirmed (as codes), how many, how many were answered, and the date.
"""
from __future__ import annotations

from checkin.records import record
from checkin.ritual.profile import Profile

# The article's five signs, numbered in its order. These codes are what the store keeps.
TIME, TALK, SAFE, NEEDS, LONELY = 1, 2, 3, 4, 5
SIGN_KEYS = {TIME: "time", TALK: "talk", SAFE: "safe", NEEDS: "needs", LONELY: "lonely"}
# The order they are read in: not feeling safe comes last, so that its acknowledgement
# ("would you still like to go on?") never leaves lines unread.
ASKED_ORDER = (TIME, TALK, NEEDS, LONELY, SAFE)

# The one-word answers, as levels.
NO, A_LITTLE, YES = 0, 1, 2

DAY_SECONDS = 86_400
OFFER_EVERY_SECONDS = 7 * DAY_SECONDS  # offered at most once in any seven days
MOST = 3  # of the five signs
RUNNING_WEEKS = 3  # "several weeks running"
# Checks further apart than this are not weeks running; closer than WEEK_SECONDS, one week.
RUN_GAP_SECONDS = 14 * DAY_SECONDS
WEEK_SECONDS = 6 * DAY_SECONDS
MONTH_SECONDS = 28 * DAY_SECONDS
RECENT_CHECKS = 12  # what a session keeps of the history: enough for two months of weeks

# The trend, as "how are we doing" speaks it (prompt keys trend.<value>).
FEWER, SAME, MORE, STARTED = "fewer", "same", "more", "started"


@record
class CheckRecord:
    """One check as kept: numbers and a date, never words."""

    at: int  # epoch seconds, from the request
    on: str  # the household's local ISO date
    signs: tuple[int, ...] = ()  # codes answered yes
    partly: tuple[int, ...] = ()  # codes answered "a little"
    answered: int = len(ASKED_ORDER)  # how many of the five were answered before a skip

    @property
    def count(self) -> int:
        """How many signs were affirmed, fully or a little."""
        return len(self.signs) + len(self.partly)

    @property
    def complete(self) -> bool:
        return self.answered >= len(ASKED_ORDER)

    def to_dict(self) -> dict:
        return {"at": self.at, "on": self.on, "signs": list(self.signs),
                "partly": list(self.partly), "count": self.count, "answered": self.answered}

    @classmethod
    def from_dict(cls, data: dict) -> CheckRecord:
        return cls(int(data["at"]), str(data["on"]), _codes(data.get("signs")),
                   _codes(data.get("partly")), int(data.get("answered", len(ASKED_ORDER))))


def _codes(values: object) -> tuple[int, ...]:
    if not isinstance(values, list | tuple):
        raise ValueError("codes are a list")
    codes = tuple(int(v) for v in values)
    if any(code not in SIGN_KEYS for code in codes):
        raise ValueError("an unknown sign")
    return codes


@record
class Noticing:
    """A check under way: the answers so far, in ASKED_ORDER, and what follows it."""

    answers: tuple[int, ...] = ()
    then_ritual: bool = False  # offered after consent, so the questions follow; else the opening

    @property
    def done(self) -> bool:
        return len(self.answers) >= len(ASKED_ORDER)

    @property
    def sign(self) -> int:
        """The sign being asked (the last one once all are answered)."""
        return ASKED_ORDER[min(len(self.answers), len(ASKED_ORDER) - 1)]

    def answered(self, level: int) -> Noticing:
        return Noticing(self.answers + (level,), self.then_ritual)

    def affirmed(self, sign: int) -> bool:
        return any(code == sign and level > NO for code, level in self._pairs())

    def _pairs(self) -> list[tuple[int, int]]:
        """(sign, level) for each line answered so far."""
        return list(zip(ASKED_ORDER[:len(self.answers)], self.answers, strict=True))

    def to_record(self, now: int, local_date: str) -> CheckRecord | None:
        """What is kept of it; None when nothing was answered."""
        if not self.answers:
            return None
        pairs = self._pairs()
        return CheckRecord(now, local_date,
                           tuple(sorted(code for code, level in pairs if level == YES)),
                           tuple(sorted(code for code, level in pairs if level == A_LITTLE)),
                           len(self.answers))

    def to_dict(self) -> dict:
        return {"answers": list(self.answers), "then_ritual": self.then_ritual}

    @classmethod
    def from_dict(cls, data: object) -> Noticing | None:
        if not isinstance(data, dict):
            return None
        answers = tuple(int(a) for a in data.get("answers") or ())
        if len(answers) > len(ASKED_ORDER) or any(a not in (NO, A_LITTLE, YES) for a in answers):
            raise ValueError("unreadable answers")
        return cls(answers, bool(data.get("then_ritual", False)))


def offer_due(profile: Profile, now: int) -> bool:
    """Offered from a couple's second check-in on (the first evening is long enough), and at
    most once in any seven days, by the request clock."""
    asked = profile.awareness_asked_at
    return profile.completed >= 1 and (not asked or now - asked >= OFFER_EVERY_SECONDS)


def asked_this_evening(profile: Profile, ritual_started_at: int) -> bool:
    """The check was offered (or asked for) as this ritual began: the week's evening, when one
    small thing is offered at the close too."""
    asked = profile.awareness_asked_at
    return bool(asked) and ritual_started_at - asked <= 3600 and asked <= ritual_started_at + 3600


def latest(checks: tuple[CheckRecord, ...], new: CheckRecord) -> tuple[CheckRecord, ...]:
    """The recent history with `new` in it (one check a day: a second one replaces the first)."""
    kept = tuple(c for c in checks if c.on != new.on) + (new,)
    return tuple(sorted(kept, key=lambda c: c.at))[-RECENT_CHECKS:]


def trend(checks: tuple[CheckRecord, ...], now: int) -> str | None:
    """How the last four weeks compare with the four before, in signs noticed on average."""
    complete = [c for c in checks if c.complete and c.at <= now]
    recent = [c.count for c in complete if now - c.at < MONTH_SECONDS]
    earlier = [c.count for c in complete if MONTH_SECONDS <= now - c.at < 2 * MONTH_SECONDS]
    if not recent:
        return None
    if not earlier:
        return STARTED if len(recent) == len(complete) else None
    # sum/len: importing statistics (and fractions with it) cost ~6 M instructions at cold start
    difference = sum(recent) / len(recent) - sum(earlier) / len(earlier)
    if difference <= -0.5:
        return FEWER
    return MORE if difference >= 0.5 else SAME


def stuck_since(checks: tuple[CheckRecord, ...]) -> int | None:
    """When the current run of checks with most signs affirmed began, if it has run for
    RUNNING_WEEKS weeks; None otherwise."""
    run: list[CheckRecord] = []
    for check in sorted((c for c in checks if c.complete), key=lambda c: -c.at):
        if check.count < MOST or (run and run[-1].at - check.at > RUN_GAP_SECONDS):
            break
        run.append(check)
    weeks, last = 0, None
    for check in run:  # newest first; checks within a week count once
        if last is None or last - check.at >= WEEK_SECONDS:
            weeks, last = weeks + 1, check.at
    return run[-1].at if weeks >= RUNNING_WEEKS else None
