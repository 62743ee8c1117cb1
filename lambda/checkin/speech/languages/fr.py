"""French: "une minute" and "2 minutes", "la deuxième question", "à 21 heures".

Ordinals are written as words, never <say-as interpret-as="ordinal">: "premier" and "première"
agree with their noun, which the speech engine cannot know. Hours and minutes that end in "un"
are written as words too ("vingt et une heures", "une heure"), because "heure" and "minute" are
feminine and a digit would leave the engine to guess "un" or "une".

France says times on the 24-hour clock ("à 21 heures", "à 20 heures 30"); Quebec more often
says the 12-hour clock with the part of the day ("à neuf heures du soir", "à huit heures et
demie"). `clock.style` ("24 heures" or "12 heures") says which a locale uses.
"""
from __future__ import annotations

import re

CLOCK_KEYS = ("clock.style", "clock.hour", "clock.hour.one", "clock.minutes",
              "clock.quarter_past", "clock.half_past", "clock.quarter_to", "clock.noon",
              "clock.midnight", "clock.morning", "clock.afternoon", "clock.evening")

_ONES = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
         "onze", "douze", "treize", "quatorze", "quinze", "seize")
_TENS = ("", "dix", "vingt", "trente", "quarante", "cinquante", "soixante")
# How the last word of a number becomes an ordinal, where it is not simply word + "ième".
_ORDINAL_WORDS = {"un": "unième", "cinq": "cinquième", "neuf": "neuvième"}


def plural(n: int) -> str:
    """'one' for 1 only. CLDR also puts 0 in 'one' ("0 seconde"); these prompts spell the one
    form out ("une seconde"), so 0 takes the plural form, which sounds the same."""
    return "one" if n == 1 else "other"


def number(n: int, form: str = "") -> str:
    """'o'/'om' -> 'premier', 'douzième'; 'of' -> 'première', 'deuxième'; 'date' -> 'premier'
    for the 1st ('le premier décembre'), else the number; '' -> the number as digits."""
    n = int(n)
    if form == "date":
        return "premier" if n == 1 else str(n)
    if form.startswith("o") and 0 < n < 1_000_000:
        if n == 1:
            return "première" if form == "of" else "premier"
        return ordinal(n)
    return str(n)


def ordinal(n: int) -> str:
    """2 -> 'deuxième', 21 -> 'vingt et unième', 80 -> 'quatre-vingtième'."""
    words = cardinal(n)
    cut = max(words.rfind(" "), words.rfind("-")) + 1
    head, last = words[:cut], words[cut:]
    if last in _ORDINAL_WORDS:
        return head + _ORDINAL_WORDS[last]
    last = last[:-1] if last.endswith(("vingts", "cents")) else last
    return head + (last[:-1] if last.endswith("e") else last) + "ième"


def cardinal(n: int) -> str:
    """In the traditional spelling: 21 -> 'vingt et un', 80 -> 'quatre-vingts', 200 -> 'deux
    cents', 1001 -> 'mille un'."""
    if n <= 16:
        return _ONES[n]
    if n < 20:
        return "dix-" + _ONES[n - 10]
    if n < 100:
        return _tens(n)
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "cent" if hundreds == 1 else _ONES[hundreds] + (" cents" if not rest else " cent")
        return head + (" " + cardinal(rest) if rest else "")
    thousands, rest = divmod(n, 1000)
    head = "mille" if thousands == 1 else cardinal(thousands).removesuffix("s") + " mille"
    return head + (" " + cardinal(rest) if rest else "")


def _tens(n: int) -> str:
    tens, ones = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix, quatre-vingt-dix: the teens after sixty and eighty
        tens, ones = tens - 1, ones + 10
    head = "quatre-vingt" if tens == 8 else _TENS[tens]
    if ones == 0:
        return head + ("s" if tens == 8 else "")
    if ones in (1, 11) and tens != 8:
        return f"{head} et {cardinal(ones)}"  # vingt et un, soixante et onze
    return f"{head}-{cardinal(ones)}"


def feminine(n: int) -> str:
    """A count of something feminine (heures, minutes): 1 -> 'une', 21 -> 'vingt et une';
    other numbers stay digits."""
    words = cardinal(n)
    return words[:-2] + "une" if words.endswith("un") else str(n)


def clock_time(hour: int, minute: int, texts: dict[str, list[str]]) -> str:
    """France: '21:00' -> 'vingt et une heures', '20:30' -> '20 heures 30', '12:00' -> 'midi'.
    Quebec: '21:00' -> '9 heures du soir', '20:30' -> '8 heures et demie du soir'."""
    if not texts["clock.style"][0].startswith("12"):
        if minute == 0 and hour in (0, 12):
            return texts["clock.midnight" if hour == 0 else "clock.noon"][0]
        time = _hours(hour, texts)
        return time if not minute else texts["clock.minutes"][0].format(
            time=time, minute=feminine(minute))
    if minute == 45:  # "dix heures moins quart": the coming hour
        hour, key = (hour + 1) % 24, "clock.quarter_to"
    else:
        key = {0: "", 15: "clock.quarter_past", 30: "clock.half_past"}.get(minute,
                                                                            "clock.minutes")
    period = ""
    if hour in (0, 12):
        time = texts["clock.midnight" if hour == 0 else "clock.noon"][0]
    else:
        time = _hours(hour % 12, texts)
        period = texts[_period_key(hour)][0]
    if key:
        time = texts[key][0].format(time=time, minute=feminine(minute))
    return f"{time} {period}" if period else time


def _hours(hour: int, texts: dict[str, list[str]]) -> str:
    key = "clock.hour.one" if hour in (0, 1) else "clock.hour"  # "zéro heure", "une heure"
    return texts[key][0].format(hour="zéro" if hour == 0 else feminine(hour))


def _period_key(hour: int) -> str:
    if hour < 12:
        return "clock.morning"
    return "clock.afternoon" if hour < 18 else "clock.evening"


# Before a name that starts with a vowel, and before a duration or time put in ("une minute").
_ELIDED = re.compile(r"\b([Dd]e|[Qq]ue) (?=[AEIOUYÀÂÉÈÊËÎÏÔÛÙ]|(?:une?|environ)\b)")
_BEFORE_MARK = re.compile(r" ([?!:;»])")


def polish(text: str) -> str:
    """'au tour de Alex' -> "au tour d'Alex", 'de une minute' -> "d'une minute"; a space
    before ? ! : ; and » becomes a no-break space, so that a screen never starts a line with
    the mark."""
    text = _ELIDED.sub(lambda m: m.group(1)[:-1] + "'", text)  # de -> d', que -> qu'
    return _BEFORE_MARK.sub("\u00a0\\1", text).replace("« ", "«\u00a0")
