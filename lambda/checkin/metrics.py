"""What the skill counts and times, as CloudWatch Embedded Metric Format (EMF).

The figures ride in the JSON log lines the skill writes anyway (`checkin.logs`): CloudWatch Logs
turns a line's `_aws` block into metric data, so there is no PutMetricData call, no added
latency and no extra permission. EMF is written here by hand, not with Powertools' `Metrics`,
because of its cold-start cost (measured by `make bench`; the README gives the figure).

Every metric is listed once, in METRICS, with its unit and its dimension sets. A dimension value
is always one of a few closed values (a stage, a locale, a mode, an outcome, a kind of fault, an
API and its status), never a user, household, device or name. Metrics are derived here and in
the Alexa adapter from what the engine did; the ritual itself knows nothing of them.

A line carries metrics only inside a request (between `begin` and `end`), stamped with the
request's own timestamp, the one clock the skill runs on.
"""
from __future__ import annotations

import json
import re
from contextvars import ContextVar, Token

from checkin.config import DEFAULT_METRICS_NAMESPACE

COUNT, MILLISECONDS = "Count", "Milliseconds"

# name: (unit, dimension sets). () is the metric without dimensions, e.g. for an alarm's total.
METRICS: dict[str, tuple[str, tuple[tuple[str, ...], ...]]] = {
    "RequestDuration": (MILLISECONDS, ((), ("Stage",))),
    "StoreDuration": (MILLISECONDS, ((),)),
    "RitualsStarted": (COUNT, (("Mode",), ("Locale",))),
    "RitualsResumed": (COUNT, ((),)),
    "Rituals": (COUNT, (("Outcome",),)),  # recorded: completed, stopped or abandoned
    "SafetyRequests": (COUNT, ((),)),  # a bare count
    "PermissionAnswers": (COUNT, (("Permission", "Outcome"),)),
    "StoreFaults": (COUNT, ((), ("Kind",))),
    "ApiFailures": (COUNT, (("Api", "Status"),)),
}
DIMENSIONS = frozenset({"Stage", "Locale", "Mode", "Outcome", "Permission", "Kind", "Api",
                        "Status"})

# A store fault by kind, from DynamoDB's error code or botocore's error name (StoreError.code).
STORE_FAULT_KINDS = {
    "ProvisionedThroughputExceededException": "throttled",
    "ThrottlingException": "throttled",
    "RequestLimitExceeded": "throttled",
    "InternalServerError": "server",
    "InternalFailure": "server",
    "ServiceUnavailable": "server",
    "ReadTimeoutError": "timeout",
    "ConnectTimeoutError": "timeout",
    "EndpointConnectionError": "unreachable",
    "ConnectionClosedError": "unreachable",
    "ConditionalCheckFailedException": "conflict",
    "TransactionCanceledException": "conflict",
    "TransactionConflictException": "conflict",
    "UnreadableItem": "unreadable",
    "UnstorableValue": "rejected",
    "ValidationException": "rejected",
    "UnprocessedItems": "unprocessed",
}
LATE = "late"  # not tried: the request's call window had closed (see alexa.timing)
_LOCALE = re.compile(r"[a-z]{2}-[A-Z]{2}")
_PERMISSION_OUTCOMES = frozenset({"ACCEPTED", "DENIED", "NOT_ANSWERED"})


class Emf:
    """The metric part of one log line: values and dimensions (top-level fields of the line)
    and the text of its `_aws` block."""

    __slots__ = ("aws", "fields")

    def __init__(self, fields: dict[str, object], aws: str) -> None:
        self.fields = fields
        self.aws = aws


class Request:
    """What one request has counted and timed so far; `request_line` makes its line of it."""

    __slots__ = ("at_ms", "counts", "dimensions", "fields", "stage", "store_ms")

    def __init__(self, at_ms: int) -> None:
        self.at_ms = at_ms
        self.store_ms: float | None = None  # None: the store was not called
        self.counts: dict[str, float] = {}
        self.dimensions: dict[str, str] = {}
        self.fields: dict[str, object] = {}  # the request line's own fields (no metrics)
        self.stage = ""  # the ritual's stage before the request; "" keeps it out of the metrics


_namespace = DEFAULT_METRICS_NAMESPACE
_current: ContextVar[Request | None] = ContextVar("metrics_request", default=None)
_directives: dict[tuple[str, tuple[str, ...], tuple[str, ...]], str] = {}


def configure(namespace: str) -> None:
    global _namespace
    _namespace = namespace or DEFAULT_METRICS_NAMESPACE


# --- one request -------------------------------------------------------------------------------

def begin(at_seconds: float) -> tuple[Request, Token]:
    """A request stamped `at_seconds` (its own timestamp) begins."""
    request = Request(int(at_seconds * 1000))
    return request, _current.set(request)


def end(token: Token) -> None:
    _current.reset(token)


def current() -> Request | None:
    return _current.get()


def request_line(request: Request, duration_ms: float) -> tuple[dict[str, object], Emf]:
    """The request line's fields and metrics: its duration, the store's, and what it counted."""
    values: dict[str, object] = {"RequestDuration": round(duration_ms, 2)}
    if request.store_ms is not None:
        values["StoreDuration"] = round(request.store_ms, 2)
    values.update(request.counts)
    dimensions = dict(request.dimensions)
    if request.stage:
        dimensions["Stage"] = request.stage
    return request.fields, _emf(request.at_ms, values, dimensions)


def count(name: str, value: float = 1, **dimensions: str) -> None:
    """Count `name` on the current request's line (outside a request: nothing)."""
    request = _current.get()
    if request is not None:
        request.counts[name] = request.counts.get(name, 0) + value
        request.dimensions.update(dimensions)


def store_time(seconds: float) -> None:
    """Add time spent waiting on the store to the current request."""
    request = _current.get()
    if request is not None:
        request.store_ms = (request.store_ms or 0.0) + seconds * 1000


# --- lines of their own ------------------------------------------------------------------------

def ritual_recorded(outcome: str) -> Emf | None:
    return line_metrics({"Rituals": 1}, {"Outcome": outcome})


def store_fault(code: str, status: int = 0, faults: int = 1) -> Emf | None:
    return line_metrics({"StoreFaults": faults}, {"Kind": store_fault_kind(code, status)})


def api_failure(api: str, status: int) -> Emf | None:
    return line_metrics({"ApiFailures": 1},
                        {"Api": api, "Status": str(status) if status else "none"})


def line_metrics(values: dict[str, object], dimensions: dict[str, str]) -> Emf | None:
    """Metrics for a line of their own, stamped with the current request's time."""
    request = _current.get()
    return None if request is None else _emf(request.at_ms, values, dimensions)


# --- closed values for dimensions --------------------------------------------------------------

def store_fault_kind(code: str, status: int = 0) -> str:
    if code == LATE:
        return LATE
    kind = STORE_FAULT_KINDS.get(code)
    if kind:
        return kind
    return "server" if status >= 500 else "other"


def locale_dimension(locale: object) -> str:
    return locale if isinstance(locale, str) and _LOCALE.fullmatch(locale) else "other"


def permission_outcome(status: str) -> str:
    return status.lower() if status in _PERMISSION_OUTCOMES else "other"


# --- EMF ---------------------------------------------------------------------------------------

def _emf(at_ms: int, values: dict[str, object], dimensions: dict[str, str]) -> Emf:
    key = (_namespace, tuple(values), tuple(sorted(dimensions)))
    directives = _directives.get(key)
    if directives is None:
        directives = _directives[key] = _compose(_namespace, tuple(values), set(dimensions))
    return Emf({**values, **dimensions},
               f'{{"Timestamp":{at_ms},"CloudWatchMetrics":[{directives}]}}')


def _compose(namespace: str, names: tuple[str, ...], present: set[str]) -> str:
    """The CloudWatchMetrics directives for these metrics, one per group of metrics that share
    dimension sets; a set naming a dimension the line lacks is left out."""
    groups: dict[tuple[tuple[str, ...], ...], list[dict[str, str]]] = {}
    for name in names:
        unit, sets = METRICS[name]
        usable = tuple(s for s in sets if set(s) <= present) or ((),)
        groups.setdefault(usable, []).append({"Name": name, "Unit": unit})
    return ",".join(
        json.dumps({"Namespace": namespace, "Dimensions": [list(s) for s in sets],
                    "Metrics": metrics}, separators=(",", ":"))
        for sets, metrics in groups.items())
