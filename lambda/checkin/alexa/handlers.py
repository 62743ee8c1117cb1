"""ask-sdk request handlers: each turns one kind of request into one ritual Event.

Intents are one table, INTENT_EVENTS; the other request shapes are read by checkin.alexa.directives.
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_request_type
from ask_sdk_model import Response

from checkin import metrics
from checkin.alexa import intents
from checkin.alexa.apl import SCREEN_ATTRIBUTE
from checkin.alexa.conversation import Services, raw_event, respond, speak
from checkin.alexa.directives import permission_answer, started_by_task
from checkin.alexa.envelope import user_id_of
from checkin.logs import log, short
from checkin.ritual.clock import TONIGHT
from checkin.ritual.events import UNCLEAR, Event, HeardTime, Kind, PermissionAnswer
from checkin.ritual.reply import Reply, Say
from checkin.store.keys import household_key
from checkin.store.repository import StoreError


class RitualHandler(AbstractRequestHandler):
    """Base: one request type, mapped to one event."""

    request_type = ""

    def __init__(self, services: Services):
        self.services = services

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) == self.request_type

    def handle(self, handler_input: HandlerInput) -> Response:
        return respond(self.services, handler_input, self.event(handler_input))

    def event(self, handler_input: HandlerInput) -> Event:
        raise NotImplementedError


SlotReader = Callable[[str], str | None]
"""A slot's spoken value by slot name, or None when the slot is missing or empty."""


def _name(slot: SlotReader) -> str:
    return slot(intents.NAME_SLOT) or ""


def _turn_length(slot: SlotReader) -> str | None:
    return slot(intents.MINUTES_SLOT) or slot(intents.CHANGE_SLOT)


def _when(slot: SlotReader) -> HeardTime:
    day = slot(intents.WHEN_DATE_SLOT) or ""
    time = slot(intents.WHEN_TIME_SLOT) or ""
    # The samples without slots all mean tonight ("later tonight", "later this evening").
    return HeardTime(day, time) if day or time else HeardTime(time=TONIGHT)


def _remind(slot: SlotReader) -> HeardTime | None:
    day = slot(intents.WHEN_DATE_SLOT) or ""
    time = slot(intents.WHEN_TIME_SLOT) or ""
    # A day named ("remind us tomorrow at eight") asks for one reminder, not a nightly one.
    return HeardTime(day, time) if day or time else None


def _unclear(slot: SlotReader) -> str:
    return UNCLEAR  # "I need help" may mean the check-in or support: the engine asks which


# Each intent: the event kind it means, and how its value is read from the slots (None: none).
INTENT_EVENTS: dict[str, tuple[Kind, Callable[[SlotReader], str | HeardTime | None] | None]] = {
    intents.NAME: (Kind.NAME, _name),
    intents.SET_TURN_LENGTH: (Kind.SET_LENGTH, _turn_length),
    intents.WHEN: (Kind.WHEN, _when),
    intents.REMIND: (Kind.REMIND, _remind),
    intents.NEED_HELP: (Kind.SAFETY, _unclear),
    intents.CHANGE_NAMES: (Kind.CHANGE_NAMES, None),
    intents.STOP_REMINDERS: (Kind.STOP_REMINDERS, None),
    intents.START_WALK: (Kind.START_WALK, None),
    intents.AWARENESS: (Kind.AWARENESS, None),
    intents.A_LITTLE: (Kind.A_LITTLE, None),
    intents.DONE: (Kind.DONE, None),
    intents.MORE_TIME: (Kind.MORE_TIME, None),
    intents.SKIP: (Kind.SKIP, None),
    intents.HISTORY: (Kind.HISTORY, None),
    intents.SAFETY: (Kind.SAFETY, None),
    intents.DELETE_HISTORY: (Kind.DELETE_HISTORY, None),
    intents.YES: (Kind.YES, None),
    intents.NO: (Kind.NO, None),
    intents.HELP: (Kind.HELP, None),
    # Stop, Cancel and "go home" all end the session at once, kindly.
    intents.STOP: (Kind.STOP, None),
    intents.CANCEL: (Kind.STOP, None),
    intents.NAVIGATE_HOME: (Kind.STOP, None),
    intents.REPEAT: (Kind.REPEAT, None),
    intents.PAUSE: (Kind.PAUSE, None),
    intents.RESUME: (Kind.RESUME, None),
    intents.START_OVER: (Kind.START_OVER, None),
    intents.FALLBACK: (Kind.FALLBACK, None),
}


def intent_event(intent_name: str | None, slot: SlotReader) -> Event:
    """The event an intent means; an intent this skill does not know is heard as a fallback."""
    kind, value = INTENT_EVENTS.get(intent_name or "", (Kind.FALLBACK, None))
    return Event(kind, value(slot) if value else None)


def _slot_reader(handler_input: HandlerInput) -> SlotReader:
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slots = getattr(intent, "slots", None) or {}

    def slot(name: str) -> str | None:
        value = _resolved_id(slots.get(name)) or getattr(slots.get(name), "value", None)
        return value if isinstance(value, str) and value.strip() else None
    return slot


def _resolved_id(slot: object) -> str | None:
    """A custom slot's value id ("shorter"), the same in every locale, whatever words were
    said ("más cortos"); None when Alexa matched no value of the slot type."""
    resolutions = getattr(slot, "resolutions", None)
    for authority in getattr(resolutions, "resolutions_per_authority", None) or ():
        code = getattr(getattr(authority, "status", None), "code", None)
        if getattr(code, "value", code) != "ER_SUCCESS_MATCH":
            continue
        for match in getattr(authority, "values", None) or ():
            value = getattr(match, "value", None)
            found = getattr(value, "id", None) or getattr(value, "name", None)
            if isinstance(found, str) and found:
                return found
    return None


class IntentHandler(RitualHandler):
    """Every intent, through INTENT_EVENTS; never an error, even for one the skill lacks."""

    request_type = "IntentRequest"

    def event(self, handler_input: HandlerInput) -> Event:
        return intent_event(str(get_intent_name(handler_input)), _slot_reader(handler_input))


class LaunchHandler(RitualHandler):
    request_type = "LaunchRequest"

    def event(self, handler_input: HandlerInput) -> Event:
        # A Routine's StartCheckIn task arrives as LaunchRequest.task.
        return Event(Kind.LAUNCH, "task" if started_by_task(handler_input.request_envelope)
                     else None)


class PermissionAnswerHandler(RitualHandler):
    """The answer to a voice permission request (Connections.Response to AskFor)."""

    request_type = "Connections.Response"

    def event(self, handler_input: HandlerInput) -> Event:
        # Only AskFor is ever sent; any other response is no answer to anything asked.
        answer = permission_answer(handler_input.request_envelope)
        return Event(Kind.PERMISSION, answer or PermissionAnswer("NOT_ANSWERED", ""))


class ScreenTapHandler(RitualHandler):
    """A button touched on a screen (Alexa.Presentation.APL.UserEvent). It names the intent that
    says the same thing, and is answered exactly as those words would be: whether its document
    is still on screen or was replaced since (a stale token), the ritual as it stands now
    decides, as it does for voice."""

    request_type = "Alexa.Presentation.APL.UserEvent"

    def handle(self, handler_input: HandlerInput) -> Response:
        token = getattr(handler_input.request_envelope.request, "token", None)
        shown = (handler_input.attributes_manager.session_attributes or {}).get(SCREEN_ATTRIBUTE)
        log("screen_tap", stale=token is None or token != shown)
        return super().handle(handler_input)

    def event(self, handler_input: HandlerInput) -> Event:
        arguments = getattr(handler_input.request_envelope.request, "arguments", None) or []
        name = arguments[0] if isinstance(arguments, list) and arguments and \
            isinstance(arguments[0], str) else None
        return intent_event(name, lambda slot: None)


class SessionEndedHandler(RitualHandler):
    request_type = "SessionEndedRequest"

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        log("session_ended", reason=str(getattr(request, "reason", None)),
            error=str(getattr(getattr(request, "error", None), "object_type", None) or ""))
        return super().handle(handler_input)

    def event(self, handler_input: HandlerInput) -> Event:
        return Event(Kind.SESSION_ENDED)


class SkillDisabledHandler(RitualHandler):
    """The household disabled the skill: everything kept about it is deleted."""

    request_type = "AlexaSkillEvent.SkillDisabled"

    def handle(self, handler_input: HandlerInput) -> Response:
        household = household_key(user_id_of(handler_input.request_envelope),
                                  self.services.settings.household_salt)
        # ask-sdk-model drops the event's body, so the status comes from the raw event.
        body = (raw_event().get("request") or {}).get("body") or {}
        status = body.get("userInformationPersistenceStatus")
        clock = self.services.clock
        deleting = clock.monotonic()
        try:
            deleted = self.services.repository.delete_household(household)
        except StoreError as error:
            log("household_delete_failed", logging.ERROR,
                metrics.store_fault(error.code, error.status), household=short(household),
                error=type(error.__cause__ or error).__name__, code=error.code)
        else:
            log("household_deleted", household=short(household), items=deleted, status=status)
        finally:
            metrics.store_time(clock.monotonic() - deleting)
        return handler_input.response_builder.response


class UnknownRequestHandler(AbstractRequestHandler):
    """Requests of other types (display events, playback reports) get a quiet, valid answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        log("unhandled_request", request_type=get_request_type(handler_input))
        return handler_input.response_builder.response


class KindExceptionHandler(AbstractExceptionHandler):
    """Whatever went wrong, the couple hears a kind answer and the session stays usable."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        # The type and where it happened, not the message, which may carry what was heard.
        log("handler_error", logging.ERROR, error=type(exception).__name__,
            at=_where(exception))
        reply = Reply((Say.of("error.generic"),), (Say.of("error.reprompt"),))
        return speak(handler_input, reply)


def _where(exception: Exception) -> str:
    frames = traceback.extract_tb(exception.__traceback__)
    return f"{frames[-1].name}:{frames[-1].lineno}" if frames else ""


# Each handles its own request type; anything else goes to UnknownRequestHandler, added last.
RITUAL_HANDLERS = (
    IntentHandler, LaunchHandler, PermissionAnswerHandler, ScreenTapHandler, SessionEndedHandler,
    SkillDisabledHandler,
)
