"""Store faults for one household at a time, inside a process that serves many.

A `before-send` hook on the skill's DynamoDB client answers an HTTP attempt itself when the
thread that made the call (one household) has a fault planned for that operation: a throttle
(400) or a server error (500), on the first attempt or on every attempt of the call. botocore's
own retries then run as they would against DynamoDB. Other households' calls pass untouched.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from botocore.awsrequest import AWSResponse

THROTTLE = "throttle"
SERVER_ERROR = "5xx"
EVERY_ATTEMPT = 0

_ERRORS = {
    THROTTLE: (400, "ProvisionedThroughputExceededException",
               "The level of configured provisioned throughput for the table was exceeded."),
    SERVER_ERROR: (500, "InternalServerError", "Internal server error"),
}


@dataclass(frozen=True)
class Fault:
    kind: str
    operation: str = ""  # "" for every operation
    attempts: int = 1  # how many attempts of each call fail; EVERY_ATTEMPT for all


class _Body:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any):
        yield self._body


class HouseholdFaults:
    """Installs the hook on `client`; each household's thread plans its own faults."""

    def __init__(self, client: Any) -> None:
        self._local = threading.local()
        self.injected = 0
        self._lock = threading.Lock()
        client.meta.events.register("before-call.dynamodb", self._call)
        client.meta.events.register_first("before-send.dynamodb", self._attempt)

    def plan(self, fault: Fault | None) -> None:
        """The fault for this thread's calls from now on (None: none)."""
        self._local.fault = fault

    def _call(self, model: Any, **_: Any) -> None:
        self._local.operation = model.name
        self._local.attempt = 0

    def _attempt(self, request: Any, **_: Any) -> AWSResponse | None:
        fault: Fault | None = getattr(self._local, "fault", None)
        if fault is None:
            return None
        self._local.attempt = getattr(self._local, "attempt", 0) + 1
        if fault.operation and fault.operation != getattr(self._local, "operation", ""):
            return None
        if fault.attempts != EVERY_ATTEMPT and self._local.attempt > fault.attempts:
            return None
        with self._lock:
            self.injected += 1
        status, code, message = _ERRORS[fault.kind]
        body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}",
                           "message": message}).encode()
        headers = {"x-amzn-RequestId": "injected-fault",
                   "Content-Type": "application/x-amz-json-1.0",
                   "Content-Length": str(len(body))}
        return AWSResponse(request.url, status, headers, _Body(body))
