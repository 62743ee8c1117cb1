"""The Flask application: POST / for Alexa, GET /health, one JSON log line per request.

Requests go through flask-ask-sdk's ``SkillAdapter`` with our verifiers (``webservice.verifier``)
and the library's own verifiers switched off (see requirements-serve.txt). Once a request is
verified it is answered by the Lambda entry point itself, ``lambda_function.lambda_handler``,
over the same ``lambda_function.skill``: a request gets the same answer over HTTP as on Lambda,
including the spoken refusal of another skill's request and the spoken apology for a
malformed one.
"""
from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope
from ask_sdk_webservice_support.verifier import AbstractVerifier, VerificationException
from flask import Flask, Response, g, jsonify, request
from flask_ask_sdk.skill_adapter import (
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
    SkillAdapter,
)
from werkzeug.exceptions import BadRequest, HTTPException

from checkin import logs
from checkin.config import Settings
from checkin.store.keys import household_key

Handler = Callable[[dict, Any], dict]

# Alexa's requests are a few kilobytes; 256 KiB leaves room for large contexts (APL viewports).
MAX_BODY_BYTES = 256 * 1024
ADAPTER_NAME = "connection-check-in"
_SAFE_LABEL = re.compile(r"[A-Za-z0-9._:-]{1,80}")
# flask-ask-sdk logs each refusal with a traceback; the access line already says why.
_ADAPTER_REFUSAL_MESSAGE = "Request verification failed"


class _VerifyThenAnswer:
    """Stands where flask-ask-sdk puts its ``WebserviceSkillHandler``.

    It runs the verifiers on the raw body exactly as that handler does, then lets the Lambda
    entry point answer, instead of calling ``skill.invoke`` (which raises on another skill's
    request or a half-empty envelope, and would turn both into a 500).
    """

    def __init__(self, verifiers: Sequence[AbstractVerifier], handler: Handler) -> None:
        self._verifiers = list(verifiers)
        self._handler = handler
        self._serializer = DefaultSerializer()

    def verify_request_and_dispatch(self, http_request_headers: Any,
                                    http_request_body: str) -> dict:
        envelope = self._envelope(http_request_body)
        for verifier in self._verifiers:
            try:
                verifier.verify(
                    headers=http_request_headers,
                    serialized_request_env=http_request_body,
                    deserialized_request_env=envelope,
                )
            except VerificationException as error:
                g.refusal = str(error)
                raise
        return self._handler(g.alexa_event, None)

    def _envelope(self, body: str) -> RequestEnvelope | None:
        if not self._verifiers:
            return None
        try:
            return self._serializer.deserialize(payload=body, obj_type=RequestEnvelope)
        except Exception:  # then the verifiers refuse it: no timestamp to check
            return None


class CheckInSkillAdapter(SkillAdapter):
    """flask-ask-sdk's adapter, verifying with ``verifiers`` and answering with ``handler``."""

    def __init__(self, skill: CustomSkill, handler: Handler, verifiers: Sequence[AbstractVerifier],
                 app: Flask) -> None:
        self._handler = handler
        super().__init__(skill=skill, skill_id=ADAPTER_NAME, verifiers=list(verifiers), app=app)

    def _create_webservice_handler(self, skill: CustomSkill, verifiers: list) -> None:
        self._webservice_handler = _VerifyThenAnswer(verifiers, self._handler)


def _lambda_entry_point() -> tuple[CustomSkill, Handler]:
    import lambda_function

    return lambda_function.skill, lambda_function.lambda_handler


def create_app(
    *,
    verify: bool = True,
    verifiers: Sequence[AbstractVerifier] | None = None,
    skill: CustomSkill | None = None,
    handler: Handler | None = None,
    household_salt: str | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> Flask:
    """Build the web app. ``verify=False`` is the explicit development mode, loudly logged.

    By default the skill and handler are ``lambda_function``'s, and the verifiers are the
    production ones (``webservice.verifier.alexa_verifiers()``).
    """
    if skill is None or handler is None:
        default_skill, default_handler = _lambda_entry_point()
        skill = skill or default_skill
        handler = handler or default_handler
    if not verify:
        if verifiers:
            raise ValueError("verifiers given with verify=False")
        verifiers = []
        logs.log("verification_off", logging.WARNING,
                 warning="ALEXA REQUEST VERIFICATION IS OFF: anyone can call this skill. "
                         "Development only; never expose this server.")
    elif verifiers is None:
        from webservice.verifier import alexa_verifiers

        verifiers = alexa_verifiers()
    elif not verifiers:
        raise ValueError("verify=True needs at least one verifier")
    if household_salt is None:
        household_salt = Settings.from_env().household_salt

    app = Flask(__name__)
    app.config[VERIFY_SIGNATURE_APP_CONFIG] = False  # the library's are replaced by ours
    app.config[VERIFY_TIMESTAMP_APP_CONFIG] = False
    app.config["MAX_CONTENT_LENGTH"] = max_body_bytes
    app.logger.addFilter(lambda record: record.getMessage() != _ADAPTER_REFUSAL_MESSAGE)
    adapter = CheckInSkillAdapter(skill, handler, verifiers, app)
    verification = "on" if verifiers else "off"

    @app.post("/")
    def alexa() -> Response:
        g.alexa_event = _read_event()
        return adapter.dispatch_request()

    @app.get("/health")
    def health() -> Response:
        return jsonify(status="ok")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        response = error.get_response()  # keeps headers such as Allow on a 405
        response.set_data(json.dumps({"error": error.name, "message": error.description}))
        response.content_type = "application/json"
        return response

    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def access_line(response: Response) -> Response:
        logs.log("http_request", logging.INFO, **_access_fields(response, verification,
                                                               household_salt))
        return response

    return app


def _read_event() -> dict:
    body = request.get_data(cache=True)  # past MAX_CONTENT_LENGTH this raises 413
    try:
        text = body.decode("utf-8")
        event = json.loads(text)
    except UnicodeDecodeError:
        raise BadRequest("body is not UTF-8") from None
    except (ValueError, RecursionError):
        raise BadRequest("body is not JSON") from None
    if not isinstance(event, dict):
        raise BadRequest("body is not a JSON object")
    return event


def _access_fields(response: Response, verification: str, salt: str) -> dict:
    """What one request did, without names, slot values or raw user ids."""
    event = g.get("alexa_event")
    started = g.get("started")
    fields: dict[str, Any] = {
        "method": request.method,
        "path": request.path if _SAFE_LABEL.fullmatch(request.path.lstrip("/") or "-") else "?",
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "bytes": request.content_length,
        "verification": verification,
    }
    if g.get("refusal"):
        fields["refused"] = g.refusal
    if isinstance(event, dict):
        request_part = event.get("request") if isinstance(event.get("request"), dict) else {}
        fields["request_type"] = _label(request_part.get("type"))
        intent = request_part.get("intent")
        if isinstance(intent, dict):
            fields["intent"] = _label(intent.get("name"))
        user_id = _user_id(event)
        if user_id:
            fields["household"] = logs.short(household_key(user_id, salt))
    return fields


def _label(value: Any) -> str | None:
    """A request type or intent name, if it looks like one; never free text."""
    if value is None:
        return None
    return value if isinstance(value, str) and _SAFE_LABEL.fullmatch(value) else "?"


def _user_id(event: dict) -> str | None:
    for path in (("context", "System", "user", "userId"), ("session", "user", "userId")):
        node: Any = event
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, str) and node:
            return node
    return None
