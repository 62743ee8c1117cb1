"""German: "eine Minute" and "2 Minuten", "bei der zweiten Frage", "um 21 Uhr".

Ordinals are written as words, never <say-as interpret-as="ordinal">: a German ordinal takes the
ending its article and case ask for ("die zweite Frage", "bei der zweiten Frage", "zum zweiten
Mal"), which the speech engine cannot know. The prompts use one form only, the one after "am",
"zum" and "bei der" ("ersten", "zwölften"), so every ordinal form gives it. Times are said on the
24-hour clock, as German speakers in Germany and Austria do: "um 21 Uhr", "um 20 Uhr 30".
"""
from __future__ import annotations

CLOCK_KEYS = ("clock.hour", "clock.hour_minute", "clock.noon", "clock.midnight")

_ONES = ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn",
         "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn",
         "neunzehn")
_TENS = ("", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig",
         "neunzig")
# The ordinal stems of 1 to 19 that are not simply the number plus "t".
_ORDINAL_STEMS = {1: "erst", 3: "dritt", 7: "siebt", 8: "acht"}
_ENDING = "en"  # "am ersten", "zum zwölften Mal", "bei der zweiten Frage"


def plural(n: int) -> str:
    return "one" if n == 1 else "other"


def number(n: int, form: str = "") -> str:
    """Any ordinal form -> 'zweiten' (the form the prompts use); 'date' -> 'ersten' for
    'am ersten Dezember'; '' -> the number as digits."""
    n = int(n)
    if (form.startswith("o") or form == "date") and 0 < n < 1_000_000:
        return ordinal_stem(n) + _ENDING
    return str(n)


def ordinal_stem(n: int) -> str:
    """1 -> 'erst', 3 -> 'dritt', 12 -> 'zwölft', 21 -> 'einundzwanzigst', 101 -> 'hunderterst'."""
    head, last = divmod(n, 100)
    if 0 < last < 20:
        small = _ORDINAL_STEMS.get(last, _ONES[last] + "t")
        return (cardinal(head * 100) if head else "") + small
    return cardinal(n) + "st"


def cardinal(n: int) -> str:
    """21 -> 'einundzwanzig', 100 -> 'hundert', 1999 -> 'tausendneunhundertneunundneunzig'."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return (("ein" if ones == 1 else _ONES[ones]) + "und" if ones else "") + _TENS[tens]
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "hundert" if hundreds == 1 else _ONES[hundreds] + "hundert"
        return head + (cardinal(rest) if rest else "")
    thousands, rest = divmod(n, 1000)
    head = "tausend" if thousands == 1 else cardinal(thousands) + "tausend"
    return head + (cardinal(rest) if rest else "")


def clock_time(hour: int, minute: int, texts: dict[str, list[str]]) -> str:
    """'21:00' -> '21 Uhr', '20:30' -> '20 Uhr 30', '01:00' -> 'ein Uhr', '12:00' -> '12 Uhr
    mittags', '00:00' -> 'Mitternacht'."""
    if minute == 0 and hour in (0, 12):
        return texts["clock.midnight" if hour == 0 else "clock.noon"][0]
    said_hour = "ein" if hour == 1 else str(hour)  # "ein Uhr", never "eins Uhr"
    key = "clock.hour" if minute == 0 else "clock.hour_minute"
    return texts[key][0].format(hour=said_hour, minute=minute)


def polish(text: str) -> str:
    return text
