"""ask-sdk request handlers: each turns one kind of request into one ritual Event."""
from __future__ import annotations

import logging
import traceback

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_request_type
from ask_sdk_model import Response

from checkin.alexa import intents
from checkin.alexa.conversation import Services, raw_event, respond, speak
from checkin.logs import log, short
from checkin.ritual.clock import TONIGHT
from checkin.ritual.events import UNCLEAR, Event, Kind, PermissionAnswer
from checkin.ritual.reply import Reply, Say
from checkin.store.keys import household_key
from checkin.store.repository import StoreError


class RitualHandler(AbstractRequestHandler):
    """Base: a request type or a set of intents, mapped to one event kind."""

    request_type = "IntentRequest"
    intent_names: tuple[str, ...] = ()
    kind: Kind = Kind.FALLBACK

    def __init__(self, services: Services):
        self.services = services

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if get_request_type(handler_input) != self.request_type:
            return False
        return self.request_type != "IntentRequest" or \
            get_intent_name(handler_input) in self.intent_names

    def handle(self, handler_input: HandlerInput) -> Response:
        return respond(self.services, handler_input, self.event(handler_input))

    def event(self, handler_input: HandlerInput) -> Event:
        return Event(self.kind)


def _slot(handler_input: HandlerInput, name: str) -> str | None:
    """A slot's spoken value, or None when the slot is missing or empty."""
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slot = (getattr(intent, "slots", None) or {}).get(name)
    value = getattr(slot, "value", None)
    return value if isinstance(value, str) and value.strip() else None


class LaunchHandler(RitualHandler):
    request_type = "LaunchRequest"
    kind = Kind.LAUNCH

    def event(self, handler_input: HandlerInput) -> Event:
        # A Routine's custom task arrives as LaunchRequest.task.
        task = getattr(handler_input.request_envelope.request, "task", None)
        return Event(Kind.LAUNCH, "task" if task else None)


class PermissionAnswerHandler(RitualHandler):
    """The answer to a voice permission request (Connections.Response to AskFor)."""

    request_type = "Connections.Response"
    kind = Kind.PERMISSION

    def event(self, handler_input: HandlerInput) -> Event:
        request = handler_input.request_envelope.request
        payload = getattr(request, "payload", None) or {}
        status = payload.get("status") if isinstance(payload, dict) else None
        return Event(Kind.PERMISSION, PermissionAnswer(str(status or "NOT_ANSWERED"),
                                                       str(getattr(request, "token", "") or "")))


class SessionEndedHandler(RitualHandler):
    request_type = "SessionEndedRequest"
    kind = Kind.SESSION_ENDED

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        log("session_ended", reason=str(getattr(request, "reason", None)),
            error=str(getattr(getattr(request, "error", None), "object_type", None) or ""))
        return super().handle(handler_input)


class NameHandler(RitualHandler):
    intent_names = (intents.NAME,)
    kind = Kind.NAME

    def event(self, handler_input: HandlerInput) -> Event:
        return Event(Kind.NAME, _slot(handler_input, intents.NAME_SLOT) or "")


class SetTurnLengthHandler(RitualHandler):
    intent_names = (intents.SET_TURN_LENGTH,)
    kind = Kind.SET_LENGTH

    def event(self, handler_input: HandlerInput) -> Event:
        return Event(Kind.SET_LENGTH, _slot(handler_input, intents.MINUTES_SLOT)
                     or _slot(handler_input, intents.CHANGE_SLOT))


class ChangeNamesHandler(RitualHandler):
    intent_names = (intents.CHANGE_NAMES,)
    kind = Kind.CHANGE_NAMES


class WhenHandler(RitualHandler):
    intent_names = (intents.WHEN,)
    kind = Kind.WHEN

    def event(self, handler_input: HandlerInput) -> Event:
        day = _slot(handler_input, intents.WHEN_DATE_SLOT) or ""
        time = _slot(handler_input, intents.WHEN_TIME_SLOT) or ""
        # The samples without slots all mean tonight ("later tonight", "later this evening").
        return Event(Kind.WHEN, f"{day}|{time}" if day or time else f"|{TONIGHT}")


class RemindHandler(RitualHandler):
    intent_names = (intents.REMIND,)
    kind = Kind.REMIND

    def event(self, handler_input: HandlerInput) -> Event:
        day = _slot(handler_input, intents.WHEN_DATE_SLOT)
        time = _slot(handler_input, intents.WHEN_TIME_SLOT)
        # A day named ("remind us tomorrow at eight") asks for one reminder, not a nightly one.
        return Event(Kind.REMIND, f"{day}|{time or ''}" if day else time)


class StopRemindersHandler(RitualHandler):
    intent_names = (intents.STOP_REMINDERS,)
    kind = Kind.STOP_REMINDERS


class StartWalkHandler(RitualHandler):
    intent_names = (intents.START_WALK,)
    kind = Kind.START_WALK


class DoneHandler(RitualHandler):
    intent_names = (intents.DONE,)
    kind = Kind.DONE


class MoreTimeHandler(RitualHandler):
    intent_names = (intents.MORE_TIME,)
    kind = Kind.MORE_TIME


class SkipHandler(RitualHandler):
    intent_names = (intents.SKIP,)
    kind = Kind.SKIP


class HistoryHandler(RitualHandler):
    intent_names = (intents.HISTORY,)
    kind = Kind.HISTORY


class SafetyHandler(RitualHandler):
    intent_names = (intents.SAFETY,)
    kind = Kind.SAFETY


class NeedHelpHandler(RitualHandler):
    """ "I need help" may mean the check-in or support: the engine asks which, once."""

    intent_names = (intents.NEED_HELP,)
    kind = Kind.SAFETY

    def event(self, handler_input: HandlerInput) -> Event:
        return Event(Kind.SAFETY, UNCLEAR)


class DeleteHistoryHandler(RitualHandler):
    intent_names = (intents.DELETE_HISTORY,)
    kind = Kind.DELETE_HISTORY


class YesHandler(RitualHandler):
    intent_names = (intents.YES,)
    kind = Kind.YES


class NoHandler(RitualHandler):
    intent_names = (intents.NO,)
    kind = Kind.NO


class HelpHandler(RitualHandler):
    intent_names = (intents.HELP,)
    kind = Kind.HELP


class StopHandler(RitualHandler):
    """Stop, Cancel and "go home" all end the session at once, kindly."""

    intent_names = (intents.STOP, intents.CANCEL, intents.NAVIGATE_HOME)
    kind = Kind.STOP


class RepeatHandler(RitualHandler):
    intent_names = (intents.REPEAT,)
    kind = Kind.REPEAT


class PauseHandler(RitualHandler):
    intent_names = (intents.PAUSE,)
    kind = Kind.PAUSE


class ResumeHandler(RitualHandler):
    intent_names = (intents.RESUME,)
    kind = Kind.RESUME


class StartOverHandler(RitualHandler):
    intent_names = (intents.START_OVER,)
    kind = Kind.START_OVER


class FallbackHandler(RitualHandler):
    intent_names = (intents.FALLBACK,)
    kind = Kind.FALLBACK


class SkillDisabledHandler(RitualHandler):
    """The household disabled the skill: everything kept about it is deleted."""

    request_type = "AlexaSkillEvent.SkillDisabled"

    def handle(self, handler_input: HandlerInput) -> Response:
        user_id = handler_input.request_envelope.context.system.user.user_id
        household = household_key(user_id, self.services.settings.household_salt)
        # ask-sdk-model drops the event's body, so the status comes from the raw event.
        body = (raw_event().get("request") or {}).get("body") or {}
        status = body.get("userInformationPersistenceStatus")
        try:
            deleted = self.services.repository.delete_household(household)
        except StoreError as error:
            log("household_delete_failed", logging.ERROR, household=short(household),
                error=type(error.__cause__ or error).__name__)
        else:
            log("household_deleted", household=short(household), items=deleted, status=status)
        return handler_input.response_builder.response


class UnknownIntentHandler(RitualHandler):
    """Any intent this skill does not know is answered like a fallback, never an error."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) == "IntentRequest"


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


# Order matters: specific handlers first, the catch-alls last.
RITUAL_HANDLERS = (
    LaunchHandler, PermissionAnswerHandler, SessionEndedHandler, NameHandler,
    SetTurnLengthHandler, WhenHandler, RemindHandler, StopRemindersHandler, StartWalkHandler,
    DoneHandler, MoreTimeHandler, SkipHandler, HistoryHandler, SafetyHandler, NeedHelpHandler,
    DeleteHistoryHandler, ChangeNamesHandler, YesHandler,
    NoHandler, HelpHandler, StopHandler, RepeatHandler, PauseHandler, ResumeHandler,
    StartOverHandler, FallbackHandler, SkillDisabledHandler, UnknownIntentHandler,
)
