"""Carries out the engine's Alexa API effects: the nightly reminder and the turn timers.

Each effect becomes one call through ask-sdk's service clients (Reminders and Timers APIs),
over the skill's timed API client. Ids the APIs hand back are written into the state: a
reminder's alert token into `profile.reminder_id`, a timer's id into `ritual.timer_id`.
Nothing here raises: every failure is logged (no names, no ids) and reported, so that the
conversation can say so honestly and fall back (an in-session hold instead of a timer).
"""
from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import NamedTuple

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.services.reminder_management import (
    AlertInfo,
    PushNotification,
    PushNotificationStatus,
    Recurrence,
    ReminderRequest,
    SpokenInfo,
    SpokenText,
    Trigger,
    TriggerType,
)
from ask_sdk_model.services.service_exception import ServiceException
from ask_sdk_model.services.timer_management import (
    AnnounceOperation,
    CreationBehavior,
    DisplayExperience,
    NotificationConfig,
    TextToAnnounce,
    TimerRequest,
    TriggeringBehavior,
    Visibility,
)

from checkin.alexa.device_settings import device_time_zone
from checkin.alexa.envelope import system_of
from checkin.logs import log
from checkin.records import record, replace
from checkin.ritual.clock import local_day, next_occurrence
from checkin.ritual.profile import ALERTS, OnceReminder, Profile
from checkin.ritual.reply import (
    API_EFFECTS,
    CancelReminder,
    CancelTimer,
    DeleteHousehold,
    Effect,
    FinishRitual,
    Reply,
    SaveCheckpoint,
    SaveProfile,
    Say,
    SetReminder,
    StartTimer,
)
from checkin.ritual.state import Checkpoint, State
from checkin.ritual.turns import save_checkpoint
from checkin.speech.render import Voice

TIMER_LABEL = "Check-in"
REMINDER_TEXT_KEY = "reminder.spoken"  # the discreet words of the reminder, per locale
MAX_TIMER_SECONDS = 2 * 3600  # the Timers API's limit
# All alert calls of one request together; each call has its own 1.5 s timeout as well.
ALERTS_BUDGET_SECONDS = 4.0

# Why an effect failed, for the conversation to choose its words.
NO_PERMISSION = "no_permission"  # 401/403: the household has not allowed it (or revoked it)
BAD_REQUEST = "bad_request"  # 400: the API refused what we sent
THROTTLED = "throttled"  # 429
SERVER_ERROR = "server_error"  # 5xx
UNREACHABLE = "unreachable"  # no answer in time, or no connection
UNAVAILABLE = "unavailable"  # no API endpoint or access token in this request
FAILED = "failed"  # any other answer

_CALL_FAILED = "Call to service failed"  # how ask-sdk wraps an ApiClient exception


@record
class AlertFailure:
    effect: Effect
    status: int  # the HTTP status; 0 when no answer came
    reason: str

    @property
    def kind(self) -> str:
        """ "reminder" or "timer"."""
        return "reminder" if isinstance(self.effect, (SetReminder, CancelReminder)) else "timer"


class AlertOutcome(NamedTuple):
    state: State
    failures: tuple[AlertFailure, ...]


class _Skipped(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def execute_alert_effects(handler_input: HandlerInput, state: State,
                          effects: tuple[Effect, ...], voice: Voice, now: int,
                          monotonic: Callable[[], float]) -> AlertOutcome:
    """Carry out the API effects among `effects`, in order; other effects are left alone.

    `now` is the request's time, in epoch seconds: a reminder's "tomorrow" is counted from it.
    `monotonic` (Services.clock's) only bounds how long the APIs may take."""
    failures: list[AlertFailure] = []
    deadline = monotonic() + ALERTS_BUDGET_SECONDS
    unreachable = False
    for effect in effects:
        if not isinstance(effect, API_EFFECTS):
            continue
        try:
            if unreachable or monotonic() > deadline:
                raise _Skipped(UNREACHABLE)  # don't spend the 8 s on an API that is not there
            state = _execute(handler_input, state, effect, voice, now, failures)
        except _Skipped as skipped:
            failures.append(_failed(effect, 0, skipped.reason))
        except ServiceException as error:
            failures.append(_failed(effect, *_classify(error)))
            unreachable = unreachable or failures[-1].reason == UNREACHABLE
        except Exception as error:  # never let an alert break the ritual
            log("alert_error", logging.ERROR, effect=type(effect).__name__,
                error=type(error).__name__)
            failures.append(_failed(effect, 0, FAILED))
        else:
            continue
        state = _still_there(state, effect)
    return AlertOutcome(state, tuple(failures))


def storage_effects(effects: tuple[Effect, ...], state: State, now: int) -> tuple[Effect, ...]:
    """The engine's storage effects, carrying the ids the APIs handed back.

    API effects are dropped (they are done); a SaveProfile or SaveCheckpoint takes the
    reminder id and timer id from `state`; if an id changed and nothing would store it, a save
    is added, so that the next session (a one-shot "I'm ready") finds the running timer.
    """
    kept: list[Effect] = []
    profile_saved = checkpoint_saved = False
    for effect in effects:
        if isinstance(effect, API_EFFECTS):
            continue
        if isinstance(effect, SaveProfile):
            effect = SaveProfile(_with_alert_fields(effect.profile, state))
            profile_saved = True
        elif isinstance(effect, FinishRitual) and effect.profile is not None:
            effect = replace(effect, profile=_with_alert_fields(effect.profile, state))
            profile_saved = True
        elif isinstance(effect, SaveCheckpoint):
            effect = SaveCheckpoint(_with_timer(effect.checkpoint, state), effect.expires_at)
            checkpoint_saved = True
        kept.append(effect)
    reminded = any(isinstance(e, (SetReminder, CancelReminder)) for e in effects)
    forgotten = any(isinstance(e, DeleteHousehold) for e in effects)  # nothing is written back
    if reminded and not profile_saved and not forgotten:
        kept.append(SaveProfile(state.profile))
    timed = any(isinstance(e, StartTimer) for e in effects)
    if timed and not checkpoint_saved and state.ritual is not None and state.ritual.timer_id:
        kept.append(save_checkpoint(state.ritual, now))
    return tuple(kept)


# --- one effect -------------------------------------------------------------------------------

def _execute(handler_input: HandlerInput, state: State, effect: Effect, voice: Voice, now: int,
             failures: list[AlertFailure]) -> State:
    factory = _factory(handler_input)
    if isinstance(effect, SetReminder):
        return _set_reminder(handler_input, factory, state, effect, voice, now, failures)
    if isinstance(effect, CancelReminder):
        _gone_is_fine(lambda: factory.get_reminder_management_service()
                      .delete_reminder(effect.reminder_id))
        log("alert_done", effect="CancelReminder")
        if state.profile.reminder_id == effect.reminder_id:
            state = replace(state, profile=replace(state.profile, reminder_id=""))
        return _without_once(state, effect.reminder_id)
    if isinstance(effect, StartTimer):
        request = timer_request(effect, voice, voice.locale)  # the words' own locale
        answer = factory.get_timer_management_service().create_timer(request)
        timer_id = str(getattr(answer, "id", "") or "")
        log("alert_done", effect="StartTimer", seconds=effect.seconds)
        if state.ritual is not None and timer_id:
            state = replace(state, ritual=replace(state.ritual, timer_id=timer_id))
        return state
    if isinstance(effect, CancelTimer):
        _gone_is_fine(lambda: factory.get_timer_management_service()
                      .delete_timer(effect.timer_id))
        log("alert_done", effect="CancelTimer")
        if state.ritual is not None and state.ritual.timer_id == effect.timer_id:
            state = replace(state, ritual=replace(state.ritual, timer_id=""))
        return state
    raise TypeError(f"not an API effect: {type(effect).__name__}")


def _set_reminder(handler_input: HandlerInput, factory, state: State, effect: SetReminder,
                  voice: Voice, now: int, failures: list[AlertFailure]) -> State:
    zone = state.profile.time_zone or device_time_zone(handler_input) or ""
    if zone and zone != state.profile.time_zone:
        state = replace(state, profile=replace(state.profile, time_zone=zone))
    request = reminder_request(effect, zone, datetime.fromtimestamp(now, UTC), voice,
                               voice.locale)
    client = factory.get_reminder_management_service()
    answer = client.create_reminder(request)
    token = str(getattr(answer, "alert_token", "") or "")
    log("alert_done", effect="SetReminder", daily=not effect.date)
    if effect.date:
        # A one-off rings once; its id is kept until its day is past, so "stop" can reach it.
        today = local_day(now, zone).isoformat()
        kept = tuple(e for e in state.profile.once_reminders if e.on_date >= today)
        once = kept + (OnceReminder(effect.date, token),)
        return replace(state, profile=replace(state.profile, once_reminders=once))
    state = replace(state, profile=replace(state.profile, reminder_id=token,
                                           reminder_time=effect.time))
    if effect.replaces and effect.replaces != token:
        try:
            _gone_is_fine(lambda: client.delete_reminder(effect.replaces))
        except ServiceException as error:
            # The new reminder is set; the old one is still there. Reported, not fatal.
            failures.append(_failed(CancelReminder(effect.replaces), *_classify(error)))
    return state


def _gone_is_fine(call) -> None:
    """Cancelling something already gone (a timer that rang, a reminder deleted in the app)."""
    try:
        call()
    except ServiceException as error:
        if error.status_code != 404:
            raise


# --- request bodies ---------------------------------------------------------------------------

def reminder_request(effect: SetReminder, zone: str, now: datetime, voice: Voice,
                     locale: str) -> ReminderRequest:
    """A SCHEDULED_ABSOLUTE reminder at the household's local time, daily or once.

    Times are local and carry no offset; `zone` names the time zone ("" lets Alexa use the
    device's own). A daily reminder repeats by RRULE (`recurrenceRules`, not the deprecated
    `freq`). The spoken text is discreet: it says what it is for, never what it is about.
    """
    hour, minute = (int(part) for part in effect.time.split(":")[:2])
    day = date.fromisoformat(
        effect.date or next_occurrence(effect.time, int(now.timestamp()), zone))
    first = datetime(day.year, day.month, day.day, hour, minute)
    recurrence = None
    if not effect.date:
        rule = f"FREQ=DAILY;BYHOUR={hour};BYMINUTE={minute};BYSECOND=0;INTERVAL=1"
        recurrence = Recurrence(start_date_time=first, recurrence_rules=[rule])
    trigger = Trigger(object_type=TriggerType.SCHEDULED_ABSOLUTE, scheduled_time=first,
                      time_zone_id=zone or None, recurrence=recurrence)
    text = reminder_text(voice)
    return ReminderRequest(
        request_time=now.astimezone(UTC).replace(tzinfo=None, microsecond=0),
        trigger=trigger,
        alert_info=AlertInfo(spoken_info=SpokenInfo(content=[SpokenText(locale=locale,
                                                                        text=text)])),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
    )


def timer_request(effect: StartTimer, voice: Voice, locale: str = "en-US") -> TimerRequest:
    """A hidden timer for a turn that announces the hand-over by name when it goes off."""
    text = plain_text(voice, effect.announce)
    return TimerRequest(
        duration=iso_duration(effect.seconds),
        timer_label=TIMER_LABEL,
        creation_behavior=CreationBehavior(
            display_experience=DisplayExperience(visibility=Visibility.HIDDEN)),
        triggering_behavior=TriggeringBehavior(
            operation=AnnounceOperation(
                text_to_announce=[TextToAnnounce(locale=locale, text=text)]),
            notification_config=NotificationConfig(play_audible=True)),
    )


def reminder_text(voice: Voice) -> str:
    return plain_text(voice, Say.of(REMINDER_TEXT_KEY))


def plain_text(voice: Voice, say: Say) -> str:
    """What `say` sounds like, as plain text (no SSML, nothing escaped)."""
    ssml = voice.render(Reply((say,))).speech
    text = html.unescape(re.sub(r"<[^>]+>", " ", ssml))
    return re.sub(r"\s+", " ", text).strip()


def iso_duration(seconds: int) -> str:
    seconds = max(1, min(int(seconds), MAX_TIMER_SECONDS))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + \
        (f"{secs}S" if secs else "")


# --- failures ---------------------------------------------------------------------------------

def _classify(error: ServiceException) -> tuple[int, str]:
    status = int(getattr(error, "status_code", 0) or 0)
    if str(error).startswith(_CALL_FAILED):
        return 0, UNREACHABLE  # ask-sdk reports a timeout or refused connection as a 500
    if status in (401, 403):
        return status, NO_PERMISSION
    if status == 400:
        return status, BAD_REQUEST
    if status == 429:
        return status, THROTTLED
    if status >= 500:
        return status, SERVER_ERROR
    return status, FAILED


def _failed(effect: Effect, status: int, reason: str) -> AlertFailure:
    log("alert_failed", logging.WARNING, effect=type(effect).__name__, status=status,
        reason=reason)
    return AlertFailure(effect, status, reason)


def _still_there(state: State, effect: Effect) -> State:
    """A reminder that could not be deleted still rings: keep its id, so "stop" can retry."""
    if isinstance(effect, CancelReminder) and not state.profile.reminder_id and \
            effect.reminder_id not in state.profile.reminder_ids:
        return replace(state, profile=replace(state.profile, reminder_id=effect.reminder_id))
    return state


def _without_once(state: State, reminder_id: str) -> State:
    once = tuple(e for e in state.profile.once_reminders if e.reminder_id != reminder_id)
    if once == state.profile.once_reminders:
        return state
    return replace(state, profile=replace(state.profile, once_reminders=once))


def _factory(handler_input: HandlerInput):
    system = system_of(handler_input.request_envelope)
    factory = getattr(handler_input, "service_client_factory", None)
    if factory is None or not getattr(system, "api_access_token", None) \
            or not getattr(system, "api_endpoint", None):
        raise _Skipped(UNAVAILABLE)
    return factory


# --- the request ------------------------------------------------------------------------------

def _with_alert_fields(profile: Profile, state: State) -> Profile:
    """`profile` with what the Alexa APIs just set; a time not yet known is kept as it was."""
    taken = profile.taking(state.profile, ALERTS)
    return replace(taken, reminder_time=state.profile.reminder_time or profile.reminder_time,
                   time_zone=state.profile.time_zone or profile.time_zone)


def _with_timer(checkpoint: Checkpoint, state: State) -> Checkpoint:
    """The checkpoint of the ritual under way carries the id of the timer just set for it."""
    if state.ritual is None or checkpoint.ritual.ritual_id != state.ritual.ritual_id:
        return checkpoint
    return replace(checkpoint, ritual=replace(checkpoint.ritual, timer_id=state.ritual.timer_id))
