"""One structured logger for the skill: JSON lines, with no names and no raw user ids.

A line may carry metrics (`checkin.metrics`): their values and dimensions become top-level
fields and their `_aws` block is added last, which is all CloudWatch needs to read them. Such a
line is written whatever the log level, so that LOG_LEVEL never silences a metric.
"""
from __future__ import annotations

import json
import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checkin.metrics import Emf

LOGGER_NAME = "checkin"
_logger = logging.getLogger(LOGGER_NAME)
# One encoder for every line: json.dumps with options builds a new one per call.
_encoder = json.JSONEncoder(default=str, sort_keys=True)


def configure(level: str = "INFO") -> None:
    """Set the skill's logger up, once per process (its entry point calls this)."""
    # Every request writes a line; no line shows its source, thread or process, so logging
    # need not look them up for each record ("Optimization" in Python's logging HOWTO).
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    if not _logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        _logger.addHandler(handler)
        _logger.propagate = False
    _logger.setLevel(level.upper() if isinstance(level, str) else level)


def log(what: str, level: int = logging.INFO, metrics: Emf | None = None, /,
        **fields: object) -> None:
    """Log one event. Callers pass only counts, ids of our own making, and hashed keys."""
    if metrics is None:
        if _logger.isEnabledFor(level):
            _logger.log(level, _encoder.encode({"log": what, **fields}))
        return
    text = _encoder.encode({"log": what, **fields, **metrics.fields})
    line = f'{text[:-1]},"_aws":{metrics.aws}}}'
    if _logger.isEnabledFor(level):
        _logger.log(level, line)
    elif not _logger.disabled:  # below the level, yet metrics are kept
        _logger.handle(_logger.makeRecord(LOGGER_NAME, level, "", 0, line, (), None))


def short(household: str) -> str:
    """Enough of a hashed household key to follow one household through the logs."""
    return household[:12]
