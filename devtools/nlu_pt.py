"""Brazilian Portuguese for the console's NLU (devtools.nlu): numbers, times, dates, built-in
phrases.

Words arrive normalised: lower case, accents dropped ("às" -> "as", "amanhã" -> "amanha"),
hyphens split ("meia-noite" -> "meia noite"), digits spelled out as words.
"""
from __future__ import annotations

from datetime import date, timedelta

from devtools.nlu import Language, clock_time

_ONES = ("zero", "um", "dois", "tres", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez",
         "onze", "doze", "treze", "catorze", "quinze", "dezesseis", "dezessete", "dezoito",
         "dezenove")
_TENS = {"vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50, "sessenta": 60,
         "setenta": 70, "oitenta": 80, "noventa": 90}
_HUNDREDS = {"cem": 100, "cento": 100, "duzentos": 200, "duzentas": 200, "trezentos": 300,
             "trezentas": 300, "quatrocentos": 400, "quatrocentas": 400, "quinhentos": 500,
             "quinhentas": 500, "seiscentos": 600, "seiscentas": 600, "setecentos": 700,
             "setecentas": 700, "oitocentos": 800, "oitocentas": 800, "novecentos": 900,
             "novecentas": 900}
NUMBER_WORDS = {word: value for value, word in enumerate(_ONES)}
NUMBER_WORDS.update({"uma": 1, "duas": 2, "quatorze": 14, **_TENS})
WEEKDAYS = ("segunda", "terca", "quarta", "quinta", "sexta", "sabado", "domingo")


def number_to_words(number: int) -> str:
    """3 -> 'tres', 45 -> 'quarenta e cinco', 188 -> 'cento e oitenta e oito'."""
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        word = next(w for w, v in _TENS.items() if v == tens * 10)
        return word + ("" if ones == 0 else " e " + _ONES[ones])
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        if hundreds == 1:
            head = "cem" if rest == 0 else "cento"
        else:
            head = next(w for w, v in _HUNDREDS.items() if v == hundreds * 100)
        return head + ("" if rest == 0 else " e " + number_to_words(rest))
    thousands, rest = divmod(number, 1000)
    head = "mil" if thousands == 1 else number_to_words(thousands) + " mil"
    if rest == 0:
        return head
    joiner = " e " if rest < 100 or rest % 100 == 0 else " "  # "mil e cem", "mil cento e um"
    return head + joiner + number_to_words(rest)


def words_to_number(words: list[str]) -> int | None:
    """['vinte', 'e', 'uma'] -> 21, ['cento', 'e', 'oitenta'] -> 180, ['tres'] -> 3; None if
    these are not one number ("tres quatro")."""
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    total, current, seen, after_e = 0, 0, False, False  # seen: a word of the current group
    thousands = False
    for word in words:
        if word == "e":
            if not (seen or thousands) or after_e:
                return None
            after_e = True
            continue
        if word == "mil":
            if after_e or thousands:
                return None
            total, current, seen, thousands = max(current, 1) * 1000, 0, False, True
            continue
        value = _HUNDREDS.get(word, NUMBER_WORDS.get(word))
        if value is None or (seen and not after_e):
            return None
        if current and (value >= 100 or (value >= 20 and current % 100)
                        or (value < 20 and current % 100 and current % 10)
                        or (value < 20 and 0 < current % 100 < 20)):
            return None
        current, seen, after_e = current + value, True, False
    return total + current if (seen or thousands) and not after_e else None


_DAY_PARTS = {
    "hoje a noite": "NI", "a noite": "NI", "de noite": "NI", "esta noite": "NI",
    "nesta noite": "NI", "hoje de noite": "NI", "de manha": "MO", "pela manha": "MO",
    "hoje de manha": "MO", "a tarde": "AF", "de tarde": "AF", "hoje a tarde": "AF",
    "meio dia": "12:00", "ao meio dia": "12:00", "meia noite": "00:00", "a meia noite": "00:00",
}
_PERIODS = {"da manha": "am", "de manha": "am", "da madrugada": "am", "da tarde": "pm",
            "de tarde": "pm", "da noite": "pm", "de noite": "pm", "a noite": "pm"}


def _hour_prefix(words: list[str]) -> tuple[int, int] | None:
    """The hour a time starts with and how many words it takes: ['vinte', 'e', 'uma', ...]."""
    for size in (3, 1):
        if len(words) >= size:
            value = words_to_number(words[:size])
            if value is not None and 0 <= value <= 23:
                return value, size
    return None


def parse_time(words: list[str], _original: list[str], _today: date) -> str | None:
    """'nove' -> '21:00', 'as oito e meia da manha' -> '08:30', 'meio dia' -> '12:00',
    'vinte e uma horas' -> '21:00', 'quinze para as dez' -> '21:45', 'hoje a noite' -> 'NI'."""
    phrase = " ".join(words)
    if phrase in _DAY_PARTS:
        return _DAY_PARTS[phrase]
    rest = list(words)
    before = 0
    if "para" in rest[1:4] and rest[0] != "para":  # "quinze para as dez": minutes before
        cut = rest.index("para")
        before = words_to_number(rest[:cut]) or 0
        if not before:
            return None
        rest = rest[cut + 1:]
    if rest[:1] in (["as"], ["a"], ["ao"], ["lá"], ["umas"]):
        rest = rest[1:]
    meridiem = None
    tail = " ".join(rest[-2:])
    if len(rest) > 2 and tail in _PERIODS:
        meridiem, rest = _PERIODS[tail], rest[:-2]
    if rest[-2:] == ["em", "ponto"]:
        rest = rest[:-2]
    if rest[:2] in (["meio", "dia"], ["meia", "noite"]):
        hour, size, meridiem = (12 if rest[0] == "meio" else 0), 2, "fixed"
    else:
        found = _hour_prefix(rest)
        if found is None:
            return None
        hour, size = found
    tail_words = [w for w in rest[size:] if w not in ("hora", "horas")]
    minute = 0
    if tail_words == ["e", "meia"]:
        minute = 30
    elif tail_words in (["e", "um", "quarto"], ["e", "quinze"]):
        minute = 15
    elif tail_words[:1] == ["e"] and words_to_number(tail_words[1:]) is not None:
        minute = words_to_number(tail_words[1:]) or 0
    elif tail_words:
        return None
    if before:
        hour, minute = hour - 1, 60 - before
    if not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    return clock_time(hour, minute, meridiem)


def parse_date(words: list[str], _original: list[str], today: date) -> str | None:
    phrase = " ".join(words)
    if phrase in ("hoje", "hoje a noite", "hoje de noite", "esta noite", "nesta noite",
                  "hoje a tarde"):
        return today.isoformat()
    if phrase in ("amanha", "amanha a noite", "amanha de noite", "amanha a tarde",
                  "amanha de manha"):
        return (today + timedelta(days=1)).isoformat()
    if phrase == "depois de amanha":
        return (today + timedelta(days=2)).isoformat()
    if phrase in ("este fim de semana", "neste fim de semana", "no fim de semana",
                  "o fim de semana", "no proximo fim de semana", "o proximo fim de semana"):
        monday = today + timedelta(days=7 if "proximo" in phrase else 0)
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}-WE"
    if phrase in ("semana que vem", "na semana que vem", "a proxima semana",
                  "na proxima semana"):
        year, week, _ = (today + timedelta(days=7)).isocalendar()
        return f"{year}-W{week:02d}"
    parts = [w for w in words if w not in ("na", "no", "a", "o", "proxima", "proximo", "que",
                                           "vem", "feira", "noite", "de", "esta", "este")]
    if len(parts) == 1 and parts[0] in WEEKDAYS:
        ahead = (WEEKDAYS.index(parts[0]) - today.weekday()) % 7 or 7
        return (today + timedelta(days=ahead)).isoformat()
    return None


BUILT_IN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": ("sim", "claro", "ok", "ta bom", "beleza", "pode", "com certeza",
                         "certo"),
    "AMAZON.NoIntent": ("nao", "nao obrigado", "negativo", "de jeito nenhum"),
    "AMAZON.HelpIntent": ("ajuda", "o que posso fazer"),
    "AMAZON.StopIntent": ("parar", "pare", "para", "chega", "silencio"),
    "AMAZON.CancelIntent": ("cancelar", "cancela", "esquece"),
    "AMAZON.RepeatIntent": ("repete", "repita", "de novo", "o que voce disse"),
    "AMAZON.PauseIntent": ("pausa", "pausar", "espera"),
    "AMAZON.ResumeIntent": ("continuar", "continua", "retomar"),
    "AMAZON.StartOverIntent": ("comecar de novo", "recomecar", "reiniciar"),
    "AMAZON.NavigateHomeIntent": ("vai para o inicio", "inicio", "tela inicial"),
}

_LIGHT_WORDS = frozenset((
    "o", "a", "os", "as", "um", "uma", "de", "do", "da", "dos", "das", "e", "ou", "que", "em",
    "no", "na", "me", "te", "se", "nos", "por", "favor", "para", "pra", "isso", "esse", "essa",
    "este", "esta", "com", "eu", "voce", "gente", "ja",
))

LANGUAGE = Language(
    number_to_words=number_to_words, words_to_number=words_to_number,
    number_words=frozenset(NUMBER_WORDS), parse_time=parse_time, parse_date=parse_date,
    built_in_phrases=BUILT_IN_PHRASES, light_words=_LIGHT_WORDS,
    launch_words=("abra", "abre", "abrir", "inicie", "inicia", "iniciar", "comece", "comecar",
                  "use", "usar", "ative", "ativa"),
    request_words=("peca para", "pede para", "peca pra", "pede pra", "peca a", "peca ao",
                   "pergunte a", "pergunte ao", "pergunte para", "pergunta para", "pergunta a",
                   "diga para", "diga a", "diga ao", "fala para", "fale para"),
    connectors=("que", "se", "para", "pra", "sobre"), and_word="e",
)
