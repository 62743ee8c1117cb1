"""What a couple in Italy or Brazil would really say, through the console's NLU and the locale's
generated model: the words the skill offers, times, dates, numbers and one-shot phrases."""
from __future__ import annotations

from datetime import date

import pytest

from devtools import nlu, nlu_it, nlu_pt

# A Thursday, so weekday names resolve to known dates.
TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(("utterance", "intent", "slots"), [
    ("sì", "AMAZON.YesIntent", {}),
    ("va bene", "AMAZON.YesIntent", {}),
    ("non ora", "AMAZON.NoIntent", {}),
    ("ho finito", "DoneIntent", {}),
    ("inizio", "DoneIntent", {}),
    ("più tempo", "MoreTimeIntent", {}),
    ("Alexa, basta così", "AMAZON.StopIntent", {}),
    ("non mi sento al sicuro", "SafetyIntent", {}),
    ("ho bisogno di aiuto", "NeedHelpIntent", {}),
    ("turni di 3 minuti", "SetTurnLengthIntent", {"minutes": "3"}),
    ("fai i turni di quattro minuti", "SetTurnLengthIntent", {"minutes": "4"}),
    ("turni più corti", "SetTurnLengthIntent", {"change": "più corti"}),
    ("alle nove", "WhenIntent", {"time": "21:00"}),
    ("alle otto e mezza di mattina", "WhenIntent", {"time": "08:30"}),
    ("domani alle ventuno", "WhenIntent", {"date": "2026-11-27", "time": "21:00"}),
    ("sabato alle nove meno un quarto", "WhenIntent", {"date": "2026-11-28", "time": "20:45"}),
    ("all'una", "WhenIntent", {"time": "13:00"}),
    ("ricordacelo ogni sera alle 21", "RemindIntent", {"time": "21:00"}),
    ("mi chiamo Andrea", "NameIntent", {"name": "Andrea"}),
])
def test_italian(utterance, intent, slots):
    assert nlu.for_locale("it-IT").resolve(utterance, today=TODAY) == (intent, slots)


@pytest.mark.parametrize(("utterance", "intent", "slots"), [
    ("sim", "AMAZON.YesIntent", {}),
    ("pode ser", "AMAZON.YesIntent", {}),
    ("agora não", "AMAZON.NoIntent", {}),
    ("terminei", "DoneIntent", {}),
    ("vou começar", "DoneIntent", {}),
    ("mais tempo", "MoreTimeIntent", {}),
    ("parar", "AMAZON.StopIntent", {}),
    ("não me sinto em segurança", "SafetyIntent", {}),
    ("preciso de ajuda", "NeedHelpIntent", {}),
    ("turnos de 3 minutos", "SetTurnLengthIntent", {"minutes": "3"}),
    ("muda os turnos para quatro minutos", "SetTurnLengthIntent", {"minutes": "4"}),
    ("turnos mais longos", "SetTurnLengthIntent", {"change": "mais longos"}),
    ("às nove", "WhenIntent", {"time": "21:00"}),
    ("às oito e meia da manhã", "WhenIntent", {"time": "08:30"}),
    ("amanhã às vinte e uma horas", "WhenIntent", {"date": "2026-11-27", "time": "21:00"}),
    ("sábado às quinze para as dez", "WhenIntent", {"date": "2026-11-28", "time": "21:45"}),
    ("ao meio-dia", "WhenIntent", {"time": "12:00"}),
    ("lembre a gente toda noite às 21", "RemindIntent", {"time": "21:00"}),
    ("meu nome é Iara", "NameIntent", {"name": "Iara"}),
])
def test_brazilian_portuguese(utterance, intent, slots):
    assert nlu.for_locale("pt-BR").resolve(utterance, today=TODAY) == (intent, slots)


def test_a_turn_length_change_is_resolved_to_its_id():
    assert nlu.for_locale("it-IT").resolve("turni più lunghi").ids == {"change": "longer"}
    assert nlu.for_locale("pt-BR").resolve("turnos mais curtos").ids == {"change": "shorter"}


@pytest.mark.parametrize(("locale", "utterance", "expected"), [
    ("it-IT", "Alexa, apri connessione di coppia", ("launch", "")),
    ("it-IT", "chiedi a connessione di coppia come stiamo andando",
     ("intent", "come stiamo andando")),
    ("it-IT", "di' a connessione di coppia che ho finito", ("intent", "ho finito")),
    ("it-IT", "chiedi a connessione di coppia di continuare", ("intent", "continuare")),
    ("pt-BR", "Alexa, abra Conexão a Dois", ("launch", "")),
    ("pt-BR", "pergunte à conexão a dois como estamos indo", ("intent", "como estamos indo")),
    ("pt-BR", "diga para conexão a dois que terminei", ("intent", "terminei")),
    ("pt-BR", "peça para conexão a dois continuar", ("intent", "continuar")),
    ("pt-BR", "como estamos indo", None),
])
def test_invocation_phrases(locale, utterance, expected):
    assert nlu.for_locale(locale).invocation(utterance) == expected


@pytest.mark.parametrize("number", [0, 1, 3, 8, 12, 21, 23, 28, 99, 100, 108, 180, 999])
def test_italian_numbers_round_trip_through_words(number):
    assert nlu_it.words_to_number([nlu_it.number_to_words(number)]) == number


@pytest.mark.parametrize("number", [0, 1, 3, 12, 20, 21, 99, 100, 105, 188, 1001, 1234, 2000])
def test_portuguese_numbers_round_trip_through_words(number):
    assert nlu_pt.words_to_number(nlu_pt.number_to_words(number).split()) == number


@pytest.mark.parametrize("words", [["tres", "quatro"], ["dezesseis", "e", "um"],
                                   ["vinte", "e"], ["cento", "cento"]])
def test_two_portuguese_numbers_in_a_row_are_not_one_number(words):
    assert nlu_pt.words_to_number(words) is None
