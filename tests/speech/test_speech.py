"""Words and SSML: every prompt exists in every locale, values are escaped, limits are kept."""
from __future__ import annotations

import re
import string
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from checkin.alexa import intents
from checkin.ritual.events import HeardTime, Kind
from checkin.ritual.reply import Chime, Hold, Reply, Say
from checkin.ritual.state import QUESTIONS, Stage
from checkin.speech.prompts import (
    DEFAULT_LOCALE,
    LANGUAGE_DEFAULTS,
    available_locales,
    prompts,
)
from checkin.speech.render import REPROMPT_HOLD_LIMIT, SPEECH_HOLD_LIMIT, Voice
from devtools import ssml_text
from tests.ritual_helpers import player_at

CODE = Path(__file__).resolve().parents[2] / "lambda" / "checkin"


def _keys_in_code() -> set[str]:
    found = set()
    for path in CODE.rglob("*.py"):
        if "languages" in path.parts:  # each language's clock words: see test_locales
            continue
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'Say\.of\(\s*"([a-z_.]+)"', text))
        found |= set(re.findall(r'key = "([a-z_.]+)"', text))
        found |= set(re.findall(r'"([a-z_]+\.[a-z_.]+)" if ', text))
        found |= set(re.findall(r'else "([a-z_]+\.[a-z_.]+)"', text))
        found |= set(re.findall(r'\.text\("([a-z_.]+)"', text))
        found |= set(re.findall(r'\.label\("([a-z_.]+)"', text))
        found |= set(re.findall(r'_plain_response\("([a-z_.]+)"', text))
        found |= set(re.findall(r'_with_note\(reply, "([a-z_.]+)"', text))
        found |= set(re.findall(r'Button\(\s*"([a-z_.]+)"', text))
        found |= set(re.findall(r'shown\("([a-z_.]+)"', text))
    found |= {f"question.{q}" for q in QUESTIONS} | {"partner.0", "partner.1"}
    return found


def test_every_prompt_the_code_uses_exists_in_every_locale():
    used = _keys_in_code()
    assert len(used) > 60  # the scan itself works
    for locale in available_locales():
        missing = used - set(prompts(locale))
        assert not missing, f"{locale} lacks {sorted(missing)}"


def test_every_locale_of_a_language_has_the_same_prompt_ids():
    for locale in available_locales():
        same_language = LANGUAGE_DEFAULTS[locale[:2]]
        assert set(prompts(locale)) == set(prompts(same_language)), locale


def test_each_question_and_invitation_has_at_least_four_wordings():
    texts = prompts(DEFAULT_LOCALE)
    for key in [f"question.{q}" for q in QUESTIONS] + ["turn.invite", "turn.invite_second"]:
        assert len(texts[key]) >= 4 and len(set(texts[key])) == len(texts[key])


def test_prompts_use_only_known_placeholders():
    allowed = {"speaker", "other", "done", "next", "one", "two", "one_time", "two_time",
               "count", "nights", "minutes", "first", "question", "n",
               "emergency", "crisis", "abuse", "number", "name", "message", "text_number",
               "time", "hour", "minute", "period", "day", "month", "total"}
    for key, wordings in prompts(DEFAULT_LOCALE).items():
        for text in wordings:
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            assert fields <= allowed, key


ODD_NAMES = ("<b>&\"Jo'", "Ren & Kai")


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("kind", list(Kind))
def test_every_reply_renders_to_valid_ssml_within_alexas_limits(stage, kind):
    values = {Kind.NAME: "Jo", Kind.SET_LENGTH: 3, Kind.REMIND: HeardTime(time="21:30"),
              Kind.WHEN: HeardTime(time="21:00")}
    step = player_at(stage)(kind, values.get(kind))
    rendered = Voice(DEFAULT_LOCALE, ODD_NAMES).render(step.reply)
    for ssml in filter(None, (rendered.speech, rendered.reprompt)):
        ET.fromstring(ssml)  # names are escaped, so this always parses
        assert ssml_text.problems(ssml) == []
        assert len(ssml) < 8000
        assert "<b>" not in ssml
    if not step.reply.end_session and step.reply.speech and not step.reply.directives:
        assert rendered.reprompt, "an open session always has a reprompt"


def test_a_five_minute_hold_continues_in_the_reprompt():
    reply = Reply((Say.of("turn.go_on"), Hold(300), Chime(), Say.of("handover.ready", next=None)),
                  (Say.of("paused.reprompt"),))
    rendered = Voice(DEFAULT_LOCALE).render(_with_partner(reply))
    speech_quiet = ssml_text.duration_seconds(rendered.speech)
    assert SPEECH_HOLD_LIMIT <= speech_quiet < 240
    assert "soundbank://" not in rendered.speech
    assert "soundbank://" in rendered.reprompt
    assert ssml_text.duration_seconds(rendered.reprompt) < 90
    assert rendered.reprompt.count("<break") * 10 >= 300 - SPEECH_HOLD_LIMIT - 8 - 10
    assert REPROMPT_HOLD_LIMIT < 90


def _with_partner(reply: Reply) -> Reply:
    from checkin.ritual.reply import Partner
    speech = tuple(Say.of(p.key, next=Partner(1))
                   if isinstance(p, Say) and p.key == "handover.ready" else p
                   for p in reply.speech)
    return Reply(speech, reply.reprompt)


def test_every_intent_in_the_model_has_its_event():
    import json

    from checkin.alexa.handlers import INTENT_EVENTS
    model = json.loads((CODE.parent.parent / "interaction_models" / "en.json").read_text())
    names = {i["name"] for i in model["interactionModel"]["languageModel"]["intents"]}
    assert names == set(INTENT_EVENTS) == set(intents.ALL_INTENTS)


def test_every_prompt_can_be_rendered_for_listening():
    from devtools.listen import render_all

    rendered = dict(render_all(DEFAULT_LOCALE, []))
    assert len(rendered) > 100
    for name, ssml in rendered.items():
        assert ssml_text.problems(ssml) == [], name


def _labels_in_code() -> set[str]:
    """Prompts read as labels: named in a `.label("...")` call, and every button's words."""
    found = {key for key in _keys_in_code() if key.startswith("screen.button.")}
    for path in CODE.rglob("*.py"):
        found |= set(re.findall(r'\.label\("([a-z_.]+)"', path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("walk", [False, True])
def test_a_label_is_its_prompt_as_plain_text_worked_out_once_per_locale(walk):
    keys = _labels_in_code()
    assert len(keys) > 25 and "screen.turn.time_left" in keys
    for locale in available_locales():
        voice = Voice(locale, ("Sam", "Alex"), walk)
        for key in sorted(keys):
            assert "{" not in "".join(prompts(locale)[key]), f"{locale}: {key} has placeholders"
            assert voice.label(key) == voice.plain(Say(key)), (locale, key)
            assert Voice(locale, ("Jo", "Kim"), walk).label(key) is voice.label(key)
