"""Italian for the console's NLU (devtools.nlu): numbers, times, dates, built-in phrases.

Words arrive normalised: lower case, accents and apostrophes dropped ("lunedì" -> "lunedi",
"all'una" -> "alluna", "d'accordo" -> "daccordo"), digits spelled out as words.
"""
from __future__ import annotations

from datetime import date, timedelta

from devtools.nlu import Language, clock_time

_UNITS = ("zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove",
          "dieci", "undici", "dodici", "tredici", "quattordici", "quindici", "sedici",
          "diciassette", "diciotto", "diciannove")
_TENS = ("", "", "venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta",
         "novanta")
WEEKDAYS = ("lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica")


def number_to_words(number: int) -> str:
    """3 -> 'tre', 21 -> 'ventuno', 23 -> 'ventitre', 2000 -> 'duemila' (no accents, as
    normalised words have none)."""
    if number < 20:
        return _UNITS[number]
    if number < 100:
        tens, units = divmod(number, 10)
        word = _TENS[tens][:-1] if units in (1, 8) else _TENS[tens]
        return word + ("" if units == 0 else _UNITS[units])
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        head = "cento" if hundreds == 1 else _UNITS[hundreds] + "cento"
        tail = number_to_words(rest) if rest else ""
        return (head[:-1] if tail.startswith("ott") else head) + tail  # "centotto"
    thousands, rest = divmod(number, 1000)
    head = "mille" if thousands == 1 else number_to_words(thousands) + "mila"
    return head + (number_to_words(rest) if rest else "")


# Italian writes a number as one word, so a table of every word up to 999 reads them all.
NUMBER_WORDS = {number_to_words(n): n for n in range(1000)}
NUMBER_WORDS.update({"un": 1, "una": 1, "luna": 1})  # "l'una", the hour


def words_to_number(words: list[str]) -> int | None:
    """['ventuno'] -> 21, ['3'] -> 3, ['mille', 'e', 'cinque'] -> None; one word, one number."""
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if len(words) == 1 and words[0] in NUMBER_WORDS:
        return NUMBER_WORDS[words[0]]
    return None


_DAY_PARTS = {
    "stasera": "NI", "questa sera": "NI", "stanotte": "NI", "questa notte": "NI",
    "in serata": "EV", "di sera": "EV", "stamattina": "MO", "questa mattina": "MO",
    "in mattinata": "MO", "oggi pomeriggio": "AF", "questo pomeriggio": "AF",
    "nel pomeriggio": "AF", "mezzogiorno": "12:00", "a mezzogiorno": "12:00",
    "mezzanotte": "00:00", "a mezzanotte": "00:00",
}
_PERIODS = {"di mattina": "am", "del mattino": "am", "di notte": "am", "della notte": "am",
            "del pomeriggio": "pm", "di pomeriggio": "pm", "di sera": "pm", "della sera": "pm"}
_ARTICLES = ("le", "alle", "verso", "per")


def parse_time(words: list[str], _original: list[str], _today: date) -> str | None:
    """'nove' -> '21:00', 'le otto e mezza di mattina' -> '08:30', 'mezzogiorno' -> '12:00',
    'alluna' -> '13:00', 'le nove meno un quarto' -> '20:45', 'stasera' -> 'NI'."""
    phrase = " ".join(words)
    if phrase in _DAY_PARTS:
        return _DAY_PARTS[phrase]
    rest = list(words)
    while rest and rest[0] in _ARTICLES:
        rest = rest[1:]
    if rest[:1] == ["alluna"]:
        rest = ["luna", *rest[1:]]
    meridiem = None
    tail = " ".join(rest[-2:])
    if len(rest) > 2 and tail in _PERIODS:
        meridiem, rest = _PERIODS[tail], rest[:-2]
    if not rest:
        return None
    if rest[0] in ("mezzogiorno", "mezzanotte"):
        hour = 12 if rest[0] == "mezzogiorno" else 0
        meridiem = "fixed"
    else:
        number = words_to_number(rest[:1])
        if number is None:
            return None
        hour = number
    minute, tail_words = 0, rest[1:]
    if tail_words in (["e", "mezza"], ["e", "mezzo"], ["e", "trenta"]):
        minute = 30
    elif tail_words in (["e", "un", "quarto"], ["e", "quarto"]):
        minute = 15
    elif tail_words in (["meno", "un", "quarto"], ["meno", "quarto"]):
        hour, minute = hour - 1, 45
    elif tail_words[:1] == ["e"] and words_to_number(tail_words[1:]) is not None:
        minute = words_to_number(tail_words[1:]) or 0
    elif tail_words[:1] == ["meno"] and words_to_number(tail_words[1:]) is not None:
        hour, minute = hour - 1, 60 - (words_to_number(tail_words[1:]) or 0)
    elif tail_words:
        return None
    if not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    return clock_time(hour, minute, meridiem)


def parse_date(words: list[str], _original: list[str], today: date) -> str | None:
    phrase = " ".join(words)
    if phrase in ("oggi", "stasera", "questa sera", "oggi pomeriggio", "stanotte"):
        return today.isoformat()
    if phrase in ("domani", "domani sera", "domani pomeriggio", "domani mattina",
                  "domani notte"):
        return (today + timedelta(days=1)).isoformat()
    if phrase == "dopodomani":
        return (today + timedelta(days=2)).isoformat()
    weekend = ("questo fine settimana", "il fine settimana", "nel fine settimana",
               "questo weekend", "nel weekend", "il weekend", "il prossimo fine settimana",
               "il prossimo weekend")
    if phrase in weekend:
        monday = today + timedelta(days=7 if "prossimo" in phrase else 0)
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}-WE"
    if phrase in ("la prossima settimana", "la settimana prossima", "settimana prossima"):
        year, week, _ = (today + timedelta(days=7)).isocalendar()
        return f"{year}-W{week:02d}"
    parts = [w for w in words if w not in ("il", "la", "questo", "questa", "prossimo",
                                           "prossima", "sera", "di", "pomeriggio")]
    if len(parts) == 1 and parts[0] in WEEKDAYS:
        ahead = (WEEKDAYS.index(parts[0]) - today.weekday()) % 7 or 7
        return (today + timedelta(days=ahead)).isoformat()
    return None


BUILT_IN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": ("si", "certo", "ok", "va bene", "certamente", "daccordo", "si grazie",
                         "volentieri", "esatto"),
    "AMAZON.NoIntent": ("no", "no grazie", "assolutamente no", "negativo"),
    "AMAZON.HelpIntent": ("aiuto", "cosa posso fare"),
    "AMAZON.StopIntent": ("stop", "basta", "fermati", "zitta", "silenzio"),
    "AMAZON.CancelIntent": ("annulla", "lascia perdere"),
    "AMAZON.RepeatIntent": ("ripeti", "ripetilo", "di nuovo", "cosa hai detto"),
    "AMAZON.PauseIntent": ("pausa", "aspetta"),
    "AMAZON.ResumeIntent": ("continua", "riprendi"),
    "AMAZON.StartOverIntent": ("ricomincia", "ricomincia da capo", "riavvia"),
    "AMAZON.NavigateHomeIntent": ("vai alla home", "home", "schermata iniziale"),
}

_LIGHT_WORDS = frozenset((
    "il", "lo", "la", "i", "gli", "le", "l", "un", "una", "uno", "di", "del", "della", "a", "al",
    "alla", "e", "o", "che", "in", "mi", "ti", "ci", "vi", "si", "per", "favore", "ora",
    "questo", "questa", "con", "da", "ho", "io", "noi", "tu",
))

LANGUAGE = Language(
    number_to_words=number_to_words, words_to_number=words_to_number,
    number_words=frozenset(NUMBER_WORDS) - {"luna"}, parse_time=parse_time,
    parse_date=parse_date, built_in_phrases=BUILT_IN_PHRASES, light_words=_LIGHT_WORDS,
    launch_words=("apri", "aprire", "avvia", "avviare", "inizia", "lancia", "usa", "attiva"),
    request_words=("chiedi a", "chiedi ad", "di a", "di ad", "dici a", "domanda a"),
    connectors=("di", "se", "che", "per", "quando"), and_word="e",
)
