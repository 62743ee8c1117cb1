"""Certification readiness: the checks themselves, no dead ends at any stage, the disclaimer,
and the manifest's privacy and compliance fields.

The checks in tests/certification_plugin.py also run over every response of the conversation
tests (test_conversation, test_safety, test_privacy_logs and this module).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from checkin.alexa import intents
from checkin.ritual.events import Kind
from checkin.ritual.state import Stage
from checkin.speech.prompts import DEFAULT_LOCALE, available_locales, prompts
from checkin.speech.render import Voice
from devtools import apl_package, ssml_text
from tests import skill_fixtures
from tests.certification_plugin import Exchange, exchange_problems, ssml_problems
from tests.ritual_helpers import player_at

introduce = skill_fixtures.introduce
six_turns = skill_fixtures.six_turns

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = json.loads((ROOT / "skill-package" / "skill.json").read_text(encoding="utf-8"))
NAMES = ("Sam", "Alex")
DISCLAIMER = re.compile(r"conversation guide, not therapy|guía para conversar, no una terapia"
                        r"|guida alla conversazione, non una terapia"
                        r"|guia de conversa, não uma terapia"
                        r"|Gesprächshilfe, keine Therapie|guide de conversation, pas une thérapie",
                        re.IGNORECASE)


def _response(speech: str | None, reprompt: str | None = None, end: bool | None = False,
              directives: list | None = None, card: str | None = None) -> dict:
    body: dict = {}
    if card is not None:
        body["card"] = {"type": "Simple", "title": "Check-in", "content": card}
    if speech is not None:
        body["outputSpeech"] = {"type": "SSML", "ssml": speech}
    if reprompt is not None:
        body["reprompt"] = {"outputSpeech": {"type": "SSML", "ssml": reprompt}}
    if end is not None:
        body["shouldEndSession"] = end
    if directives:
        body["directives"] = directives
    return {"version": "1.0", "response": body}


YES_BUTTON = {"label": "Yes", "intent": intents.YES}


def _document(buttons: list[dict]) -> dict:
    return {"type": "Alexa.Presentation.APL.RenderDocument", "token": "t",
            "document": {"type": "Link", "src": "doc://alexa/apl/documents/prompt"},
            "datasources": {"screen": {"buttons": buttons}}}


def _screen_request() -> dict:
    request = _request()
    request["context"] = {"System": {"device": {"supportedInterfaces": {
        "Alexa.Presentation.APL": {"runtime": {"maxVersion": "2024.2"}}}}}}
    return request


def _request(kind: str = "IntentRequest", intent: str | None = None) -> dict:
    request: dict = {"type": kind}
    if intent:
        request["intent"] = {"name": intent, "confirmationStatus": "NONE"}
    return {"version": "1.0", "request": request}


def _exchange_for(kind: Kind, step, intent: str, locale: str = DEFAULT_LOCALE) -> Exchange:
    """What lambda_handler would send back for an engine step (see conversation.speak)."""
    reply = step.reply
    if reply.end_session and not reply.speech:
        return Exchange(_request(intent=intent), _response(None, end=True))
    rendered = Voice(locale, NAMES).render(reply)
    return Exchange(_request(intent=intent),
                    _response(rendered.speech, rendered.reprompt, end=rendered.reprompt is None))


# --- the checks catch what Alexa refuses --------------------------------------------------------

OK = "<speak>Is now a good time?</speak>"
BAD_RESPONSES = {
    "an unknown tag": (_request(), _response("<speak><foo>hi</foo></speak>", OK),
                       "does not support"),
    "an unescaped ampersand": (_request(), _response("<speak>Sam & Alex</speak>", OK),
                               "well-formed"),
    "an eleven-second break": (_request(), _response('<speak><break time="11s"/>Hi?</speak>', OK),
                               "11 s break"),
    "speech over 240 s": (_request(), _response("<speak>" + '<break time="10s"/>' * 25 + "</speak>",
                                                OK), "at most 240"),
    "a reprompt over 90 s": (_request(), _response(OK, "<speak>" + '<break time="10s"/>' * 10
                                                   + "</speak>"), "at most 90"),
    "8,000 characters": (_request(), _response("<speak>" + "word " * 1700 + "</speak>", OK),
                         "characters of speech"),
    "an open session without a reprompt": (_request(), _response(OK, None, end=False),
                                           "without a reprompt"),
    "help ending without a question": (_request(intent=intents.HELP),
                                       _response("<speak>Say stop.</speak>", OK),
                                       "does not end with a question"),
    "help closing the session": (_request(intent=intents.HELP), _response(OK, None, end=True),
                                 "Help closed"),
    "stop keeping the session open": (_request(intent=intents.STOP), _response(OK, OK),
                                      "did not end the session"),
    "cancel keeping the session open": (_request(intent=intents.CANCEL), _response(OK, OK),
                                        "did not end the session"),
    "speech after the session ended": (_request("SessionEndedRequest"),
                                       _response("<speak>Bye.</speak>", None, end=True),
                                       "answered with speech"),
    "silence for a launch": (_request("LaunchRequest"), _response(None, end=True), "dead end"),
    "silence for a tap": (_request("Alexa.Presentation.APL.UserEvent"), _response(None, end=None),
                          "dead end"),
    "APL to a speaker": (_request(), _response(OK, OK, directives=[_document([YES_BUTTON])]),
                         "without Alexa.Presentation.APL"),
    "two documents at once": (_screen_request(), _response(OK, OK, directives=[
        _document([YES_BUTTON]), _document([YES_BUTTON])]), "2 RenderDocuments"),
    "a screen without buttons, session open": (
        _screen_request(), _response(OK, OK, directives=[_document([])]), "dead end"),
    "a button that cannot be said": (
        _screen_request(), _response(OK, OK, directives=[_document([
            {"label": "Secret", "intent": "SecretIntent"}])]), "cannot be said"),
    "a card with SSML": (_request(), _response(OK, OK, card="<speak>Hi</speak>"), "markup"),
}


@pytest.mark.parametrize(("request_", "response", "expected"), BAD_RESPONSES.values(),
                         ids=BAD_RESPONSES.keys())
def test_the_checks_catch_what_alexa_refuses(request_, response, expected):
    found = exchange_problems(Exchange(request_, response))
    assert any(expected in problem for problem in found), found


def test_the_checks_accept_a_good_response_and_a_consent_handoff():
    assert exchange_problems(Exchange(_request(intent=intents.HELP), _response(OK, OK))) == []
    screen = _response(OK, OK, directives=[_document([YES_BUTTON])], card="Plain words.")
    assert exchange_problems(Exchange(_screen_request(), screen)) == []
    handoff = _response(None, end=None, directives=[{"type": "Connections.SendRequest"}])
    assert exchange_problems(Exchange(_request(intent=intents.YES), handoff)) == []
    assert exchange_problems(Exchange(_request("SessionEndedRequest"), _response(None, end=None))) \
        == []


def test_the_size_limits_find_a_response_over_24_kb_and_speech_over_8000_characters():
    assert skill_fixtures.limit_problems(_response(OK, OK)) == []
    big = _response(OK, OK, directives=[{"type": "x", "padding": "x" * 24 * 1024}])
    assert any("bytes" in p for p in skill_fixtures.limit_problems(big))
    long = _response("<speak>" + "word " * 1600 + "</speak>", OK)
    assert any("characters of speech" in p for p in skill_fixtures.limit_problems(long))
    # A linked document is counted as if it travelled inline: here, only with it is it too big
    linked = _document([YES_BUTTON])
    document = len(json.dumps(apl_package.saved_document("prompt"), separators=(",", ":")))
    sent = _response(OK, OK, directives=[linked])
    room = skill_fixtures.MAX_RESPONSE_BYTES - len(json.dumps(sent))
    linked["datasources"]["screen"]["padding"] = "x" * (room - document // 2)
    [problem] = skill_fixtures.limit_problems(_response(OK, OK, directives=[linked]))
    assert "with its APL document inline" in problem


def test_the_size_limits_hold_every_response_of_this_test(talk, response_limits):
    talk.launch()
    talk.intent(intents.HELP)
    assert len(response_limits) == 2  # the fixture saw both, and checks them as the test ends


def test_every_ssml_tag_alexa_supports_is_accepted():
    ssml = ('<speak><p><s>Hi <say-as interpret-as="telephone">988</say-as> <sub alias="x">y</sub>'
            '<emphasis>a</emphasis><prosody rate="slow">b</prosody><w role="amazon:VB">c</w>'
            '<phoneme alphabet="ipa" ph="a">d</phoneme><lang xml:lang="en-GB">e</lang>'
            '<voice name="Kendra">f</voice><mark name="m"/><amazon:effect name="whispered">g'
            '</amazon:effect><amazon:domain name="conversational">h</amazon:domain>'
            '<amazon:emotion name="excited" intensity="low">i</amazon:emotion>'
            '<audio src="soundbank://x"/><break time="1s"/></s></p></speak>')
    assert ssml_problems(ssml, 240) == []


def test_the_hook_sees_every_response_of_a_conversation(talk, certified_responses):
    talk.launch()
    talk.intent(intents.HELP)
    talk.intent(intents.STOP)
    assert [e.label for e in certified_responses] == [
        "LaunchRequest", f"IntentRequest {intents.HELP}", f"IntentRequest {intents.STOP}"]
    assert all(exchange_problems(e) == [] for e in certified_responses)


# --- no dead end, at every stage -------------------------------------------------------------

ANSWERS = {Kind.HELP: intents.HELP, Kind.STOP: intents.STOP, Kind.FALLBACK: intents.FALLBACK}


@pytest.mark.parametrize("locale", available_locales())
@pytest.mark.parametrize("kind", list(ANSWERS), ids=lambda k: k.value)
@pytest.mark.parametrize("stage", list(Stage), ids=lambda s: s.value)
def test_every_stage_answers_help_stop_and_fallback(stage, kind, locale):
    # Given a couple at any stage; When they ask for help, stop, or say something unexpected
    # (an unknown intent reaches the engine as FALLBACK, see handlers.intent_event)
    step = player_at(stage)(kind)
    # Then the skill answers within Alexa's rules: Help keeps the session, Stop ends it, and
    # anything unexpected is answered (where "when would be better?" gets no time, kindly ended)
    exchange = _exchange_for(kind, step, ANSWERS[kind], locale)
    assert exchange_problems(exchange) == []
    assert step.reply.speech, f"no answer to {kind.value} at {stage.value}"
    if kind is not Kind.FALLBACK:
        assert step.reply.end_session is (kind is Kind.STOP)


LIVE_STAGES = {
    "first launch": lambda talk: talk.launch(),
    "second name": lambda talk: (talk.launch(), talk.intent(intents.NAME, name="Sam")),
    "consent": lambda talk: introduce(talk),
    "turn": lambda talk: (introduce(talk), talk.intent(intents.YES), talk.advance(30)),
    "handover": lambda talk: (introduce(talk), talk.intent(intents.YES), talk.advance(200)),
    "paused": lambda talk: (introduce(talk), talk.intent(intents.YES), talk.advance(30),
                            talk.intent(intents.PAUSE)),
    "confirm delete": lambda talk: (introduce(talk), talk.intent(intents.DELETE_HISTORY)),
    # The three steps (issue 14): a known couple's week's evening, and the plan at a close.
    "offer awareness": lambda talk: (_known(talk), talk.intent(intents.YES)),
    "awareness": lambda talk: (_known(talk), talk.intent(intents.YES), talk.intent(intents.YES)),
    "awareness safety": lambda talk: (_known(talk), talk.intent(intents.YES),
                                      talk.intent(intents.YES),
                                      *[talk.intent(intents.NO) for _ in range(4)],
                                      talk.intent(intents.YES)),
    "offer small thing": lambda talk: _weekly_close(talk),
    "small thing": lambda talk: (_weekly_close(talk), talk.intent(intents.YES)),
    "small handover": lambda talk: (_weekly_close(talk), talk.intent(intents.YES),
                                    talk.advance(40)),
    "offer plan": lambda talk: (introduce(talk), talk.intent(intents.YES), six_turns(talk, 30)),
}
def _known(talk) -> None:
    """A couple with one check-in behind them, back the next evening."""
    introduce(talk)
    talk.intent(intents.YES)
    six_turns(talk, 30)
    talk.intent(intents.NO)
    talk.advance(24 * 3600)
    talk.launch()


def _weekly_close(talk) -> None:
    _known(talk)
    talk.intent(intents.YES)
    talk.intent(intents.SKIP)
    six_turns(talk, 30)


LIVE_INTENTS = (intents.HELP, intents.STOP, intents.CANCEL, intents.FALLBACK,
                "AMAZON.ShuffleOnIntent")


@pytest.mark.parametrize("intent", LIVE_INTENTS)
@pytest.mark.parametrize("reach", LIVE_STAGES.values(), ids=LIVE_STAGES.keys())
def test_through_lambda_handler_every_stage_answers(talk, reach, intent):
    reach(talk)
    talk.intent(intent)
    assert talk.speech, f"no answer to {intent}"
    assert talk.session_open is (intent not in (intents.STOP, intents.CANCEL))
    # The certification plugin checks every response of this conversation when the test ends.


# --- the disclaimer ---------------------------------------------------------------------------

def _sentences_with_disclaimer(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text) if DISCLAIMER.search(s)]


@pytest.mark.parametrize("locale", available_locales())
@pytest.mark.parametrize("key", ["help", "welcome.first"])
def test_help_and_first_welcome_say_in_one_sentence_it_is_not_therapy(locale, key):
    for wording in prompts(locale)[key]:
        assert len(_sentences_with_disclaimer(wording)) == 1, wording


def test_the_disclaimer_is_heard_at_first_launch_and_in_help(talk):
    talk.launch()
    assert len(_sentences_with_disclaimer(talk.speech)) == 1
    talk.intent(intents.HELP)
    assert len(_sentences_with_disclaimer(talk.speech)) == 1
    assert talk.session_open and talk.speech.endswith("?")


# --- the manifest -----------------------------------------------------------------------------

def test_the_manifest_declares_personal_info_no_ads_and_not_for_children():
    privacy = MANIFEST["manifest"]["privacyAndCompliance"]
    assert privacy["usesPersonalInfo"] is True
    assert privacy["isChildDirected"] is False
    assert privacy["containsAds"] is False
    assert privacy["allowsPurchases"] is False


@pytest.mark.parametrize("locale", sorted(MANIFEST["manifest"]["publishingInformation"]["locales"]))
def test_every_published_locale_has_a_privacy_policy_url(locale):
    urls = MANIFEST["manifest"]["privacyAndCompliance"]["locales"]
    assert urls[locale]["privacyPolicyUrl"].startswith("https://")
    assert (ROOT / "PRIVACY.md").is_file()  # the text that URL serves


@pytest.mark.parametrize("locale", sorted(MANIFEST["manifest"]["publishingInformation"]["locales"]))
def test_the_description_carries_the_professional_advice_disclaimer(locale):
    description = MANIFEST["manifest"]["publishingInformation"]["locales"][locale]["description"]
    disclaimer = {"en": "not a substitute for professional advice",
                  "es": "no sustituye el consejo profesional",
                  "it": "non sostituisce il parere di un professionista",
                  "pt": "não substitui a orientação profissional",
                  "de": "ersetzt keine professionelle beratung",
                  "fr": "ne remplace pas un avis professionnel"}[locale[:2]]
    assert disclaimer in " ".join(description.split()).lower()


def test_privacy_md_covers_what_a_couple_needs_to_know():
    text = (ROOT / "PRIVACY.md").read_text(encoding="utf-8").lower()
    for phrase in ("never", "730 days", "24 hours", "delete our history", "disable the skill",
                   "sha-256", "encrypted", "30 days", "not therapy"):
        assert phrase in text, phrase


def test_readme_links_privacy_md_in_its_safety_section():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Safety and privacy", 1)[1].split("\n## ", 1)[0]
    assert "(PRIVACY.md)" in section and "don't feel safe" in section


def test_spoken_text_helper_used_by_the_checks_keeps_the_question_mark():
    assert ssml_text.spoken_text("<speak><s>Shall we?</s></speak>").endswith("?")
