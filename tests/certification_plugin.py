"""Alexa certification checks, run over every response the conversation tests produce.

Registered from tests/conftest.py (`pytest_plugins`). In the modules named in CERTIFIED_MODULES,
and in any test marked `certify`, the fixture `certified_responses` records each request and
response that passes through `devtools.envelopes.Conversation`, and when the test ends it fails
the test with every problem found:

- the SSML is well-formed XML and uses only the tags Alexa supports;
- speech stays under 8,000 characters, each break is at most 10 s, and the speech and the
  reprompt play within 240 s and 90 s (words, breaks and audio counted, conservatively);
- a response that keeps the session open has a reprompt;
- Help keeps the session open and ends with a question;
- Stop and Cancel end the session;
- a launch, an intent or a tap (APL UserEvent) always gets a spoken answer; a
  SessionEndedRequest never does;
- screens: APL directives only to a device whose supportedInterfaces has
  Alexa.Presentation.APL, at most one RenderDocument per response; a document shown while the
  session stays open has buttons (no dead end by touch), and every button has a label and
  sends an intent of the interaction model, so that what it does can also be said;
- cards are plain text, title and content under 8,000 characters.
"""
from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from devtools import ssml_text
from devtools.envelopes import Conversation

CERTIFIED_MODULES = frozenset({
    "test_conversation", "test_certification", "test_privacy_logs", "test_safety",
    "test_three_steps", "test_conversation_screens", "test_locales_through_the_skill",
})
# The generated whole model; every locale has the same intents (tests/speech/test_locales.py).
MODEL_PATH = (Path(__file__).resolve().parent.parent / "skill-package" / "interactionModels"
              / "custom" / "en-US.json")

ALEXA_SSML_TAGS = frozenset({
    "speak", "break", "audio", "say-as", "p", "s", "prosody", "emphasis", "sub", "phoneme",
    "lang", "voice", "amazon:effect", "amazon:domain", "amazon:emotion", "w", "mark",
})
MAX_SPEECH_CHARS = 8000
MAX_BREAK_SECONDS = 10.0
MAX_SPEECH_SECONDS = 240.0
MAX_REPROMPT_SECONDS = 90.0

HELP_INTENT = "AMAZON.HelpIntent"
EXIT_INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent")
# Directives that hand the conversation to Alexa; the session ends without a reprompt.
HANDOFF_DIRECTIVES = ("Connections.SendRequest",)
APL_INTERFACE = "Alexa.Presentation.APL"
RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"
USER_EVENT = "Alexa.Presentation.APL.UserEvent"
MAX_CARD_CHARS = 8000

_TAG = re.compile(r"<\s*/?\s*([A-Za-z][\w:.-]*)")


@dataclass(frozen=True)
class Exchange:
    request: dict  # the whole envelope, as sent
    response: dict  # the whole response envelope, as received

    @property
    def label(self) -> str:
        request = self.request.get("request") or {}
        intent = (request.get("intent") or {}).get("name")
        return f"{request.get('type')}{f' {intent}' if intent else ''}"


def ssml_problems(ssml: str, max_seconds: float) -> list[str]:
    """What Alexa's certification would refuse in one SSML string."""
    found: list[str] = []
    declared = re.sub(r"^\s*<speak>", '<speak xmlns:amazon="urn:amazon">', ssml or "", count=1)
    try:
        ET.fromstring(declared)
    except ET.ParseError as error:
        found.append(f"not well-formed XML ({error})")
    unknown = sorted({t for t in _TAG.findall(ssml or "")} - ALEXA_SSML_TAGS)
    if unknown:
        found.append(f"tags Alexa does not support: {unknown}")
    text = ssml_text.spoken_text(ssml)
    if len(text) >= MAX_SPEECH_CHARS:
        found.append(f"{len(text)} characters of speech; keep it under {MAX_SPEECH_CHARS}")
    for piece in ssml_text.pieces(ssml):
        if piece.kind == "break" and piece.seconds > MAX_BREAK_SECONDS:
            found.append(f"a {piece.seconds:g} s break; at most {MAX_BREAK_SECONDS:g} s")
    seconds = ssml_text.duration_seconds(ssml)
    if seconds > max_seconds:
        found.append(f"plays for about {seconds:.0f} s; at most {max_seconds:g} s")
    return found


def exchange_problems(exchange: Exchange) -> list[str]:
    """Every certification problem in one request's response."""
    request = exchange.request.get("request") or {}
    kind = request.get("type")
    intent = (request.get("intent") or {}).get("name")
    body = exchange.response.get("response") or {}
    speech = _ssml(body.get("outputSpeech"))
    reprompt = _ssml((body.get("reprompt") or {}).get("outputSpeech"))
    ends = body.get("shouldEndSession") is True
    handoff = any(d.get("type") in HANDOFF_DIRECTIVES for d in body.get("directives") or [])

    found = [f"outputSpeech: {p}" for p in ssml_problems(speech, MAX_SPEECH_SECONDS)] if speech \
        else []
    if reprompt:
        found += [f"reprompt: {p}" for p in ssml_problems(reprompt, MAX_REPROMPT_SECONDS)]
    if kind == "SessionEndedRequest":
        if speech:
            found.append("a SessionEndedRequest was answered with speech")
        return found
    if kind in ("LaunchRequest", "IntentRequest", USER_EVENT) and not speech and not handoff:
        found.append("no spoken answer: a dead end")
    found += screen_problems(exchange.request, body, ends)
    if speech and not ends and not handoff and not reprompt:
        found.append("the session stays open without a reprompt")
    if intent == HELP_INTENT:
        if ends:
            found.append("Help closed the session")
        if not ssml_text.spoken_text(speech).rstrip().endswith("?"):
            found.append("Help does not end with a question")
    if intent in EXIT_INTENTS and not ends:
        found.append(f"{intent} did not end the session")
    return found


def screen_problems(request: dict, body: dict, ends: bool) -> list[str]:
    """What certification would refuse in a response's screen and card."""
    found: list[str] = []
    directives = body.get("directives") or []
    apl = [d for d in directives if str(d.get("type", "")).startswith(APL_INTERFACE + ".")]
    system = (request.get("context") or {}).get("System") or {}
    supported = (system.get("device") or {}).get("supportedInterfaces") or {}
    if apl and APL_INTERFACE not in supported:
        found.append("APL sent to a device without Alexa.Presentation.APL")
    documents = [d for d in apl if d.get("type") == RENDER_DOCUMENT]
    if len(documents) > 1:
        found.append(f"{len(documents)} RenderDocuments in one response")
    for directive in documents:
        buttons = ((directive.get("datasources") or {}).get("screen") or {}).get("buttons") or []
        if not ends and not buttons:
            found.append("a screen with no buttons while the session stays open: a dead end")
        for button in buttons:
            if not button.get("label"):
                found.append("a button without a label")
            if button.get("intent") not in model_intents():
                found.append(f"a button sends {button.get('intent')!r}, which cannot be said")
    card = body.get("card")
    if card:
        text = str(card.get("title", "")) + str(card.get("content", ""))
        if card.get("type") not in ("Simple", "Standard"):
            found.append(f"a {card.get('type')} card")
        if "<" in text:
            found.append("a card with markup in it")
        if len(text) >= MAX_CARD_CHARS:
            found.append(f"a card of {len(text)} characters")
    return found


@cache
def model_intents() -> frozenset[str]:
    """Every intent of the interaction model: what can be said."""
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return frozenset(i["name"] for i in model["interactionModel"]["languageModel"]["intents"])


def _ssml(speech: dict | None) -> str:
    if not speech:
        return ""
    if speech.get("type") == "PlainText":
        return f"<speak>{html.escape(speech.get('text', ''), quote=False)}</speak>"
    return speech.get("ssml", "")


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "certify: run the Alexa certification checks over this test's responses")


@pytest.fixture(autouse=True)
def certified_responses(request, monkeypatch):
    """The exchanges of this test; checked for certification problems when it ends."""
    module = request.module.__name__.rpartition(".")[2]
    if module not in CERTIFIED_MODULES and request.node.get_closest_marker("certify") is None:
        yield None
        return
    seen: list[Exchange] = []
    original = Conversation._invoke

    def recording(self, envelope):
        response = original(self, envelope)
        seen.append(Exchange(self.last_request or envelope, response))
        return response

    monkeypatch.setattr(Conversation, "_invoke", recording)
    yield seen
    problems = [f"{number}. {exchange.label}: {problem}"
                for number, exchange in enumerate(seen, 1)
                for problem in exchange_problems(exchange)]
    if problems:
        pytest.fail("certification problems:\n" + "\n".join(problems), pytrace=False)
