"""Fuzzing: odd and malformed request envelopes never crash the skill or the web endpoint.

Properties:
- ``lambda_function.lambda_handler`` always returns a valid Alexa response (JSON, a version,
  a response object, speech Alexa would accept), whatever the event;
- the web endpoint, with verification explicitly off, answers 200 with such a response or a
  clean 4xx, never a 500;
- with verification on, nothing unsigned is ever answered: always a 4xx.

``make test`` runs at least FUZZ_MIN_EXAMPLES examples per property; ``make fuzz`` loads the
"fuzz-deep" profile from tests/web_fixtures.py for many more.
"""
from __future__ import annotations

import copy
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkin.alexa import intents
from checkin.store.client import make_dynamodb_client
from checkin.store.repository import HouseholdRepository
from devtools.envelopes import response_problems
from devtools.table import create_table
from tests.web_fixtures import FUZZ_MIN_EXAMPLES, build_test_pki, fixed_clock, load_event
from webservice.app import create_app
from webservice.verifier import alexa_verifiers

SKILL_ID = load_event("launch_request")["context"]["System"]["application"]["applicationId"]

FUZZ = settings(
    max_examples=max(FUZZ_MIN_EXAMPLES, settings.default.max_examples),
    deadline=None,
    database=None,  # nothing written into the work tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)

SAMPLES = ["launch_request", "intent_request", "session_ended_request", "session_ended_error",
           "session_ended_user_initiated", "connections_response", "skill_disabled_event"]
BASES = {name: load_event(name) for name in SAMPLES}

KNOWN_INTENTS = [value for name, value in vars(intents).items()
                 if name.isupper() and isinstance(value, str)]
REQUEST_TYPES = [
    "LaunchRequest", "IntentRequest", "SessionEndedRequest", "CanFulfillIntentRequest",
    "Connections.Response", "AlexaSkillEvent.SkillDisabled", "AlexaSkillEvent.SkillEnabled",
    "AudioPlayer.PlaybackStarted", "PlaybackController.PlayCommandIssued",
    "Alexa.Presentation.APL.UserEvent", "Messaging.MessageReceived", "System.ExceptionEncountered",
    "Dialog.API.Invoked", "Reminders.ReminderCreated", "Made.Up", "", "intentrequest",
]

# --- strategies ----------------------------------------------------------------------------

# Any unicode, lone surrogates included: a Lambda event is parsed from JSON, which allows them.
any_text = st.text(alphabet=st.characters(codec=None), max_size=40)
odd_text = st.one_of(
    any_text,
    st.sampled_from(["Sam", "Zoë", "李雷", "ज़ोया", "🙂🙂", "<speak>", "</speak>&amp;", "a&b<c>\"'",
                     "\u202eevil", "\x00", "  ", "O'Brien", "Renée-Marie", "\ud800"]),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "é", "🙂", "<"]),
              st.integers(1000, 60_000)),  # huge strings
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False), odd_text,
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(any_text, children, max_size=4)),
    max_leaves=12,
)


def _paths(node, prefix=()):
    """Every key path in a JSON tree, to pick a place to mutate."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _set(tree, path, value):
    if not path:
        return value
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return tree


def _delete(tree, path):
    if not path:
        return None
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return tree


@st.composite
def mutated(draw, base):
    """A real envelope with a few things removed, retyped, or replaced."""
    tree = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(tree))
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["delete", "replace", "replace"]))
        tree = _delete(tree, path) if action == "delete" else _set(tree, path, draw(json_values))
        if not isinstance(tree, (dict, list)):
            break
    return tree


@st.composite
def odd_intents(draw):
    """Intent requests with known or unknown names and strange slot values."""
    event = copy.deepcopy(BASES["intent_request"])
    intent = event["request"]["intent"]
    intent["name"] = draw(st.one_of(st.sampled_from(KNOWN_INTENTS), any_text))
    slot_names = draw(st.lists(st.one_of(st.sampled_from(["name", "minutes", "duration", "day"]),
                                         any_text), max_size=3))
    slots = {}
    for slot_name in slot_names:
        value = draw(st.one_of(odd_text, json_values))
        slots[slot_name] = {"name": slot_name, "value": value, "confirmationStatus": "NONE"}
        if draw(st.booleans()):
            slots[slot_name]["resolutions"] = {"resolutionsPerAuthority": draw(json_values)}
    intent["slots"] = draw(st.one_of(st.just(slots), json_values))
    if draw(st.booleans()):
        event["session"]["attributes"] = draw(st.dictionaries(any_text, json_values, max_size=5))
    return event


@st.composite
def odd_request_types(draw):
    event = copy.deepcopy(draw(st.sampled_from(list(BASES.values()))))
    event["request"]["type"] = draw(st.one_of(st.sampled_from(REQUEST_TYPES), any_text))
    if draw(st.booleans()):
        event["request"]["timestamp"] = draw(st.one_of(any_text, st.integers(), st.none()))
    if draw(st.booleans()):
        event["request"]["locale"] = draw(st.one_of(st.sampled_from(["de-DE", "en-GB", "xx"]),
                                                    any_text))
    return event


envelopes = st.one_of(
    st.sampled_from(list(BASES.values())).flatmap(mutated),
    odd_intents(),
    odd_request_types(),
    json_values,  # not an envelope at all
    st.dictionaries(st.sampled_from(["version", "session", "context", "request"]), json_values),
)

# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def handler():
    """lambda_function.lambda_handler on a table of its own in a moto server of its own."""
    import lambda_function
    from devtools.moto_server import MotoServer
    from tests.skill_fixtures import wire

    server = MotoServer()
    client = make_dynamodb_client(endpoint_url=server.start())
    name = f"checkin-fuzz-{uuid.uuid4().hex[:12]}"
    create_table(client, name)
    with pytest.MonkeyPatch.context() as monkeypatch:
        wire(monkeypatch, HouseholdRepository(client, name), SKILL_ID)
        yield lambda_function.lambda_handler
    server.stop()


@pytest.fixture(scope="module")
def dev_client(handler):
    import lambda_function

    return create_app(verify=False, skill=lambda_function.skill, handler=handler).test_client()


@pytest.fixture(scope="module")
def verified_client(handler):
    import lambda_function

    pki = build_test_pki()
    verifiers = alexa_verifiers(trust_store=pki.store(), fetcher=pki.fetch, clock=fixed_clock())
    return create_app(verifiers=verifiers, skill=lambda_function.skill,
                      handler=handler).test_client()


def assert_valid_alexa_response(response) -> None:
    text = json.dumps(response)  # raises if it could not travel as JSON
    assert isinstance(response, dict)
    assert isinstance(response.get("version"), str)
    assert isinstance(response.get("response"), dict)
    assert response_problems(response, text) == []


def to_body(event) -> bytes:
    return json.dumps(event).encode("utf-8", "surrogatepass")


# --- properties ----------------------------------------------------------------------------


@FUZZ
@given(event=envelopes)
def test_lambda_handler_always_answers_like_alexa_expects(handler, event):
    assert_valid_alexa_response(handler(json.loads(json.dumps(event)), None))


@FUZZ
@given(event=envelopes, content_type=st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "text/plain",
     "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]))
def test_web_endpoint_without_verification_answers_or_refuses_cleanly(dev_client, event,
                                                                      content_type):
    response = dev_client.post("/", data=to_body(event), headers={"Content-Type": content_type})
    assert response.status_code == 200 or 400 <= response.status_code < 500, response.status_code
    if response.status_code == 200:
        assert_valid_alexa_response(response.get_json())


@FUZZ
@given(body=st.one_of(st.binary(max_size=2000), envelopes.map(to_body)),
       headers=st.dictionaries(
           st.sampled_from(["Signature-256", "SignatureCertChainUrl", "Signature",
                            "Content-Type", "Content-Encoding"]),
           st.one_of(st.sampled_from(["https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
                                      "https://s3.amazonaws.com:443/echo.api/../echo.api/x.pem",
                                      "http://s3.amazonaws.com/echo.api/x.pem", "gzip", "QUJD",
                                      "=", "application/json"]),
                     st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126),
                             max_size=80))))
def test_web_endpoint_with_verification_never_answers_unsigned_requests(verified_client, body,
                                                                       headers):
    response = verified_client.post("/", data=body, headers=headers)
    assert 400 <= response.status_code < 500, response.status_code


def test_foreign_session_attributes_are_not_echoed(handler):
    event = copy.deepcopy(BASES["intent_request"])
    event["session"]["attributes"] = {"junk": "x" * 130_000}
    response = handler(event, None)
    assert "junk" not in (response.get("sessionAttributes") or {})
    assert response_problems(response) == []


# ask-sdk's deserializer copies unknown keys onto the model with setattr; a top-level
# "__dict__" object thus empties the RequestEnvelope. Found by `make fuzz`.
def test_dunder_dict_key_gets_a_spoken_answer_from_lambda(handler):
    assert_valid_alexa_response(handler({"__dict__": {}}, None))


def test_dunder_dict_key_is_not_a_500_on_the_web(dev_client):
    assert dev_client.post("/", json={"__dict__": {}}).status_code != 500
