"""The process's clocks, injected once through Services, and one request's call window.

The ritual itself runs on the request's own timestamp. These clocks only date a request that
carries no readable timestamp, and bound how long a request may keep calling the store and the
Alexa APIs, so that every answer comes inside the Lambda's timeout.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from checkin.records import record

# A call to the store or an Alexa API may start only this soon after the request began. With
# one call's worst case (two attempts of 0.5 s connect + 1 s read, 1 s of backoff) that bounds
# every answer under the Lambda's 7 s timeout, however slow or broken the store is.
CALL_WINDOW_SECONDS = 2.0


@record
class Clock:
    # Read only for a request with no readable timestamp (Alexa always sends one): a malformed
    # request must still be answered.
    wall: Callable[[], float] = time.time
    monotonic: Callable[[], float] = time.monotonic

    def window(self) -> CallWindow:
        """The call window of a request that begins now."""
        return CallWindow(self.monotonic, self.monotonic())


@record
class CallWindow:
    monotonic: Callable[[], float]
    started: float

    def is_open(self) -> bool:
        return self.elapsed() <= CALL_WINDOW_SECONDS

    def elapsed(self) -> float:
        return self.monotonic() - self.started
