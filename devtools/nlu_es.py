"""Spanish for the console's NLU (devtools.nlu): numbers, times, dates, built-in phrases.

Words arrive normalised: lower case, accents dropped ("mañana" -> "manana"), digits spelled.
"""
from __future__ import annotations

from datetime import date, timedelta

from devtools.nlu import Language, clock_time

_ONES = ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
         "diez", "once", "doce", "trece", "catorce", "quince", "dieciseis", "diecisiete",
         "dieciocho", "diecinueve", "veinte", "veintiuno", "veintidos", "veintitres",
         "veinticuatro", "veinticinco", "veintiseis", "veintisiete", "veintiocho", "veintinueve")
_TENS = {"treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
         "ochenta": 80, "noventa": 90}
_HUNDREDS = {"cien": 100, "ciento": 100, "doscientos": 200, "trescientos": 300,
             "cuatrocientos": 400, "quinientos": 500, "seiscientos": 600, "setecientos": 700,
             "ochocientos": 800, "novecientos": 900}
NUMBER_WORDS = {word: value for value, word in enumerate(_ONES)}
NUMBER_WORDS.update({"un": 1, "una": 1, "veintiun": 21, "veintiuna": 21, **_TENS})
WEEKDAYS = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")


def number_to_words(number: int) -> str:
    """3 -> 'tres', 45 -> 'cuarenta y cinco', 2000 -> 'dos mil'."""
    if number < 30:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        word = next(w for w, v in _TENS.items() if v == tens * 10)
        return word + ("" if ones == 0 else " y " + _ONES[ones])
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        if hundreds == 1:
            head = "cien" if rest == 0 else "ciento"
        else:
            head = next(w for w, v in _HUNDREDS.items() if v == hundreds * 100)
        return head + ("" if rest == 0 else " " + number_to_words(rest))
    thousands, rest = divmod(number, 1000)
    head = "mil" if thousands == 1 else number_to_words(thousands) + " mil"
    return head + ("" if rest == 0 else " " + number_to_words(rest))


def words_to_number(words: list[str]) -> int | None:
    """['treinta', 'y', 'cinco'] -> 35, ['tres'] -> 3; None if these are not one number."""
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    total, current, seen, after_y = 0, 0, False, False
    for word in words:
        if word == "y" and seen and current % 10 == 0 and current % 100 >= 20:
            after_y = True
            continue
        if word == "mil":
            total, current, seen = total + max(current, 1) * 1000, 0, True
            continue
        if word in _HUNDREDS:
            if current:
                return None
            current, seen = _HUNDREDS[word], True
            continue
        if word not in NUMBER_WORDS:
            return None
        value = NUMBER_WORDS[word]
        if seen and current % 100 and not after_y:
            return None  # "tres cuatro" is two numbers
        if after_y and value >= 10:
            return None
        current, seen, after_y = current + value, True, False
    return total + current if seen and not after_y else None


_DAY_PARTS = {
    "esta manana": "MO", "por la manana": "MO", "en la manana": "MO",
    "esta tarde": "AF", "por la tarde": "AF", "en la tarde": "AF",
    "esta noche": "NI", "por la noche": "NI", "en la noche": "NI", "noche": "NI",
    "mediodia": "12:00", "el mediodia": "12:00", "medianoche": "00:00",
    "la medianoche": "00:00",
}
_PERIODS = {"de la manana": "am", "de la madrugada": "am", "de la tarde": "pm",
            "de la noche": "pm", "por la manana": "am", "por la tarde": "pm",
            "por la noche": "pm", "en la manana": "am", "en la tarde": "pm", "en la noche": "pm"}


def parse_time(words: list[str], _original: list[str], _today: date) -> str | None:
    """'nueve' -> '21:00', 'las ocho y media de la manana' -> '08:30', 'mediodia' -> '12:00',
    'cuarto para las diez' -> '21:45', 'esta noche' -> 'NI'."""
    phrase = " ".join(words)
    if phrase in _DAY_PARTS:
        return _DAY_PARTS[phrase]
    rest = list(words)
    before_quarter = rest[:2] == ["cuarto", "para"] or rest[:3] == ["un", "cuarto", "para"]
    if before_quarter:
        rest = rest[rest.index("para") + 1:]
    if rest[:1] in (["las"], ["la"]):
        rest = rest[1:]
    meridiem = None
    for length in (3,):
        tail = " ".join(rest[-length:])
        if len(rest) > length and tail in _PERIODS:
            meridiem, rest = _PERIODS[tail], rest[:-length]
    if rest[-2:] == ["en", "punto"]:
        rest = rest[:-2]
    if len(rest) == 1 and ":" in rest[0]:
        try:
            hour, minute = (int(part) for part in rest[0].split(":"))
        except ValueError:
            return None
    else:
        if not rest or rest[0] not in NUMBER_WORDS:
            return None
        hour, minute = NUMBER_WORDS[rest[0]], 0
        tail = rest[1:]
        if tail in (["y", "media"],):
            minute = 30
        elif tail in (["y", "cuarto"],):
            minute = 15
        elif tail in (["menos", "cuarto"],):
            hour, minute = hour - 1, 45
        elif tail[:1] == ["y"] and words_to_number(tail[1:]) is not None:
            minute = words_to_number(tail[1:]) or 0
        elif tail[:1] == ["menos"] and words_to_number(tail[1:]) is not None:
            hour, minute = hour - 1, 60 - (words_to_number(tail[1:]) or 0)
        elif tail:
            return None
    if before_quarter:
        hour, minute = hour - 1, 45
    if not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    return clock_time(hour, minute, meridiem)


def parse_date(words: list[str], _original: list[str], today: date) -> str | None:
    phrase = " ".join(words)
    if phrase in ("hoy", "esta noche", "hoy en la noche", "hoy por la noche"):
        return today.isoformat()
    if phrase in ("manana", "manana por la noche", "manana en la noche", "manana por la tarde"):
        return (today + timedelta(days=1)).isoformat()
    if phrase == "pasado manana":
        return (today + timedelta(days=2)).isoformat()
    if phrase in ("este fin de semana", "el fin de semana", "el proximo fin de semana"):
        monday = today + timedelta(days=7 if "proximo" in phrase else 0)
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}-WE"
    if phrase in ("la proxima semana", "la semana que viene", "la semana proxima"):
        year, week, _ = (today + timedelta(days=7)).isocalendar()
        return f"{year}-W{week:02d}"
    parts = [w for w in words if w not in ("el", "este", "proximo", "que", "viene", "noche",
                                           "por", "la", "en")]
    if len(parts) == 1 and parts[0] in WEEKDAYS:
        ahead = (WEEKDAYS.index(parts[0]) - today.weekday()) % 7 or 7
        return (today + timedelta(days=ahead)).isoformat()
    return None


BUILT_IN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": ("si", "claro", "ok", "de acuerdo", "por supuesto", "si claro",
                         "vale", "sale", "okey"),
    "AMAZON.NoIntent": ("no", "no gracias", "para nada", "negativo"),
    "AMAZON.HelpIntent": ("ayuda", "ayudame con esto", "que puedo hacer"),
    "AMAZON.StopIntent": ("para", "stop", "alto", "callate", "silencio", "detente"),
    "AMAZON.CancelIntent": ("cancela", "cancelar", "olvidalo"),
    "AMAZON.RepeatIntent": ("repite", "repitelo", "otra vez", "que dijiste"),
    "AMAZON.PauseIntent": ("pausa", "espera"),
    "AMAZON.ResumeIntent": ("continua", "sigue", "reanuda"),
    "AMAZON.StartOverIntent": ("empieza de nuevo", "reinicia", "vuelve a empezar"),
    "AMAZON.NavigateHomeIntent": ("ve al inicio", "inicio", "pantalla de inicio"),
}

_LIGHT_WORDS = frozenset((
    "el", "la", "los", "las", "un", "una", "de", "del", "a", "al", "y", "o", "que", "en", "es",
    "me", "mi", "te", "tu", "nos", "nuestro", "nuestra", "por", "favor", "ya", "lo", "le", "se",
    "esta", "este", "eso", "esto", "con", "para",
))

LANGUAGE = Language(
    number_to_words=number_to_words, words_to_number=words_to_number,
    number_words=frozenset(NUMBER_WORDS), parse_time=parse_time, parse_date=parse_date,
    built_in_phrases=BUILT_IN_PHRASES, light_words=_LIGHT_WORDS,
    launch_words=("abre", "abrir", "inicia", "iniciar", "empieza", "comienza", "lanza", "pon",
                  "ejecuta", "usa"),
    request_words=("pide a", "pidele a", "dile a", "di a", "pregunta a", "preguntale a"),
    connectors=("que", "si", "por", "sobre"), and_word="y",
)
