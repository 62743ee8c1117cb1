"""English: "1 minute" and "2 minutes", "the 12th", "9 PM"."""
from __future__ import annotations

from checkin.speech.ssml import ordinal as say_as_ordinal

# Alexa's English voices read <say-as interpret-as="ordinal"> well; English ordinals have no
# gender, so every ordinal form is the same.
CLOCK_KEYS = ("clock.am", "clock.pm", "clock.hour", "clock.hour_minute", "clock.noon",
              "clock.midnight")


def plural(n: int) -> str:
    return "one" if n == 1 else "other"


def number(n: int, form: str = "") -> str:
    if form.startswith("o") or form == "date":
        return say_as_ordinal(n)
    return str(int(n))


def clock_time(hour: int, minute: int, texts: dict[str, list[str]]) -> str:
    """'21:00' -> '9 PM', '20:30' -> '8:30 PM', '12:00' -> 'noon'."""
    if minute == 0 and hour in (0, 12):
        return texts["clock.midnight" if hour == 0 else "clock.noon"][0]
    period = texts["clock.pm" if hour >= 12 else "clock.am"][0]
    key = "clock.hour" if minute == 0 else "clock.hour_minute"
    return texts[key][0].format(hour=(hour % 12) or 12, minute=minute, period=period)


def polish(text: str) -> str:
    return text
