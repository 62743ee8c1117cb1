"""Household-local dates, from epoch seconds and an IANA time zone name."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_day(now: int, time_zone: str) -> date:
    return local_now(now, time_zone).date()


def local_now(now: int, time_zone: str) -> datetime:
    zone: tzinfo
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return datetime.fromtimestamp(now, zone)


def parse_clock_time(heard: str) -> str:
    """"HH:MM" from what Alexa's AMAZON.TIME gave, or "" for vague times like "EV"."""
    try:
        hour, minute = (int(part) for part in heard.strip().split(":")[:2])
    except (AttributeError, ValueError):
        return ""
    return f"{hour:02d}:{minute:02d}" if 0 <= hour < 24 and 0 <= minute < 60 else ""


def next_occurrence(clock_time: str, now: int, time_zone: str, on_date: str = "") -> str:
    """The ISO date on which `clock_time` next comes round (or `on_date`, unless past)."""
    here = local_now(now, time_zone)
    hour, minute = (int(part) for part in clock_time.split(":"))
    try:
        day = date.fromisoformat(on_date) if on_date else None
    except ValueError:
        day = None  # a week or a weekend ("2026-W49-WE"): the next time it comes round
    if day is not None and (day, hour, minute) > (here.date(), here.hour, here.minute):
        return day.isoformat()
    if (hour, minute) <= (here.hour, here.minute):
        return (here.date() + timedelta(days=1)).isoformat()
    return here.date().isoformat()


# The vague times AMAZON.TIME gives, as (the hour they stand for, when that part of day ends).
PARTS_OF_DAY = {"MO": ("09:00", 12), "AF": ("15:00", 18), "EV": ("21:00", 24), "NI": ("21:00", 24)}
TONIGHT = "NI"  # AMAZON.TIME's value for "tonight"
# "Later tonight" said after its usual hour: the next whole hour at least this far off.
SOONEST_SECONDS = 30 * 60


def clock_time_or_default(heard: str) -> str:
    """"HH:MM" from AMAZON.TIME, with a part of the day ("EV") taken at its usual hour."""
    part = PARTS_OF_DAY.get(str(heard or "").strip().upper())
    return part[0] if part else parse_clock_time(str(heard or ""))


def plan_time(heard_time: str, heard_date: str, now: int, time_zone: str) -> tuple[str, str]:
    """(ISO date, "HH:MM") for a time the couple named, or ("", "") when it names no time.

    A part of the day ("later tonight") is taken at its usual hour; once that has passed,
    at the next whole hour still within it, or else at its usual hour the next day."""
    time = clock_time_or_default(heard_time)
    if not time:
        return "", ""
    part = PARTS_OF_DAY.get(heard_time.strip().upper())
    here = local_now(now, time_zone)
    day = next_occurrence(time, now, time_zone, heard_date)
    if part and day != here.date().isoformat() and not _after_today(heard_date, here.date()):
        soonest = here + timedelta(seconds=SOONEST_SECONDS)
        hour = soonest.hour + (1 if soonest.minute or soonest.second else 0)
        if soonest.date() == here.date() and hour < part[1]:
            return here.date().isoformat(), f"{hour:02d}:00"
    return day, time


def _after_today(iso_date: str, today: date) -> bool:
    try:
        return date.fromisoformat(iso_date) > today
    except ValueError:
        return False


def days_ahead(iso_date: str, now: int, time_zone: str) -> int:
    """How many days after the household's today `iso_date` is (0 when unreadable)."""
    try:
        return max(0, (date.fromisoformat(iso_date) - local_day(now, time_zone)).days)
    except ValueError:
        return 0
MORNING, AFTERNOON, EVENING, NIGHT = "morning", "afternoon", "evening", "night"


def part_of_day(now: int, time_zone: str) -> str:
    """Which words fit the household's hour: no "tonight" or "goodnight" in the morning."""
    hour = local_now(now, time_zone).hour
    if 4 <= hour < 12:
        return MORNING
    if 12 <= hour < 17:
        return AFTERNOON
    if 17 <= hour < 21:
        return EVENING
    return NIGHT
