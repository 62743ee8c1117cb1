"""The engine's platform directives as ask-sdk models, and the permission facts of a request.

- `AskPermission` becomes `Connections.SendRequest` "AskFor": Alexa asks, in its own voice,
  for the reminders or timers permission, and the answer comes back as a
  `Connections.Response` carrying our token.
- `CompleteTask` becomes `Tasks.CompleteTask`, which tells a Routine that started the skill
  (a custom task in `LaunchRequest.task`) that its task is done.
"""
from __future__ import annotations

from ask_sdk_model import RequestEnvelope
from ask_sdk_model.directive import Directive as SdkDirective
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.interfaces.tasks import CompleteTaskDirective
from ask_sdk_model.status import Status

from checkin.ritual.events import PermissionAnswer
from checkin.ritual.reply import REMINDERS, TIMERS, AskPermission, CompleteTask, Directive

SCOPES = {
    REMINDERS: "alexa::alerts:reminders:skill:readwrite",
    TIMERS: "alexa::alerts:timers:skill:readwrite",
}
TASK_NAME = "StartCheckIn"  # skill-package/tasks/StartCheckIn.1.json
ANSWERS = ("ACCEPTED", "DENIED", "NOT_ANSWERED")


def sdk_directives(directives: tuple[Directive, ...]) -> list[SdkDirective]:
    return [sdk_directive(d) for d in directives]


def sdk_directive(directive: Directive) -> SdkDirective:
    if isinstance(directive, AskPermission):
        return ask_for(directive.scope, directive.token)
    if isinstance(directive, CompleteTask):
        return CompleteTaskDirective(status=Status(code="200", message="OK"))
    raise TypeError(f"unknown directive {type(directive).__name__}")


def ask_for(scope: str, token: str) -> SendRequestDirective:
    """Voice consent for one permission: AskForPermissionsConsentRequest, version 2."""
    payload: dict[str, object] = {
        "@type": "AskForPermissionsConsentRequest",
        "@version": "2",
        "permissionScopes": [{"permissionScope": SCOPES[scope], "consentLevel": "ACCOUNT"}],
    }
    return SendRequestDirective(name="AskFor", payload=payload, token=token)


def granted_scopes(envelope: RequestEnvelope) -> frozenset[str]:
    """The permissions ("reminders", "timers") the household has granted, as of this request."""
    system = getattr(getattr(envelope, "context", None), "system", None)
    permissions = getattr(getattr(system, "user", None), "permissions", None)
    scopes = getattr(permissions, "scopes", None) or {}
    granted = set()
    for short, full in SCOPES.items():
        status = getattr(scopes.get(full), "status", None)
        if getattr(status, "value", status) == "GRANTED":
            granted.add(short)
    return frozenset(granted)


def permission_answer(envelope: RequestEnvelope) -> PermissionAnswer | None:
    """The answer in a Connections.Response to AskFor; None for any other request.

    An answer Alexa could not deliver (a status code other than 200) counts as not answered.
    """
    request = getattr(envelope, "request", None)
    if getattr(request, "object_type", None) != "Connections.Response" or \
            getattr(request, "name", None) != "AskFor":
        return None
    payload = getattr(request, "payload", None) or {}
    status = str(payload.get("status") or "") if isinstance(payload, dict) else ""
    code = str(getattr(getattr(request, "status", None), "code", "200") or "200")
    if status not in ANSWERS or code != "200":
        status = "NOT_ANSWERED"
    return PermissionAnswer(status, str(getattr(request, "token", "") or ""))


def started_by_task(envelope: RequestEnvelope) -> bool:
    """A LaunchRequest from a Routine's custom task (its name may carry the skill id first)."""
    task = getattr(getattr(envelope, "request", None), "task", None)
    name = str(getattr(task, "name", "") or "")
    return name == TASK_NAME or name.endswith(f".{TASK_NAME}")
