"""One structured logger for the skill: JSON lines, with no names and no raw user ids."""
from __future__ import annotations

import json
import logging
import sys

LOGGER_NAME = "checkin"
_logger = logging.getLogger(LOGGER_NAME)


def configure(level: str = "INFO") -> None:
    if not _logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        _logger.addHandler(handler)
        _logger.propagate = False
    _logger.setLevel(level.upper() if isinstance(level, str) else level)


def log(what: str, level: int = logging.INFO, /, **fields: object) -> None:
    """Log one event. Callers pass only counts, ids of our own making, and hashed keys."""
    if _logger.isEnabledFor(level):
        _logger.log(level, json.dumps({"log": what, **fields}, default=str, sort_keys=True))


def short(household: str) -> str:
    """Enough of a hashed household key to follow one household through the logs."""
    return household[:12]
