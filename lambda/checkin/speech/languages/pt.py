"""Brazilian Portuguese: "1 minuto" and "2 minutos", "a segunda pergunta", "às vinte e uma horas",
"no dia primeiro de dezembro".

Ordinals are words, never <say-as interpret-as="ordinal">: a Portuguese ordinal agrees with its
noun ("a segunda pergunta", "o segundo turno"). Clock times are said on the 24-hour clock, as in
Brazilian announcements and invitations ("às vinte e uma horas", "à uma e meia"); the hour is
written as a word because "hora" is feminine ("vinte e uma", "duas"), which a speech engine
reading "21" may miss. The contraction of "a" with the article ("às", "à", "ao") is part of
the clock words, since every prompt says a time after "at".
"""
from __future__ import annotations

CLOCK_KEYS = ("clock.hour", "clock.hour.one", "clock.hour_with_minutes",
              "clock.hour_with_minutes.one", "clock.minutes", "clock.half_past", "clock.noon",
              "clock.midnight")

_UNITS = ("zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez",
          "onze", "doze", "treze", "catorze", "quinze", "dezesseis", "dezessete", "dezoito",
          "dezenove")
_FEMININE = {"um": "uma", "dois": "duas"}
_TENS = ("", "", "vinte", "trinta", "quarenta", "cinquenta", "sessenta", "setenta", "oitenta",
         "noventa")
_ORDINAL_UNITS = ("", "primeir", "segund", "terceir", "quart", "quint", "sext", "sétim", "oitav",
                  "non")
_ORDINAL_TENS = ("", "décim", "vigésim", "trigésim", "quadragésim", "quinquagésim",
                 "sexagésim", "septuagésim", "octogésim", "nonagésim")
_ORDINAL_HUNDREDS = ("", "centésim", "ducentésim", "trecentésim", "quadringentésim",
                     "quingentésim", "sexcentésim", "septingentésim", "octingentésim",
                     "noningentésim")


def plural(n: int) -> str:
    # CLDR counts 0 as "one" in Brazilian Portuguese; the ".one" prompts say "um", so only 1 is.
    return "one" if n == 1 else "other"


def cardinal(n: int, feminine: bool = False) -> str:
    """21 -> 'vinte e um' ('vinte e uma' when feminine), 2 -> 'dois' ('duas')."""
    if n < 20:
        word = _UNITS[n]
        return _FEMININE.get(word, word) if feminine else word
    tens, units = divmod(n, 10)
    if n < 100:
        return _TENS[tens] + ("" if units == 0 else " e " + cardinal(units, feminine))
    hundreds, rest = divmod(n, 100)
    if n < 1000:
        if hundreds == 1:
            head = "cem" if rest == 0 else "cento"
        else:
            head = {2: "duzent", 3: "trezent", 5: "quinhent"}.get(
                hundreds, _UNITS[hundreds] + "cent") + ("as" if feminine else "os")
        return head + ("" if rest == 0 else " e " + cardinal(rest, feminine))
    thousands, rest = divmod(n, 1000)
    head = "mil" if thousands == 1 else cardinal(thousands, feminine) + " mil"
    if not rest:
        return head
    joiner = " e " if rest < 100 or rest % 100 == 0 else " "
    return head + joiner + cardinal(rest, feminine)


def ordinal(n: int, ending: str) -> str:
    """23, 'a' -> 'vigésima terceira'; 100, 'o' -> 'centésimo'."""
    parts = []
    hundreds, rest = divmod(n % 1000, 100)
    tens, units = divmod(rest, 10)
    for stems, index in ((_ORDINAL_HUNDREDS, hundreds), (_ORDINAL_TENS, tens),
                         (_ORDINAL_UNITS, units)):
        if index:
            parts.append(stems[index] + ending)
    return " ".join(parts)


def number(n: int, form: str = "") -> str:
    """'of' -> 'segunda', 'o'/'om' -> 'segundo'; 'date' -> 'primeiro' for the 1st (as
    Brazilians say it: "dia primeiro de dezembro"), else the number ("dia 5 de dezembro")."""
    n = int(n)
    if form == "date":
        return "primeiro" if n == 1 else str(n)
    if form in ("o", "of", "om") and 0 < n < 1000:
        return ordinal(n, "a" if form == "of" else "o")
    return str(n)


def clock_time(hour: int, minute: int, texts: dict[str, list[str]]) -> str:
    """'21:00' -> 'às vinte e uma horas', '20:30' -> 'às vinte e meia', '13:15' -> 'às treze e
    15', '01:00' -> 'à uma hora', '12:00' -> 'ao meio-dia', '00:10' -> 'à meia-noite e 10'."""
    if hour in (0, 12):
        time = texts["clock.midnight" if hour == 0 else "clock.noon"][0]
    elif not minute:
        key = "clock.hour.one" if hour == 1 else "clock.hour"
        return texts[key][0].format(hour=cardinal(hour, feminine=True))
    else:
        key = "clock.hour_with_minutes.one" if hour == 1 else "clock.hour_with_minutes"
        time = texts[key][0].format(hour=cardinal(hour, feminine=True))
    if not minute:
        return time
    key = "clock.half_past" if minute == 30 else "clock.minutes"
    return texts[key][0].format(time=time, minute=minute)


def polish(text: str) -> str:
    return text
