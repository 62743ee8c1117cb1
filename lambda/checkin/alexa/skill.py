"""Builds the skill once per container, and answers any raw event without raising."""
from __future__ import annotations

import json
import logging
from typing import Any, cast

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope

from checkin import metrics
from checkin.alexa.api_client import TimedApiClient
from checkin.alexa.conversation import Services, request_time, reset_raw_event, with_raw_event
from checkin.alexa.handlers import RITUAL_HANDLERS, KindExceptionHandler, UnknownRequestHandler
from checkin.alexa.timing import Clock
from checkin.logs import log
from checkin.speech.render import Voice

_serializer = DefaultSerializer()


def build_skill(services: Services) -> CustomSkill:
    builder = CustomSkillBuilder(api_client=TimedApiClient())
    # ask-sdk then rejects other skills' requests; it declares the attribute as None only.
    builder.skill_id = services.settings.skill_id  # type: ignore[assignment]
    for handler_class in RITUAL_HANDLERS:
        builder.add_request_handler(handler_class(services))
    builder.add_request_handler(UnknownRequestHandler())
    builder.add_exception_handler(KindExceptionHandler())
    return builder.create()


def handle_event(skill: CustomSkill, event: Any, context: Any, clock: Clock) -> dict:
    """The Lambda entry point's body: a valid Alexa response for any input, never an exception.

    Each request ends with one `request` line: what the adapter noted, the request's duration
    and the store's, and what it counted, as metrics (checkin.metrics)."""
    started = clock.monotonic()
    request, token = metrics.begin(_timestamp(event, clock))
    try:
        return _answer(skill, event, context)
    finally:
        fields, emf = metrics.request_line(request, (clock.monotonic() - started) * 1000)
        request_id = getattr(context, "aws_request_id", None)
        if isinstance(request_id, str) and request_id:
            fields = {**fields, "request_id": request_id}  # Lambda's own id, for its REPORT line
        try:
            log("request", logging.INFO, emf, **fields)
        finally:
            metrics.end(token)


def _answer(skill: CustomSkill, event: Any, context: Any) -> dict:
    try:
        envelope = _serializer.deserialize(payload=json.dumps(_what_is_read(event)),
                                           obj_type=RequestEnvelope)
        complete = envelope is not None and envelope.request is not None \
            and envelope.context is not None
    except Exception as error:  # a malformed envelope must still get a spoken answer
        log("bad_request", logging.WARNING, error=type(error).__name__)
        complete = False
    locale = _locale_of(event)
    if not complete:
        return _plain_response("error.generic", locale)
    if skill.skill_id and _application_id(envelope) != skill.skill_id:
        log("foreign_skill", logging.WARNING)
        return _plain_response("foreign.skill", locale)
    token = with_raw_event(event)
    try:
        response = skill.invoke(request_envelope=envelope, context=context)
        return cast(dict, _serializer.serialize(response))  # a Response serializes to a dict
    except Exception as error:  # last resort: the exception handler itself failed
        log("invoke_failed", logging.ERROR, error=type(error).__name__)
        return _plain_response("error.generic", locale)
    finally:
        reset_raw_event(token)


def _what_is_read(event: Any) -> Any:
    """The event as ask-sdk turns it into models: without the parts the skill reads from the raw
    event (conversation.raw_event) instead, because their models cost more than they are worth.

    - The context beyond `context.System`: a device with a screen describes its viewports and
      the document on screen, some twenty models per request, more than twice the work of a
      whole hello-world answer; the documents adapt to the viewport on the device itself.
    - `System.device.supportedInterfaces`, read by apl.draws_screens.
    - `request.timestamp`, which ask-sdk parses with dateutil's general parser, about a tenth
      of a warm request; conversation.request_time reads its ISO 8601 text.
    """
    if not isinstance(event, dict):
        return event
    read = dict(event)
    context = event.get("context")
    if isinstance(context, dict):
        system = context.get("System")
        device = system.get("device") if isinstance(system, dict) else None
        if isinstance(system, dict) and isinstance(device, dict) \
                and "supportedInterfaces" in device:
            system = {**system, "device": _without(device, "supportedInterfaces")}
        read["context"] = {"System": system} if "System" in context else {}
    request = event.get("request")
    if isinstance(request, dict) and "timestamp" in request:
        read["request"] = _without(request, "timestamp")
    return read


def _without(node: dict, key: str) -> dict:
    return {k: v for k, v in node.items() if k != key}


def _timestamp(event: Any, clock: Clock) -> int:
    """The request's own timestamp (the process clock only for a request without one)."""
    request = event.get("request") if isinstance(event, dict) else None
    try:
        return request_time(request.get("timestamp") if isinstance(request, dict) else None,
                            clock.wall)
    except (ValueError, OverflowError, TypeError):  # nothing malformed may escape
        return int(clock.wall())


def _application_id(envelope: RequestEnvelope) -> str | None:
    system = getattr(envelope.context, "system", None)
    application = getattr(system, "application", None)
    return getattr(application, "application_id", None)


def _locale_of(event: Any) -> str | None:
    """The locale of a raw event, however malformed the rest of it is."""
    request = event.get("request") if isinstance(event, dict) else None
    locale = request.get("locale") if isinstance(request, dict) else None
    return locale if isinstance(locale, str) else None


def _plain_response(key: str, locale: str | None) -> dict:
    """A spoken answer that ends the session, for a request the skill cannot take."""
    text = Voice(locale).text(key)
    return {
        "version": "1.0",
        "response": {
            "outputSpeech": {"type": "SSML", "ssml": f"<speak>{text}</speak>"},
            "shouldEndSession": True,
        },
    }
