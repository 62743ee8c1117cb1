"""Nightly reminders, timer-kept turns, walks and Routines, played through lambda_handler.

Each conversation runs against moto for storage and the fake Alexa API (devtools.alexa_api)
for Reminders, Timers and Settings, whose clock is the conversation's simulated one. A
permission is granted the way Alexa does it: the Connections.Response to AskFor says
ACCEPTED, and from then on the requests carry the scope in context.System.user.permissions.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from checkin.alexa import intents
from checkin.ritual.history import COMPLETED, WALK
from checkin.ritual.reminders_and_walks import REMIND_PURPOSE, TIMERS_PURPOSE, PermissionPlan
from devtools.alexa_api import REMINDERS_SCOPE, TIMERS_SCOPE, AlexaApiStub
from devtools.envelopes import DEFAULT_SKILL_ID, Conversation
from tests.skill_fixtures import allow, evening_in, household, introduce, wire

ZONE = "America/Chicago"
EVENING = evening_in(ZONE)
TASK = {"name": f"{DEFAULT_SKILL_ID}.StartCheckIn", "version": "1", "input": {}}
HOLD = "<break time="

pytestmark = pytest.mark.alexa_api(ZONE)



def known_couple(talk: Conversation) -> None:
    """Names given on an earlier evening; tonight starts fresh."""
    introduce(talk)
    talk.intent(intents.STOP)
    talk.advance(60)


def ask_for(talk: Conversation) -> dict:
    [directive] = [d for d in talk.directives if d["type"] == "Connections.SendRequest"]
    assert directive["name"] == "AskFor" and not talk.session_open
    assert directive["payload"]["@type"] == "AskForPermissionsConsentRequest"
    return directive


def scope_of(directive: dict) -> str:
    return directive["payload"]["permissionScopes"][0]["permissionScope"]


def profile(repository, talk):
    return repository.load(household(), talk.now).profile


# --- the nightly reminder --------------------------------------------------------------------

def test_consent_then_a_nightly_reminder_in_the_household_time_zone(talk, api, moto_repository):
    # Given a couple who asks for a nightly reminder without having allowed reminders
    known_couple(talk)
    talk.intent(intents.REMIND, time="21:00")
    # Then Alexa is asked to seek their consent, with a token saying what to do after
    directive = ask_for(talk)
    assert scope_of(directive) == REMINDERS_SCOPE and api.calls_to("/v1/alerts/reminders") == []
    # When they accept
    allow(talk, api, REMINDERS_SCOPE)
    talk.connections_response("ACCEPTED", token=directive["token"])
    # Then one daily reminder is created at 21:00 Chicago time, discreetly worded
    [call] = api.calls_to("/v1/alerts/reminders", "POST")
    trigger = call.body["trigger"]
    assert trigger["timeZoneId"] == ZONE
    assert trigger["scheduledTime"].startswith("2026-11-27T21:00")  # tonight's is past
    assert trigger["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]
    assert call.body["alertInfo"]["spokenInfo"]["content"][0]["text"] == "Time for your check-in."
    assert "every night at 9" in talk.speech
    # And its id is kept in the profile
    [token] = api.reminders
    assert profile(moto_repository, talk).reminder_id == token
    assert profile(moto_repository, talk).reminder_time == "21:00"


def test_the_reminder_rings_every_evening_on_the_simulated_clock(talk, api):
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.intent(intents.REMIND, time="21:00")
    rang = api.reminders_between(talk.clock, talk.clock + timedelta(days=3))
    assert [r.at.astimezone(UTC).hour for r in rang] == [3, 3, 3]  # 21:00 CST is 03:00 UTC
    assert {r.text for r in rang} == {"Time for your check-in."}


def test_changing_the_reminder_replaces_it_and_stopping_removes_it(talk, api, moto_repository):
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.intent(intents.REMIND, time="21:00")
    [first] = api.reminders
    # "Change the reminder to ten"
    talk.intent(intents.REMIND, time="22:00")
    [second] = api.reminders
    assert second != first and profile(moto_repository, talk).reminder_id == second
    assert api.reminders[second]["trigger"]["recurrence"]["recurrenceRules"][0] \
        .startswith("FREQ=DAILY;BYHOUR=22;BYMINUTE=0")
    # "Stop reminding us"
    talk.intent(intents.STOP_REMINDERS)
    assert api.reminders == {} and profile(moto_repository, talk).reminder_id == ""
    assert "stopped" in talk.speech


def test_later_tonight_sets_a_one_off_reminder(talk, api, moto_repository):
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.launch()
    talk.intent(intents.NO)
    talk.intent(intents.WHEN, time="22:30")
    assert "remind you both at 10:30" in talk.speech
    talk.intent(intents.YES)
    [call] = api.calls_to("/v1/alerts/reminders", "POST")
    assert "recurrence" not in call.body["trigger"]
    assert call.body["trigger"]["scheduledTime"].startswith("2026-11-26T22:30")
    assert call.body["trigger"]["timeZoneId"] == ZONE
    assert profile(moto_repository, talk).reminder_id == ""  # the nightly slot stays free


def _decline_a_later_reminder(talk: Conversation) -> None:
    talk.launch()
    talk.intent(intents.NO)
    talk.intent(intents.WHEN, time="22:30")
    talk.intent(intents.YES)
    directive = ask_for(talk)
    talk.connections_response("DENIED", token=directive["token"])


def test_a_denied_permission_is_not_offered_again_for_seven_days(talk, api, moto_repository):
    known_couple(talk)
    _decline_a_later_reminder(talk)
    assert "no reminders" in talk.speech and api.calls_to("/v1/alerts/reminders") == []
    assert profile(moto_repository, talk).reminders_declined_at > 0
    # Six days later, "not now" gets no reminder offer
    talk.advance(6 * 24 * 3600)
    talk.launch()
    talk.intent(intents.NO)
    talk.intent(intents.WHEN, time="22:30")
    assert "remind you" not in talk.speech and not talk.session_open
    assert not any(d["type"] == "Connections.SendRequest" for d in talk.directives)
    # Eight days after the "no", it is offered again
    talk.advance(2 * 24 * 3600)
    talk.launch()
    talk.intent(intents.NO)
    talk.intent(intents.WHEN, time="22:30")
    assert "remind you both at 10:30" in talk.speech


@pytest.mark.parametrize("status", [400, 401, 429, 500])
def test_a_reminder_the_api_refuses_is_not_promised(talk, api, moto_repository, status):
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    api.fail_always("/v1/alerts/reminders", status)
    talk.intent(intents.REMIND, time="21:00")
    assert "couldn't set that reminder" in talk.speech
    assert "every night at 9" not in talk.speech
    assert api.reminders == {} and profile(moto_repository, talk).reminder_id == ""


def test_a_reminder_that_cannot_be_stopped_is_not_said_to_be_stopped(talk, api,
                                                                      moto_repository):
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.intent(intents.REMIND, time="21:00")
    [token] = api.reminders
    api.fail_next("/v1/alerts/reminders", 500)
    talk.intent(intents.STOP_REMINDERS)
    assert "stopped" not in talk.speech and "couldn't" in talk.speech
    # It still rings, so its id is kept and "stop reminding us" can be tried again
    assert profile(moto_repository, talk).reminder_id == token
    talk.intent(intents.STOP_REMINDERS)
    assert api.reminders == {} and "stopped" in talk.speech


def test_a_changed_reminder_is_kept_even_if_the_old_one_cannot_be_removed(talk, api,
                                                                         moto_repository):
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    talk.intent(intents.REMIND, time="21:00")
    [old] = api.reminders
    api.fail_next(f"/v1/alerts/reminders/{old}", 500)
    talk.intent(intents.REMIND, time="22:00")
    new = next(t for t in api.reminders if t != old)
    assert profile(moto_repository, talk).reminder_id == new
    assert profile(moto_repository, talk).reminder_time == "22:00"
    assert "every night at 10" in talk.speech


def test_a_reminder_api_that_does_not_answer_is_spoken_about_in_time(talk, api):
    known_couple(talk)
    allow(talk, api, REMINDERS_SCOPE)
    api.slow("/v1/alerts/reminders", 5.0)
    started = datetime.now(UTC)
    talk.intent(intents.REMIND, time="21:00")
    assert (datetime.now(UTC) - started).total_seconds() < 4
    assert "couldn't set that reminder" in talk.speech


# --- turns kept by real timers ---------------------------------------------------------------

def _timer_posts(api: AlexaApiStub):
    return api.calls_to("/v1/alerts/timers", "POST")


def test_timer_based_turns_hand_over_by_name_after_the_microphone_closed(talk, api,
                                                                          moto_repository):
    known_couple(talk)
    allow(talk, api, TIMERS_SCOPE)
    talk.launch()
    talk.intent(intents.YES)
    # The first turn is a real Alexa timer; the session closes, nothing is held open
    [first] = _timer_posts(api)
    assert first.body["duration"] == "PT2M"
    announce = first.body["triggeringBehavior"]["operation"]["textToAnnounce"][0]["text"]
    assert announce.startswith("Time's up, ") and "tell connection check in I'm ready" in announce
    assert {"Sam", "Alex"} <= set(announce.replace(",", " ").replace(".", " ").split())
    assert "set a timer for 2 minutes" in talk.speech and not talk.session_open
    assert HOLD not in talk.speech_ssml
    # The timer goes off two minutes later and announces the hand-over
    talk.advance(120)
    [fired] = api.fire_due()
    assert fired.announced == announce
    # "Alexa, tell connection check in I'm ready": a one-shot carries on with the next turn
    talk.intent(intents.DONE)
    assert len(_timer_posts(api)) == 2 and api.calls_to("/v1/alerts/timers", "DELETE") == []
    # Five more turns, each ended by its timer and a one-shot
    for _ in range(5):
        talk.advance(120)
        api.fire_due()
        talk.intent(intents.DONE)
    assert "Thank you both" in talk.speech
    [record] = moto_repository.rituals(household(), talk.now)
    assert record.outcome == COMPLETED and len(record.turns) == 6
    assert all(110 <= turn.seconds <= 130 for turn in record.turns)
    assert api.timers == {}


def test_i_m_done_early_cancels_the_running_timer(talk, api, moto_repository):
    known_couple(talk)
    allow(talk, api, TIMERS_SCOPE)
    talk.launch()
    talk.intent(intents.YES)
    [running] = api.timers
    talk.advance(30)
    talk.intent(intents.DONE)  # "Alexa, tell connection check in I'm done"
    assert [c.path for c in api.calls_to("/v1/alerts/timers", "DELETE")] == [
        f"/v1/alerts/timers/{running}"]
    assert running not in api.timers and len(api.timers) == 1  # the next turn's timer


def test_without_the_timers_permission_the_turn_is_held_in_session(talk, api):
    known_couple(talk)
    talk.launch()
    talk.intent(intents.YES)
    assert api.calls_to("/v1/alerts/timers") == []
    assert HOLD in talk.speech_ssml and talk.session_open


@pytest.mark.parametrize("status", [400, 401, 429, 500])
def test_when_a_timer_cannot_be_set_the_turn_falls_back_to_the_hold(talk, api, status):
    known_couple(talk)
    allow(talk, api, TIMERS_SCOPE)
    api.fail_always("/v1/alerts/timers", status)
    talk.launch()
    talk.intent(intents.YES)
    assert "couldn't set a timer" in talk.speech and "keep time here" in talk.speech
    assert "set a timer for" not in talk.speech
    assert HOLD in talk.speech_ssml and talk.session_open and api.timers == {}


def test_a_wrong_access_token_falls_back_to_the_hold(monkeypatch, moto_repository, api):
    handler = wire(monkeypatch, moto_repository, DEFAULT_SKILL_ID)
    talk = Conversation(handler, start=EVENING, api_endpoint=api.endpoint,
                        api_access_token="an-expired-token")
    known_couple(talk)
    allow(talk, api, TIMERS_SCOPE)
    talk.launch()
    talk.intent(intents.YES)
    assert "couldn't set a timer" in talk.speech and HOLD in talk.speech_ssml
    assert [c.status for c in _timer_posts(api)] == [401]


# --- walks -------------------------------------------------------------------------------------

def _walk_with_timers(talk: Conversation, api: AlexaApiStub) -> None:
    talk.intent(intents.START_WALK)
    directive = ask_for(talk)
    assert scope_of(directive) == TIMERS_SCOPE
    allow(talk, api, TIMERS_SCOPE)
    talk.connections_response("ACCEPTED", token=directive["token"])


def test_a_walk_uses_four_minute_timers_and_is_recorded_as_a_walk(talk, api, moto_repository):
    known_couple(talk)
    _walk_with_timers(talk, api)
    assert "timers for your turns" in talk.speech and talk.session_open
    talk.intent(intents.YES)
    [first] = _timer_posts(api)
    assert first.body["duration"] == "PT4M"
    assert first.body["creationBehavior"]["displayExperience"]["visibility"] == "HIDDEN"
    response = talk.last_response["response"]
    assert "card" not in response  # nothing for a screen
    assert all(d["type"].startswith(("Connections.", "Tasks.")) for d in talk.directives)
    for _ in range(6):
        talk.advance(240)
        api.fire_due()
        talk.intent(intents.DONE)
    [record] = moto_repository.rituals(household(), talk.now)
    assert record.mode == WALK and record.outcome == COMPLETED
    assert all(230 <= turn.seconds <= 250 for turn in record.turns)


def test_walk_prompts_are_shorter_than_at_home(monkeypatch, moto_repository, api):
    def first_turn(walk: bool) -> str:
        handler = wire(monkeypatch, moto_repository, DEFAULT_SKILL_ID)
        talk = Conversation(handler, start=EVENING, api_endpoint=api.endpoint,
                            user_id=f"amzn1.ask.account.{'WALK' if walk else 'HOME'}")
        talk.grants.add(TIMERS_SCOPE)
        api.grant(TIMERS_SCOPE)
        known_couple(talk)
        talk.intent(intents.START_WALK if walk else intents.YES)
        if walk:
            talk.intent(intents.YES)
        else:
            talk.launch()
            talk.intent(intents.YES)
        return talk.speech

    home, walk = first_turn(walk=False), first_turn(walk=True)
    assert len(walk.split()) < len(home.split())


def test_a_walk_without_timers_holds_four_minute_turns_in_session(talk, api, moto_repository):
    known_couple(talk)
    talk.intent(intents.START_WALK)
    directive = ask_for(talk)
    talk.connections_response("DENIED", token=directive["token"])
    assert "keep time here" in talk.speech
    assert profile(moto_repository, talk).timers_declined_at > 0
    talk.intent(intents.YES)
    assert HOLD in talk.speech_ssml and api.calls_to("/v1/alerts/timers") == []
    for _ in range(6):
        talk.advance(240)
        talk.intent(intents.DONE)
    [record] = moto_repository.rituals(household(), talk.now)
    assert record.mode == WALK and len(record.turns) == 6
    # A week later the walk is not asked about timers again
    talk.advance(3 * 24 * 3600)
    talk.intent(intents.START_WALK)
    assert not any(d["type"] == "Connections.SendRequest" for d in talk.directives)


# --- Routines ----------------------------------------------------------------------------------

def _complete_task(talk: Conversation) -> list[dict]:
    return [d for d in talk.directives if d["type"] == "Tasks.CompleteTask"]


def test_a_routine_started_check_in_ends_with_complete_task(talk, api, moto_repository):
    known_couple(talk)
    # "Alexa, good night" runs the StartCheckIn task
    talk.launch(task=TASK)
    assert "good time for both of you" in talk.speech and _complete_task(talk) == []
    talk.intent(intents.YES)
    for _ in range(6):
        talk.advance(60)
        talk.intent(intents.DONE)
    assert "Thank you both" in talk.speech and _complete_task(talk) == []
    talk.intent(intents.NO)  # no reminder, thanks: the close is over
    assert not talk.session_open
    assert _complete_task(talk) == [{"type": "Tasks.CompleteTask",
                                     "status": {"code": "200", "message": "OK"}}]
    assert moto_repository.rituals(household(), talk.now)[0].outcome == COMPLETED


def test_a_routine_check_in_declined_for_now_also_completes_its_task(talk):
    known_couple(talk)
    talk.launch(task=TASK)
    talk.intent(intents.NO)
    talk.intent(intents.WHEN, time="22:30")
    if talk.session_open:
        talk.intent(intents.NO)  # no reminder, thanks
    assert not talk.session_open and len(_complete_task(talk)) == 1


def test_a_routine_hears_complete_task_even_when_storage_fails_at_the_close(
        talk, moto_repository, monkeypatch):
    from checkin.store.repository import StoreError

    known_couple(talk)
    talk.launch(task=TASK)
    talk.intent(intents.YES)
    for _ in range(5):
        talk.advance(60)
        talk.intent(intents.DONE)

    def unreachable(*args, **kwargs):
        raise StoreError("the table is unreachable")

    monkeypatch.setattr(moto_repository, "record_ritual", unreachable)
    talk.advance(60)
    talk.intent(intents.DONE)
    assert "couldn't save" in talk.speech
    talk.intent(intents.NO)
    assert not talk.session_open and len(_complete_task(talk)) == 1


def test_an_ordinary_launch_never_sends_complete_task(talk):
    known_couple(talk)
    talk.launch()
    talk.intent(intents.STOP)
    assert _complete_task(talk) == []


# --- the console ---------------------------------------------------------------------------------

CONSOLE_SCRIPT = """open connection check in
Sam
Alex
stop
remind us every night at nine
yes
/reminders
/night
start a walk check in
yes
yes
/timer
/wait 4m
/timer
ready
"""


def test_the_console_shows_reminders_ringing_and_timers_going_off(tmp_path):
    from tests.tools.test_console import run_console

    transcript, _ = run_console(CONSOLE_SCRIPT, tmp_path, "--timezone", ZONE)
    assert "[consent: ACCEPTED]" in transcript
    assert "every day (FREQ=DAILY;BYHOUR=21;BYMINUTE=0" in transcript
    assert 'a reminder rings: "Time for your check-in."' in transcript
    assert "Check-in: running, 3:5" in transcript  # /timer before it rings
    assert "timer goes off; Alexa announces: \"Time's up, " in transcript
    assert "went off at" in transcript  # /timer after it rang
    assert transcript.count("timer set for 4:00") == 2  # the next turn, after "ready"


@pytest.mark.parametrize("plan", [
    PermissionPlan(REMIND_PURPOSE, daily=True, time="21:00"),
    PermissionPlan(REMIND_PURPOSE, on_date="2026-11-27", time="08:00", back="paused:turn"),
    PermissionPlan(TIMERS_PURPOSE),
])
def test_a_permission_plan_comes_back_from_its_token_as_it_went(plan):
    # The token is all Alexa carries between the question and the answer
    assert PermissionPlan.from_token(plan.token) == plan


def test_a_token_that_is_not_ours_is_no_plan():
    assert PermissionPlan.from_token("something|else") is None
    assert PermissionPlan.from_token("remind|daily") is None
