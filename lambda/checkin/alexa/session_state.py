"""The ritual state as it travels in Alexa's session attributes, between one request and the next.

Only our own state travels; anything else that arrived is dropped, and an ended ritual leaves
nothing, so the next session reads the store afresh. It is kept as one compact JSON string:
ask-sdk deep-copies session attributes on every request, and a string costs it nothing, where
the nested dict was most of the skill's own warm time.
"""
from __future__ import annotations

import json
import logging

from checkin.logs import log
from checkin.ritual.state import Stage, State

STATE_ATTRIBUTE = "checkin"


def session_attributes(state: State) -> dict:
    """What the response carries for the session's next request."""
    if state.stage is Stage.ENDED:
        return {}
    return {STATE_ATTRIBUTE: json.dumps(state.to_dict(), separators=(",", ":"),
                                        ensure_ascii=False)}


def state_from_session(attributes: object) -> State | None:
    """The state an earlier request of this session left; None when there is none to trust."""
    saved = attributes.get(STATE_ATTRIBUTE) if isinstance(attributes, dict) else None
    if not isinstance(saved, str):
        return None
    try:
        return State.from_dict(json.loads(saved))
    except (KeyError, TypeError, ValueError, AttributeError):
        log("bad_session_state", logging.WARNING)
        return None


def saved_state(attributes: dict | None) -> dict:
    """The ritual state as kept in session attributes, as a dict ({} when there is none)."""
    saved = (attributes or {}).get(STATE_ATTRIBUTE)
    try:
        return json.loads(saved) if isinstance(saved, str) else {}
    except ValueError:
        return {}
