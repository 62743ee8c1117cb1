"""What every request envelope carries, read once: ask-sdk-model marks all of it optional."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only named in annotations: not worth six modules at every cold start
    from ask_sdk_model import RequestEnvelope
    from ask_sdk_model.interfaces.system import SystemState


def system_of(envelope: RequestEnvelope) -> SystemState | None:
    context = envelope.context
    return context.system if context is not None else None


def user_id_of(envelope: RequestEnvelope) -> str:
    """The Alexa account's user id, or "" in a malformed request (answered all the same)."""
    system = system_of(envelope)
    user = system.user if system is not None else None
    return str(user.user_id or "") if user is not None else ""
