"""The one adapter between an Alexa request and the ritual engine.

Load the state (from session attributes, or once per session from the store), advance the
engine, store what it asked for, and speak its reply.
"""
from __future__ import annotations

import logging
import time
from contextvars import ContextVar, Token
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Callable

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from checkin.alexa.device_settings import device_time_zone
from checkin.alexa.effects import apply_effects
from checkin.config import Settings
from checkin.logs import log, short
from checkin.ritual.events import Event
from checkin.ritual.machine import advance, begin
from checkin.ritual.reply import Reply, Say
from checkin.ritual.state import Stage, State
from checkin.speech.render import Voice
from checkin.store.keys import household_key
from checkin.store.repository import HouseholdRepository, StoreError

STATE_ATTRIBUTE = "checkin"
# The raw event of the request being handled, for the few fields ask-sdk-model drops.
_raw_event: ContextVar[dict] = ContextVar("raw_event", default={})


def raw_event() -> dict:
    return _raw_event.get()


def with_raw_event(event: dict) -> Token:
    return _raw_event.set(event if isinstance(event, dict) else {})


def reset_raw_event(token: Token) -> None:
    _raw_event.reset(token)


@dataclass
class Services:
    """What the handlers share; built once per container."""

    repository: HouseholdRepository
    settings: Settings
    clock: Callable[[], float] = field(default=time.time)


def respond(services: Services, handler_input: HandlerInput, event: Event) -> Response:
    envelope = handler_input.request_envelope
    household = household_key(envelope.context.system.user.user_id, services.settings.household_salt)
    now = request_time(envelope.request.timestamp, services.clock)
    state, loaded = _load(services, handler_input, household)
    before = state.stage

    step = advance(state, event, now)
    outcome = apply_effects(services.repository, household, step.state, step.effects, now)
    state = outcome.state
    reply = step.reply
    if not loaded:
        reply = _with_note(reply, "store.unreachable")
    elif not outcome.saved:
        reply = _with_note(reply, "store.failed")

    attributes = handler_input.attributes_manager.session_attributes or {}
    if state.stage is Stage.ENDED:
        attributes.pop(STATE_ATTRIBUTE, None)  # the next session reads the store afresh
    else:
        attributes[STATE_ATTRIBUTE] = state.to_dict()
    handler_input.attributes_manager.session_attributes = attributes
    log("request", household=short(household), event=event.kind.value, before=before.value,
        after=state.stage.value, effects=len(step.effects), saved=outcome.saved)
    return speak(handler_input, reply, state.profile.names)


def speak(handler_input: HandlerInput, reply: Reply, names: tuple[str, str] = ("", "")) -> Response:
    builder = handler_input.response_builder
    if reply.end_session and not reply.speech:
        return builder.set_should_end_session(True).response
    rendered = Voice(handler_input.request_envelope.request.locale or "en-US", names).render(reply)
    builder.speak(rendered.speech)
    if rendered.reprompt:
        builder.ask(rendered.reprompt)
    else:
        builder.set_should_end_session(True)
    return builder.response


def request_time(timestamp: object, clock: Callable[[], float]) -> int:
    """Talk time is measured from the requests' own timestamps; the clock is a last resort."""
    if isinstance(timestamp, datetime):
        return int(timestamp.timestamp())
    if isinstance(timestamp, str):
        try:
            return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())
        except ValueError:
            pass
    return int(clock())


def _load(services: Services, handler_input: HandlerInput, household: str) -> tuple[State, bool]:
    attributes = handler_input.attributes_manager.session_attributes
    saved = attributes.get(STATE_ATTRIBUTE) if isinstance(attributes, dict) else None
    if isinstance(saved, dict):
        try:
            return State.from_dict(saved), True
        except (KeyError, TypeError, ValueError):
            log("bad_session_state", logging.WARNING)
    try:
        snapshot = services.repository.load(household)
    except StoreError as error:
        log("store_failed", logging.WARNING, effect="load",
            error=type(error.__cause__ or error).__name__)
        return begin(None, None), False
    state = begin(snapshot.profile, snapshot.checkpoint)
    if not state.profile.time_zone:
        zone = device_time_zone(handler_input)  # cached in the profile with its next write
        if zone:
            state = replace(state, profile=replace(state.profile, time_zone=zone))
    return state, True


def _with_note(reply: Reply, key: str) -> Reply:
    """Tell the couple honestly when storage let them down; the ritual itself goes on."""
    if not reply.speech:
        return reply
    note = Say.of(key)
    # A closing reply keeps its goodnight last; otherwise the note comes first.
    speech = reply.speech[:-1] + (note,) + reply.speech[-1:] if reply.end_session \
        else (note,) + reply.speech
    return Reply(speech, reply.reprompt, reply.end_session)
