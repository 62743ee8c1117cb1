"""Spanish: "1 minuto" and "2 minutos", "la primera pregunta", "las nueve de la noche".

Ordinals are written as words, never <say-as interpret-as="ordinal">: a Spanish ordinal agrees
with its noun ("la primera pregunta", "el primer día"), which the speech engine cannot know.
"""
from __future__ import annotations

import re

CLOCK_KEYS = ("clock.hour", "clock.hour.one", "clock.minutes", "clock.quarter_past",
              "clock.half_past", "clock.quarter_to", "clock.noon", "clock.midnight",
              "clock.small_hours", "clock.morning", "clock.afternoon", "clock.night")

_UNITS = ("", "primer", "segund", "tercer", "cuart", "quint", "sext", "séptim", "octav", "noven")
_TENS = ("", "décim", "vigésim", "trigésim", "cuadragésim", "quincuagésim", "sexagésim",
         "septuagésim", "octogésim", "nonagésim")


def plural(n: int) -> str:
    return "one" if n == 1 else "other"


def number(n: int, form: str = "") -> str:
    """'of' -> 'primera', 'om' -> 'primer' (before a noun), 'o' -> 'primero';
    'date' -> 'primero' for the 1st (as Mexico and the US say it), else the number."""
    n = int(n)
    if form == "date":
        return "primero" if n == 1 else str(n)
    if form in ("o", "of", "om") and 0 < n < 100:
        return _ordinal(n, form)
    return str(n)


def _ordinal(n: int, form: str) -> str:
    tens, units = divmod(n, 10)
    if form == "of":
        ending = "a"
    elif form == "om" and units in (1, 3) and tens != 1:
        ending = ""  # "el primer día", "el tercer día", "el vigésimo primer día"
    else:
        ending = "o"
    if n == 11:
        return "undécim" + ("a" if form == "of" else "o")
    if n == 12:
        return "duodécim" + ("a" if form == "of" else "o")
    unit = _UNITS[units] + ending if units else ""
    if units in (1, 3) and ending == "" and not unit.endswith("r"):
        unit = unit + "o"
    if not tens:
        return unit
    ten = _TENS[tens] + ("a" if form == "of" else "o")
    if tens == 1 and units:
        return "decimo" + unit  # one word, without the accent: "decimotercera"
    return f"{ten} {unit}".strip()


def _period_key(hour: int) -> str:
    if hour < 6:
        return "clock.small_hours"
    if hour < 12:
        return "clock.morning"
    return "clock.afternoon" if hour < 20 else "clock.night"


def clock_time(hour: int, minute: int, texts: dict[str, list[str]]) -> str:
    """'21:00' -> 'las nueve de la noche', '13:30' -> 'la una y media de la tarde'."""
    if minute == 0 and hour in (0, 12):
        return texts["clock.midnight" if hour == 0 else "clock.noon"][0]
    if minute == 45:  # "las diez menos cuarto": the coming hour, said the usual way
        hour, key = (hour + 1) % 24, "clock.quarter_to"
    else:
        key = {0: "", 15: "clock.quarter_past", 30: "clock.half_past"}.get(minute,
                                                                            "clock.minutes")
    twelve = hour % 12 or 12
    time = texts["clock.hour.one" if twelve == 1 else "clock.hour"][0].format(hour=twelve)
    if key:
        time = texts[key][0].format(time=time, minute=minute)
    return f"{time} {texts[_period_key(hour)][0]}"


_Y_BEFORE_I = re.compile(r"\b([Yy]) (?=(?:[IiÍí]|[Hh][IiÍí])(?![aeoáéóAEOÁÉÓ]))")
_O_BEFORE_O = re.compile(r"\b([Oo]) (?=[OoÓó]|[Hh][OoÓó])")


def polish(text: str) -> str:
    """'Sam y Inés' -> 'Sam e Inés'; 'siete o ocho' -> 'siete u ocho'."""
    text = _Y_BEFORE_I.sub(lambda m: "E " if m.group(1) == "Y" else "e ", text)
    return _O_BEFORE_O.sub(lambda m: "U " if m.group(1) == "O" else "u ", text)
