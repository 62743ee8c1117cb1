"""The ritual on screens, through lambda_handler: real-shaped Echo Show, Show 5, Spot, TV and a
speaker without a screen; taps answered as the words; cards in the Alexa app.

The devices are the JSON files in tests/events/devices/ (their viewports checked against
ask-sdk's own profile rules below); a tap is the Alexa.Presentation.APL.UserEvent a device
sends, built from tests/events/apl_user_event.json.
"""
from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.utils.viewport import ViewportProfile, get_viewport_profile
from ask_sdk_model import RequestEnvelope

from checkin.alexa import intents
from checkin.alexa.session_state import saved_state
from checkin.logs import LOGGER_NAME
from checkin.ritual.history import COMPLETED
from checkin.store.keys import household_key
from devtools import screen_text
from devtools.alexa_api import TIMERS_SCOPE
from devtools.envelopes import DEFAULT_SKILL_ID, Conversation, load_event
from tests.skill_fixtures import (
    EVENING,
    alexa_api,
    introduce,
    no_small_thing,
    six_turns,
    talk_with_api,
    wire,
    yes_now,
)

SCREENS = {
    "echo_show": ViewportProfile.HUB_LANDSCAPE_LARGE,
    "echo_show_5": ViewportProfile.HUB_LANDSCAPE_SMALL,
    "echo_spot": ViewportProfile.HUB_ROUND_SMALL,
    "fire_tv": ViewportProfile.TV_LANDSCAPE_XLARGE,
}
NO_SCREEN = ("echo_dot", "echo_show_old")  # no APL at all; APL older than the documents need
APL_PREFIX = "Alexa.Presentation.APL."


@pytest.fixture
def handler(monkeypatch, moto_repository):
    return wire(monkeypatch, moto_repository, DEFAULT_SKILL_ID)


def on(handler, device: str | None, user: str = "SCREEN") -> Conversation:
    return Conversation(handler, start=EVENING, device=device,
                        user_id=f"amzn1.ask.account.{user}")


def household_of(talk: Conversation) -> str:
    return household_key(talk.user_id, "")


def renders(response: dict) -> list[dict]:
    return [d for d in (response.get("response") or {}).get("directives") or []
            if d["type"] == screen_text.RENDER_DOCUMENT]


def apl_directives(response: dict) -> list[dict]:
    return [d for d in (response.get("response") or {}).get("directives") or []
            if d["type"].startswith(APL_PREFIX)]


class Recorded:
    """Every response a conversation receives, in order."""

    def __init__(self, talk: Conversation):
        self.responses: list[tuple[dict, dict]] = []
        original = talk._invoke

        def invoke(envelope: dict) -> dict:
            response = original(envelope)
            self.responses.append((envelope["request"], response))
            return response
        talk._invoke = invoke  # type: ignore[method-assign]


@pytest.mark.parametrize("device", SCREENS)
def test_the_test_devices_are_the_viewport_profiles_they_claim(device):
    envelope = load_event("launch_request")
    context = load_event(f"devices/{device}")
    envelope["context"]["System"]["device"]["supportedInterfaces"] = \
        context["System"]["device"]["supportedInterfaces"]
    envelope["context"]["Viewport"] = context["Viewport"]
    parsed = DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope)
    assert get_viewport_profile(parsed) is SCREENS[device]
    assert parsed.context.system.device.supported_interfaces.alexa_presentation_apl is not None


@pytest.mark.parametrize("device", SCREENS)
def test_a_whole_ritual_on_a_screen_sends_one_document_with_every_answer(
        handler, moto_repository, device):
    # Given a couple on a device with a screen, playing a whole evening by voice
    talk = on(handler, device)
    seen = Recorded(talk)
    introduce(talk)
    talk.intent(intents.YES)
    six_turns(talk)
    talk.launch()
    talk.intent(intents.HISTORY)
    talk.intent(intents.SAFETY)
    talk.intent(intents.STOP)
    # Then every spoken answer carried exactly one RenderDocument, and nothing else of APL
    for request, response in seen.responses:
        assert len(renders(response)) == 1, request
        assert apl_directives(response) == renders(response)
    kinds = [screen_text.kind(renders(r)[0]) for _, r in seen.responses]
    assert kinds.count("turn") == 6 and "close" in kinds and "history" in kinds
    assert "safety" in kinds
    [record] = moto_repository.rituals(household_of(talk), talk.now)
    assert record.outcome == COMPLETED


@pytest.mark.parametrize("device", NO_SCREEN)
def test_a_device_that_cannot_draw_the_documents_gets_no_apl_but_the_app_gets_its_cards(
        handler, device):
    talk = on(handler, device)
    seen = Recorded(talk)
    introduce(talk)
    talk.intent(intents.YES)
    six_turns(talk)
    assert all(apl_directives(response) == [] for _, response in seen.responses)
    assert talk.last_response["response"]["card"]["title"] == "Check-in complete"


def test_a_turn_screen_names_the_speaker_the_listener_the_question_and_counts_down(handler):
    talk = on(handler, "echo_show")
    introduce(talk)
    talk.intent(intents.YES)
    data = screen_text.screen_data(talk.screen)
    assert data["title"] == "Sam is speaking" and data["subtitle"] == "Alex is listening"
    assert data["question"] in talk.speech  # the question as it was asked
    assert data["countdownMs"] == 120_000 and data["barFrom"] == 1
    talk.advance(45)
    assert "1:12 left" in talk.screen_line  # 3 s after the answer, then 45 s of talking
    assert talk.screen_line.endswith("buttons: I'm done, More time, Pause]")


def test_a_whole_ritual_by_touch(handler, moto_repository):
    # Given a first evening on an Echo Show, opened by voice ("Alexa, open connection check in")
    talk = on(handler, "echo_show")
    seen = Recorded(talk)
    talk.launch()
    # When everything after that is a tap: skip names, yes, six turns, each ended by a tap
    talk.tap("skip")
    talk.tap("yes")
    for _ in range(6):
        talk.advance(60)
        talk.tap("done")
    # Then the check-in is recorded, each tap answered in words, and the close on screen
    [record] = moto_repository.rituals(household_of(talk), talk.now)
    assert record.outcome == COMPLETED and record.seconds == (180 + 9, 180 + 9)
    taps = [(q, r) for q, r in seen.responses if q["type"] == "Alexa.Presentation.APL.UserEvent"]
    assert len(taps) == 8 and all(r["response"]["outputSpeech"]["ssml"] for _, r in taps)
    assert screen_text.kind(talk.screen) == "close"


@pytest.mark.parametrize(("button", "intent"), [
    ("done", intents.DONE), ("more time", intents.MORE_TIME), ("pause", intents.PAUSE)])
def test_a_tap_is_answered_exactly_as_its_words(handler, button, intent):
    # Two couples at the same moment of the same turn: one taps, the other speaks
    tapping, speaking = on(handler, "echo_show", "TAPS"), on(handler, "echo_show", "SPEAKS")
    for talk in (tapping, speaking):
        introduce(talk)
        talk.intent(intents.YES)
        talk.advance(40)
    tapping.tap(button)
    speaking.intent(intent)
    assert tapping.speech_ssml == speaking.speech_ssml
    assert tapping.reprompt_ssml == speaking.reprompt_ssml
    assert saved_state(tapping.attributes)["stage"] == saved_state(speaking.attributes)["stage"]


def test_a_tap_on_a_document_replaced_since_is_answered_as_the_words_would_be(handler, caplog):
    # Given a turn that was asked again, so the first turn screen is no longer on screen
    tapping, speaking = on(handler, "echo_show", "TAPS"), on(handler, "echo_show", "SPEAKS")
    for talk in (tapping, speaking):
        introduce(talk)
        talk.intent(intents.YES)
    old_token = tapping.screen["token"]
    for talk in (tapping, speaking):
        talk.advance(30)
        talk.intent(intents.REPEAT)
        talk.advance(30)
    assert tapping.screen["token"] != old_token
    # When "I'm done" is touched on the old document
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        tapping.tap("done", token=old_token)
    speaking.intent(intents.DONE)
    # Then it is answered as "I'm done" said now, and noted as a tap on a stale document
    assert tapping.speech_ssml == speaking.speech_ssml
    assert any('"stale": true' in r.getMessage() for r in caplog.records)


def test_a_tap_after_the_session_closed_opens_one_as_a_one_shot_would(handler):
    # Given a pause, after which Alexa closed the session with the paused screen still up
    tapping, speaking = on(handler, "echo_show", "TAPS"), on(handler, "echo_show", "SPEAKS")
    for talk in (tapping, speaking):
        introduce(talk)
        talk.intent(intents.YES)
        talk.advance(30)
        talk.intent(intents.PAUSE)
        talk.wait(60)
        assert not talk.session_open
    # When "Carry on" is touched, or "Alexa, tell connection check in to carry on" said
    tapping.tap("carry on")
    speaking.intent(intents.RESUME)
    assert tapping.speech_ssml == speaking.speech_ssml and tapping.session_open


def test_a_tap_naming_nothing_the_skill_knows_is_answered_as_words_not_understood(handler):
    talk = on(handler, "echo_show")
    introduce(talk)
    body = load_event("apl_user_event")["request"]
    for field in ("requestId", "timestamp", "locale"):
        body.pop(field)
    body["arguments"] = ["SomethingElse", 3]
    talk.send(body)
    assert talk.speech.startswith("Sorry, I didn't quite get that.") and talk.session_open


def test_a_walk_on_an_echo_show_shows_nothing(handler):
    talk = on(handler, "echo_show")
    introduce(talk)
    talk.intent(intents.STOP)
    seen = Recorded(talk)
    talk.launch()
    talk.intent(intents.START_WALK)
    walk_requests = seen.responses[1:]
    # Alexa asks about timers first; without them the walk holds its turns in the session
    talk.connections_response("DENIED", token=talk.directives[0]["token"],
                              permission_scope=TIMERS_SCOPE)
    talk.intent(intents.YES)
    six_turns(talk, seconds=240)
    for request, response in walk_requests + seen.responses[2:]:
        assert apl_directives(response) == [], request
    assert talk.last_response["response"]["card"]["title"] == "Check-in complete"


def test_safety_shows_the_numbers_large_and_plain_and_sends_them_to_the_app(handler):
    talk = on(handler, "echo_show")
    introduce(talk)
    talk.intent(intents.SAFETY)
    data = screen_text.screen_data(talk.screen)
    assert [line["number"] for line in data["numbers"]] == ["911", "988", "1-800-799-7233"]
    card = talk.last_response["response"]["card"]
    assert card["type"] == "Simple" and "1-800-799-7233" in card["content"]
    assert "<" not in card["content"] and len(card["title"] + card["content"]) < 8000
    assert [screen_text.button_id(b) for b in data["buttons"]] == ["resume", "stop"]


def test_the_close_card_and_screen_speak_of_time_together_and_a_gentle_count(handler):
    talk = on(handler, "echo_show")
    introduce(talk)
    talk.intent(intents.YES)
    six_turns(talk, seconds=90)
    data = screen_text.screen_data(talk.screen)
    assert [bar["name"] for bar in data["bars"]] == ["Sam", "Alex"]
    # No nightly reminder yet: the close ends with the plan, and its answers as buttons.
    assert data["notes"] == ["Your first check-in together",
                             "Would you like me to remind you, same time tomorrow?"]
    assert [b["label"] for b in data["buttons"]] == ["Yes", "No, thanks"]
    card = talk.last_response["response"]["card"]
    assert card == {"type": "Simple", "title": "Check-in complete",
                    "content": "You talked for about 9 minutes together."}
    talk.tap("no, thanks")
    assert "Whenever you'd like" in talk.speech and not talk.session_open


def test_history_charts_the_last_eight_weeks(handler):
    talk = on(handler, "echo_show")
    introduce(talk)
    for _ in range(2):
        yes_now(talk)  # the second evening offers the check of the five signs: skipped
        six_turns(talk)
        no_small_thing(talk)
        talk.clock += timedelta(days=7)
        talk.launch()
    talk.intent(intents.HISTORY)
    data = screen_text.screen_data(talk.screen)
    assert [week["count"] for week in data["weeks"]] == [0, 0, 0, 0, 0, 1, 1, 0]
    assert data["lines"][:2] == ["2 check-ins together",
                                 "Is now a good time for both of you to talk?"]


def test_history_shows_the_trend_of_the_checks_in_words_never_a_score(handler):
    talk = on(handler, "echo_show")
    introduce(talk)
    talk.intent(intents.YES)
    six_turns(talk)
    for signs in (3, 3, 3, 3, 3, 1, 1, 1, 1):  # a check a week; fewer signs this month
        talk.clock += timedelta(days=7)
        talk.launch()
        talk.intent(intents.YES)
        assert "five short lines" in talk.speech
        talk.intent(intents.YES)
        for line in range(5):
            talk.intent(intents.YES if line < signs else intents.NO)
        talk.intent(intents.STOP)
    talk.clock += timedelta(days=1)
    talk.launch()
    talk.intent(intents.HISTORY)
    data = screen_text.screen_data(talk.screen)
    assert "Fewer signs of drifting than a month ago" in data["lines"]
    assert not any(char.isdigit() for line in data["lines"][1:] for char in line)


def test_a_timer_kept_turn_still_shows_its_countdown_as_the_microphone_closes(
        monkeypatch, moto_repository):
    with alexa_api("America/New_York") as api:
        talk = talk_with_api(monkeypatch, moto_repository, api)
        talk.use_device("echo_show")
        api.grant(TIMERS_SCOPE)
        talk.grants.add(TIMERS_SCOPE)
        introduce(talk)
        talk.intent(intents.YES)
        assert "set a timer" in talk.speech and not talk.session_open
        data = screen_text.screen_data(talk.screen)
        assert screen_text.kind(talk.screen) == "turn" and data["countdownMs"] == 120_000


def test_only_the_system_part_of_a_requests_context_is_read(handler):
    # A screen device describes its viewports and the document on screen; the skill reads none
    # of it (the documents adapt on the device), so none of it is turned into ask-sdk models:
    # not even a viewport ask-sdk could not read. Its supported interfaces are read from the
    # raw event, so they are not turned into models either.
    event = load_event("apl_user_event")
    event["context"]["Viewport"]["shape"] = "OVAL"
    event["session"]["application"]["applicationId"] = DEFAULT_SKILL_ID
    event["context"]["System"]["application"]["applicationId"] = DEFAULT_SKILL_ID
    response = handler(event, None)
    speech = response["response"]["outputSpeech"]["ssml"]
    assert "went wrong" not in speech and renders(response)


@pytest.mark.parametrize("apl", [None, [], "yes", {"runtime": []},
                                 {"runtime": {"maxVersion": 2024}},
                                 {"runtime": {"maxVersion": "one.six"}}])
def test_a_device_describing_its_screen_oddly_is_answered_by_voice_alone(handler, apl):
    def launch(apl: object) -> dict:
        event = load_event("launch_request")
        event["session"]["application"]["applicationId"] = DEFAULT_SKILL_ID
        event["context"]["System"]["application"]["applicationId"] = DEFAULT_SKILL_ID
        event["context"]["System"]["device"]["supportedInterfaces"][
            "Alexa.Presentation.APL"] = apl
        return handler(event, None)

    assert renders(launch({"runtime": {"maxVersion": "1.6"}}))  # as a screen describes itself
    response = launch(apl)
    assert "welcome to Connection Check-In" in response["response"]["outputSpeech"]["ssml"]
    assert apl_directives(response) == []
