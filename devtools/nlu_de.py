"""German for the console's NLU (devtools.nlu): numbers, times, dates, built-in phrases.

Words arrive normalised: lower case, umlauts and accents dropped ("fünf" -> "funf"), "ß" as
"ss" ("dreißig" -> "dreissig"), digits spelled. German writes a number as one word
("einundzwanzig", "zweihundert"), so numbers are read from a table of every spelling up to 999.
Times are heard on the 24-hour clock ("einundzwanzig uhr dreissig") and in the everyday forms
("halb neun", "viertel nach acht", and in Austria and the south "viertel neun", "dreiviertel
neun").
"""
from __future__ import annotations

from datetime import date, timedelta

from devtools.nlu import Language, clock_time

_ONES = ("null", "eins", "zwei", "drei", "vier", "funf", "sechs", "sieben", "acht", "neun",
         "zehn", "elf", "zwolf", "dreizehn", "vierzehn", "funfzehn", "sechzehn", "siebzehn",
         "achtzehn", "neunzehn")
_TENS = ("", "", "zwanzig", "dreissig", "vierzig", "funfzig", "sechzig", "siebzig", "achtzig",
         "neunzig")
WEEKDAYS = ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")


def number_to_words(number: int) -> str:
    """3 -> 'drei', 21 -> 'einundzwanzig', 2000 -> 'zweitausend' (normalised spelling)."""
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return (("ein" if ones == 1 else _ONES[ones]) + "und" if ones else "") + _TENS[tens]
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        head = "hundert" if hundreds == 1 else _ONES[hundreds] + "hundert"
        return head + (number_to_words(rest) if rest else "")
    thousands, rest = divmod(number, 1000)
    head = "tausend" if thousands == 1 else number_to_words(thousands) + "tausend"
    return head + (number_to_words(rest) if rest else "")


def _spellings() -> dict[str, int]:
    table = {number_to_words(n): n for n in range(1000)}
    for n in range(1, 10):  # "einhundert", "eintausend" are said too
        table.setdefault(("ein" if n == 1 else _ONES[n]) + "hundert", n * 100)
    table.update({"ein": 1, "eine": 1, "einen": 1, "einer": 1, "zwo": 2, "einhundert": 100})
    return table


NUMBER_WORDS = _spellings()


def words_to_number(words: list[str]) -> int | None:
    """['einundzwanzig'] -> 21, ['zwei', 'hundert'] -> 200, ['drei'] -> 3; None otherwise."""
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if not words or len(words) > 3 or any(w.isdigit() for w in words):
        return None
    joined = "".join(words)
    if joined in NUMBER_WORDS:
        return NUMBER_WORDS[joined]
    head, found, rest = joined.partition("tausend")
    if not found:
        return None
    thousands = NUMBER_WORDS.get(head, None) if head else 1
    remainder = NUMBER_WORDS.get(rest, None) if rest else 0
    if thousands is None or remainder is None:
        return None
    return thousands * 1000 + remainder


_DAY_PARTS = {
    "heute abend": "EV", "abends": "EV", "am abend": "EV", "abend": "EV",
    "heute nacht": "NI", "nachts": "NI", "in der nacht": "NI",
    "heute morgen": "MO", "morgens": "MO", "am morgen": "MO", "vormittags": "MO",
    "am vormittag": "MO", "heute vormittag": "MO",
    "heute nachmittag": "AF", "nachmittags": "AF", "am nachmittag": "AF",
    "mittag": "12:00", "mittags": "12:00", "am mittag": "12:00", "zu mittag": "12:00",
    "mitternacht": "00:00", "um mitternacht": "00:00",
}
_PERIODS = {"abends": "pm", "am abend": "pm", "nachmittags": "pm", "am nachmittag": "pm",
            "nachts": "night", "in der nacht": "night", "morgens": "am", "am morgen": "am",
            "fruh": "am", "vormittags": "am", "am vormittag": "am", "mittags": "pm"}


def _hour_and_minute(rest: list[str]) -> tuple[int, int] | None:
    """The clock words without a period: 'einundzwanzig uhr dreissig', 'halb neun'."""
    if len(rest) == 1 and ":" in rest[0]:
        try:
            hour, minute = (int(part) for part in rest[0].split(":"))
        except ValueError:
            return None
        return hour, minute
    if rest[:1] == ["halb"] and len(rest) == 2:  # "halb neun": half an hour before nine
        hour = words_to_number(rest[1:])
        return None if hour is None else (hour - 1, 30)
    if rest[:1] == ["dreiviertel"] and len(rest) == 2:
        hour = words_to_number(rest[1:])
        return None if hour is None else (hour - 1, 45)
    if rest[:1] == ["viertel"] and len(rest) in (2, 3):
        if len(rest) == 3 and rest[1] in ("nach", "vor"):
            hour = words_to_number(rest[2:])
            if hour is None:
                return None
            return (hour, 15) if rest[1] == "nach" else (hour - 1, 45)
        hour = words_to_number(rest[1:])  # "viertel neun": a quarter of the way to nine
        return None if hour is None else (hour - 1, 15)
    if "nach" in rest or "vor" in rest:  # "zehn nach acht", "zehn vor neun"
        word = "nach" if "nach" in rest else "vor"
        at = rest.index(word)
        minutes, hour = words_to_number(rest[:at]), words_to_number(rest[at + 1:])
        if minutes is None or hour is None:
            return None
        return (hour, minutes) if word == "nach" else (hour - 1, 60 - minutes)
    if "uhr" in rest:
        at = rest.index("uhr")
        hour = words_to_number(rest[:at])
        minute = words_to_number(rest[at + 1:]) if rest[at + 1:] else 0
        return None if hour is None or minute is None else (hour, minute)
    hour = words_to_number(rest[:1])
    if hour is None or len(rest) > 1:
        return None
    return hour, 0


def parse_time(words: list[str], _original: list[str], _today: date) -> str | None:
    """'einundzwanzig uhr' -> '21:00', 'acht uhr morgens' -> '08:00', 'neun' -> '21:00',
    'halb neun' -> '20:30', 'viertel vor zehn' -> '21:45', 'heute abend' -> 'EV'."""
    phrase = " ".join(words)
    if phrase in _DAY_PARTS:
        return _DAY_PARTS[phrase]
    rest = list(words)
    if rest[:1] == ["um"]:
        rest = rest[1:]
    meridiem = None
    for length in (3, 2, 1):
        tail = " ".join(rest[-length:])
        if len(rest) > length and tail in _PERIODS:
            meridiem, rest = _PERIODS[tail], rest[:-length]
            break
    if not rest:
        return None
    found = _hour_and_minute(rest)
    if found is None:
        return None
    hour, minute = found
    if not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    if meridiem == "night":  # "elf uhr nachts" is 23:00, "zwei uhr nachts" 02:00
        meridiem = "am" if hour < 6 or hour == 12 else "pm"
    return clock_time(hour, minute, meridiem)


def parse_date(words: list[str], _original: list[str], today: date) -> str | None:
    phrase = " ".join(words)
    if phrase in ("heute", "heute abend", "heute nacht", "noch heute", "heute noch"):
        return today.isoformat()
    if phrase in ("morgen", "morgen abend", "morgen fruh", "morgen nachmittag",
                  "morgen am abend"):
        return (today + timedelta(days=1)).isoformat()
    if phrase in ("ubermorgen", "ubermorgen abend"):
        return (today + timedelta(days=2)).isoformat()
    if phrase in ("am wochenende", "dieses wochenende", "das wochenende", "wochenende",
                  "nachstes wochenende", "am nachsten wochenende", "kommendes wochenende"):
        monday = today + timedelta(days=7 if "nachst" in phrase or "kommend" in phrase else 0)
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}-WE"
    if phrase in ("nachste woche", "in der nachsten woche", "kommende woche"):
        year, week, _ = (today + timedelta(days=7)).isocalendar()
        return f"{year}-W{week:02d}"
    parts = [w.removesuffix("abend") or w for w in words
             if w not in ("am", "diesen", "nachsten", "kommenden", "abend", "den")]
    if len(parts) == 1 and parts[0] in WEEKDAYS:  # "am samstag", "samstagabend"
        ahead = (WEEKDAYS.index(parts[0]) - today.weekday()) % 7 or 7
        return (today + timedelta(days=ahead)).isoformat()
    return None


BUILT_IN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": ("ja", "jawohl", "klar", "okay", "ok", "genau", "gerne", "na klar",
                         "sicher", "ja bitte", "auf jeden fall", "einverstanden"),
    "AMAZON.NoIntent": ("nein", "nee", "ne", "nein danke", "lieber nicht", "auf keinen fall"),
    "AMAZON.HelpIntent": ("hilfe", "hilf mir", "was kann ich sagen", "was kann ich tun"),
    "AMAZON.StopIntent": ("stopp", "stop", "halt", "aufhoren", "sei still", "ruhe", "beenden",
                          "ende"),
    "AMAZON.CancelIntent": ("abbrechen", "vergiss es", "abbruch"),
    "AMAZON.RepeatIntent": ("wiederhole", "wiederholen", "nochmal", "noch einmal", "wie bitte",
                            "was hast du gesagt"),
    "AMAZON.PauseIntent": ("pause", "pausieren", "warte", "moment"),
    "AMAZON.ResumeIntent": ("weiter", "fortsetzen", "mach weiter", "weitermachen"),
    "AMAZON.StartOverIntent": ("von vorne", "neu starten", "von vorn anfangen",
                               "nochmal von vorne"),
    "AMAZON.NavigateHomeIntent": ("startseite", "geh zur startseite", "zuruck zum start"),
}

_LIGHT_WORDS = frozenset((
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "und",
    "oder", "zu", "zum", "zur", "ich", "mir", "mich", "du", "dir", "dich", "wir", "uns", "unser",
    "unsere", "unseren", "unserem", "ihr", "euch", "es", "ist", "bitte", "mal", "doch", "noch",
    "so", "jetzt", "nur", "einfach", "bin", "sind", "mit", "fur", "von", "an", "auf", "in", "im",
))

LANGUAGE = Language(
    number_to_words=number_to_words, words_to_number=words_to_number,
    number_words=frozenset(NUMBER_WORDS), parse_time=parse_time, parse_date=parse_date,
    built_in_phrases=BUILT_IN_PHRASES, light_words=_LIGHT_WORDS,
    launch_words=("offne", "starte", "start", "beginne", "aktiviere", "lade", "spiel", "spiele"),
    request_words=("frag", "frage", "sag", "sage", "bitte"),
    connectors=("nach", "ob", "dass", "um"), and_word="und",
)
