"""The safety path: crisis resources per country, spoken well, reachable from every stage of the
ritual, and nothing about the request stored."""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

import pytest

from checkin.alexa import intents
from checkin.alexa.session_state import saved_state
from checkin.ritual.events import Kind
from checkin.ritual.reply import Reply, Say
from checkin.ritual.state import Stage
from checkin.speech import crisis
from checkin.speech.prompts import available_locales, prompts
from checkin.speech.render import Voice
from devtools import ssml_text
from devtools.envelopes import Conversation
from tests.certification_plugin import ssml_problems
from tests.ritual_helpers import player_at
from tests.skill_fixtures import EVENING, household, introduce, wire

# Fixtures shared with the other conversation tests.

DATA = crisis.resources()
COUNTRIES = DATA["countries"]
ALEXA_ENGLISH = {"en-US": "US", "en-GB": "GB", "en-CA": "CA", "en-AU": "AU", "en-IN": "IN"}
LINES = ("emergency", "crisis", "domestic_violence")
PLACEHOLDER_OF = {"crisis": "crisis", "domestic_violence": "abuse"}
THERAPIST = "couples therapist"


# --- the data ---------------------------------------------------------------------------------

def test_every_english_alexa_country_has_resources():
    assert set(ALEXA_ENGLISH.values()) <= set(COUNTRIES)
    assert DATA["fallback_country"] == "US"


@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_each_country_has_three_lines_and_cited_sources(country):
    data = COUNTRIES[country]
    for field in LINES:
        line = data[field]
        assert re.fullmatch(r"[0-9][0-9 \-]*[0-9]|[0-9]{3}", line["number"]), line
        assert isinstance(line["verified"], bool)
        if field != "emergency":
            assert line["spoken_name"] and line["wording"]
    assert data["sources"]
    supported = set()
    for source in data["sources"]:
        assert source["organisation"]
        url = urlparse(source["url"])
        assert url.scheme in ("http", "https") and url.netloc
        assert date.fromisoformat(source["checked"]) <= date.today()
        supported |= set(source["supports"])
    for field in LINES:
        # A verified number has a source; an unverified one says so instead of guessing.
        assert field in supported or data[field]["verified"] is False, f"{country} {field}"


def test_the_us_lines_are_the_ones_the_product_promises():
    us = COUNTRIES["US"]
    assert us["emergency"]["number"] == "911"
    assert us["crisis"]["number"] == "988" and us["crisis"]["wording"] == "call_or_text"
    hotline = us["domestic_violence"]
    assert hotline["number"] == "1-800-799-7233"
    assert hotline["text"] == {"message": "START", "number": "88788"}


@pytest.mark.parametrize("locale", available_locales())
def test_every_wording_the_data_uses_is_a_prompt_in_every_locale(locale):
    texts = prompts(locale)
    for data in COUNTRIES.values():
        for field, placeholder in PLACEHOLDER_OF.items():
            assert f"safety.{placeholder}.{data[field]['wording']}" in texts
    assert {"safety.emergency", "safety.emergency.elsewhere"} <= set(texts)
    assert {"{emergency}", "{crisis}", "{abuse}"} <= set(re.findall(r"\{\w+\}", texts["safety"][0]))


@pytest.mark.parametrize(("locale", "country"), [
    ("en-US", "US"), ("en-GB", "GB"), ("en-CA", "CA"), ("en-AU", "AU"), ("en-IN", "IN"),
    ("en-IE", "IE"), ("en-NZ", "NZ"), ("en_GB", "GB"), ("fr-CA", "CA"), ("de-DE", "DE"),
    ("es-ES", "ES"), ("es-MX", "MX"), ("es-US", "US"), ("pt-BR", "BR"),
    ("en", None), ("", None), (None, None), ("en-ZA", None),
])
def test_the_country_comes_from_the_locale(locale, country):
    assert crisis.country_of(locale) == country


# --- how it sounds --------------------------------------------------------------------------

def _safety(locale: str) -> str:
    return Voice(locale).render(Reply((Say.of("safety"),), (Say.of("paused.reprompt"),))).speech


def _numbers_as_spoken(ssml: str) -> list[str]:
    return re.findall(r'<say-as interpret-as="telephone">([^<]*)</say-as>|<sub alias="[^"]*">'
                      r"([^<]*)</sub>", ssml)


@pytest.mark.parametrize("locale", [*sorted(ALEXA_ENGLISH), "en-IE", "en-NZ"])
def test_each_country_hears_its_own_lines(locale):
    data = COUNTRIES[crisis.country_of(locale)]
    ssml = _safety(locale)
    assert ssml_problems(ssml, 240) == []
    spoken = [a or b for a, b in _numbers_as_spoken(ssml)]
    for field in LINES:
        assert data[field]["number"].replace("-", " ") in spoken, field
    text = ssml_text.spoken_text(ssml)
    assert crisis.in_language(data["crisis"]["spoken_name"], "en") in text
    assert THERAPIST in text and "local emergency number" not in text


def test_an_unknown_country_is_told_to_call_its_local_number_then_hears_the_us_lines():
    text = ssml_text.spoken_text(_safety("en-ZA"))
    assert "call your local emergency number" in text and "In the US, that's 911" in text
    assert "988" in text and "1 800 799 7233" in text and "START to 88788" in text


@pytest.mark.parametrize("locale", [*sorted(ALEXA_ENGLISH), "en-IE", "en-NZ", "en-ZA"])
def test_numbers_are_spoken_as_phone_numbers_and_the_answer_stays_short(locale):
    ssml = _safety(locale)
    # Every digit is inside a telephone say-as, or has its own spoken words.
    outside = re.sub(r"<say-as[^>]*>[^<]*</say-as>|<sub[^>]*>[^<]*</sub>|<[^>]*>", "", ssml)
    assert not re.search(r"\d", outside), outside
    # Digit groups are split by spaces, which every engine reads as pauses, never "dash".
    assert all("-" not in a for a, _ in _numbers_as_spoken(ssml))
    # Calm and short: a pause first, then well under a minute of speech.
    assert ssml.startswith('<speak><break time="1s"/>')
    assert ssml_text.duration_seconds(ssml) < 45


# --- reachable from every stage ------------------------------------------------------------

@pytest.mark.parametrize("stage", list(Stage), ids=lambda s: s.value)
def test_safety_is_reachable_from_every_stage(stage):
    # Given a couple at any stage of the ritual
    play = player_at(stage)
    ritual_under_way = play.state.ritual is not None and stage is not Stage.ENDED
    # When one of them says "I don't feel safe"
    step = play(Kind.SAFETY)
    rendered = Voice("en-US", ("Sam", "Alex")).render(step.reply)
    text = ssml_text.spoken_text(rendered.speech)
    # Then they hear the resources and the therapist, and are asked a question, never dropped
    assert "988" in text and "1 800 799 7233" in text and THERAPIST in text
    assert not step.reply.end_session and rendered.reprompt
    assert text.endswith("?")
    # and a ritual under way is paused, not advanced, with nothing to store
    if ritual_under_way:
        assert step.state.stage in (Stage.PAUSED, Stage.CONFIRM_DELETE)
        assert step.state.ritual.turns == play.steps[-2].state.ritual.turns
    if step.state.stage is Stage.PAUSED:
        assert "carry on, or stop" in text
    assert step.effects == ()


def _mid_turn(talk: Conversation) -> None:
    introduce(talk)
    talk.intent(intents.YES)
    talk.advance(40)


def _offer_extra(talk: Conversation) -> None:
    _mid_turn(talk)
    talk.intent(intents.DONE)  # Sam finishes early; Alex's turn begins
    talk.advance(60)
    talk.intent(intents.MORE_TIME)
    talk.advance(30)
    talk.intent(intents.DONE)  # Sam is offered the minute Alex took


def _offer_resume(talk: Conversation) -> None:
    _mid_turn(talk)
    talk.end_session("EXCEEDED_MAX_REPROMPTS")
    talk.advance(20 * 60)
    talk.launch()
    talk.intent(intents.YES)


# Each script leaves the conversation at one stage; "paused" says whether a ritual is under way.
LIVE = {
    "one-shot (new)": (lambda talk: None, False),
    "first launch (ask first name)": (lambda talk: talk.launch(), False),
    "ask second name": (lambda talk: (talk.launch(), talk.intent(intents.NAME, name="Sam")),
                        False),
    "consent": (introduce, False),
    "ask when": (lambda talk: (introduce(talk), talk.intent(intents.NO)), False),
    "turn": (_mid_turn, True),
    "handover": (lambda talk: (_mid_turn(talk), talk.advance(200)), True),
    "offer extra": (_offer_extra, True),
    "paused": (lambda talk: (_mid_turn(talk), talk.intent(intents.PAUSE)), True),
    "offer resume": (_offer_resume, False),
    "confirm delete": (lambda talk: (introduce(talk), talk.intent(intents.DELETE_HISTORY)), False),
    "after a night ended (new session)": (
        lambda talk: (_mid_turn(talk), talk.intent(intents.STOP)), False),
}


@pytest.mark.parametrize(("reach", "under_way"), LIVE.values(), ids=LIVE.keys())
def test_safety_through_lambda_handler_from_each_stage(talk, moto_repository, reach, under_way):
    reach(talk)
    stored_before = _stored(moto_repository, talk)
    talk.intent(intents.SAFETY)
    assert "988" in talk.speech and THERAPIST in talk.speech
    assert talk.session_open and talk.reprompt and talk.speech.endswith("?")
    if under_way:
        assert saved_state(talk.attributes)["stage"] == "paused"
        assert "carry on, or stop" in talk.speech
    # Nothing about the request is written to storage.
    assert _stored(moto_repository, talk) == stored_before


def test_resume_after_safety_carries_on_where_the_couple_was(talk):
    _mid_turn(talk)
    talk.intent(intents.SAFETY)
    talk.intent(intents.RESUME)
    assert "Welcome back, Sam" in talk.speech and saved_state(talk.attributes)["stage"] == "turn"


def test_a_british_device_hears_british_lines(monkeypatch, moto_repository):
    handler = wire(monkeypatch, moto_repository)
    talk = Conversation(handler, start=EVENING, locale="en-GB")
    talk.launch()
    talk.intent(intents.SAFETY)
    assert "999" in talk.speech and "116 123 for Samaritans" in talk.speech
    assert "911" not in talk.speech and "988" not in talk.speech


def _stored(repository, talk) -> tuple:
    snapshot = repository.load(household(), talk.now)
    profile = snapshot.profile.to_dict() if snapshot.profile else None
    rituals = repository.rituals(household(), talk.now)
    return profile, snapshot.checkpoint, [r.to_dict() for r in rituals]
