"""The web endpoint end to end: verification through flask-ask-sdk, the real skill, the logs.

The skill is the real one (``lambda_function.skill`` and ``lambda_function.lambda_handler``),
on a table of its own in a moto server that this module starts. Certificates come from the
test PKI of ``tests/web_fixtures.py``, served through the injected fetcher.
"""
from __future__ import annotations

import json
import logging
import sys
import threading
import urllib.error
import urllib.request
from datetime import timedelta

import pytest

from checkin.alexa import intents
from devtools.envelopes import DEFAULT_SKILL_ID, Conversation
from tests.skill_fixtures import EVENING, household, introduce, six_turns, wire
from tests.web_fixtures import (
    CERT_URL,
    NOW,
    build_test_pki,
    chain_url,
    envelope_body,
    fixed_clock,
    free_port,
    load_event,
)
from webservice.app import ADAPTER_NAME, MAX_BODY_BYTES, create_app
from webservice.verifier import alexa_verifiers

SAMPLE_SKILL_ID = "amzn1.ask.skill.5f1c9a7e-3b2d-4c6e-9a41-0d8e7b2c6f13"  # tests/events/*.json
SAMPLE_USER_ID = load_event("launch_request")["context"]["System"]["user"]["userId"]


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pki():
    return build_test_pki()


@pytest.fixture
def repository(moto_repository):
    """The skill's store for this module: a fresh table on the shared moto server."""
    return moto_repository


class Spy:
    """The real Lambda entry point, counting the requests that reach it."""

    def __init__(self, handler):
        self.handler = handler
        self.calls = 0

    def __call__(self, event, context):
        self.calls += 1
        return self.handler(event, context)


@pytest.fixture
def skill_handler(monkeypatch, repository):
    """lambda_function's skill on the test table, for the sample events' skill id."""
    import lambda_function

    wire(monkeypatch, repository, SAMPLE_SKILL_ID)
    return Spy(lambda_function.lambda_handler)


@pytest.fixture
def app(pki, skill_handler):
    import lambda_function

    verifiers = alexa_verifiers(trust_store=pki.store(), fetcher=pki.fetch, clock=fixed_clock())
    return create_app(verifiers=verifiers, skill=lambda_function.skill, handler=skill_handler)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def access_lines():
    """The JSON lines the "checkin" logger writes during the test."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    handler = Collect(level=logging.DEBUG)
    logger = logging.getLogger("checkin")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(previous)


def post(client, body: bytes, headers: dict):
    return client.post("/", data=body, headers=headers)


def speech(response) -> str:
    return response.get_json()["response"]["outputSpeech"]["ssml"]


# --- a good request --------------------------------------------------------------------


def test_good_signed_request_gets_the_skills_answer(client, pki, skill_handler):
    # Given a launch request signed by the echo-api certificate
    body = envelope_body(load_event("launch_request"))
    # When Alexa posts it
    response = post(client, body, pki.headers(body))
    # Then the skill answers it with a valid Alexa response
    assert response.status_code == 200
    payload = response.get_json()
    assert payload["version"] == "1.0" and "outputSpeech" in payload["response"]
    assert skill_handler.calls == 1


def test_default_app_uses_lambda_functions_skill_and_handler(pki):
    import lambda_function

    app = create_app(verifiers=alexa_verifiers(trust_store=pki.store(), fetcher=pki.fetch))
    adapter = app.extensions["ASK_SDK_SKILL_ADAPTER"][ADAPTER_NAME]
    assert adapter._skill is lambda_function.skill
    assert adapter._handler is lambda_function.lambda_handler


def test_the_librarys_own_verifiers_are_off(app):
    # ask-sdk-webservice-support's verifiers check the SHA-1 header (1.2.0) or cannot load
    # (1.3.x); ours replace them.
    assert app.config["ASK_SDK_VERIFY_SIGNATURE"] is False
    assert app.config["ASK_SDK_VERIFY_TIMESTAMP"] is False


# --- every refusal is a 400, and the skill never runs ----------------------------------


def _without(headers: dict, name: str) -> dict:
    return {k: v for k, v in headers.items() if k != name}


REFUSALS = {
    "missing signature": lambda pki, body: (body, _without(pki.headers(body), "Signature-256")),
    "empty signature": lambda pki, body: (body, {**pki.headers(body), "Signature-256": ""}),
    "wrong signature": lambda pki, body: (body, {**pki.headers(body),
                                                 "Signature-256": pki.sign(b"x")}),
    "tampered body": lambda pki, body: (body.replace(b"LaunchRequest", b"IntentRequest"),
                                        pki.headers(body)),
    "missing cert url": lambda pki, body: (body, _without(pki.headers(body),
                                                          "SignatureCertChainUrl")),
    "wrong host": lambda pki, body: (body, pki.headers(body, url=CERT_URL.replace(
        "s3.amazonaws.com", "s3.evil.example"))),
    "wrong scheme": lambda pki, body: (body, pki.headers(body, url=CERT_URL.replace(
        "https", "http"))),
    "wrong path": lambda pki, body: (body, pki.headers(body, url=CERT_URL.replace(
        "/echo.api/", "/echo.api.evil/"))),
    "wrong port": lambda pki, body: (body, pki.headers(body, url=CERT_URL.replace(
        "amazonaws.com/", "amazonaws.com:8443/"))),
    "expired leaf": lambda pki, body: (body, pki.headers(body, url=chain_url("expired"))),
    "wrong SAN": lambda pki, body: (body, pki.headers(body, url=chain_url("wrong-san"))),
    "untrusted chain": lambda pki, body: (body, pki.headers(body, url=chain_url("untrusted"))),
    "stale timestamp": lambda pki, body: (_restamp(body, -151), pki.headers(_restamp(body, -151))),
    "future timestamp": lambda pki, body: (_restamp(body, 151), pki.headers(_restamp(body, 151))),
}


def _restamp(body: bytes, seconds: int) -> bytes:
    return envelope_body(json.loads(body), timestamp=NOW + timedelta(seconds=seconds))


@pytest.mark.parametrize("case", list(REFUSALS))
def test_unverified_requests_are_refused_with_400(client, pki, skill_handler, access_lines, case):
    # Given a launch request that fails one check
    body, headers = REFUSALS[case](pki, envelope_body(load_event("launch_request")))
    # When it is posted
    response = post(client, body, headers)
    # Then it is refused before the skill sees it, and the access line says why
    assert response.status_code == 400
    assert response.get_json()["error"] == "Bad Request"
    assert skill_handler.calls == 0
    line = json.loads(access_lines[-1])
    assert line["status"] == 400 and line["refused"]


def test_a_foreign_skill_id_is_answered_by_the_skill(client, pki, skill_handler, repository):
    # Given a verified request for another skill
    event = load_event("launch_request")
    for block in (event["session"], event["context"]["System"]):
        block["application"]["applicationId"] = "amzn1.ask.skill.someone-else"
    body = envelope_body(event)
    # When it is posted
    response = post(client, body, pki.headers(body))
    # Then the skill answers with its spoken refusal, as on Lambda, and stores nothing
    assert response.status_code == 200
    assert "wasn't meant for Connection Check-In" in speech(response)
    assert repository.load(household_of(SAMPLE_USER_ID), 0).profile is None


def household_of(user_id: str) -> str:
    from checkin.store.keys import household_key

    return household_key(user_id, "")


def test_a_foreign_skill_id_that_is_not_signed_is_still_a_400(client, pki, skill_handler):
    event = load_event("launch_request")
    event["context"]["System"]["application"]["applicationId"] = "amzn1.ask.skill.someone-else"
    response = post(client, envelope_body(event), {"Content-Type": "application/json"})
    assert response.status_code == 400 and skill_handler.calls == 0


@pytest.mark.parametrize(
    "body, message",
    [
        (b"not json at all", "not JSON"),
        (b"", "not JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2, 3]", "not a JSON object"),
        (b'"a string"', "not a JSON object"),
        (b"[" * 100_000, "not JSON"),
    ],
)
def test_bodies_that_are_not_a_json_object_are_400(client, skill_handler, body, message):
    response = client.post("/", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert message in response.get_json()["message"]
    assert skill_handler.calls == 0


def test_a_2_mb_body_is_refused_unread(client, pki, skill_handler):
    body = b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = post(client, body, pki.headers(body))
    assert response.status_code == 413
    assert skill_handler.calls == 0
    assert len(body) > MAX_BODY_BYTES


def test_get_on_the_skill_endpoint_is_405(client):
    response = client.get("/")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_health_is_200(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_unknown_path_is_404(client):
    assert client.post("/nope", data=b"{}").status_code == 404


# --- logs --------------------------------------------------------------------------------


def test_one_access_line_per_request_without_names_or_user_ids(client, pki, access_lines):
    # Given a signed NameIntent carrying a partner's name
    event = load_event("intent_request")
    event["request"]["intent"]["slots"]["name"]["value"] = "Zebulon"
    event["request"]["intent"]["slots"]["name"]["slotValue"]["value"] = "Zebulon"
    body = envelope_body(event)
    # When it is posted
    response = post(client, body, pki.headers(body))
    assert response.status_code == 200
    # Then exactly one access line describes it, by type, intent and a short household hash
    access = [json.loads(line) for line in access_lines if '"http_request"' in line]
    assert len(access) == 1
    line = access[0]
    assert line["request_type"] == "IntentRequest" and line["intent"] == "NameIntent"
    assert line["status"] == 200 and line["verification"] == "on"
    assert len(line["household"]) == 12
    # And no line of the request names anyone or shows a raw user id
    for text in access_lines:
        assert "Zebulon" not in text and SAMPLE_USER_ID not in text


def test_odd_request_types_are_not_logged_verbatim(client, access_lines):
    client.post("/", json={"request": {"type": "Bobby Tables <script>"}})
    line = json.loads(access_lines[-1])
    assert line["request_type"] == "?" and "Bobby" not in access_lines[-1]


# --- development mode ------------------------------------------------------------------


def test_development_mode_must_be_explicit_and_is_loud(skill_handler, access_lines):
    import lambda_function

    # When the app is built with verification off
    app = create_app(verify=False, skill=lambda_function.skill, handler=skill_handler)
    # Then a warning is logged at once
    assert any("verification_off" in line and "VERIFICATION IS OFF" in line
               for line in access_lines)
    # And an unsigned request is answered, with "verification": "off" on its access line
    body = envelope_body(load_event("launch_request"), timestamp=NOW - timedelta(days=3))
    response = app.test_client().post("/", data=body, content_type="application/json")
    assert response.status_code == 200
    assert json.loads(access_lines[-1])["verification"] == "off"


def test_verification_cannot_be_half_configured():
    import lambda_function

    with pytest.raises(ValueError):
        create_app(verify=False, verifiers=alexa_verifiers(), skill=lambda_function.skill,
                   handler=lambda_function.lambda_handler)
    with pytest.raises(ValueError):
        create_app(verify=True, verifiers=[], skill=lambda_function.skill,
                   handler=lambda_function.lambda_handler)


# --- a whole ritual over real HTTP ------------------------------------------------------


@pytest.fixture
def served():
    """Serve an app on a free loopback port in a thread; yield a function that starts it."""
    from werkzeug.serving import make_server

    servers = []

    def serve(app):
        server = make_server("127.0.0.1", free_port(), app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield serve
    for server in servers:
        server.shutdown()


def http_handler(url: str, sign=None):
    """A ``handler(event, context)`` that POSTs the event over HTTP, as Alexa would."""

    def handler(event, context):
        body = json.dumps(event).encode("utf-8")
        headers = sign(body) if sign else {"Content-Type": "application/json"}
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            return json.loads(response.read())

    return handler


def play_full_ritual(talk: Conversation) -> None:
    introduce(talk)
    talk.intent(intents.YES)
    six_turns(talk, 90)


def test_full_ritual_over_http_with_verification_explicitly_off(monkeypatch, repository, served):
    import lambda_function
    from checkin.ritual.history import COMPLETED

    wire(monkeypatch, repository, DEFAULT_SKILL_ID)
    url = served(create_app(verify=False))
    talk = Conversation(http_handler(url), start=EVENING)
    play_full_ritual(talk)
    assert "Thank you both" in talk.speech and "same time tomorrow" in talk.speech
    talk.intent(intents.NO)
    assert not talk.session_open
    records = repository.rituals(household(), talk.now)
    assert [r.outcome for r in records] == [COMPLETED] and len(records[0].turns) == 6
    assert lambda_function.skill is not None


def test_full_ritual_over_http_with_every_request_signed(monkeypatch, repository, served, pki):
    from checkin.ritual.history import COMPLETED

    wire(monkeypatch, repository, DEFAULT_SKILL_ID)
    talk_holder = {}
    verifiers = alexa_verifiers(trust_store=pki.store(), fetcher=pki.fetch,
                                clock=lambda: talk_holder["talk"].clock)
    url = served(create_app(verifiers=verifiers))
    talk = Conversation(http_handler(url, sign=pki.headers), start=EVENING)
    talk_holder["talk"] = talk
    play_full_ritual(talk)
    assert [r.outcome for r in repository.rituals(household(), talk.now)] == [COMPLETED]
    assert pki.fetched.count(CERT_URL) >= 1


def test_unsigned_request_over_real_http_is_400(repository, served, pki, skill_handler):
    import lambda_function

    verifiers = alexa_verifiers(trust_store=pki.store(), fetcher=pki.fetch, clock=fixed_clock())
    url = served(create_app(verifiers=verifiers, skill=lambda_function.skill,
                            handler=skill_handler))
    with pytest.raises(urllib.error.HTTPError) as caught:
        http_handler(url)(load_event("launch_request"), None)
    assert caught.value.code == 400 and skill_handler.calls == 0


# --- python -m webservice --------------------------------------------------------------


@pytest.fixture
def run_simple(monkeypatch):
    calls = []
    import werkzeug.serving

    monkeypatch.setattr(werkzeug.serving, "run_simple", lambda *a, **k: calls.append((a, k)))
    return calls


def test_serve_defaults_to_loopback_5000_with_verification(run_simple, capsys):
    from webservice.__main__ import main

    assert main([], env={}) == 0
    (args, kwargs), = run_simple
    assert args[:2] == ("127.0.0.1", 5000) and kwargs["threaded"] is True
    adapter = args[2].extensions["ASK_SDK_SKILL_ADAPTER"][ADAPTER_NAME]
    assert adapter._webservice_handler._verifiers  # verification on
    assert "verification on" in capsys.readouterr().err


def test_serve_takes_host_and_port_from_flags_over_env(run_simple):
    from webservice.__main__ import main

    env = {"SERVE_HOST": "0.0.0.0", "SERVE_PORT": "8080"}
    assert main([], env=env) == 0
    assert run_simple[-1][0][:2] == ("0.0.0.0", 8080)
    assert main(["--host", "127.0.0.2", "--port", "9000"], env=env) == 0
    assert run_simple[-1][0][:2] == ("127.0.0.2", 9000)


@pytest.mark.parametrize("argv, env", [(["--no-verify"], {}), ([], {"VERIFY_SIGNATURES": "off"}),
                                       ([], {"VERIFY_SIGNATURES": "0"})])
def test_serve_without_verification_says_so_loudly(run_simple, capsys, argv, env):
    from webservice.__main__ import main

    assert main(argv, env=env) == 0
    adapter = run_simple[-1][0][2].extensions["ASK_SDK_SKILL_ADAPTER"][ADAPTER_NAME]
    assert adapter._webservice_handler._verifiers == []
    err = capsys.readouterr().err
    assert "VERIFICATION IS OFF" in err and "verification OFF" in err


def test_a_flag_turns_verification_back_on_over_the_env(run_simple):
    from webservice.__main__ import main

    assert main(["--verify"], env={"VERIFY_SIGNATURES": "0"}) == 0
    adapter = run_simple[-1][0][2].extensions["ASK_SDK_SKILL_ADAPTER"][ADAPTER_NAME]
    assert adapter._webservice_handler._verifiers


@pytest.mark.parametrize("value", ["flase", "disabled", "2"])
def test_unclear_verification_setting_stops_the_server(run_simple, capsys, value):
    from webservice.__main__ import main

    assert main([], env={"VERIFY_SIGNATURES": value}) == 2
    assert not run_simple and "VERIFY_SIGNATURES" in capsys.readouterr().err


@pytest.mark.parametrize("value, expected", [(None, True), ("", True), ("1", True), ("TRUE", True),
                                             ("on", True), ("0", False), ("False", False),
                                             ("no", False), (" off ", False)])
def test_verify_setting_values(value, expected):
    from webservice.settings import parse_verify

    assert parse_verify(value) is expected


def test_serve_is_a_runnable_module():
    import subprocess

    result = subprocess.run([sys.executable, "-m", "webservice", "--help"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and "--no-verify" in result.stdout


# --- the OpenSSL import problem ---------------------------------------------------------


def test_flask_ask_sdk_imports_without_oscrypto():
    # ask-sdk-webservice-support is pinned at 1.2.0: 1.3.x imports oscrypto, which fails on
    # OpenSSL 3.0.10 and later.
    import webservice.app as app

    assert app.SkillAdapter.__module__ == "flask_ask_sdk.skill_adapter"
    assert not [name for name in sys.modules if name.split(".")[0] == "oscrypto"]


# --- the production server (gunicorn) -------------------------------------------------------


def test_workers_run_the_app_under_gunicorn(monkeypatch, capsys):
    import webservice.production
    from webservice.__main__ import main

    calls = []
    monkeypatch.setattr(webservice.production, "serve", lambda *a: calls.append(a))
    assert main(["--workers", "3", "--threads", "2"], env={}) == 0
    assert calls == [("127.0.0.1", 5000, 3, 2, True, None, None)]
    assert "under gunicorn, 3 workers x 2 threads" in capsys.readouterr().err
    # and from the environment, with verification off said loudly
    assert main([], env={"SERVE_WORKERS": "5", "SERVE_THREADS": "4",
                         "VERIFY_SIGNATURES": "0"}) == 0
    assert calls[-1][2:5] == (5, 4, False)
    assert "VERIFICATION IS OFF" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--workers", "-1"], ["--workers", "2", "--threads", "0"]])
def test_nonsense_worker_counts_stop_the_server(argv, capsys):
    from webservice.__main__ import main

    assert main(argv, env={}) == 2
    assert "--workers" in capsys.readouterr().err


def test_gunicorn_options():
    from webservice.production import gunicorn_options

    options = gunicorn_options("127.0.0.1", 8080, 5, 4)
    assert options["bind"] == "127.0.0.1:8080" and options["workers"] == 5
    assert options["worker_class"] == "gthread" and options["threads"] == 4
    assert options["accesslog"] is None  # the app writes its own line, without user ids
    assert gunicorn_options("::1", 8080, 1, 1)["bind"] == "[::1]:8080"
    assert gunicorn_options("0.0.0.0", 443, 2, 1)["worker_class"] == "sync"
    tls = gunicorn_options("0.0.0.0", 443, 2, 2, "chain.pem", "key.pem")
    assert tls["certfile"] == "chain.pem" and tls["keyfile"] == "key.pem"
