"""Household-local dates, from epoch seconds and an IANA time zone name."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_day(now: int, time_zone: str) -> date:
    return local_now(now, time_zone).date()


def local_now(now: int, time_zone: str) -> datetime:
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
    """The ISO date on which `clock_time` next comes round (or `on_date`, when given)."""
    if on_date:
        try:
            return date.fromisoformat(on_date).isoformat()
        except ValueError:
            pass
    here = local_now(now, time_zone)
    hour, minute = (int(part) for part in clock_time.split(":"))
    if (hour, minute) <= (here.hour, here.minute):
        return (here.date() + timedelta(days=1)).isoformat()
    return here.date().isoformat()


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
