"""Every locale through lambda_handler: a whole ritual played by the locale's own words, on moto
and on DynamoDB Local, and the safety answer naming the device's own country's lines, found from
its time zone and else from the locale. The certification checks run over every response here
(tests/certification_plugin.py)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from checkin.alexa import intents
from checkin.ritual.awareness import NEEDS, TIME
from checkin.speech import crisis
from checkin.speech.prompts import LOCALES, prompts
from checkin.speech.render import Voice
from devtools import nlu, ssml_text
from devtools.envelopes import DEFAULT_SKILL_ID, Conversation
from tests.skill_fixtures import EVENING, alexa_api, evening_in, household, wire

# What a couple in each locale says, each heard through that locale's own interaction model:
# how they open the skill, their two names, their yes, how each of them ends a turn, their
# "no, thanks" to a reminder, and their "a little" to a line of the check of the five signs.
SCRIPTS = {
    "en-US": ("open connection check in", ("Sam", "Alex"), "yes", "I'm done", "no thanks",
              "a little"),
    "en-GB": ("open connection check in", ("Sam", "Alex"), "go on then", "I've finished",
              "not just now", "a touch"),
    "en-CA": ("start connection check in", ("Sam", "Alex"), "sure", "that's all", "no",
              "sort of"),
    "en-AU": ("open connection check in", ("Sam", "Alex"), "righto", "that's me done",
              "no thanks", "a tad"),
    "en-IN": ("open connection check in", ("Sam", "Alex"), "yes", "I have finished", "no",
              "a little bit"),
    "es-US": ("abre conexión en pareja", ("Sam", "Inés"), "okey", "terminé", "no gracias",
              "un poquito"),
    "es-ES": ("abre conexión en pareja", ("Sam", "Inés"), "vale", "he terminado", "no gracias",
              "un pelín"),
    "es-MX": ("abre conexión en pareja", ("Sam", "Inés"), "sale", "ya acabé", "ahorita no",
              "tantito"),
    "it-IT": ("apri connessione di coppia", ("Sam", "Andrea"), "va bene", "ho finito",
              "no grazie", "un po'"),
    "pt-BR": ("abra conexão a dois", ("Sam", "Iara"), "pode ser", "terminei", "agora não",
              "um pouquinho"),
    "de-DE": ("öffne zeit zu zweit", ("Sam", "Jördis"), "passt", "ich bin fertig", "nein danke",
              "ein bisschen"),
    "fr-FR": ("lance moment à deux", ("Sam", "Zoé"), "ça marche", "j'ai fini", "non merci",
              "un peu"),
    "fr-CA": ("ouvre moment à deux", ("Sam", "Zoé"), "c'est correct", "c'est beau", "non merci",
              "un petit peu"),
}


def say(talk: Conversation, locale: str, words: str, expecting_name: bool = False) -> None:
    understand = nlu.for_locale(locale)
    invoked = understand.invocation(words)
    if invoked is not None and invoked[0] == "launch":
        talk.launch()
        return
    heard = understand.resolve(invoked[1] if invoked else words, expecting_name,
                               today=talk.clock.date(), fuzzy=False)
    assert heard.intent != nlu.FALLBACK, f"{locale}: {words!r} is not in its model"
    talk.intent(heard.intent, resolved=heard.ids, **heard.slots)


def test_every_locale_has_a_script():
    assert set(SCRIPTS) == set(LOCALES)


# How a couple says a line is true, not "okay".
TRUE = {"en": "yes", "es": "sí", "it": "sì", "pt": "sim", "de": "ja", "fr": "oui"}
NOT_TRUE = {"en": "no", "es": "no", "it": "no", "pt": "não", "de": "nein", "fr": "non"}


class Texts:
    """A locale's prompts as its voice says them (fr-CA, say, sets no space before "?")."""

    def __init__(self, locale: str):
        self._voice = Voice(locale)

    def __getitem__(self, key: str) -> list[str]:
        return [ssml_text.spoken_text("<speak>" + self._voice.text(key) + "</speak>")]


@pytest.mark.parametrize("locale", sorted(SCRIPTS))
def test_two_whole_evenings_in_each_locale_on_both_stores(monkeypatch, repository, locale):
    # Given a couple whose device speaks `locale`, on moto and on DynamoDB Local
    handler = wire(monkeypatch, repository, DEFAULT_SKILL_ID)
    talk = Conversation(handler, start=EVENING, locale=locale)
    opening, names, yes, done, no_thanks, a_little = SCRIPTS[locale]
    texts = Texts(locale)
    # When they open the skill, give their names and say yes, in their own words
    say(talk, locale, opening)
    assert texts["welcome.first"][0] in talk.speech
    for name in names:
        say(talk, locale, name, expecting_name=True)
    say(talk, locale, yes)
    assert names[0] in talk.speech or names[1] in talk.speech
    # And each ends their six turns in their own words
    for _ in range(6):
        talk.advance(50)
        say(talk, locale, done)
    # Then the close is in their language and, with no reminder set, offers the next time
    assert texts["close.thanks"][0] in talk.speech
    assert texts["plan.offer"][0] in talk.speech
    say(talk, locale, no_thanks)
    assert texts["plan.declined"][0] in talk.speech
    assert not talk.session_open
    assert [r.outcome for r in repository.rituals(household(), talk.now)] == ["completed"]

    # The next evening: the week's check of the five signs, answered in their words
    talk.clock += timedelta(days=1)
    say(talk, locale, opening)
    say(talk, locale, yes)
    assert texts["awareness.offer"][0] in talk.speech
    say(talk, locale, yes)
    true, not_true = TRUE[locale[:2]], NOT_TRUE[locale[:2]]  # a line is true, not "okay"
    for answer in (a_little, not_true, true, not_true, not_true):  # the last: not feeling safe
        say(talk, locale, answer)
    assert texts["awareness.thanks"][0] in talk.speech
    for _ in range(6):
        talk.advance(50)
        say(talk, locale, done)
    # One small thing each, taken in their words; no plan this time, after last night's no
    assert texts["small.offer"][0] in talk.speech
    say(talk, locale, yes)
    talk.advance(20)
    say(talk, locale, done)
    talk.advance(20)
    say(talk, locale, done)
    assert texts["close.thanks"][0] in talk.speech
    assert texts["plan.offer"][0] not in talk.speech and not talk.session_open
    assert [r.outcome for r in repository.rituals(household(), talk.now)] == ["completed"] * 2
    [check] = repository.checks(household(), talk.now)
    # Lines are read time, talk, needs, lonely, safe: "a little" to time, yes to needs.
    assert (check.signs, check.partly, check.answered) == ((NEEDS,), (TIME,), 5)


# --- the safety answer names the device's own country ------------------------------------------

# (time zone, the locale its device speaks, the country whose lines it must hear)
BY_TIME_ZONE = [
    ("America/New_York", "en-US", "US"), ("Europe/London", "en-GB", "GB"),
    ("Europe/Dublin", "en-GB", "IE"), ("America/Toronto", "en-CA", "CA"),
    ("Australia/Sydney", "en-AU", "AU"), ("Pacific/Auckland", "en-AU", "NZ"),
    ("Asia/Kolkata", "en-IN", "IN"), ("Europe/Madrid", "es-ES", "ES"),
    ("America/Mexico_City", "es-MX", "MX"), ("Europe/Berlin", "de-DE", "DE"),
    ("Europe/Vienna", "de-DE", "AT"), ("Europe/Paris", "fr-FR", "FR"),
    ("Europe/Rome", "it-IT", "IT"), ("America/Sao_Paulo", "pt-BR", "BR"),
    ("America/Los_Angeles", "es-US", "US"), ("Europe/Madrid", "en-GB", "ES"),
    ("America/Montreal", "fr-CA", "CA"), ("Europe/Vienna", "en-GB", "AT"),
]
# Without a time zone (the Settings API answered nothing), the locale's region decides.
BY_LOCALE = [("en-US", "US"), ("en-GB", "GB"), ("en-CA", "CA"), ("en-AU", "AU"),
             ("en-IN", "IN"), ("es-US", "US"), ("es-ES", "ES"), ("es-MX", "MX"),
             ("de-DE", "DE"), ("fr-FR", "FR"), ("fr-CA", "CA"), ("it-IT", "IT"), ("pt-BR", "BR")]


def _assert_lines_of(country: str, ssml: str) -> None:
    data = crisis.resources()["countries"][country]
    for field in ("emergency", "crisis", "domestic_violence"):
        if data[field].get("wording") == "same_emergency":
            continue  # said once, as the emergency number
        assert f">{data[field]['number'].replace('-', ' ')}</" in ssml, (country, field)
    others = {c: d["crisis"]["number"] for c, d in crisis.resources()["countries"].items()
              if d["crisis"]["number"] != data["crisis"]["number"]}
    assert not [c for c, n in others.items() if f">{n}</" in ssml], "another country's line"


@pytest.mark.parametrize(("zone", "locale", "country"), BY_TIME_ZONE,
                         ids=[f"{z}-{lo}" for z, lo, _ in BY_TIME_ZONE])
def test_the_safety_answer_follows_the_devices_time_zone(monkeypatch, moto_repository, zone,
                                                          locale, country):
    assert crisis.country_of_zone(zone) == country
    with alexa_api(zone) as api:
        handler = wire(monkeypatch, moto_repository, DEFAULT_SKILL_ID)
        talk = Conversation(handler, start=evening_in(zone), locale=locale,
                            api_endpoint=api.endpoint)
        talk.intent(intents.SAFETY)  # a one-shot, the first thing this household ever says
    _assert_lines_of(country, talk.speech_ssml)
    assert talk.session_open and ssml_text.spoken_text(talk.speech_ssml).endswith("?")


@pytest.mark.parametrize(("locale", "country"), BY_LOCALE)
def test_without_a_time_zone_the_safety_answer_follows_the_locale(monkeypatch, moto_repository,
                                                                  locale, country):
    handler = wire(monkeypatch, moto_repository, DEFAULT_SKILL_ID)
    talk = Conversation(handler, start=EVENING, locale=locale)  # no Alexa APIs: no time zone
    talk.launch()
    talk.intent(intents.SAFETY)
    _assert_lines_of(country, talk.speech_ssml)


@pytest.mark.parametrize(("locale", "words"), [
    ("es-ES", "cero dieciséis"), ("es-ES", "cero veinticuatro"), ("en-AU", "triple zero"),
    ("it-IT", "quindici ventidue"), ("it-IT", "zero due, ventitré ventisette"),
    ("pt-BR", "cento e oitenta e oito"), ("pt-BR", "cento e noventa"),
    ("de-DE", "null achthundert, eins eins eins"), ("fr-FR", "trente et un quatorze"),
    ("fr-CA", "neuf huit huit")])
def test_numbers_are_said_as_people_there_say_them(monkeypatch, moto_repository, locale, words):
    handler = wire(monkeypatch, moto_repository, DEFAULT_SKILL_ID)
    talk = Conversation(handler, start=EVENING, locale=locale)
    talk.intent(intents.SAFETY)
    assert words in talk.speech


def test_italys_crisis_line_is_never_called_round_the_clock():
    line = crisis.resources()["countries"]["IT"]["crisis"]
    assert "NOT 24/7" in line["hours"] and line["wording"] == "call_until_midnight"
    midnight = {"en": "midnight", "es": "medianoche", "de": "Mitternacht", "fr": "minuit",
                "it": "mezzanotte", "pt": "meia-noite"}
    for locale in LOCALES:
        assert midnight[locale[:2]] in prompts(locale)["safety.crisis.call_until_midnight"][0]
