"""Streaks follow the household's local date, taken from the Alexa Settings API."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from checkin.alexa import intents
from devtools.envelopes import DEFAULT_SKILL_ID, Conversation
from tests.skill_fixtures import household, no_small_thing, wire, yes_now

# 23:00 on the 26th in UTC+14, and two hours later it is already the 27th there (not in UTC).
LATE_EVENING_UTC = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _ritual(talk: Conversation) -> None:
    talk.launch()
    if "call one of you" in talk.speech:
        talk.intent(intents.NAME, name="Sam")
        talk.intent(intents.NAME, name="Alex")
    yes_now(talk)
    for _ in range(6):
        talk.advance(20)
        talk.intent(intents.DONE)
    no_small_thing(talk)


def _two_rituals_two_hours_apart(monkeypatch, repository, endpoint) -> Conversation:
    handler = wire(monkeypatch, repository, DEFAULT_SKILL_ID)
    talk = Conversation(handler, start=LATE_EVENING_UTC, api_endpoint=endpoint)
    _ritual(talk)
    talk.advance(2 * 3600)
    _ritual(talk)
    return talk


@pytest.mark.alexa_api("Pacific/Kiritimati")
def test_streaks_use_the_device_time_zone_and_it_is_cached(monkeypatch, moto_repository, api):
    talk = _two_rituals_two_hours_apart(monkeypatch, moto_repository, api.endpoint)
    profile = moto_repository.load(household(), talk.now).profile
    assert profile.time_zone == "Pacific/Kiritimati"
    assert profile.streak == 2 and "2 nights in a row" in talk.speech
    asked = [c for c in api.calls if c.path.endswith("System.timeZone")]
    assert len(asked) == 1, "asked once, then read from the profile"


def test_without_the_settings_api_dates_fall_back_to_utc(monkeypatch, moto_repository):
    # Nothing listens on this port: the API call fails fast and the ritual goes on.
    talk = _two_rituals_two_hours_apart(monkeypatch, moto_repository, "http://127.0.0.1:9")
    profile = moto_repository.load(household(), talk.now).profile
    assert profile.time_zone == "" and profile.streak == 1 and profile.completed == 2
    assert "Thank you both" in talk.speech
