"""Italian (it-IT) and Brazilian Portuguese (pt-BR): what their grammar modules must get right,
as a couple would hear it, and the screen's buttons as words each model understands.

The parity checks every locale shares (keys, placeholders, samples, SSML, stop-list) are in
test_locales.py.
"""
from __future__ import annotations

import re

import pytest

from checkin.alexa.apl import BUTTON_INTENTS
from checkin.ritual import screens
from checkin.ritual.reply import ClockTime, Duration, Ordinal, Partner, Reply, Say, TimeOnDay
from checkin.speech.languages import it, pt
from checkin.speech.prompts import prompts
from checkin.speech.render import Voice
from devtools import nlu, ssml_text

ITALIAN_AND_PORTUGUESE = ("it-IT", "pt-BR")


def _spoken(locale: str, key: str, names: tuple[str, str] = ("Sam", "Alex"), zone: str = "",
            **params: object) -> str:
    speech = Voice(locale, names, time_zone=zone).render(Reply((Say.of(key, **params),))).speech
    return ssml_text.spoken_text(speech)


# --- clock times, dates, durations -------------------------------------------------------------

@pytest.mark.parametrize(("hour", "minute", "italian", "portuguese"), [
    (21, 0, "le 21", "às vinte e uma horas"),
    (22, 0, "le 22", "às vinte e duas horas"),
    (20, 30, "le 20 e 30", "às vinte e meia"),
    (13, 15, "le 13 e 15", "às treze e 15"),
    (1, 0, "l'una", "à uma hora"),
    (1, 30, "l'una e 30", "à uma e meia"),
    (12, 0, "mezzogiorno", "ao meio-dia"),
    (0, 0, "mezzanotte", "à meia-noite"),
    (0, 15, "mezzanotte e 15", "à meia-noite e 15"),
])
def test_clock_times_on_the_24_hour_clock(hour, minute, italian, portuguese):
    assert it.clock_time(hour, minute, prompts("it-IT")) == italian
    assert pt.clock_time(hour, minute, prompts("pt-BR")) == portuguese


@pytest.mark.parametrize(("locale", "when", "heard"), [
    ("it-IT", TimeOnDay("21:00"), "Ve lo ricorderò alle 21."),
    ("it-IT", TimeOnDay("01:00"), "Ve lo ricorderò all'una."),
    ("it-IT", TimeOnDay("12:00", 1), "Ve lo ricorderò domani a mezzogiorno."),
    ("it-IT", TimeOnDay("20:30", 3, 5), "Ve lo ricorderò sabato alle 20 e 30."),
    ("it-IT", TimeOnDay("21:00", 9, 1, 12, 1), "Ve lo ricorderò il primo dicembre alle 21."),
    ("it-IT", TimeOnDay("21:00", 9, 1, 12, 8), "Ve lo ricorderò l'8 dicembre alle 21."),
    ("it-IT", TimeOnDay("21:00", 9, 1, 3, 11), "Ve lo ricorderò l'11 marzo alle 21."),
    ("it-IT", TimeOnDay("21:00", 9, 1, 3, 12), "Ve lo ricorderò il 12 marzo alle 21."),
    ("pt-BR", TimeOnDay("21:00"), "Vou lembrar vocês às vinte e uma horas."),
    ("pt-BR", TimeOnDay("01:00", 1), "Vou lembrar vocês amanhã à uma hora."),
    ("pt-BR", TimeOnDay("20:30", 3, 0), "Vou lembrar vocês na segunda-feira às vinte e meia."),
    ("pt-BR", TimeOnDay("21:00", 3, 6), "Vou lembrar vocês no domingo às vinte e uma horas."),
    ("pt-BR", TimeOnDay("21:00", 9, 1, 12, 1),
     "Vou lembrar vocês no dia primeiro de dezembro às vinte e uma horas."),
    ("pt-BR", TimeOnDay("12:00", 9, 1, 12, 5),
     "Vou lembrar vocês no dia 5 de dezembro ao meio-dia."),
])
def test_a_reminder_is_said_with_its_day_and_time(locale, when, heard):
    assert _spoken(locale, "remind.set_once", time=when).endswith(heard)


@pytest.mark.parametrize(("locale", "time", "heard"), [
    ("it-IT", "21:00", "ogni sera alle 21"), ("it-IT", "01:00", "ogni sera all'una"),
    ("pt-BR", "21:00", "todas as noites às vinte e uma horas"),
])
def test_a_nightly_reminder_joins_at_with_the_hour(locale, time, heard):
    assert heard in _spoken(locale, "remind.set_daily", time=ClockTime(time))


@pytest.mark.parametrize(("locale", "one", "three", "about"), [
    ("it-IT", "un minuto", "3 minuti", "circa 4 minuti"),
    ("pt-BR", "um minuto", "3 minutos", "cerca de 4 minutos"),
])
def test_durations_take_the_languages_plural(locale, one, three, about):
    assert one in _spoken(locale, "length.set", minutes=Duration(60))
    assert three in _spoken(locale, "length.set", minutes=Duration(180))
    assert about in _spoken(locale, "close.summary", time=Duration(250))


@pytest.mark.parametrize(("n", "category"), [(0, "other"), (1, "one"), (2, "other"),
                                             (21, "other")])
def test_plural_categories(n, category):
    assert it.plural(n) == pt.plural(n) == category


# --- ordinals and numbers ------------------------------------------------------------------------

@pytest.mark.parametrize(("n", "feminine", "masculine"), [
    (1, "prima", "primo"), (2, "seconda", "secondo"), (3, "terza", "terzo"),
    (10, "decima", "decimo"), (11, "undicesima", "undicesimo"), (12, "dodicesima", "dodicesimo"),
    (21, "ventunesima", "ventunesimo"), (23, "ventitreesima", "ventitreesimo"),
    (26, "ventiseiesima", "ventiseiesimo"), (28, "ventottesima", "ventottesimo"),
    (100, "centesima", "centesimo"), (180, "centottantesima", "centottantesimo"),
])
def test_italian_ordinals_agree_with_their_noun(n, feminine, masculine):
    assert (it.number(n, "of"), it.number(n, "o")) == (feminine, masculine)


@pytest.mark.parametrize(("n", "feminine", "masculine"), [
    (1, "primeira", "primeiro"), (3, "terceira", "terceiro"), (10, "décima", "décimo"),
    (12, "décima segunda", "décimo segundo"), (21, "vigésima primeira", "vigésimo primeiro"),
    (100, "centésima", "centésimo"), (123, "centésima vigésima terceira",
                                      "centésimo vigésimo terceiro"),
])
def test_portuguese_ordinals_agree_with_their_noun(n, feminine, masculine):
    assert (pt.number(n, "of"), pt.number(n, "o")) == (feminine, masculine)


@pytest.mark.parametrize(("n", "masculine", "feminine"), [
    (1, "um", "uma"), (2, "dois", "duas"), (21, "vinte e um", "vinte e uma"),
    (22, "vinte e dois", "vinte e duas"), (200, "duzentos", "duzentas"),
    (1001, "mil e um", "mil e uma"), (1100, "mil e cem", "mil e cem"),
    (1234, "mil duzentos e trinta e quatro", "mil duzentas e trinta e quatro"),
])
def test_portuguese_numbers_agree_with_a_feminine_noun(n, masculine, feminine):
    assert (pt.cardinal(n), pt.cardinal(n, feminine=True)) == (masculine, feminine)


def test_ordinals_are_words_never_say_as():
    for grammar in (it, pt):
        assert "say-as" not in "".join(grammar.number(n, form) for n in range(1, 40)
                                       for form in ("o", "of", "om", "date"))
    assert "alla seconda domanda" in _spoken("it-IT", "resume.offer", question=Ordinal(2),
                                             speaker=Partner(1))
    assert "na segunda pergunta" in _spoken("pt-BR", "resume.offer", question=Ordinal(2),
                                            speaker=Partner(1))
    twelfth = _spoken("it-IT", "close.count", count=Ordinal(12))
    assert twelfth == "È la vostra dodicesima conversazione."
    twelfth = _spoken("pt-BR", "close.count", count=Ordinal(12))
    assert twelfth == "Esta é a décima segunda conversa de vocês."


# --- Italian's last touches ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "polished"), [
    ("a le 21", "alle 21"), ("a l'una", "all'una"), ("a l&apos;una", "all&apos;una"),
    ("scrivi a la linea", "scrivi alla linea"), ("di le cose", "delle cose"),
    ("su il tavolo", "sul tavolo"), ("il 8 dicembre", "l'8 dicembre"),
    ("Il 11 marzo", "L'11 marzo"), ("il 18 marzo", "il 18 marzo"),
    ("Ciao di nuovo, Sam e Elena.", "Ciao di nuovo, Sam ed Elena."),
    ("toccava a Anna", "toccava ad Anna"), ("Sam e Alex", "Sam e Alex"),
    ("di' a connessione di coppia", "di' a connessione di coppia"), ("e i suoi", "e i suoi"),
])
def test_italian_joins_prepositions_and_articles(text, polished):
    assert it.polish(text) == polished


def test_italian_names_are_joined_too():
    assert _spoken("it-IT", "welcome.back", ("Sam", "Elena"), one=Partner(0),
                   two=Partner(1)) == "Ciao di nuovo, Sam ed Elena."


# --- the safety answer ---------------------------------------------------------------------------

def test_telefono_amico_is_never_called_round_the_clock_in_either_language():
    italian = _spoken("it-IT", "safety", zone="Europe/Rome")
    crisis_sentence = next(s for s in re.split(r"(?<=\.)\s+", italian) if "Telefono Amico" in s)
    assert "24" not in crisis_sentence and "sempre" not in crisis_sentence
    assert "dalle dieci del mattino a mezzanotte" in italian
    assert "zero due, ventitré ventisette, ventitré ventisette" in italian
    portuguese = _spoken("pt-BR", "safety", zone="Europe/Rome")
    assert "das dez da manhã à meia-noite" in portuguese and "Telefono Amico" in portuguese


@pytest.mark.parametrize(("locale", "zone", "names"), [
    ("it-IT", "Europe/Rome", ("Telefono Amico", "la linea antiviolenza e stalking")),
    ("it-IT", "America/Sao_Paulo", ("il CVV", "la Central de Atendimento à Mulher")),
    ("it-IT", "America/New_York", ("alla linea per la prevenzione del suicidio",
                                   "la linea nazionale contro la violenza domestica")),
    ("pt-BR", "America/Sao_Paulo", ("o CVV", "a Central de Atendimento à Mulher")),
    ("pt-BR", "Europe/Madrid", ("a linha de atendimento para o risco de suicídio",
                                "a linha de atendimento à violência contra as mulheres")),
])
def test_every_line_is_named_in_the_households_language(locale, zone, names):
    heard = _spoken(locale, "safety", zone=zone)
    for name in names:
        assert name in heard


# --- the screen's buttons ------------------------------------------------------------------------

def _all_buttons() -> set[screens.Button]:
    found = {value for value in vars(screens).values() if isinstance(value, screens.Button)}
    return found | {button for buttons in screens.BUTTONS.values() for button in buttons}


@pytest.mark.parametrize("locale", ITALIAN_AND_PORTUGUESE)
def test_a_button_says_what_the_model_hears_as_that_button(locale):
    # A couple reading a button aloud is heard as touching it.
    understand = nlu.for_locale(locale)
    for button in _all_buttons():
        label = prompts(locale)[button.label][0]
        heard = understand.resolve(label, fuzzy=False).intent
        assert heard == BUTTON_INTENTS[button.event], f"{locale} {button.label}: {label!r}"
