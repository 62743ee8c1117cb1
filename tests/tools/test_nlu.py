"""The phrases a couple would really say resolve, through the real interaction model."""
from __future__ import annotations

from datetime import date

import pytest

from devtools import nlu
from devtools.nlu import FALLBACK, Nlu, load_model, number_to_words, words_to_number

# A Thursday, so weekday names resolve to known dates.
TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def model() -> Nlu:
    return Nlu(load_model())


@pytest.mark.parametrize(
    ("utterance", "intent", "slots"),
    [
        ("yes", "AMAZON.YesIntent", {}),
        ("sure", "AMAZON.YesIntent", {}),
        ("not now", "AMAZON.NoIntent", {}),
        ("I'm done", "DoneIntent", {}),
        ("next", "DoneIntent", {}),
        ("your turn", "DoneIntent", {}),
        ("that's all", "DoneIntent", {}),
        ("more time", "MoreTimeIntent", {}),
        ("I need another minute", "MoreTimeIntent", {}),
        ("repeat the question", "AMAZON.RepeatIntent", {}),
        ("pause", "AMAZON.PauseIntent", {}),
        ("let's keep going", "AMAZON.ResumeIntent", {}),
        ("skip this one", "SkipIntent", {}),
        ("start over", "AMAZON.StartOverIntent", {}),
        ("how are we doing", "HistoryIntent", {}),
        ("make the turns three minutes", "SetTurnLengthIntent", {"minutes": "3"}),
        ("help", "AMAZON.HelpIntent", {}),
        ("stop", "AMAZON.StopIntent", {}),
        ("purple monkey dishwasher", FALLBACK, {}),
        ("the quarterly tax filing deadline", FALLBACK, {}),
    ],
)
def test_the_phrases_a_couple_says_resolve(model: Nlu, utterance: str, intent: str,
                                           slots: dict) -> None:
    # Given the project's interaction model; When a partner says the phrase; Then:
    assert model.resolve(utterance, today=TODAY) == (intent, slots)


@pytest.mark.parametrize(
    ("utterance", "intent", "slots"),
    [
        # Case, punctuation and a leading wake word do not matter.
        ("Alexa, I'm done.", "DoneIntent", {}),
        ("YES!", "AMAZON.YesIntent", {}),
        # Digits and number words give the same number.
        ("make the turns 3 minutes", "SetTurnLengthIntent", {"minutes": "3"}),
        ("make it five minutes", "SetTurnLengthIntent", {"minutes": "5"}),
        ("4 minutes each", "SetTurnLengthIntent", {"minutes": "4"}),
        # Near misses of a sample still land.
        ("I am done now", "DoneIntent", {}),
        ("alexa let us keep going please", "AMAZON.ResumeIntent", {}),
        # A sample with a word inside the slot's place loses to a sample without a slot.
        ("I'm ready", "DoneIntent", {}),
        ("I'm scared", "SafetyIntent", {}),
        # Names keep the partner's own spelling.
        ("I'm Sam", "NameIntent", {"name": "Sam"}),
        ("my name is zoë", "NameIntent", {"name": "Zoë"}),
        ("call me Mary Ann", "NameIntent", {"name": "Mary Ann"}),
        # Times and dates are sent as Alexa sends them.
        ("at 9:30", "WhenIntent", {"time": "21:30"}),
        ("nine pm", "WhenIntent", {"time": "21:00"}),
        ("tomorrow at nine", "WhenIntent", {"date": "2026-11-27", "time": "21:00"}),
        ("friday at 7 p.m.", "WhenIntent", {"date": "2026-11-27", "time": "19:00"}),
        ("on monday", "WhenIntent", {"date": "2026-11-30"}),
    ],
)
def test_normalisation_slots_and_near_misses(model: Nlu, utterance: str, intent: str,
                                             slots: dict) -> None:
    assert model.resolve(utterance, today=TODAY) == (intent, slots)


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("Jordan", ("NameIntent", {"name": "Jordan"})),
        ("Mary Ann", ("NameIntent", {"name": "Mary Ann"})),
        # Commands still work while a name is expected: stopping must always be possible.
        ("stop", ("AMAZON.StopIntent", {})),
        ("skip", ("SkipIntent", {})),
    ],
)
def test_a_bare_word_is_a_name_when_the_skill_asked_for_one(model: Nlu, utterance: str,
                                                            expected: tuple) -> None:
    assert model.resolve(utterance, expecting_name=True) == expected


def test_resolve_uses_the_projects_model_file() -> None:
    intent, slots = nlu.resolve("make the turns three minutes")
    assert (intent, slots) == ("SetTurnLengthIntent", {"minutes": "3"})


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("open connection check in", ("launch", "")),
        ("Alexa, start Connection Check-In", ("launch", "")),
        ("ask connection check in how are we doing", ("intent", "how are we doing")),
        ("tell connection check in that I'm done", ("intent", "im done")),
        ("how are we doing", None),
    ],
)
def test_invocation_phrases(model: Nlu, utterance: str, expected: tuple | None) -> None:
    assert model.invocation(utterance) == expected


@pytest.mark.parametrize("number", [0, 1, 3, 12, 20, 21, 99, 100, 120, 1001])
def test_numbers_round_trip_through_words(number: int) -> None:
    assert words_to_number(number_to_words(number).split()) == number


def test_two_numbers_in_a_row_are_not_one_number() -> None:
    assert words_to_number(["three", "four"]) is None


# --- German and French, through their own locales' models ---------------------------------------

@pytest.mark.parametrize(
    ("locale", "utterance", "intent", "slots"),
    [
        ("de-DE", "Alexa, ich bin fertig.", "DoneIntent", {}),
        ("de-DE", "stell die Redezeit auf 3 Minuten", "SetTurnLengthIntent", {"minutes": "3"}),
        ("de-DE", "vier Minuten pro Person", "SetTurnLengthIntent", {"minutes": "4"}),
        ("de-DE", "ich heiße Jördis", "NameIntent", {"name": "Jördis"}),
        ("de-DE", "morgen um 20 Uhr", "WhenIntent", {"date": "2026-11-27", "time": "20:00"}),
        ("de-DE", "um halb neun", "WhenIntent", {"time": "20:30"}),
        ("de-DE", "am Samstag gegen viertel nach acht", "WhenIntent",
         {"date": "2026-11-28", "time": "20:15"}),
        ("de-DE", "erinnere uns jeden Abend um einundzwanzig Uhr", "RemindIntent",
         {"time": "21:00"}),
        ("de-DE", "ich fühle mich nicht sicher", "SafetyIntent", {}),
        ("de-DE", "heute nicht", "AMAZON.NoIntent", {}),
        ("fr-FR", "Alexa, j'ai fini !", "DoneIntent", {}),
        ("fr-FR", "des tours de 3 minutes", "SetTurnLengthIntent", {"minutes": "3"}),
        ("fr-FR", "je m'appelle Zoé", "NameIntent", {"name": "Zoé"}),
        ("fr-FR", "demain à vingt et une heures trente", "WhenIntent",
         {"date": "2026-11-27", "time": "21:30"}),
        ("fr-FR", "samedi à 21h", "WhenIntent", {"date": "2026-11-28", "time": "21:00"}),
        ("fr-FR", "je ne me sens pas en sécurité", "SafetyIntent", {}),
        ("fr-CA", "à neuf heures moins quart", "WhenIntent", {"time": "20:45"}),
        ("fr-CA", "rappelle-nous chaque soir à huit heures et demie", "RemindIntent",
         {"time": "20:30"}),
        ("fr-CA", "tantôt", "WhenIntent", {}),
        ("fr-CA", "c'est correct", "AMAZON.YesIntent", {}),
        ("fr-CA", "pas à soir", "AMAZON.NoIntent", {}),
    ],
)
def test_german_and_french_couples_are_heard(locale: str, utterance: str, intent: str,
                                             slots: dict) -> None:
    assert nlu.for_locale(locale).resolve(utterance, today=TODAY, fuzzy=False) == (intent, slots)


@pytest.mark.parametrize(
    ("locale", "utterance", "expected"),
    [
        ("de-DE", "öffne Zeit zu zweit", ("launch", "")),
        ("de-DE", "Alexa, frag Zeit zu zweit nach mehr Zeit", ("intent", "mehr zeit")),
        ("de-DE", "sag Zeit zu zweit, dass ich bereit bin", ("intent", "ich bereit bin")),
        ("fr-FR", "lance Moment à deux", ("launch", "")),
        ("fr-FR", "demande à Moment à deux de continuer", ("intent", "continuer")),
        ("fr-CA", "dis à Moment à deux que j'ai fini", ("intent", "jai fini")),
        ("fr-FR", "donne-moi un moment", None),
    ],
)
def test_german_and_french_invocations(locale: str, utterance: str, expected: tuple | None) -> None:
    assert nlu.for_locale(locale).invocation(utterance) == expected


@pytest.mark.parametrize("number", [0, 1, 3, 12, 17, 21, 71, 80, 97, 100, 120, 365, 1001, 2024])
def test_german_and_french_numbers_round_trip_through_words(number: int) -> None:
    for language in (nlu.language_for("de-DE"), nlu.language_for("fr-FR")):
        spelled = nlu.normalise(str(number), language)
        assert language.words_to_number(spelled) == number


def test_german_and_french_refuse_two_numbers_in_a_row() -> None:
    assert nlu.language_for("de-DE").words_to_number(["drei", "vier"]) is None
    assert nlu.language_for("fr-FR").words_to_number(["trois", "quatre"]) is None
