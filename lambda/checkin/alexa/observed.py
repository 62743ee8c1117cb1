"""What one request did, noted for its `request` log line and counted as metrics.

Derived from the states before and after the engine's step, never inside the engine: a ritual
started when the state holds a ritual it did not hold before (nor had pending); resumed when
the ritual pending from earlier tonight is the one now under way.
"""
from __future__ import annotations

from checkin import metrics
from checkin.logs import short
from checkin.ritual.events import Event, Kind, PermissionAnswer
from checkin.ritual.reminders_and_walks import REMIND_PURPOSE, TIMERS_PURPOSE, PermissionPlan
from checkin.ritual.state import State

_PERMISSIONS = {REMIND_PURPOSE: "reminders", TIMERS_PURPOSE: "timers"}


def note_request(event: Event, before: State, after: State, effects: int, saved: bool,
                 household: str, locale: object, crisis_lines_given: bool) -> None:
    """Note the request on its line. A request for safety, or one answered with the crisis
    lines (the answer to "help with the check-in, or support?"), is a bare count: no household,
    no stage, nothing to tie it to anyone."""
    request = metrics.current()
    if request is None:  # outside handle_event: nothing to write it on
        return
    fields: dict[str, object] = {"event": event.kind.value, "before": before.stage.value,
                                 "after": after.stage.value, "effects": effects, "saved": saved}
    if event.kind is Kind.SAFETY or crisis_lines_given:
        request.fields = fields
        if crisis_lines_given:
            metrics.count("SafetyRequests")
        return
    request.fields = {**fields, "household": short(household)}
    request.stage = before.stage.value
    ritual = after.ritual
    if ritual is not None:
        known = {r.ritual_id for r in (before.ritual, before.pending) if r is not None}
        if ritual.ritual_id not in known:
            metrics.count("RitualsStarted", Mode=ritual.mode,
                          Locale=metrics.locale_dimension(locale))
        elif before.pending is not None and ritual.ritual_id == before.pending.ritual_id:
            metrics.count("RitualsResumed")
    if event.kind is Kind.PERMISSION and isinstance(event.value, PermissionAnswer):
        plan = PermissionPlan.from_token(event.value.token)
        metrics.count("PermissionAnswers",
                      Permission=_PERMISSIONS.get(plan.purpose, "other") if plan else "other",
                      Outcome=metrics.permission_outcome(event.value.status))
