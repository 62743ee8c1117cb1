"""Italian: "1 minuto" and "2 minuti", "la seconda domanda", "alle 21", "il primo dicembre".

Ordinals are words, never <say-as interpret-as="ordinal">: an Italian ordinal agrees with its
noun ("la seconda domanda", "il secondo turno"). Clock times are said on the 24-hour clock, as
Italians plan an evening ("alle 21", "alle 20 e 30", "all'una"). Prompts write the plain
preposition before an article ("a {time}", "scrivi a {name}") and `polish` joins them the way
Italian must ("a le 21" -> "alle 21", "a l'una" -> "all'una", "a la linea" -> "alla linea").
"""
from __future__ import annotations

import re

CLOCK_KEYS = ("clock.hour", "clock.hour.one", "clock.minutes", "clock.noon", "clock.midnight")

_UNITS = ("zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove",
          "dieci", "undici", "dodici", "tredici", "quattordici", "quindici", "sedici",
          "diciassette", "diciotto", "diciannove")
_TENS = ("", "", "venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta",
         "novanta")
_FIRST_ORDINALS = ("", "prim", "second", "terz", "quart", "quint", "sest", "settim", "ottav",
                   "non", "decim")


def plural(n: int) -> str:
    return "one" if n == 1 else "other"


def cardinal(n: int) -> str:
    """21 -> 'ventuno', 38 -> 'trentotto', 123 -> 'centoventitré', 2000 -> 'duemila'."""
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, units = divmod(n, 10)
        word = _TENS[tens]
        if units in (1, 8):
            word = word[:-1]  # "ventuno", "ventotto": the vowels meet and one goes
        return word + ("" if units == 0 else "tré" if units == 3 else _UNITS[units])
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "cento" if hundreds == 1 else _UNITS[hundreds] + "cento"
        tail = cardinal(rest) if rest else ""
        return (head[:-1] if tail.startswith("ott") else head) + tail  # "centottanta"
    thousands, rest = divmod(n, 1000)
    head = "mille" if thousands == 1 else cardinal(thousands) + "mila"
    return head + (cardinal(rest) if rest else "")


def ordinal_stem(n: int) -> str:
    """The ordinal without its ending: 2 -> 'second', 12 -> 'dodicesim', 23 -> 'ventitreesim'."""
    if n <= 10:
        return _FIRST_ORDINALS[n]
    word = cardinal(n)
    if word.endswith("tré"):
        return word[:-1] + "eesim"  # "ventitreesimo"
    if word.endswith("sei"):
        return word + "esim"  # "ventiseiesimo"
    return word[:-1] + "esim"  # "undicesimo", "ventesimo", "centesimo"


def number(n: int, form: str = "") -> str:
    """'of' -> 'seconda', 'o'/'om' -> 'secondo'; 'date' -> 'primo' for the 1st (as Italians
    say it: "il primo dicembre"), else the number ("il 5 dicembre")."""
    n = int(n)
    if form == "date":
        return "primo" if n == 1 else str(n)
    if form in ("o", "of", "om") and n > 0:
        return ordinal_stem(n) + ("a" if form == "of" else "o")
    return str(n)


def clock_time(hour: int, minute: int, texts: dict[str, list[str]]) -> str:
    """'21:00' -> 'le 21', '20:30' -> 'le 20 e 30', '01:00' -> "l'una", '12:00' ->
    'mezzogiorno', '00:15' -> 'mezzanotte e 15'. The preposition is the prompt's ("a {time}")."""
    if hour == 0:
        time = texts["clock.midnight"][0]
    elif hour == 12 and minute == 0:
        time = texts["clock.noon"][0]
    elif hour == 1:
        time = texts["clock.hour.one"][0]
    else:
        time = texts["clock.hour"][0].format(hour=hour)
    if minute:
        time = texts["clock.minutes"][0].format(time=time, minute=minute)
    return time


# An apostrophe as prompts write it, as SSML escapes it in a value, or typographic.
_APOSTROPHE = r"(?:'|&apos;|\u2019)"
_NOT_AFTER_WORD = r"(?<![\w'\u2019;])"  # also not right after an apostrophe or an entity
# "a", "di", "da", "in" and "su" before a definite article become one word.
_ARTICLES = ("il", "lo", "la", "i", "gli", "le", "l")
_JOINED = {
    "a": ("al", "allo", "alla", "ai", "agli", "alle", "all"),
    "di": ("del", "dello", "della", "dei", "degli", "delle", "dell"),
    "da": ("dal", "dallo", "dalla", "dai", "dagli", "dalle", "dall"),
    "in": ("nel", "nello", "nella", "nei", "negli", "nelle", "nell"),
    "su": ("sul", "sullo", "sulla", "sui", "sugli", "sulle", "sull"),
}
_PREPOSITION_ARTICLE = re.compile(
    rf"{_NOT_AFTER_WORD}(a|di|da|in|su) (?:(il|lo|la|i|gli|le) (?=\S)|l({_APOSTROPHE})(?=\w))")
# "il" before a day said with a vowel: "l'8 dicembre", "l'11 dicembre".
_IL_BEFORE_VOWEL_NUMBER = re.compile(r"\b([Ii])l (?=(?:8|11)\b)")
# The euphonic d, before the same vowel only: "Sam ed Elena", "tocca ad Anna".
_E_BEFORE_E = re.compile(rf"{_NOT_AFTER_WORD}([Ee]) (?=[EeÈèÉé])")
_A_BEFORE_A = re.compile(rf"{_NOT_AFTER_WORD}([Aa]) (?=[AaÀà])")


def _join(match: re.Match[str]) -> str:
    preposition, article, apostrophe = match.group(1), match.group(2), match.group(3)
    joined = _JOINED[preposition][_ARTICLES.index(article or "l")]
    return joined + (apostrophe or " ")


def polish(text: str) -> str:
    """'a le 21' -> 'alle 21', "a l'una" -> "all'una", 'il 8 marzo' -> "l'8 marzo",
    'Sam e Elena' -> 'Sam ed Elena'."""
    text = _PREPOSITION_ARTICLE.sub(_join, text)
    text = _IL_BEFORE_VOWEL_NUMBER.sub(lambda m: ("L" if m.group(1) == "I" else "l") + "'", text)
    text = _E_BEFORE_E.sub(lambda m: m.group(1) + "d ", text)
    return _A_BEFORE_A.sub(lambda m: m.group(1) + "d ", text)
