"""The one adapter between an Alexa request and the ritual engine.

Load the state (from session attributes, see session_state, or once per session from the
store), advance the engine, call the Alexa APIs and store what it asked for, and speak its reply.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from datetime import datetime

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from checkin import metrics
from checkin.alexa import apl
from checkin.alexa.device_settings import device_time_zone
from checkin.alexa.directives import granted_scopes, sdk_directives
from checkin.alexa.effects import Outcome, apply_effects
from checkin.alexa.envelope import user_id_of
from checkin.alexa.observed import note_request
from checkin.alexa.session_state import session_attributes, state_from_session
from checkin.alexa.timing import CallWindow, Clock
from checkin.config import Settings
from checkin.logs import log
from checkin.records import replace
from checkin.ritual.events import Event
from checkin.ritual.history import WALK
from checkin.ritual.machine import advance, begin
from checkin.ritual.profile import COUNTS
from checkin.ritual.reply import (
    API_EFFECTS,
    TIMERS,
    AskPermission,
    CancelReminder,
    CancelTimer,
    DeleteHousehold,
    Effect,
    FinishRitual,
    Reply,
    Say,
    SetReminder,
    StartTimer,
)
from checkin.ritual.screens import recounted
from checkin.ritual.state import State, Step
from checkin.ritual.turns import recount
from checkin.speech.render import Voice
from checkin.store.keys import household_key
from checkin.store.repository import HouseholdRepository, StoreError

# The raw event of the request being handled: for the few fields ask-sdk-model drops, and
# those the skill reads without ask-sdk's models (skill._what_is_read).
_raw_event: ContextVar[dict | None] = ContextVar("raw_event", default=None)


def raw_event() -> dict:
    return _raw_event.get() or {}


def with_raw_event(event: dict) -> Token:
    return _raw_event.set(event if isinstance(event, dict) else {})


def reset_raw_event(token: Token) -> None:
    _raw_event.reset(token)


@dataclass
class Services:
    """What the handlers share; built once per container."""

    repository: HouseholdRepository
    settings: Settings
    clock: Clock = field(default_factory=Clock)  # the process's clocks: see timing


def respond(services: Services, handler_input: HandlerInput, event: Event) -> Response:
    window = services.clock.window()
    envelope = handler_input.request_envelope
    household = household_key(user_id_of(envelope), services.settings.household_salt)
    now = request_time(_request_field(raw_event(), "timestamp"), services.clock.wall)
    state, loaded = _load(services, handler_input, household, now, window)
    state = replace(state, grants=granted_scopes(envelope), device=_device_tag(envelope))
    before, before_profile = state, state.profile

    step, notes = _advance_with_alexa_apis(handler_input, state, event, now, window)
    crisis_lines_given = _says(step.reply, "safety")
    if step.effects:
        writing = window.monotonic()
        outcome = apply_effects(services.repository, household, step.state, step.effects, now,
                                window)
        metrics.store_time(window.monotonic() - writing)
    else:
        outcome = Outcome(step.state)
    state = outcome.state
    counted = [e for e in step.effects if isinstance(e, FinishRitual) and e.profile]
    if any(e in outcome.failed for e in counted):
        # Not recorded, so not counted: the checkpoint left behind is recorded next time.
        state = replace(state, profile=state.profile.taking(before_profile, COUNTS))
        step = replace(step, reply=_without(step.reply, "recovered.completed"))
    elif counted:
        # Say the count and streak the store now holds, which may include another device's.
        step = replace(step, reply=replace(step.reply,
                                           speech=recount(step.reply.speech, state.profile),
                                           screen=recounted(step.reply.screen, state.profile)))
    if not loaded:
        notes += ("store.unreachable",)
    elif not outcome.saved:
        notes += ("store.failed",)
    reply = step.reply
    for note in notes:
        reply = _with_note(reply, note)

    handler_input.attributes_manager.session_attributes = session_attributes(state)
    note_request(event, before, state, len(step.effects), outcome.saved, household,
                 _locale(handler_input), crisis_lines_given)
    return speak(handler_input, reply, state.profile.names, walking(state), now,
                 state.profile.time_zone)


def _advance_with_alexa_apis(handler_input: HandlerInput, state: State, event: Event,
                             now: int, window: CallWindow) -> tuple[Step, tuple[str, ...]]:
    """Advance, then call the Alexa APIs the engine asked for and write their ids into the state.

    If a turn's timer cannot be set, the request is advanced once more as if timers had never
    been allowed, so the turn is kept in the session instead; a reminder that fails is spoken
    about honestly.
    """
    step = advance(state, event, now)
    done, failed = _call_alexa_apis(handler_input, step, now, window)
    if TIMERS not in state.grants or not any(isinstance(f, StartTimer) for f in failed):
        return _as_called(state, step, done, failed, now), ()
    without_timers = replace(state, grants=state.grants - {TIMERS})
    step = advance(without_timers, event, now)
    done, failed = _call_alexa_apis(handler_input, step, now, window)
    return _as_called(without_timers, step, done, failed, now), ("timer.failed",)


def _call_alexa_apis(handler_input: HandlerInput, step: Step, now: int,
                     window: CallWindow) -> tuple[State, list[Effect]]:
    """The step's state with the ids the APIs handed back, and the API effects that failed."""
    if not any(isinstance(e, API_EFFECTS) for e in step.effects):
        return step.state, []
    if not window.is_open():  # too late in this request to wait on another API
        return step.state, [e for e in step.effects if isinstance(e, API_EFFECTS)]
    # Imported here, not at the top: the alert models cost every cold start ~30 ms, and most
    # requests never call the Reminders or Timers API.
    from checkin.alexa.alerts import execute_alert_effects

    done, failures = execute_alert_effects(handler_input, step.state, step.effects,
                                           _voice(handler_input, step.state), now,
                                           window.monotonic)
    return done, [f.effect for f in failures]


def _as_called(state: State, step: Step, done: State, failed: list[Effect], now: int) -> Step:
    """The step as the Alexa APIs left it: what failed is kept or said, the rest is stored."""
    if not any(isinstance(e, API_EFFECTS) for e in step.effects):
        return step
    from checkin.alexa.alerts import storage_effects

    reply = step.reply
    if any(isinstance(e, DeleteHousehold) for e in step.effects):
        # Everything stored is deleted regardless; what still rings is said truthfully.
        if any(isinstance(f, CancelReminder) for f in failed):
            reply = _broken_promise(reply, "delete.done", "delete.done_reminder_failed")
        elif any(isinstance(f, CancelTimer) for f in failed):
            reply = _broken_promise(reply, "delete.done", "delete.done_timer_failed")
    elif any(isinstance(f, SetReminder) for f in failed):
        done = replace(done, profile=replace(done.profile,
                                             reminder_time=state.profile.reminder_time))
        reply = _broken_promise(reply, "remind.set_", "remind.failed")
    elif any(isinstance(f, CancelReminder) for f in failed) and \
            not any(isinstance(e, SetReminder) for e in step.effects):
        # "Stop reminding us" did not reach Alexa: the reminder and its id stay, to try again.
        done = replace(done, profile=replace(done.profile, reminder_id=state.profile.reminder_id,
                                             reminder_time=state.profile.reminder_time))
        reply = _broken_promise(reply, "remind.stopped", "remind.stop_failed")
    return Step(done, reply, storage_effects(step.effects, done, now))


def _says(reply: Reply, key: str) -> bool:
    return any(isinstance(p, Say) and p.key == key for p in reply.speech)


def _without(reply: Reply, key: str) -> Reply:
    return replace(reply, speech=tuple(p for p in reply.speech
                                       if not (isinstance(p, Say) and p.key == key)))


def _broken_promise(reply: Reply, promised: str, instead: str) -> Reply:
    """The engine promised what an Alexa API refused: say so instead of the promise."""
    speech = tuple(Say.of(instead) if isinstance(p, Say) and p.key.startswith(promised) else p
                   for p in reply.speech)
    return replace(reply, speech=speech)


def walking(state: State) -> bool:
    return state.walk or (state.ritual is not None and state.ritual.mode == WALK)


def _voice(handler_input: HandlerInput, state: State) -> Voice:
    return Voice(_locale(handler_input), state.profile.names, walking(state),
                 state.profile.time_zone)


def _locale(handler_input: HandlerInput) -> str | None:
    """The request's locale; the Voice speaks the supported locale closest to it."""
    return getattr(handler_input.request_envelope.request, "locale", None)


def speak(handler_input: HandlerInput, reply: Reply, names: tuple[str, str] = ("", ""),
          walk: bool = False, now: int = 0, time_zone: str = "") -> Response:
    builder = handler_input.response_builder
    for directive in sdk_directives(reply.directives):
        builder.add_directive(directive)
    voice = Voice(_locale(handler_input), names, walk, time_zone)
    if reply.screen is not None or reply.card is not None:
        show(handler_input, reply, voice, now)
    # A permission request hands the session to Alexa's consent dialog: no reprompt, no end.
    asking = any(isinstance(d, AskPermission) for d in reply.directives)
    if reply.speech:
        rendered = voice.render(reply)
        builder.speak(rendered.speech)
        if rendered.reprompt and not asking:
            builder.ask(rendered.reprompt)
            return builder.response
    if not asking:
        builder.set_should_end_session(True)
    return builder.response


def show(handler_input: HandlerInput, reply: Reply, voice: Voice, now: int) -> None:
    """The app's card, and the screen on a device that can draw it (checked every request)."""
    builder = handler_input.response_builder
    if reply.card is not None:
        builder.set_card(apl.card(reply.card, voice))
    if reply.screen is None or not apl.draws_screens(raw_event()):
        return
    token = apl.token_for(reply.screen, now)
    builder.add_directive(apl.render_directive(reply.screen, voice, token))
    attributes = handler_input.attributes_manager.session_attributes
    if not reply.end_session and attributes is not None:  # a tap says which document it was on
        attributes[apl.SCREEN_ATTRIBUTE] = token


def _request_field(event: dict, name: str) -> object:
    request = event.get("request")
    return request.get(name) if isinstance(request, dict) else None


def request_time(timestamp: object, clock: Callable[[], float]) -> int:
    """Talk time is measured from the requests' own timestamps (ISO 8601, as Alexa sends them,
    read from the raw event); the clock is a last resort."""
    if isinstance(timestamp, datetime):
        return int(timestamp.timestamp())
    if isinstance(timestamp, str):
        try:
            return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())
        except ValueError:
            pass
    return int(clock())


def _load(services: Services, handler_input: HandlerInput, household: str, now: int,
          window: CallWindow) -> tuple[State, bool]:
    saved = state_from_session(handler_input.attributes_manager.session_attributes)
    if saved is not None:
        return saved, True
    reading = window.monotonic()
    try:
        snapshot = services.repository.load(household, now)
    except StoreError as error:
        log("store_failed", logging.WARNING, metrics.store_fault(error.code, error.status),
            effect="load", error=type(error.__cause__ or error).__name__, code=error.code)
        return begin(None, (), _session_tag(handler_input)), False
    finally:
        metrics.store_time(window.monotonic() - reading)
    state = begin(snapshot.profile, snapshot.checkpoints, _session_tag(handler_input),
                  snapshot.checks)
    if not state.profile.time_zone and window.is_open():
        zone = device_time_zone(handler_input)  # cached in the profile with its next write
        if zone:
            state = replace(state, profile=replace(state.profile, time_zone=zone))
    return state, True


def _session_tag(handler_input: HandlerInput) -> str:
    """A few characters from the session id, so two devices' rituals never share an id."""
    session = handler_input.request_envelope.session
    session_id = getattr(session, "session_id", None) or ""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:6] if session_id else ""


def _device_tag(envelope) -> str:
    """A few characters from the device id: enough to tell a household's devices apart."""
    device = getattr(envelope.context.system, "device", None)
    device_id = getattr(device, "device_id", None) or ""
    return hashlib.sha256(device_id.encode("utf-8")).hexdigest()[:8] if device_id else ""


def _with_note(reply: Reply, key: str) -> Reply:
    """Tell the couple honestly when storage let them down; the ritual itself goes on."""
    if not reply.speech:
        return reply
    note = Say.of(key)
    # A closing reply keeps its goodnight last; otherwise the note comes first, except that a
    # missing timer is mentioned as the turn begins, after the answer to what was said.
    if key == "timer.failed":
        at = next((i for i, p in enumerate(reply.speech) if _opens_turn(p)), 0)
        speech = reply.speech[:at] + (note,) + reply.speech[at:]
    elif reply.end_session:
        speech = reply.speech[:-1] + (note,) + reply.speech[-1:]
    else:
        speech = (note,) + reply.speech
    return replace(reply, speech=speech)


# Where a turn's own words begin in a reply: the rules of the turn, its invitation (first or
# second speaker), or its question when the same partner goes on without one.
_TURN_OPENINGS = ("ritual.begin", "turn.invite", "turn.invite_second", "bonus.begin",
                  "resume.turn", "remind.back_to_turn")


def _opens_turn(part: object) -> bool:
    return isinstance(part, Say) and (part.key in _TURN_OPENINGS
                                      or part.key.startswith("question."))
