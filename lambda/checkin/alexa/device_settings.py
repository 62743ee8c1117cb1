"""The household's time zone, from the Alexa Settings API, so streaks follow local dates."""
from __future__ import annotations

import logging

from ask_sdk_core.handler_input import HandlerInput

from checkin import metrics
from checkin.alexa.api_client import answered_status
from checkin.alexa.envelope import system_of
from checkin.logs import log


def device_time_zone(handler_input: HandlerInput) -> str | None:
    """The device's IANA time zone, or None when the API cannot tell us right now."""
    system = system_of(handler_input.request_envelope)
    device_id = getattr(getattr(system, "device", None), "device_id", None)
    if not device_id or not getattr(system, "api_access_token", None):
        return None
    try:
        zone = handler_input.service_client_factory.get_ups_service() \
            .get_system_time_zone(device_id)
    except Exception as error:  # any API failure: the caller falls back to UTC for now
        status = answered_status(error)
        log("time_zone_unavailable", logging.WARNING, metrics.api_failure("settings", status),
            error=type(error).__name__, status=status)
        return None
    return zone if isinstance(zone, str) and zone else None
