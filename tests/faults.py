"""DynamoDB faults injected through botocore's own event hooks, so its real retry logic runs.

`DynamoFaults(client)` watches one botocore DynamoDB client:

- `before-parameter-build` opens a `Call` per API call (its operation and what it touches),
- `before-send` counts each HTTP attempt of that call and, when a planned fault matches,
  answers the attempt itself: a throttling 400, a 5xx, or a timeout,
- `after-call` / `after-call-error` note how the call ended.

botocore's standard retry handler then decides, backs off and retries exactly as it would
against DynamoDB. (`botocore.stub.Stubber` answers before the retry handler and would skip
all of that.)

Fault kinds:

- `throttle`: 400 `ProvisionedThroughputExceededException` (the item-level throttle);
  `throttle-request` is 400 `ThrottlingException` (the request-rate one).
- `5xx`: 500 `InternalServerError` on a call's first attempt, 503 `ServiceUnavailable` after.
- `timeout`: `ConnectTimeoutError` on a call's first attempt, `ReadTimeoutError` after; the
  request never reaches the server.
- `lost-reply`: the request IS delivered and carried out, then the reply is lost
  (`ReadTimeoutError`). The retry that follows re-sends a write the table already holds.

`no_backoff(monkeypatch)` keeps botocore's computed backoff delays but records them instead
of sleeping, so a fault matrix runs fast; `worst_jitter(monkeypatch)` makes every computed
delay its maximum (jitter = 1), for worst-case bounds.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError
from botocore.httpsession import URLLib3Session

THROTTLE = "throttle"
THROTTLE_REQUEST = "throttle-request"
SERVER_ERROR = "5xx"
TIMEOUT = "timeout"
LOST_REPLY = "lost-reply"
SLOW = "slow"  # not a failure: the attempt is answered normally, but as late as it can be
FAULT_KINDS = (THROTTLE, SERVER_ERROR, TIMEOUT, LOST_REPLY)
ALL_ATTEMPTS = None  # a fault that lasts for every attempt of the call
# DynamoDB's answers to a write whose condition failed: the repository's own guards.
GUARD_ERRORS = frozenset({"ConditionalCheckFailedException", "TransactionCanceledException"})

_JSON_ERRORS = {  # kind -> (first attempt, later attempts): (status, code, message)
    THROTTLE: ((400, "ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded."),) * 2,
    THROTTLE_REQUEST: ((400, "ThrottlingException",
                        "Rate of requests exceeds the allowed throughput."),) * 2,
    SERVER_ERROR: ((500, "InternalServerError", "Internal server error"),
                   (503, "ServiceUnavailable", "Service unavailable")),
}


@dataclass
class Call:
    """One DynamoDB API call, however many HTTP attempts it took."""

    index: int
    operation: str
    target: str  # what it touches, e.g. "META#CHECKPOINT" or "Put RITUAL#,Put META#PROFILE,..."
    attempts: int = 0
    faulted: int = 0  # attempts answered by an injected fault
    error: str = ""  # how it ended: "" for success, else the error code or exception name
    pending: bool = True

    @property
    def label(self) -> str:
        return f"{self.operation} {self.target}".strip()

    @property
    def failed(self) -> bool:
        return bool(self.error)


@dataclass
class _Plan:
    kind: str
    calls: set[int] | None  # call indices; None = every call
    attempts: int | None  # how many attempts of each matching call fail; None = all
    operations: set[str] | None = None


@dataclass
class DynamoFaults:
    client: Any
    calls: list[Call] = field(default_factory=list)
    _plans: list[_Plan] = field(default_factory=list)
    _local: threading.local = field(default_factory=threading.local)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _session: URLLib3Session | None = None
    _charge: Any = None  # a RecordedSleeps to charge each faulted or slow attempt's worst time

    def charge_worst_case(self, clock: RecordedSleeps) -> None:
        """Charge `clock` the longest each faulted (or slow) attempt may last under the client's
        configuration: connect_timeout + read_timeout. Backoff sleeps are charged by `clock`."""
        self._charge = clock

    def __post_init__(self) -> None:
        events = self.client.meta.events
        events.register("before-parameter-build.dynamodb", self._open_call)
        # First, so that nothing else answers (or counts) an attempt before the fault does.
        events.register_first("before-send.dynamodb", self._attempt)
        events.register("after-call.dynamodb", self._succeeded_or_not)
        events.register("after-call-error.dynamodb", self._raised)

    # --- planning -------------------------------------------------------------------------

    def fail(self, kind: str, *, call: int | None = None, calls: set[int] | None = None,
             operations: set[str] | None = None, attempts: int | None = ALL_ATTEMPTS) -> None:
        """Fault the given call indices (counted from the first call watched), or every call
        (of `operations`, if given), for `attempts` attempts each (default: all of them)."""
        chosen = {call} if call is not None else calls
        self._plans.append(_Plan(kind, set(chosen) if chosen is not None else None, attempts,
                                 set(operations) if operations else None))

    def fail_every_call(self, kind: str, attempts: int | None = ALL_ATTEMPTS) -> None:
        self.fail(kind, attempts=attempts)

    def heal(self) -> None:
        """The store recovers: no more faults."""
        self._plans.clear()

    # --- reading ----------------------------------------------------------------------------

    def mark(self) -> int:
        return len(self.calls)

    def since(self, mark: int) -> list[Call]:
        return self.calls[mark:]

    @property
    def operations(self) -> list[str]:
        return [c.operation for c in self.calls]

    # --- hooks ------------------------------------------------------------------------------

    def _open_call(self, params: dict, model: Any, **_: Any) -> None:
        with self._lock:
            call = Call(len(self.calls), model.name, _target(model.name, params))
            self.calls.append(call)
        self._local.call = call

    def _attempt(self, request: Any, **_: Any) -> AWSResponse | None:
        call: Call | None = getattr(self._local, "call", None)
        if call is None:
            return None
        call.attempts += 1
        plan = self._plan_for(call)
        if plan is None:
            return None
        if self._charge is not None:
            config = self.client.meta.config
            self._charge.advance(float(config.connect_timeout) + float(config.read_timeout))
        if plan.kind == SLOW:
            return None
        call.faulted += 1
        first = call.attempts == 1
        if plan.kind == TIMEOUT:
            if first:
                raise ConnectTimeoutError(endpoint_url=request.url)
            raise ReadTimeoutError(endpoint_url=request.url)
        if plan.kind == LOST_REPLY:
            self._deliver(request)
            raise ReadTimeoutError(endpoint_url=request.url)
        status, code, message = _JSON_ERRORS[plan.kind][0 if first else 1]
        return _error_response(request.url, status, code, message)

    def _plan_for(self, call: Call) -> _Plan | None:
        for plan in self._plans:
            if plan.calls is not None and call.index not in plan.calls:
                continue
            if plan.operations is not None and call.operation not in plan.operations:
                continue
            if plan.attempts is not None and call.attempts > plan.attempts:
                continue
            return plan
        return None

    def _deliver(self, request: Any) -> None:
        """Send the attempt for real and throw the answer away."""
        if self._session is None:
            config = self.client.meta.config
            self._session = URLLib3Session(timeout=(config.connect_timeout, config.read_timeout))
        self._session.send(request).content  # noqa: B018 (read it all, as a reply would be)

    def _succeeded_or_not(self, http_response: Any, parsed: dict, **_: Any) -> None:
        call = self._close()
        if call is not None and getattr(http_response, "status_code", 200) >= 300:
            call.error = str(parsed.get("Error", {}).get("Code") or http_response.status_code)

    def _raised(self, exception: BaseException, **_: Any) -> None:
        call = self._close()
        if call is not None:
            call.error = type(exception).__name__

    def _close(self) -> Call | None:
        call = getattr(self._local, "call", None)
        self._local.call = None
        if call is not None:
            call.pending = False
        return call


def _target(operation: str, params: dict) -> str:
    if operation == "PutItem":
        return _sort_key(params.get("Item", {}))
    if operation in ("DeleteItem", "GetItem", "UpdateItem"):
        return _sort_key(params.get("Key", {}))
    if operation == "TransactWriteItems":
        parts = []
        for action in params.get("TransactItems", []):
            (verb, body), = action.items()
            parts.append(f"{verb} {_sort_key(body.get('Item') or body.get('Key') or {})}")
        return ",".join(parts)
    if operation == "Query":
        prefix = params.get("ExpressionAttributeValues", {}).get(":prefix", {}).get("S")
        return f"{prefix}*" if prefix else "*"
    return ""


def _sort_key(item: dict) -> str:
    """The sort key without its ritual- or day-specific tail: RITUAL#<started>#<id> -> RITUAL#,
    META#CHECKPOINT#<id> -> META#CHECKPOINT, META#CHECK#<date> -> META#CHECK#."""
    value = str(item.get("sk", {}).get("S", ""))
    for kind in ("RITUAL#", "META#CHECKPOINT", "META#CHECK#"):
        if value.startswith(kind):
            return kind
    return value


class _Body:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any):
        yield self._body


def _error_response(url: str, status: int, code: str, message: str) -> AWSResponse:
    body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}",
                       "message": message}).encode()
    headers = {"x-amzn-RequestId": "injected-fault", "Content-Type": "application/x-amz-json-1.0",
               "Content-Length": str(len(body))}
    return AWSResponse(url, status, headers, _Body(body))


# --- botocore's backoff, recorded rather than slept ----------------------------------------------

class RecordedSleeps:
    """Stands in for the `time` module inside botocore.endpoint: retry sleeps are recorded.

    `elapsed` is a virtual clock: the recorded sleeps, plus whatever `advance` adds (the time
    an attempt is charged when worst-case costs are on, see `DynamoFaults.charge_worst_case`).
    """

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.elapsed = 0.0

    def sleep(self, seconds: float) -> None:
        self.delays.append(float(seconds))
        self.elapsed += float(seconds)

    def advance(self, seconds: float) -> None:
        self.elapsed += float(seconds)

    def virtual(self) -> float:
        return self.elapsed

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


def no_backoff(monkeypatch) -> RecordedSleeps:
    """botocore still computes each backoff delay; it is recorded instead of slept."""
    import botocore.endpoint

    sleeps = RecordedSleeps()
    monkeypatch.setattr(botocore.endpoint, "time", sleeps)
    return sleeps


def worst_jitter(monkeypatch) -> None:
    """Every backoff delay botocore computes is its maximum (the jitter's random() is 1)."""
    from botocore.retries import standard

    original = standard.ExponentialBackoff.delay_amount

    def delay_amount(self, context):
        self._random = lambda: 1.0
        return original(self, context)

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", delay_amount)


# --- a couple who answers whatever the skill asks ------------------------------------------------

@dataclass
class Exchange:
    """One request played through the skill: what was asked, what was said, what was stored."""

    request: str  # "LaunchRequest", "AMAZON.YesIntent", "SessionEndedRequest", ...
    stage_before: str
    ritual_before: str  # the ritual in the request's session state, "" if none
    calls: list[Call]
    response: dict
    seconds: float = 0.0  # on the virtual clock, when one is given to `Recorded`

    @property
    def rituals(self) -> set[str]:
        """Every ritual id in the session state before and after this request."""
        state = session_state(self.response.get("sessionAttributes"))
        ids = {(state.get(key) or {}).get("ritual_id", "") for key in ("ritual", "pending")}
        return {i for i in ids | {self.ritual_before} if i}

    @property
    def stage_after(self) -> str:
        return str(session_state(self.response.get("sessionAttributes")).get("stage", ""))

    @property
    def speech(self) -> str:
        from devtools import ssml_text

        speech = (self.response.get("response") or {}).get("outputSpeech") or {}
        return ssml_text.spoken_text(speech.get("ssml") or speech.get("text") or "")

    @property
    def failed_load(self) -> bool:
        """The session's one read (the first call of the request, a Query) failed."""
        return bool(self.calls) and self.calls[0].operation == "Query" and self.calls[0].failed

    @property
    def failed_write(self) -> bool:
        """A write failed for a reason the skill could not absorb. A conditional check that
        failed is the repository's guard (a stale profile is rebased and written again; a
        ritual already on record is not recorded twice), not a failure to store."""
        return any(c.failed and c.error not in GUARD_ERRORS
                   for c in self.calls[1 if self.failed_load else 0:])


class Recorded:
    """Wraps a Lambda handler: each request's DynamoDB calls and response are kept in order."""

    def __init__(self, handler: Any, faults: DynamoFaults,
                 clock: RecordedSleeps | None = None) -> None:
        self.handler = handler
        self.faults = faults
        self.clock = clock
        self.exchanges: list[Exchange] = []

    def __call__(self, event: dict, context: Any = None) -> dict:
        request = event.get("request") or {}
        name = (request.get("intent") or {}).get("name") or request.get("type", "?")
        state = session_state((event.get("session") or {}).get("attributes"))
        ritual = (state.get("ritual") or state.get("pending") or {}).get("ritual_id", "")
        mark = self.faults.mark()
        started = self.clock.elapsed if self.clock else 0.0
        response = self.handler(event, context)
        seconds = self.clock.elapsed - started if self.clock else 0.0
        self.exchanges.append(Exchange(name, state.get("stage", "-"), ritual,
                                       self.faults.since(mark), response, seconds))
        return response

    def mark(self) -> int:
        return len(self.exchanges)


def session_state(attributes: dict | None) -> dict:
    """The skill's state in session attributes, kept as a dict or as a JSON string."""
    state = (attributes or {}).get("checkin")
    if isinstance(state, str):
        try:
            state = json.loads(state)
        except ValueError:
            return {}
    return state if isinstance(state, dict) else {}


TURN_SECONDS_SPOKEN = 60  # each partner talks for a minute, inside the two-minute allowance


def stage_of(talk: Any) -> str:
    return session_state(talk.attributes).get("stage", "")


def answer(talk: Any) -> None:
    """Say what a willing couple would say at the current stage of the conversation."""
    from checkin.alexa import intents

    stage = stage_of(talk)
    if stage == "ask_first_name":
        talk.intent(intents.NAME, name="Sam")
    elif stage == "ask_second_name":
        talk.intent(intents.NAME, name="Alex")
    elif stage in ("consent", "offer_resume", "handover", "ask_when", "offer_awareness"):
        talk.intent(intents.YES)  # the week's check too: its numbers are written as well
    elif stage == "paused":
        talk.intent(intents.RESUME)
    elif stage == "turn":
        talk.advance(TURN_SECONDS_SPOKEN)
        talk.intent(intents.DONE)
    else:  # a line of the check ("no"), or an offer the couple declines (extra time, one
        # small thing, a reminder, ...)
        talk.intent(intents.NO)


def play_until(talk: Any, done: Any, limit: int = 40) -> None:
    """Answer until `done(talk)` is true or the session closes."""
    for _ in range(limit):
        if not talk.session_open or done(talk):
            return
        answer(talk)
    raise AssertionError(f"the conversation did not settle within {limit} requests")


def play_to_close(talk: Any) -> None:
    play_until(talk, lambda _: False)


def turns_done(talk: Any) -> int:
    ritual = session_state(talk.attributes).get("ritual") or {}
    return len(ritual.get("turns") or [])
