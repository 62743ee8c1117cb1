"""Alexa request envelopes, and a conversation that plays them through a Lambda handler.

The envelopes are built from the real-shaped samples in `tests/events/`, so that a test and the
console send exactly what Alexa sends: a session block with its attributes, the `context.System`
block with device, user and API endpoint, and a request with a fresh requestId and a timestamp.

    conversation = Conversation(lambda_handler, start=datetime(2026, 11, 26, 21, tzinfo=UTC))
    conversation.launch()
    conversation.intent("NameIntent", name="Sam")
    conversation.advance(120)           # two minutes of one partner talking
    conversation.intent("DoneIntent")
    conversation.speech                 # what Alexa just said, as plain text
"""
from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from devtools import screen_text, ssml_text

EVENTS_DIR = Path(__file__).resolve().parent.parent / "tests" / "events"
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "interaction_models" / "en-US.json"

DEFAULT_USER_ID = "amzn1.ask.account.TESTUSER"
DEFAULT_DEVICE_ID = "amzn1.ask.device.TESTDEVICE"
DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
DEFAULT_API_ENDPOINT = "https://api.amazonalexa.com"
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
TIMERS_SCOPE = "alexa::alerts:timers:skill:readwrite"

# After Alexa finishes speaking it listens about 8 s, plays the reprompt, listens 8 s more,
# then ends the session (../shared/docs/alexa-notes.md).
LISTEN_SECONDS = 8.0
MAX_RESPONSE_BYTES = 120 * 1024
# Handing the conversation to Alexa (consent, purchase) ends the skill's session.
_SESSION_ENDING_DIRECTIVES = ("Connections.SendRequest",)
# Real-shaped devices in tests/events/devices/: what each says it supports, and its viewport.
DEVICES = ("echo_dot", "echo_show", "echo_show_5", "echo_spot", "fire_tv", "echo_show_old")

Handler = Callable[[dict, Any], dict]


class InvalidResponseError(AssertionError):
    """The skill answered with something Alexa would refuse."""


class NoSessionError(RuntimeError):
    """A request that needs an open session was sent without one."""


def load_event(name: str) -> dict:
    """A fresh copy of `tests/events/<name>.json` (the ".json" is optional)."""
    path = EVENTS_DIR / (name if name.endswith(".json") else f"{name}.json")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def alexa_timestamp(moment: datetime) -> str:
    """Alexa's format: UTC, whole seconds, 'Z'."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_request_id() -> str:
    return f"amzn1.echo-api.request.{uuid.uuid4()}"


def new_session_id() -> str:
    return f"amzn1.echo-api.session.{uuid.uuid4()}"


def slot(name: str, value: str | None = None) -> dict:
    """A slot as Alexa sends it; unfilled slots are present, without a value."""
    if value is None:
        return {"name": name, "confirmationStatus": "NONE"}
    value = str(value)
    return {
        "name": name,
        "value": value,
        "confirmationStatus": "NONE",
        "source": "USER",
        "slotValue": {"type": "Simple", "value": value},
    }


def intent_body(name: str, slots: dict[str, str | None] | None = None,
                declared_slots: list[str] | tuple[str, ...] = ()) -> dict:
    """The `request.intent` object; slots the model declares but the user did not fill are
    included without a value."""
    slots = dict(slots or {})
    body: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    names = list(declared_slots) + [s for s in slots if s not in declared_slots]
    if names:
        body["slots"] = {s: slot(s, slots.get(s)) for s in names}
    return body


def declared_slots_from_model(model: dict) -> dict[str, list[str]]:
    language = model["interactionModel"]["languageModel"]
    return {i["name"]: [s["name"] for s in i.get("slots", [])] for i in language.get("intents", [])}


@dataclass
class LambdaContext:
    """Enough of the Lambda context object for code that logs or checks remaining time."""

    function_name: str = "connection-check-in-local"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = (
        "arn:aws:lambda:us-east-1:123456789012:function:connection-check-in-local"
    )
    aws_request_id: str = ""
    log_group_name: str = "/aws/lambda/connection-check-in-local"
    log_stream_name: str = "local"
    timeout_ms: int = 8000

    def get_remaining_time_in_millis(self) -> int:
        return self.timeout_ms


@dataclass
class Silence:
    """What Alexa did while nobody spoke (see `Conversation.wait`)."""

    reprompted: bool = False  # the reprompt was played during the wait
    reprompt_ssml: str = ""  # what it said
    ended: dict | None = None  # the response to the SessionEndedRequest, if Alexa gave up


class Conversation:
    """Plays requests through a handler the way Alexa would, threading session attributes.

    The clock is simulated (UTC). Each request is stamped with it, then it moves on by
    `step_seconds`, about the time a person takes to answer. `advance(seconds)` lets time pass.
    """

    def __init__(
        self,
        handler: Handler,
        *,
        user_id: str = DEFAULT_USER_ID,
        device_id: str = DEFAULT_DEVICE_ID,
        skill_id: str = DEFAULT_SKILL_ID,
        locale: str = "en-US",
        start: datetime,
        api_endpoint: str = DEFAULT_API_ENDPOINT,
        api_access_token: str = "local-console-token",
        step_seconds: float = 3.0,
        model: dict | str | Path | None = DEFAULT_MODEL_PATH,
        strict: bool = True,
        grants: set[str] | frozenset[str] = frozenset(),
        device: str | None = None,
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware (for example tzinfo=timezone.utc)")
        self.handler = handler
        self.user_id = user_id
        self.device_id = device_id
        self.skill_id = skill_id
        self.locale = locale
        self.api_endpoint = api_endpoint
        self.api_access_token = api_access_token
        self.step_seconds = step_seconds
        self.strict = strict
        # Permission scopes the household granted; sent in context.System.user.permissions.
        self.grants: set[str] = set(grants)
        # None: the original speaker of these envelopes (AudioPlayer only); else a name in DEVICES.
        self.device: str | None = None
        self._device_context: dict | None = None
        self.use_device(device)
        self.screen: dict | None = None  # the RenderDocument on screen, if any
        self.screen_drawn_at: datetime | None = None
        self.clock: datetime = start.astimezone(UTC)
        self.declared_slots = _declared_slots(model)
        self.last_request: dict | None = None
        self.last_response: dict | None = None
        self.session_open = False
        self.session_id: str | None = None
        self.attributes: dict = {}
        self.requests_in_session = 0
        self._spoken_at: datetime | None = None  # timestamp of the request that was answered
        self._reprompted = False

    def use_device(self, device: str | None) -> None:
        """Speak to another device from now on (a name in DEVICES, or None)."""
        if device is not None and device not in DEVICES:
            raise ValueError(f"unknown device {device!r}; one of {', '.join(DEVICES)}")
        self.device = device
        self._device_context = load_event(f"devices/{device}") if device else None
        self.screen = None

    # --- time ---

    @property
    def now(self) -> int:
        """The simulated clock in epoch seconds, as the skill reads a request's timestamp."""
        return int(self.clock.timestamp())

    def advance(self, seconds: float) -> datetime:
        """Moves the simulated clock on; the next request's timestamp shows it."""
        self.clock += timedelta(seconds=seconds)
        return self.clock

    def wait(self, seconds: float) -> Silence:
        """Lets `seconds` of silence pass, as Alexa would live through them.

        While the session is open, Alexa plays the response, listens 8 s, plays the reprompt,
        listens 8 s more and then sends SessionEndedRequest (EXCEEDED_MAX_REPROMPTS). That
        request is sent here at the moment Alexa would send it.
        """
        outcome = Silence()
        target = self.clock + timedelta(seconds=seconds)
        if self.session_open and self._spoken_at is not None:
            reprompt_at, give_up_at = self._listening_window()
            if reprompt_at is not None and not self._reprompted and target >= reprompt_at:
                self._reprompted = outcome.reprompted = True
                outcome.reprompt_ssml = self.reprompt_ssml
            if target >= give_up_at:
                self.clock = max(self.clock, give_up_at)
                outcome.ended = self.end_session("EXCEEDED_MAX_REPROMPTS", advance=False)
        self.clock = max(self.clock, target)
        return outcome

    def _listening_window(self) -> tuple[datetime | None, datetime]:
        response = (self.last_response or {}).get("response", {})
        speech_end = self._spoken_at + timedelta(seconds=_duration(response.get("outputSpeech")))
        reprompt = (response.get("reprompt") or {}).get("outputSpeech")
        if not reprompt:
            return None, speech_end + timedelta(seconds=LISTEN_SECONDS)
        reprompt_at = speech_end + timedelta(seconds=LISTEN_SECONDS)
        give_up = reprompt_at + timedelta(seconds=_duration(reprompt) + LISTEN_SECONDS)
        return reprompt_at, give_up

    # --- requests ---

    def launch(self, task: dict | None = None) -> dict:
        """A LaunchRequest, which always starts a new session ("Alexa, open ...")."""
        self._close()
        body: dict[str, Any] = {"type": "LaunchRequest"}
        if task is not None:
            body["task"] = task
        return self.send(body)

    def intent(self, name: str, /, **slots: Any) -> dict:
        """An IntentRequest in the open session, or a one-shot that opens a new one.

        `name` is positional-only, so a slot may itself be called "name". A slot given as None,
        or declared by the model and not given, is sent unfilled (present, without a value).
        """
        values = {k: (None if v is None else str(v)) for k, v in slots.items()}
        body = {"type": "IntentRequest",
                "intent": intent_body(name, values, self.declared_slots.get(name, ()))}
        return self.send(body)

    def tap(self, button: str, *, token: str | None = None) -> dict:
        """Touch a button of the document on screen (by its id, intent, label or the label's
        first words), as the device
        would send it: an Alexa.Presentation.APL.UserEvent with the document's token (or
        `token`, to play a tap on a document replaced since)."""
        if self.screen is None:
            raise NoSessionError("nothing is on screen to touch")
        wanted = button.strip().lower()
        for candidate in screen_text.buttons(self.screen):
            label = candidate["label"].lower()
            if wanted in (candidate["id"].lower(), label, candidate["intent"].lower()) or \
                    label.startswith(wanted):
                break
        else:
            shown = ", ".join(b["id"] for b in screen_text.buttons(self.screen)) or "none"
            raise ValueError(f"no button {button!r} on screen (buttons: {shown})")
        body = copy.deepcopy(load_event("apl_user_event")["request"])
        for field in ("requestId", "timestamp", "locale"):
            body.pop(field)
        body["token"] = token if token is not None else self.screen.get("token", "")
        body["arguments"] = [candidate["intent"]]
        return self.send(body)

    @property
    def screen_line(self) -> str:
        """The screen as one line of text ("" when nothing is shown)."""
        if self.screen is None:
            return ""
        drawn = self.screen_drawn_at or self.clock
        return screen_text.one_line(self.screen, (self.clock - drawn).total_seconds())

    def end_session(self, reason: str = "EXCEEDED_MAX_REPROMPTS", *,
                    error: dict | None = None, advance: bool = True) -> dict:
        """A SessionEndedRequest; the session is closed afterwards whatever the skill says."""
        if not self.session_open:
            raise NoSessionError("no session is open; Alexa sends SessionEndedRequest only in one")
        body: dict[str, Any] = {"type": "SessionEndedRequest", "reason": reason}
        if reason == "ERROR":
            body["error"] = error or {"type": "INVALID_RESPONSE",
                                      "message": "The skill's response could not be played"}
        try:
            return self.send(body, advance=advance)
        finally:
            self._close()

    def connections_response(self, status: str = "ACCEPTED", *, name: str = "AskFor",
                             payload: dict | None = None, token: str = "",
                             permission_scope: str = REMINDERS_SCOPE) -> dict:
        """The Connections.Response that answers an AskFor consent request (ACCEPTED, DENIED
        or NOT_ANSWERED). A Connections.SendRequest ended the session, so this opens a new one."""
        if payload is None:
            payload = {"permissionScope": permission_scope, "status": status}
        body = {"type": "Connections.Response", "name": name,
                "status": {"code": "200", "message": "OK"}, "payload": payload, "token": token}
        return self.send(body)

    def skill_disabled(self, persisted: bool = False) -> dict:
        """The AlexaSkillEvent.SkillDisabled event: out of session, with the raw `body`."""
        envelope = load_event("skill_disabled_event")
        envelope["context"]["System"].update(self._system())
        envelope["context"]["System"].pop("device", None)
        envelope["request"].update({
            "requestId": new_request_id(),
            "timestamp": alexa_timestamp(self.clock),
            "eventCreationTime": alexa_timestamp(self.clock - timedelta(seconds=2)),
            "eventPublishingTime": alexa_timestamp(self.clock),
            "body": {"userInformationPersistenceStatus":
                     "PERSISTED" if persisted else "NOT_PERSISTED"},
        })
        return self._invoke(envelope)

    def send(self, request_body: dict, *, advance: bool = True) -> dict:
        """Any request part (a dict with at least "type"), in the open session or a new one.

        requestId, timestamp and locale are filled in when missing.
        """
        request = copy.deepcopy(request_body)
        request.setdefault("requestId", new_request_id())
        request.setdefault("timestamp", alexa_timestamp(self.clock))
        request.setdefault("locale", self.locale)
        new = not self.session_open
        if new:
            self.session_id = new_session_id()
            self.attributes = {}
            self.requests_in_session = 0
            self.session_open = True
        envelope = self._envelope(request, new=new)
        try:
            response = self._invoke(envelope)
        except Exception:
            self._close()  # Alexa gives up on a session whose skill failed
            raise
        self.requests_in_session += 1
        self.attributes = copy.deepcopy(response.get("sessionAttributes") or {})
        drawn = screen_text.render_document(response)
        if drawn is not None:
            self.screen, self.screen_drawn_at = drawn, self.clock
        self._spoken_at = self.clock
        self._reprompted = False
        if _ends_session(response) or request["type"] == "SessionEndedRequest":
            self._close()
        if advance:
            self.advance(self.step_seconds)
        return response

    # --- what Alexa said ---

    @property
    def speech_ssml(self) -> str:
        return _ssml((self.last_response or {}).get("response", {}).get("outputSpeech"))

    @property
    def reprompt_ssml(self) -> str:
        reprompt = (self.last_response or {}).get("response", {}).get("reprompt") or {}
        return _ssml(reprompt.get("outputSpeech"))

    @property
    def speech(self) -> str:
        """Plain text of the last outputSpeech ("" when there was none)."""
        return ssml_text.spoken_text(self.speech_ssml)

    @property
    def reprompt(self) -> str:
        """Plain text of the last reprompt ("" when there was none)."""
        return ssml_text.spoken_text(self.reprompt_ssml)

    @property
    def directives(self) -> list[dict]:
        return list((self.last_response or {}).get("response", {}).get("directives") or [])

    # --- internals ---

    def _system(self) -> dict:
        supported = {"AudioPlayer": {}}
        if self._device_context is not None:
            supported = self._device_context["System"]["device"]["supportedInterfaces"]
        return {
            "application": {"applicationId": self.skill_id},
            "user": self._user(),
            "device": {"deviceId": self.device_id,
                       "supportedInterfaces": copy.deepcopy(supported)},
            "apiEndpoint": self.api_endpoint,
            "apiAccessToken": self.api_access_token,
        }

    def _screen_context(self) -> dict:
        """A device with a screen describes its viewport, and the document it shows."""
        context: dict[str, Any] = {}
        for key in ("Viewport", "Viewports"):
            if self._device_context is not None and key in self._device_context:
                context[key] = copy.deepcopy(self._device_context[key])
        if self.screen is not None and "Viewport" in context:
            context["Alexa.Presentation.APL"] = {
                "token": self.screen.get("token", ""),
                "version": "AplRenderer-2024.2",
                "componentsVisibleOnScreen": [],
            }
        return context

    def _user(self) -> dict:
        user: dict[str, Any] = {"userId": self.user_id}
        if self.grants:
            user["permissions"] = {
                "consentToken": self.api_access_token,
                "scopes": {scope: {"status": "GRANTED"} for scope in sorted(self.grants)},
            }
        return user

    def _envelope(self, request: dict, *, new: bool) -> dict:
        envelope = load_event("launch_request")
        envelope["session"] = {
            "new": new,
            "sessionId": self.session_id,
            "application": {"applicationId": self.skill_id},
            "attributes": copy.deepcopy(self.attributes),
            "user": {"userId": self.user_id},
        }
        envelope["context"]["System"] = self._system()
        envelope["context"].update(self._screen_context())
        envelope["request"] = request
        return envelope

    def _invoke(self, envelope: dict) -> dict:
        wire = json.loads(json.dumps(envelope))  # exactly what would travel as JSON
        self.last_request = wire
        context = LambdaContext(aws_request_id=str(uuid.uuid4()))
        raw = self.handler(wire, context)
        try:
            text = json.dumps(raw)
        except (TypeError, ValueError) as error:
            raise InvalidResponseError(f"the response is not JSON: {error}") from error
        response = json.loads(text)
        self.last_response = response
        if self.strict:
            found = response_problems(response, text)
            if found:
                raise InvalidResponseError("; ".join(found))
        return response

    def _close(self) -> None:
        self.session_open = False
        self._spoken_at = None


def response_problems(response: dict, text: str | None = None) -> list[str]:
    """What Alexa would refuse in a response envelope."""
    found: list[str] = []
    if not isinstance(response, dict) or "response" not in response:
        return ["the handler's answer has no 'response' object"]
    size = len((text or json.dumps(response)).encode("utf-8"))
    if size > MAX_RESPONSE_BYTES:
        found.append(f"the response is {size} bytes; at most {MAX_RESPONSE_BYTES}")
    body = response["response"] or {}
    for label, speech in (("outputSpeech", body.get("outputSpeech")),
                          ("reprompt", (body.get("reprompt") or {}).get("outputSpeech"))):
        if speech and speech.get("type") == "SSML":
            found.extend(f"{label}: {p}" for p in ssml_text.problems(speech.get("ssml", "")))
    return found


def _declared_slots(model: dict | str | Path | None) -> dict[str, list[str]]:
    if model is None:
        return {}
    if not isinstance(model, dict):
        path = Path(model)
        if not path.exists():
            return {}
        with open(path, encoding="utf-8") as handle:
            model = json.load(handle)
    return declared_slots_from_model(model)


def _ssml(speech: dict | None) -> str:
    if not speech:
        return ""
    if speech.get("type") == "PlainText":
        from html import escape
        return f"<speak>{escape(speech.get('text', ''), quote=False)}</speak>"
    return speech.get("ssml", "")


def _duration(speech: dict | None) -> float:
    return ssml_text.duration_seconds(_ssml(speech))


def _ends_session(response: dict) -> bool:
    """True ends the session; false or null keeps it open. An absent value leaves it to the
    device: a speaker without a screen, as simulated here, closes the session."""
    body = response.get("response") or {}
    if any(d.get("type") in _SESSION_ENDING_DIRECTIVES for d in body.get("directives") or []):
        return True
    if "shouldEndSession" not in body:
        return True
    return body["shouldEndSession"] is True
