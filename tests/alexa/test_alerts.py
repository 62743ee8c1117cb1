"""The Alexa alerts adapter and directives against the fake Alexa API, and the manifest for them.

Bodies are checked as the fake API received them over HTTP; every documented error becomes a
reported failure, never an exception; a slow API costs at most the client's timeout.
"""
from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from ask_sdk_model.services import ApiConfiguration, ServiceClientFactory

from checkin.alexa import alerts
from checkin.alexa.alerts import (
    BAD_REQUEST,
    NO_PERMISSION,
    SERVER_ERROR,
    THROTTLED,
    UNAVAILABLE,
    UNREACHABLE,
    execute_alert_effects,
    storage_effects,
)
from checkin.alexa.api_client import TimedApiClient
from checkin.alexa.directives import (
    granted_scopes,
    permission_answer,
    sdk_directives,
    started_by_task,
)
from checkin.ritual.events import PermissionAnswer
from checkin.ritual.profile import Profile
from checkin.ritual.reply import (
    REMINDERS,
    TIMERS,
    AskPermission,
    CancelReminder,
    CancelTimer,
    CompleteTask,
    Partner,
    SaveCheckpoint,
    SaveProfile,
    Say,
    SetReminder,
    StartTimer,
)
from checkin.ritual.state import Checkpoint, Ritual, Stage, State
from checkin.speech.render import Voice
from devtools import envelopes
from devtools.alexa_api import (
    DEFAULT_ACCESS_TOKEN,
    REMINDERS_SCOPE,
    TIMERS_SCOPE,
    AlexaApiStub,
    describe,
    describe_reminders,
    describe_timers,
)

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 26, 20, 30, tzinfo=UTC)  # 15:30 in New York
_serializer = DefaultSerializer()


@pytest.fixture
def api():
    stub = AlexaApiStub(time_zone="Europe/Paris", clock=lambda: NOW).start()
    stub.grant(REMINDERS_SCOPE, TIMERS_SCOPE)
    yield stub
    stub.stop()


def handler_input(api: AlexaApiStub | None, token: str = DEFAULT_ACCESS_TOKEN,
                  endpoint: str | None = None, grants: set[str] = frozenset()) -> HandlerInput:
    talk = envelopes.Conversation(lambda e, c: {}, start=NOW, grants=grants,
                                  api_endpoint=endpoint or (api.endpoint if api else ""),
                                  api_access_token=token)
    raw = talk._envelope({"type": "IntentRequest", "requestId": "r", "locale": "en-US",
                          "timestamp": envelopes.alexa_timestamp(NOW),
                          "intent": {"name": "AMAZON.YesIntent"}}, new=False)
    envelope = _serializer.deserialize(json.dumps(raw), RequestEnvelope)
    system = envelope.context.system
    factory = ServiceClientFactory(ApiConfiguration(
        serializer=_serializer, api_client=TimedApiClient(),
        authorization_value=system.api_access_token, api_endpoint=system.api_endpoint))
    return HandlerInput(request_envelope=envelope, service_client_factory=factory)


def state(zone: str = "America/New_York", **profile: object) -> State:
    ritual = Ritual("r1", started_at=int(NOW.timestamp()), first_partner=0, wording_base=0,
                    question_seconds=120)
    return State(Stage.TURN, Profile(names=("Sam & Jo", "Alex"), named=True, time_zone=zone,
                                     **profile), ritual=ritual)


VOICE = Voice("en-US", ("Sam & Jo", "Alex"))
HANDOVER = Say.of("timer.handover", done=Partner(0), next=Partner(1))


def run(api, effects, start: State | None = None, **kwargs):
    return execute_alert_effects(handler_input(api, **kwargs), start or state(), tuple(effects),
                                 VOICE, int(NOW.timestamp()), time.monotonic)


# --- reminders ---------------------------------------------------------------------------------

def test_a_nightly_reminder_repeats_by_rrule_in_the_household_time_zone(api):
    # When a daily reminder at 21:00 is set for a household in New York
    after, failures = run(api, [SetReminder("21:00")])
    # Then the API received one discreet, daily, local reminder
    assert failures == ()
    [call] = api.calls_to("/v1/alerts/reminders", "POST")
    trigger = call.body["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE"
    assert trigger["timeZoneId"] == "America/New_York"
    assert trigger["scheduledTime"].startswith("2026-11-26T21:00")  # tonight, local, no offset
    assert "Z" not in trigger["scheduledTime"] and "+" not in trigger["scheduledTime"]
    assert trigger["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]
    assert "freq" not in trigger["recurrence"]
    assert call.body["alertInfo"]["spokenInfo"]["content"] == [
        {"locale": "en-US", "text": "Time for your check-in."}]
    assert "Sam" not in json.dumps(call.body) and "Alex" not in json.dumps(call.body)
    assert call.body["pushNotification"] == {"status": "ENABLED"}
    # And its id is kept in the profile
    assert after.profile.reminder_id == call_token(api) and after.profile.reminder_time == "21:00"


def call_token(api: AlexaApiStub) -> str:
    [token] = api.reminders
    return token


def test_a_daily_time_already_past_starts_tomorrow(api):
    run(api, [SetReminder("09:30")])
    [call] = api.calls_to("/v1/alerts/reminders", "POST")
    assert call.body["trigger"]["scheduledTime"].startswith("2026-11-27T09:30")


def test_without_a_known_zone_the_settings_api_gives_it_and_it_is_kept(api):
    after, failures = run(api, [SetReminder("21:00")], state(zone=""))
    [call] = api.calls_to("/v1/alerts/reminders", "POST")
    assert failures == () and call.body["trigger"]["timeZoneId"] == "Europe/Paris"
    assert after.profile.time_zone == "Europe/Paris"


def test_without_any_zone_alexa_uses_the_devices_own(api):
    api.fail_always("/v2/devices", 500)
    _, failures = run(api, [SetReminder("21:00")], state(zone=""))
    [call] = api.calls_to("/v1/alerts/reminders", "POST")
    assert failures == () and "timeZoneId" not in call.body["trigger"]  # never UTC by mistake


def test_a_one_off_reminder_rings_once_and_leaves_the_nightly_id_alone(api):
    before = state(reminder_id="nightly", reminder_time="21:00")
    after, failures = run(api, [SetReminder("22:30", "2026-11-26")], before)
    [call] = api.calls_to("/v1/alerts/reminders", "POST")
    assert failures == () and "recurrence" not in call.body["trigger"]
    assert call.body["trigger"]["scheduledTime"].startswith("2026-11-26T22:30")
    assert after.profile.reminder_id == "nightly"


def test_changing_the_time_replaces_the_old_reminder(api):
    run(api, [SetReminder("21:00")])
    old = call_token(api)
    after, failures = run(api, [SetReminder("22:00", "", old)],
                          state(reminder_id=old, reminder_time="21:00"))
    assert failures == () and old not in api.reminders and len(api.reminders) == 1
    assert after.profile.reminder_id == call_token(api) != old


def test_replacing_a_reminder_deleted_in_the_app_is_fine(api):
    after, failures = run(api, [SetReminder("22:00", "", "deleted-in-the-app")])
    assert failures == () and after.profile.reminder_id == call_token(api)


def test_an_old_reminder_that_cannot_be_removed_is_reported_but_the_new_one_kept(api):
    run(api, [SetReminder("21:00")])
    old = call_token(api)
    api.fail_next(f"/v1/alerts/reminders/{old}", 500)
    after, failures = run(api, [SetReminder("22:00", "", old)], state(reminder_id=old))
    assert after.profile.reminder_id not in ("", old)
    assert [(f.effect, f.reason) for f in failures] == [(CancelReminder(old), SERVER_ERROR)]


def test_stopping_reminders_deletes_it_and_a_missing_one_is_not_a_failure(api):
    run(api, [SetReminder("21:00")])
    token = call_token(api)
    after, failures = run(api, [CancelReminder(token)], state(reminder_id=token))
    assert failures == () and api.reminders == {} and after.profile.reminder_id == ""
    _, failures = run(api, [CancelReminder(token)])
    assert failures == ()


def test_a_reminder_that_cannot_be_deleted_keeps_its_id_so_stop_can_retry(api):
    run(api, [SetReminder("21:00")])
    token = call_token(api)
    api.fail_next("/v1/alerts/reminders", 500)
    cleared = state(reminder_id="", reminder_time="")  # the engine has already let it go
    after, failures = run(api, [CancelReminder(token)], cleared)
    assert [f.reason for f in failures] == [SERVER_ERROR] and token in api.reminders
    assert after.profile.reminder_id == token


# --- timers ------------------------------------------------------------------------------------

def test_a_turn_timer_is_hidden_and_announces_the_handover_by_name(api):
    after, failures = run(api, [StartTimer(120, HANDOVER)])
    assert failures == ()
    [call] = api.calls_to("/v1/alerts/timers", "POST")
    body = call.body
    assert body["duration"] == "PT2M" and body["timerLabel"] == "Check-in"
    assert body["creationBehavior"] == {"displayExperience": {"visibility": "HIDDEN"}}
    operation = body["triggeringBehavior"]["operation"]
    assert operation["type"] == "ANNOUNCE"
    assert body["triggeringBehavior"]["notificationConfig"] == {"playAudible": True}
    [announce] = operation["textToAnnounce"]
    assert announce["locale"] == "en-US"
    # Plain text, names unescaped, no SSML
    assert announce["text"].startswith("Time's up, Sam & Jo. Alex, when you're ready")
    assert "<" not in announce["text"] and "&amp;" not in announce["text"]
    assert after.ritual.timer_id == next(iter(api.timers))


@pytest.mark.parametrize("seconds, duration", [(240, "PT4M"), (90, "PT1M30S"), (45, "PT45S"),
                                               (7200, "PT2H"), (9000, "PT2H")])
def test_durations_are_iso_8601_and_at_most_two_hours(seconds, duration):
    assert alerts.iso_duration(seconds) == duration


def test_cancelling_a_timer_that_already_rang_is_not_a_failure(api):
    after, _ = run(api, [StartTimer(60, HANDOVER)])
    timer_id = after.ritual.timer_id
    cancelled, failures = run(api, [CancelTimer(timer_id)], after)
    assert failures == () and api.timers == {} and cancelled.ritual.timer_id == ""
    _, failures = run(api, [CancelTimer(timer_id)])
    assert failures == ()


# --- failures ------------------------------------------------------------------------------------

@pytest.mark.parametrize("status, reason", [(400, BAD_REQUEST), (401, NO_PERMISSION),
                                            (429, THROTTLED), (500, SERVER_ERROR)])
@pytest.mark.parametrize("path, effect", [
    ("/v1/alerts/reminders", SetReminder("21:00")),
    ("/v1/alerts/timers", StartTimer(120, HANDOVER)),
], ids=["reminder", "timer"])
def test_each_documented_error_is_a_reported_failure(api, path, effect, status, reason):
    api.fail_next(path, status)
    before = state()
    after, failures = run(api, [effect], before)
    assert [(f.effect, f.status, f.reason) for f in failures] == [(effect, status, reason)]
    assert failures[0].kind == ("reminder" if "reminders" in path else "timer")
    assert after.profile.reminder_id == "" and after.ritual.timer_id == ""


def test_a_wrong_access_token_is_refused_as_no_permission(api):
    _, failures = run(api, [StartTimer(120, HANDOVER)], token="someone-elses-token")
    assert [(f.status, f.reason) for f in failures] == [(401, NO_PERMISSION)]
    assert api.calls[-1].status == 401 and api.timers == {}


def test_a_permission_withdrawn_in_the_app_is_refused_as_no_permission(api):
    api.revoke(REMINDERS_SCOPE)
    _, failures = run(api, [SetReminder("21:00")])
    assert [(f.status, f.reason) for f in failures] == [(401, NO_PERMISSION)]


def test_a_slow_api_fails_within_the_timeout_and_the_rest_is_not_attempted(api):
    api.slow("/v1/alerts", 5.0)
    started = time.monotonic()
    _, failures = run(api, [CancelTimer("t-old"), StartTimer(120, HANDOVER)])
    assert time.monotonic() - started < 2.5
    assert [(f.status, f.reason) for f in failures] == [(0, UNREACHABLE), (0, UNREACHABLE)]
    assert len(api.calls_to("/v1/alerts")) <= 1


def test_nothing_listening_is_unreachable():
    _, failures = run(None, [SetReminder("21:00")], endpoint="http://127.0.0.1:9")
    assert [(f.status, f.reason) for f in failures] == [(0, UNREACHABLE)]


def test_without_an_access_token_nothing_is_called(api):
    _, failures = run(api, [SetReminder("21:00"), StartTimer(60, HANDOVER)], token="")
    assert [f.reason for f in failures] == [UNAVAILABLE, UNAVAILABLE] and api.calls == []


def test_failures_are_logged_without_names_or_ids(api, caplog):
    api.fail_next("/v1/alerts/timers", 429)
    with caplog.at_level("INFO", logger="checkin"):
        run(api, [StartTimer(120, HANDOVER)])
    text = caplog.text
    assert "alert_failed" in text and '"reason": "throttled"' in text
    assert "Sam" not in text and "TESTUSER" not in text and DEFAULT_ACCESS_TOKEN not in text


def test_storage_effects_are_left_to_the_store(api):
    effects = (SaveProfile(Profile()), StartTimer(60, HANDOVER))
    _, failures = run(api, effects)
    assert failures == () and len(api.calls_to("/v1/alerts/timers")) == 1


# --- storing the ids ---------------------------------------------------------------------------

def test_the_checkpoint_carries_the_timer_id_so_a_one_shot_finds_it():
    before = state()
    checkpoint = SaveCheckpoint(Checkpoint(before.ritual), 99)
    after = replace(before, ritual=replace(before.ritual, timer_id="t-1"))
    stored = storage_effects((StartTimer(60, HANDOVER), checkpoint), after, 0)
    assert stored == (SaveCheckpoint(Checkpoint(after.ritual), 99),)


def test_a_new_reminder_id_is_saved_with_the_profile():
    after = state(reminder_id="rem-1", reminder_time="21:00")
    stored = storage_effects((SetReminder("21:00"), SaveProfile(Profile(reminder_time="21:00"))),
                             after, 0)
    assert [e.profile.reminder_id for e in stored] == ["rem-1"]
    assert storage_effects((SetReminder("21:00"),), after, 0) == (SaveProfile(after.profile),)


# --- directives and permissions ----------------------------------------------------------------

def test_ask_permission_becomes_connections_send_request():
    [directive] = _serializer.serialize(sdk_directives((AskPermission(TIMERS, "timers|walk"),)))
    assert directive == {
        "type": "Connections.SendRequest", "name": "AskFor", "token": "timers|walk",
        "payload": {"@type": "AskForPermissionsConsentRequest", "@version": "2",
                    "permissionScopes": [{"permissionScope": TIMERS_SCOPE,
                                          "consentLevel": "ACCOUNT"}]}}
    [reminders] = _serializer.serialize(sdk_directives((AskPermission(REMINDERS, "r"),)))
    assert reminders["payload"]["permissionScopes"][0]["permissionScope"] == REMINDERS_SCOPE


def test_complete_task_tells_the_routine_it_succeeded():
    assert _serializer.serialize(sdk_directives((CompleteTask(),))) == [
        {"type": "Tasks.CompleteTask", "status": {"code": "200", "message": "OK"}}]


def test_granted_scopes_come_from_the_request():
    assert granted_scopes(handler_input(None).request_envelope) == frozenset()
    both = handler_input(None, grants={REMINDERS_SCOPE, TIMERS_SCOPE}).request_envelope
    assert granted_scopes(both) == {REMINDERS, TIMERS}
    assert granted_scopes(RequestEnvelope()) == frozenset()


def _envelope(request: dict) -> RequestEnvelope:
    raw = envelopes.load_event("launch_request")
    raw["request"] = dict(raw["request"], **request)
    return _serializer.deserialize(json.dumps(raw), RequestEnvelope)


def test_permission_answers_are_read_from_connections_response():
    answer = envelopes.load_event("connections_response")
    answer["request"]["token"] = "remind|daily||21:00"
    envelope = _serializer.deserialize(json.dumps(answer), RequestEnvelope)
    assert permission_answer(envelope) == PermissionAnswer("ACCEPTED", "remind|daily||21:00")
    answer["request"]["status"] = {"code": "500", "message": "Internal error"}
    envelope = _serializer.deserialize(json.dumps(answer), RequestEnvelope)
    assert permission_answer(envelope).status == "NOT_ANSWERED"
    assert permission_answer(_envelope({})) is None


@pytest.mark.parametrize("name, started", [
    ("amzn1.ask.skill.00000000-0000-0000-0000-000000000000.StartCheckIn", True),
    ("StartCheckIn", True), ("SomethingElse", False)])
def test_a_routine_task_launch_is_recognised(name, started):
    assert started_by_task(_envelope({"task": {"name": name, "version": "1"}})) is started
    assert started_by_task(_envelope({})) is False


# --- the manifest --------------------------------------------------------------------------------

def _manifest() -> dict:
    return json.loads((ROOT / "skill-package" / "skill.json").read_text())["manifest"]


def test_the_manifest_declares_the_reminders_and_timers_permissions():
    names = {p["name"] for p in _manifest()["permissions"]}
    assert names == {REMINDERS_SCOPE, TIMERS_SCOPE}


def test_every_declared_task_has_an_openapi_definition_with_one_post_path():
    tasks = _manifest()["apis"]["custom"]["tasks"]
    assert tasks == [{"name": "StartCheckIn", "version": "1"}]
    files = sorted(p.name for p in (ROOT / "skill-package" / "tasks").glob("*.json"))
    assert files == [f"{t['name']}.{t['version']}.json" for t in tasks]
    for task in tasks:
        spec = json.loads((ROOT / "skill-package" / "tasks" /
                           f"{task['name']}.{task['version']}.json").read_text())
        assert spec["openapi"].startswith("3.") and spec["info"]["version"] == task["version"]
        assert spec["info"]["x-amzn-alexa-access-scope"] == "public"
        assert spec["info"]["x-amzn-display-details"]["en-US"]["title"]
        assert list(spec["paths"]) == [f"/{task['name']}"]
        operation = spec["paths"][f"/{task['name']}"]
        assert set(operation) - {"summary", "description"} == {"post"}
        body = operation["post"]["requestBody"]
        assert not body.get("required") and list(body["content"]) == ["application/json"]
        schema = spec["components"]["schemas"]["Input"]
        assert not schema.get("required")  # no input is needed to start a check-in
        assert "200" in operation["post"]["responses"]


# --- the fake API itself -----------------------------------------------------------------------

def test_the_fake_api_expects_the_token_conversations_send():
    talk = envelopes.Conversation(lambda e, c: {}, start=NOW)
    assert talk.api_access_token == DEFAULT_ACCESS_TOKEN


def test_fake_timers_pause_resume_fire_and_announce():
    moment = [NOW]
    stub = AlexaApiStub(clock=lambda: moment[0])
    stub.grant(TIMERS_SCOPE)
    auth = f"Bearer {DEFAULT_ACCESS_TOKEN}"
    body = _serializer.serialize(alerts.timer_request(StartTimer(120, HANDOVER), VOICE))
    status, created = stub.route("POST", "/v1/alerts/timers", body, auth)
    assert status == 200 and created["status"] == "ON"
    path = f"/v1/alerts/timers/{created['id']}"
    moment[0] += timedelta(seconds=30)
    assert stub.route("POST", f"{path}/pause", None, auth)[0] == 200
    moment[0] += timedelta(minutes=10)
    assert stub.fire_due() == []  # paused: 90 s still left
    assert stub.route("GET", path, None, auth)[1]["remainingTimeWhenPaused"] == "PT90S"
    assert stub.route("POST", f"{path}/resume", None, auth)[0] == 200
    moment[0] += timedelta(seconds=89)
    assert stub.fire_due() == []
    moment[0] += timedelta(seconds=1)
    [fired] = stub.fire_due()
    assert fired.announced.startswith("Time's up, Sam & Jo.") and stub.timers == {}
    assert stub.route("DELETE", path, None, auth)[0] == 404  # gone once it rang
    assert "announced" in describe_timers(stub)[0]


@pytest.mark.parametrize("change, code", [
    ({"duration": "PT3H"}, 400), ({"duration": "two minutes"}, 400),
    ({"creationBehavior": {}}, 400)])
def test_fake_timers_refuse_what_the_api_refuses(change, code):
    stub = AlexaApiStub(access_token=None, granted={TIMERS_SCOPE})
    body = dict(_serializer.serialize(alerts.timer_request(StartTimer(60, HANDOVER), VOICE)),
                **change)
    assert stub.route("POST", "/v1/alerts/timers", body)[0] == code


def test_fake_timers_allow_at_most_ten():
    stub = AlexaApiStub(access_token=None, granted={TIMERS_SCOPE})
    body = _serializer.serialize(alerts.timer_request(StartTimer(60, HANDOVER), VOICE))
    statuses = [stub.route("POST", "/v1/alerts/timers", body)[0] for _ in range(11)]
    assert statuses == [200] * 10 + [400]


@pytest.mark.parametrize("scheduled", ["2026-11-26T21:00:00Z", "2026-11-26T21:00:00+01:00",
                                       "tonight"])
def test_fake_reminders_refuse_a_time_with_an_offset(scheduled):
    stub = AlexaApiStub(access_token=None, granted={REMINDERS_SCOPE})
    request = alerts.reminder_request(SetReminder("21:00"), "UTC", NOW, VOICE, "en-US")
    body = _serializer.serialize(request)
    body["trigger"]["scheduledTime"] = scheduled
    status, answer = stub.route("POST", "/v1/alerts/reminders", body)
    assert status == 400 and "SCHEDULED_TIME" in answer["message"]


def test_fake_reminders_ring_daily_at_local_time():
    stub = AlexaApiStub(access_token=None, granted={REMINDERS_SCOPE})
    request = alerts.reminder_request(SetReminder("21:00"), "America/New_York", NOW, VOICE,
                                      "en-US")
    stub.route("POST", "/v1/alerts/reminders", _serializer.serialize(request))
    rang = stub.reminders_between(NOW, NOW + timedelta(days=2))
    assert [r.at for r in rang] == [datetime(2026, 11, 27, 2, 0, tzinfo=UTC),
                                    datetime(2026, 11, 28, 2, 0, tzinfo=UTC)]
    assert rang[0].text == "Time for your check-in."
    assert "every day" in describe_reminders(stub)[0]
    assert "repeating FREQ=DAILY" in describe(stub.calls[-1])
