"""DynamoDB round trips per ritual and per Alexa session, and response time under faults.

Counting. The skill runs against moto (devtools.moto_server on 127.0.0.1, the table created by
devtools.table.create_table from template.yaml). Before the skill is imported,
`botocore.session.Session.create_client` is wrapped so that every DynamoDB client it builds gets
three handlers: `before-call.dynamodb` counts API calls (one per operation, whatever its
retries), `before-send.dynamodb` counts HTTP attempts, and `after-call.dynamodb` notes item
sizes and errors. Nothing in the skill is patched.

Faults. A `before-send.dynamodb` handler answers every attempt itself, before any byte is
sent: a 400 ThrottlingException, a 500 InternalServerError, or (for a timeout) a
ReadTimeoutError after waiting the client's own read_timeout. botocore's real retry logic
(standard mode, its backoff, its retry quota) then runs as it would against DynamoDB. Two
figures per fault:

* `measured`: real sleeps with botocore's random jitter; the wall time of each request.
* `bound`: the worst case, with the jitter forced to its maximum; the backoff sleeps and
  timeouts are added up on a virtual clock instead of slept, and each request's time is its
  wall time plus its virtual time.

Each fault runs in a fresh process, because a client's retry quota drains under persistent
faults and later requests would fail faster than a fresh container's first ones.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from benchmarks.targets import TABLE_NAME

READS = {"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"}
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
TARGET_WORST_MS = 3000.0


# --- item sizes (DynamoDB's accounting, approximately) -----------------------------------------

def attribute_size(value: dict) -> int:
    (kind, inner), = value.items()
    if kind == "S":
        return len(inner.encode("utf-8"))
    if kind == "N":
        digits = len(inner.strip("-").replace(".", "").lstrip("0")) or 1
        return math.ceil(digits / 2) + 1
    if kind == "B":
        return len(inner) if isinstance(inner, (bytes, bytearray)) else len(str(inner))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode("utf-8")) + attribute_size(v) + 1 for k, v in inner.items())
    if kind == "L":
        return 3 + sum(attribute_size(v) + 1 for v in inner)
    if kind in ("SS", "NS", "BS"):
        return sum(attribute_size({kind[0]: v}) for v in inner)
    return 0


def item_size(item: dict) -> int:
    return sum(len(name.encode("utf-8")) + attribute_size(value) for name, value in item.items())


def _written_items(operation: str, params: dict) -> list[int]:
    if operation == "PutItem":
        return [item_size(params.get("Item", {}))]
    if operation in ("DeleteItem", "UpdateItem"):
        return [item_size(params.get("Key", {}))]
    if operation == "TransactWriteItems":
        sizes = []
        for action in params.get("TransactItems", []):
            (_, body), = action.items()
            sizes.append(item_size(body.get("Item") or body.get("Key") or {}))
        return sizes
    if operation == "BatchWriteItem":
        return [item_size(r.get("PutRequest", {}).get("Item")
                          or r.get("DeleteRequest", {}).get("Key") or {})
                for requests in params.get("RequestItems", {}).values() for r in requests]
    return []


# --- counting ----------------------------------------------------------------------------------

class CallCounter:
    """Counts what every DynamoDB client built after `install()` sends."""

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.attempts = 0
        self.clients: list[Any] = []
        self._original = None

    def install(self) -> None:
        import botocore.session

        counter = self
        original = self._original = botocore.session.Session.create_client

        def create_client(session, service_name, *args, **kwargs):
            client = original(session, service_name, *args, **kwargs)
            if service_name == "dynamodb":
                counter.watch(client)
            return client

        botocore.session.Session.create_client = create_client

    def watch(self, client: Any) -> None:
        events = client.meta.events
        events.register("before-parameter-build.dynamodb", self._before_parameter_build)
        events.register("before-call.dynamodb", self._before_call)
        events.register("before-send.dynamodb", self._before_send)
        events.register("after-call.dynamodb", self._after_call)
        self.clients.append(client)

    def _before_parameter_build(self, params: dict, model: Any, **_: Any) -> None:
        self._pending = (model.name, json.loads(json.dumps(params, default=str)))

    def _before_call(self, model: Any, **_: Any) -> None:
        name, params = getattr(self, "_pending", (model.name, {}))
        self.calls.append({
            "operation": model.name,
            "consistent": bool(params.get("ConsistentRead")) if name == model.name else False,
            "write_bytes": _written_items(model.name, params) if model.name in WRITES else [],
            "read_bytes": [],
            "error": None,
        })

    def _before_send(self, **_: Any) -> None:
        self.attempts += 1

    def _after_call(self, parsed: dict, model: Any, **_: Any) -> None:
        if not self.calls:
            return
        call = self.calls[-1]
        error = (parsed or {}).get("Error", {}).get("Code")
        call["error"] = error
        if model.name in READS and not error:
            items = parsed.get("Items") or ([parsed["Item"]] if parsed.get("Item") else [])
            # The parsed response is already plain Python; size the wire form instead.
            call["read_bytes"] = [len(json.dumps(i, default=str)) for i in items]

    def mark(self) -> int:
        return len(self.calls)


def summarise(calls: list[dict]) -> dict:
    operations = Counter(c["operation"] for c in calls)
    return {
        "calls": len(calls),
        "reads": sum(n for op, n in operations.items() if op in READS),
        "writes": sum(n for op, n in operations.items() if op in WRITES),
        "operations": dict(sorted(operations.items())),
        "errors": sum(1 for c in calls if c["error"]),
    }


# --- moto ----------------------------------------------------------------------------------------

def start_moto():
    """A moto server on loopback, the env pointing DynamoDB at it, and the table created."""
    import logging

    from devtools.moto_server import MotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = MotoServer()
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = server.start()
    os.environ["TABLE_NAME"] = TABLE_NAME
    from botocore.config import Config

    from checkin.store.client import make_dynamodb_client
    from devtools.table import create_table

    # Setup, not measured: a patient client, so that a busy machine's slow CreateTable is not
    # timed out and retried into "table already exists".
    setup = Config(connect_timeout=5, read_timeout=30, retries={"total_max_attempts": 1})
    create_table(make_dynamodb_client(config=setup), TABLE_NAME)
    return server


def counted_skill() -> tuple[Callable[[dict, Any], dict], CallCounter]:
    """The real skill over moto, its DynamoDB client counted."""
    from benchmarks import skill_adapter

    counter = CallCounter()
    counter.install()
    module = skill_adapter.import_skill()
    return module.lambda_handler, counter


class PerRequest:
    """Wraps a handler: which DynamoDB calls and how much time each request took."""

    def __init__(self, handler: Callable[[dict, Any], dict], counter: CallCounter,
                 clock: Callable[[], float] | None = None):
        self.handler = handler
        self.counter = counter
        self.clock = clock or (lambda: 0.0)
        self.rows: list[dict] = []

    def __call__(self, event: dict, context: Any = None) -> dict:
        from benchmarks.skill_adapter import AlexaApiStub
        from benchmarks.warm import request_label

        first = self.counter.mark()
        api_calls = len(AlexaApiStub.shared().requests)
        virtual = self.clock()
        start = time.perf_counter()
        response = self.handler(event, context)
        wall = time.perf_counter() - start
        speech = ((response or {}).get("response") or {}).get("outputSpeech") or {}
        self.rows.append({
            "request": request_label(event),
            "boundary": turn_boundary(event, response),
            "calls": self.counter.calls[first:],
            "alexa_api_calls": len(AlexaApiStub.shared().requests) - api_calls,
            "ms": (wall + self.clock() - virtual) * 1000,
            "spoken": bool(speech.get("ssml") or speech.get("text")),
        })
        return response


def _ritual_position(attributes: dict | None) -> tuple[str, int] | None:
    from checkin.alexa.session_state import saved_state

    ritual = saved_state(attributes).get("ritual")
    if not ritual:
        return None
    return str(ritual.get("ritual_id")), len(ritual.get("turns") or [])


def turn_boundary(event: dict, response: dict) -> bool:
    """True if the request started a ritual, ended a turn, or ended or left the ritual."""
    before = _ritual_position((event.get("session") or {}).get("attributes"))
    after = _ritual_position((response or {}).get("sessionAttributes"))
    return before != after


def count_scenarios(scenarios: tuple[str, ...] | None = None) -> dict:
    """DynamoDB calls of each ritual scenario, in total, per Alexa session and per request."""
    from benchmarks import skill_adapter

    server = start_moto()
    try:
        handler, counter = counted_skill()
        skill_adapter.introduce(handler)  # the household the later scenarios belong to
        results = {}
        for night, scenario in enumerate(scenarios or skill_adapter.SCENARIOS):
            wrapped = PerRequest(handler, counter)
            log = skill_adapter.play(wrapped, scenario, night=night)
            results[scenario] = _scenario_summary(log, wrapped.rows)
        return results
    finally:
        server.stop()


def _scenario_summary(log: Any, rows: list[dict]) -> dict:
    sessions, index = [], 0
    for session in log.sessions:
        calls = [c for row in rows[index:index + len(session)] for c in row["calls"]]
        sessions.append({"requests": len(session), **summarise(calls)})
        index += len(session)
    all_calls = [c for row in rows for c in row["calls"]]
    from benchmarks.cost import request_units

    rru, wru = request_units(all_calls)
    return {
        "requests": len(rows),
        **summarise(all_calls),
        "sessions": sessions,
        "max_reads_per_session": max((s["reads"] for s in sessions), default=0),
        "turn_boundaries": sum(1 for row in rows if row["boundary"]),
        "alexa_api_calls": sum(row["alexa_api_calls"] for row in rows),
        "estimated_rru": rru,
        "estimated_wru": wru,
        "per_request": [{"request": row["request"],
                         "calls": [c["operation"] for c in row["calls"]]} for row in rows],
        "raw_calls": all_calls,
    }


# --- faults ------------------------------------------------------------------------------------

FAULTS = ("throttle", "5xx", "timeout")
_ERROR_BODIES = {
    "throttle": (400, "ThrottlingException", "Rate of requests exceeds the allowed throughput."),
    "5xx": (500, "InternalServerError", "Internal server error"),
}


class _Raw:
    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **_: Any):
        yield self._body


class VirtualClock:
    """Sleeps that are counted instead of slept, for the worst-case bound."""

    def __init__(self) -> None:
        self.slept = 0.0

    def sleep(self, seconds: float) -> None:
        self.slept += seconds

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


def fault_hook(kind: str, client: Any, clock: VirtualClock | None) -> Callable[..., Any]:
    from botocore.awsrequest import AWSResponse
    from botocore.exceptions import ReadTimeoutError

    read_timeout = float(client.meta.config.read_timeout)

    def inject(request: Any, **_: Any) -> Any:
        if kind == "timeout":
            if clock is None:
                time.sleep(read_timeout)
            else:
                clock.sleep(read_timeout)
            raise ReadTimeoutError(endpoint_url=request.url)
        status, code, message = _ERROR_BODIES[kind]
        body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}",
                           "message": message}).encode()
        headers = {"x-amzn-RequestId": "bench-fault", "Content-Type": "application/x-amz-json-1.0",
                   "Content-Length": str(len(body))}
        return AWSResponse(request.url, status, headers, _Raw(body))

    return inject


def _force_worst_jitter(clock: VirtualClock) -> None:
    """Max jitter for every backoff, and botocore's retry sleeps on `clock`."""
    import botocore.endpoint
    from botocore.retries import standard

    original = standard.ExponentialBackoff.delay_amount

    def delay_amount(self, context):
        self._random = lambda: 1.0
        return original(self, context)

    standard.ExponentialBackoff.delay_amount = delay_amount
    botocore.endpoint.time = clock


def run_fault(kind: str, mode: str, max_requests: int | None = None) -> dict:
    """One ritual played with every DynamoDB attempt failing with `kind`; per-request times.

    The household is introduced (first night, no faults) first, so that the faulty night is an
    ordinary one. Run in a fresh process: see the module docstring.
    """
    from benchmarks import skill_adapter

    server = start_moto()
    try:
        handler, counter = counted_skill()
        skill_adapter.introduce(handler)
        client = counter.clients[-1]
        clock = VirtualClock() if mode == "bound" else None
        if clock is not None:
            _force_worst_jitter(clock)
        client.meta.events.register_first("before-send.dynamodb", fault_hook(kind, client, clock))
        wrapped = PerRequest(handler, counter, clock=(lambda: clock.slept) if clock else None)
        limited = _Limited(wrapped, max_requests) if max_requests else wrapped
        with contextlib.suppress(_Enough):
            skill_adapter.play(limited, "regular_night", night=1)
        config = client.meta.config
        times = [row["ms"] for row in wrapped.rows]
        worst = max(range(len(times)), key=times.__getitem__) if times else None
        return {
            "fault": kind,
            "mode": mode,
            "requests": len(times),
            "worst_ms": max(times) if times else None,
            "worst_request": wrapped.rows[worst]["request"] if worst is not None else None,
            "median_ms": sorted(times)[len(times) // 2] if times else None,
            "all_spoken": all(row["spoken"] for row in wrapped.rows),
            "calls": len([c for row in wrapped.rows for c in row["calls"]]),
            "max_calls_in_a_request": max((len(row["calls"]) for row in wrapped.rows), default=0),
            "client": {"connect_timeout": config.connect_timeout,
                       "read_timeout": config.read_timeout, "retries": config.retries},
            "per_request": [{"request": row["request"], "ms": round(row["ms"], 1),
                             "calls": len(row["calls"])} for row in wrapped.rows],
        }
    finally:
        server.stop()


class _Enough(Exception):
    pass


class _Limited:
    """Stops a played ritual after `limit` requests (the slow real-timeout run)."""

    def __init__(self, handler: Callable[[dict, Any], dict], limit: int):
        self.handler, self.limit, self.count = handler, limit, 0

    def __call__(self, event: dict, context: Any = None) -> dict:
        if self.count >= self.limit:
            raise _Enough
        self.count += 1
        return self.handler(event, context)
