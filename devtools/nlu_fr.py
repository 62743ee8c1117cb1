"""French for the console's NLU (devtools.nlu): numbers, times, dates, built-in phrases.

Words arrive normalised: lower case, accents and apostrophes dropped ("j'ai" -> "jai",
"après-midi" -> "apres midi"), digits spelled. Numbers are read from a table of every spelling
up to 999 ("soixante et onze", "quatre vingt dix sept"). Times are heard on the 24-hour clock
("vingt et une heures trente", as in France) and on the 12-hour clock with the part of the day
("neuf heures du soir", "huit heures et demie", "dix heures moins quart", as in Quebec);
"la fin de semaine" is Quebec's weekend.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from devtools.nlu import Language, clock_time

_ONES = ("zero", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
         "onze", "douze", "treize", "quatorze", "quinze", "seize")
_TENS = ("", "dix", "vingt", "trente", "quarante", "cinquante", "soixante")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def number_to_words(number: int) -> str:
    """3 -> 'trois', 21 -> 'vingt et un', 97 -> 'quatre vingt dix sept' (normalised spelling:
    hyphens are spaces, as a spoken number arrives)."""
    if number <= 16:
        return _ONES[number]
    if number < 20:
        return "dix " + _ONES[number - 10]
    if number < 100:
        tens, ones = divmod(number, 10)
        if tens in (7, 9):
            tens, ones = tens - 1, ones + 10
        head = "quatre vingt" if tens == 8 else _TENS[tens]
        if ones == 0:
            return head + ("s" if tens == 8 else "")
        joiner = " et " if ones in (1, 11) and tens != 8 else " "
        return head + joiner + number_to_words(ones)
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        head = "cent" if hundreds == 1 else _ONES[hundreds] + (" cent" if rest else " cents")
        return head + (" " + number_to_words(rest) if rest else "")
    thousands, rest = divmod(number, 1000)
    head = "mille" if thousands == 1 else number_to_words(thousands).removesuffix("s") + " mille"
    return head + (" " + number_to_words(rest) if rest else "")


def _spellings() -> dict[str, int]:
    table: dict[str, int] = {}
    for n in range(1000):
        words = number_to_words(n)
        table[words] = n
        table.setdefault(words.replace("vingts", "vingt").replace("cents", "cent"), n)
        if words.endswith(" un") or words == "un":  # "vingt et une heures", "une minute"
            table.setdefault(words[:-2] + "une", n)
    return table


NUMBER_WORDS = _spellings()
_SINGLE_WORDS = frozenset(w for phrase in NUMBER_WORDS for w in phrase.split())


def words_to_number(words: list[str]) -> int | None:
    """['vingt', 'et', 'un'] -> 21, ['trois'] -> 3, ['deux', 'mille'] -> 2000; None if these
    are not one number ('trois quatre')."""
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if not words or any(w.isdigit() for w in words):
        return None
    if "mille" in words:
        at = words.index("mille")
        thousands = words_to_number(words[:at]) if at else 1
        rest = words_to_number(words[at + 1:]) if words[at + 1:] else 0
        if thousands is None or rest is None:
            return None
        return thousands * 1000 + rest
    return NUMBER_WORDS.get(" ".join(words))


_DAY_PARTS = {
    "ce soir": "NI", "a soir": "NI", "cette nuit": "NI", "la nuit": "NI",
    "dans la soiree": "EV", "en soiree": "EV", "cette soiree": "EV", "le soir": "EV",
    "soir": "EV", "ce matin": "MO", "le matin": "MO", "dans la matinee": "MO",
    "en matinee": "MO", "cet apres midi": "AF", "lapres midi": "AF", "dans lapres midi": "AF",
    "en apres midi": "AF", "midi": "12:00", "a midi": "12:00", "minuit": "00:00",
    "a minuit": "00:00",
}
_PERIODS = {"du matin": "am", "de la nuit": "am", "ce matin": "am", "de lapres midi": "pm",
            "cet apres midi": "pm", "du soir": "pm", "ce soir": "pm", "a soir": "pm"}
_TYPED = re.compile(r"^(\d{1,2})h(\d{2})?$")  # "21h", "21h30", as typed at the console


def _hour_and_minute(rest: list[str]) -> tuple[int, int] | None:
    """The clock words without a period: 'vingt heures trente', 'neuf heures moins le quart'."""
    if len(rest) == 1:
        typed = _TYPED.match(rest[0])
        if typed:
            return int(typed.group(1)), int(typed.group(2) or 0)
        if ":" in rest[0]:
            try:
                hour, minute = (int(part) for part in rest[0].split(":"))
            except ValueError:
                return None
            return hour, minute
    if rest[:1] in (["midi"], ["minuit"]):
        hour, tail = (12 if rest[0] == "midi" else 0), rest[1:]
    elif "heures" in rest or "heure" in rest or "h" in rest:
        at = next(i for i, w in enumerate(rest) if w in ("heures", "heure", "h"))
        hour, tail = words_to_number(rest[:at]), rest[at + 1:]  # type: ignore[assignment]
        if hour is None:
            return None
    else:
        hour, tail = words_to_number(rest), []  # type: ignore[assignment]
        if hour is None:
            return None
    if not tail:
        return hour, 0
    if tail in (["et", "demie"], ["et", "demi"]):
        return hour, 30
    if tail == ["et", "quart"]:
        return hour, 15
    if tail in (["moins", "le", "quart"], ["moins", "quart"]):
        return hour - 1, 45
    if tail[:1] == ["moins"]:
        minutes = words_to_number(tail[1:])
        return None if minutes is None else (hour - 1, 60 - minutes)
    minutes = words_to_number(tail)
    return None if minutes is None else (hour, minutes)


def parse_time(words: list[str], _original: list[str], _today: date) -> str | None:
    """'vingt et une heures' -> '21:00', 'huit heures et demie du matin' -> '08:30',
    'neuf heures' -> '21:00', 'dix heures moins quart' -> '21:45', 'ce soir' -> 'NI'."""
    phrase = " ".join(words)
    if phrase in _DAY_PARTS:
        return _DAY_PARTS[phrase]
    rest = list(words)
    if rest[:1] == ["vers"]:
        rest = rest[1:]
    meridiem = None
    for length in (3, 2):
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
    return clock_time(hour, minute, meridiem)


def parse_date(words: list[str], _original: list[str], today: date) -> str | None:
    phrase = " ".join(words)
    if phrase in ("aujourdhui", "ce soir", "a soir", "cette nuit", "plus tard aujourdhui"):
        return today.isoformat()
    if phrase in ("demain", "demain soir", "demain matin", "demain apres midi"):
        return (today + timedelta(days=1)).isoformat()
    if phrase in ("apres demain", "apres demain soir"):
        return (today + timedelta(days=2)).isoformat()
    weekend = phrase.replace("weekend", "week end").replace("fin de semaine", "week end")
    if weekend in ("ce week end", "le week end", "cette week end", "la week end",
                   "le week end prochain", "la week end prochaine"):
        monday = today + timedelta(days=7 if "prochain" in weekend else 0)
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}-WE"
    if phrase in ("la semaine prochaine", "semaine prochaine"):
        year, week, _ = (today + timedelta(days=7)).isocalendar()
        return f"{year}-W{week:02d}"
    parts = [w for w in words if w not in ("ce", "le", "prochain", "soir", "qui", "vient")]
    if len(parts) == 1 and parts[0] in WEEKDAYS:  # "samedi", "samedi soir", "lundi prochain"
        ahead = (WEEKDAYS.index(parts[0]) - today.weekday()) % 7 or 7
        return (today + timedelta(days=ahead)).isoformat()
    return None


BUILT_IN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": ("oui", "ouais", "daccord", "ok", "okay", "bien sur", "volontiers",
                         "oui merci", "absolument", "tout a fait", "oui bien sur"),
    "AMAZON.NoIntent": ("non", "non merci", "pas du tout", "nan", "non pas maintenant"),
    "AMAZON.HelpIntent": ("aide", "aide moi", "que puis je dire", "quest ce que je peux dire"),
    "AMAZON.StopIntent": ("stop", "arrete", "arreter", "tais toi", "silence", "ca suffit"),
    "AMAZON.CancelIntent": ("annule", "annuler", "laisse tomber", "oublie"),
    "AMAZON.RepeatIntent": ("repete", "repeter", "encore", "pardon", "quas tu dit"),
    "AMAZON.PauseIntent": ("pause", "attends", "mets en pause"),
    "AMAZON.ResumeIntent": ("reprends", "continue", "reprendre", "continuer"),
    "AMAZON.StartOverIntent": ("recommence", "recommencer", "depuis le debut"),
    "AMAZON.NavigateHomeIntent": ("accueil", "retour a laccueil", "va a laccueil"),
}

_LIGHT_WORDS = frozenset((
    "le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "a", "au", "aux", "et", "ou",
    "que", "qu", "je", "j", "me", "m", "tu", "te", "t", "nous", "vous", "il", "elle", "on", "ce",
    "c", "est", "cest", "en", "y", "ne", "n", "pas", "si", "pour", "par", "avec", "sur", "mon",
    "ma", "mes", "ton", "ta", "tes", "notre", "nos", "votre", "vos", "ca", "sil", "plait",
))

LANGUAGE = Language(
    number_to_words=number_to_words, words_to_number=words_to_number,
    number_words=_SINGLE_WORDS, parse_time=parse_time, parse_date=parse_date,
    built_in_phrases=BUILT_IN_PHRASES, light_words=_LIGHT_WORDS,
    launch_words=("ouvre", "lance", "demarre", "commence", "active", "utilise", "joue"),
    request_words=("demande a", "dis a", "demande", "demander a"),
    connectors=("de", "que", "si", "pour", "d"), and_word="et",
)
