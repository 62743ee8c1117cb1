"""`--days-ahead N` runs the whole suite with the process clock N days in the future.

The skill dates everything by the request's own timestamp, so nothing it does may depend on the
day the suite runs; CI runs the suite a second time this way to prove it. Servers outside this
process (DynamoDB Local) keep the real clock, which no test relies on.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

_travel = None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--days-ahead", type=int, default=0, metavar="N",
                     help="run with the process clock moved N days into the future")


def pytest_configure(config: pytest.Config) -> None:
    global _travel
    days = config.getoption("--days-ahead")
    if not days:
        return
    import time_machine

    # tick=True: time still passes, so timeouts and waits behave as they do on any day.
    _travel = time_machine.travel(datetime.now(UTC) + timedelta(days=days), tick=True)
    _travel.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None


def pytest_report_header(config: pytest.Config) -> str | None:
    days = config.getoption("--days-ahead")
    return f"process clock moved {days} days ahead: {datetime.now(UTC):%Y-%m-%d}" if days else None
