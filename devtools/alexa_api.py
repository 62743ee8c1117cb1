"""A local stand-in for the Alexa APIs a skill calls at `context.System.apiEndpoint`.

The console and the tests point the envelopes' apiEndpoint here, so the skill never reaches
api.amazonalexa.com with a made-up token. It answers what this skill may use, the way the
documented APIs do:

- GET  /v2/devices/{deviceId}/settings/System.timeZone -> the household's time zone
- POST /v1/alerts/reminders, GET /v1/alerts/reminders, GET|PUT|DELETE /v1/alerts/reminders/{id}
- POST /v1/alerts/timers, GET /v1/alerts/timers, DELETE /v1/alerts/timers,
  GET|DELETE /v1/alerts/timers/{id}, POST /v1/alerts/timers/{id}/pause|resume
- POST /v1/directives (progressive responses)

Like the real service it checks `Authorization: Bearer <apiAccessToken>` (401 when missing or
wrong), answers 401 to reminder and timer calls whose permission the household has not granted
(`grant()` / `revoke()`), 400 to malformed bodies (a scheduledTime with an offset, an unknown
time zone, a timer longer than 2 hours, an eleventh timer), and 404 to unknown ids. Failures
can be forced: `fail_next("/v1/alerts/timers", 500)`, `fail_always(..., 429)`, and
`slow("/v1/alerts", 3.0)` holds answers back so that a client's timeout shows.

Every call is kept in `calls` with its body. Time is the simulated clock the console or a test
passes in (`clock`), so timers fire (`fire_due`) and reminders ring (`reminders_between`) as
that clock moves.
"""
from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
TIMERS_SCOPE = "alexa::alerts:timers:skill:readwrite"
DEFAULT_ACCESS_TOKEN = "local-console-token"  # what devtools.envelopes.Conversation sends
MAX_TIMER_SECONDS = 2 * 3600
MAX_TIMERS = 10

_ERROR_CODES = {
    400: "INVALID_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    429: "RATE_EXCEEDED",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
    504: "DEVICE_OFFLINE",
}
_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")


@dataclass
class ApiCall:
    method: str
    path: str
    body: dict | None
    status: int
    authorization: str = ""


@dataclass
class Fault:
    path_prefix: str
    status: int
    remaining: int | None  # None: every matching call fails


@dataclass(frozen=True)
class FiredTimer:
    """A timer that went off on the simulated clock, and what Alexa announced."""

    timer_id: str
    at: datetime
    label: str
    announced: str


@dataclass(frozen=True)
class Ringing:
    """A reminder that rang on the simulated clock."""

    alert_token: str
    at: datetime
    text: str


@dataclass
class AlexaApiStub:
    time_zone: str = "UTC"
    access_token: str | None = DEFAULT_ACCESS_TOKEN  # None accepts any bearer token
    granted: set[str] = field(default_factory=set)  # permission scopes the household allowed
    clock: Callable[[], datetime] | None = None  # the simulated "now"; real UTC time if None
    calls: list[ApiCall] = field(default_factory=list)
    reminders: dict[str, dict] = field(default_factory=dict)
    timers: dict[str, dict] = field(default_factory=dict)
    fired: list[FiredTimer] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    delays: dict[str, float] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _released: threading.Event = field(default_factory=threading.Event)

    # --- life cycle ---

    @property
    def endpoint(self) -> str:
        if self._server is None:
            raise RuntimeError("the stub is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> AlexaApiStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                path = self.path.split("?", 1)[0]
                stub._wait_if_slow(path)
                status, payload = stub.route(method, path, body,
                                             self.headers.get("Authorization") or "")
                data = b"" if payload is None else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    if data:
                        self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test): nothing to answer

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def do_PUT(self) -> None:
                self._answer("PUT")

            def do_DELETE(self) -> None:
                self._answer("DELETE")

            def log_message(self, *args: object) -> None:
                pass

        self._released.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()  # let any held-back answer go
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- what a test or the console controls ---

    def grant(self, *scopes: str) -> None:
        """The household allowed these permission scopes (full names, e.g. REMINDERS_SCOPE)."""
        with self._lock:
            self.granted.update(scopes)

    def revoke(self, *scopes: str) -> None:
        with self._lock:
            self.granted.difference_update(scopes)

    def fail_next(self, path_prefix: str, status: int, times: int = 1) -> None:
        """The next `times` calls whose path starts with `path_prefix` answer `status`."""
        with self._lock:
            self.faults.append(Fault(path_prefix, status, times))

    def fail_always(self, path_prefix: str, status: int) -> None:
        with self._lock:
            self.faults.append(Fault(path_prefix, status, None))

    def heal(self) -> None:
        """No more forced failures or delays."""
        with self._lock:
            self.faults.clear()
            self.delays.clear()

    def slow(self, path_prefix: str, seconds: float) -> None:
        """Hold back answers to matching paths for `seconds` (or until `stop()`)."""
        with self._lock:
            self.delays[path_prefix] = seconds

    def now(self) -> datetime:
        moment = self.clock() if self.clock is not None else datetime.now(UTC)
        return moment.astimezone(UTC)

    def calls_to(self, path_prefix: str, method: str | None = None) -> list[ApiCall]:
        with self._lock:
            return [c for c in self.calls if c.path.startswith(path_prefix)
                    and (method is None or c.method == method)]

    # --- the simulated clock: timers that fire, reminders that ring ---

    def fire_due(self, now: datetime | None = None) -> list[FiredTimer]:
        """Timers whose time has come on the simulated clock go off (and are gone), in order."""
        now = (now or self.now()).astimezone(UTC)
        with self._lock:
            due = sorted((t for t in self.timers.values()
                          if t["status"] == "ON" and t["_trigger_at"] <= now),
                         key=lambda t: t["_trigger_at"])
            fired = []
            for timer in due:
                del self.timers[timer["id"]]
                fired.append(FiredTimer(timer["id"], timer["_trigger_at"],
                                        timer.get("timerLabel", ""), announcement(timer)))
            self.fired.extend(fired)
            return fired

    def reminders_between(self, start: datetime, end: datetime) -> list[Ringing]:
        """Reminders that ring after `start` and up to `end` (both aware datetimes)."""
        rang: list[Ringing] = []
        with self._lock:
            reminders = list(self.reminders.values())
        for reminder in reminders:
            for moment in _occurrences(reminder, start.astimezone(UTC), end.astimezone(UTC)):
                rang.append(Ringing(reminder["alertToken"], moment, spoken_text(reminder)))
        return sorted(rang, key=lambda r: r.at)

    def timer_seconds_left(self, timer: dict, now: datetime | None = None) -> int:
        if timer["status"] == "PAUSED":
            return int(timer["_remaining"])
        left = (timer["_trigger_at"] - (now or self.now()).astimezone(UTC)).total_seconds()
        return max(0, int(left))

    # --- routing ---

    def route(self, method: str, path: str, body: dict | None,
              authorization: str = "") -> tuple[int, object]:
        with self._lock:
            status, payload = self._route(method, path, body, authorization)
            self.calls.append(ApiCall(method, path, body, status, authorization))
        return status, payload

    def _route(self, method: str, path: str, body: dict | None,
               authorization: str) -> tuple[int, object]:
        if self.access_token is not None and authorization != f"Bearer {self.access_token}":
            return _error(401, "the access token is missing or not valid")
        fault = self._take_fault(path)
        if fault is not None:
            return _error(fault, f"a failure forced by the test ({fault})")
        parts = [p for p in path.split("/") if p]
        if method == "GET" and len(parts) == 5 and parts[:2] == ["v2", "devices"] \
                and parts[3:] == ["settings", "System.timeZone"]:
            return 200, self.time_zone
        if parts[:3] == ["v1", "alerts", "reminders"]:
            if REMINDERS_SCOPE not in self.granted:
                return _error(401, "the user has not granted the reminders permission")
            return self._reminders(method, parts[3:], body)
        if parts[:3] == ["v1", "alerts", "timers"]:
            if TIMERS_SCOPE not in self.granted:
                return _error(401, "the user has not granted the timers permission")
            return self._timers(method, parts[3:], body)
        if method == "POST" and parts == ["v1", "directives"]:
            return 204, None
        return _error(404, f"the local Alexa API has no {method} {path}")

    def _take_fault(self, path: str) -> int | None:
        for fault in self.faults:
            if path.startswith(fault.path_prefix):
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self.faults.remove(fault)
                return fault.status
        return None

    def _wait_if_slow(self, path: str) -> None:
        with self._lock:
            delay = max((s for p, s in self.delays.items() if path.startswith(p)), default=0)
        if delay:
            self._released.wait(delay)

    # --- reminders ---

    def _reminders(self, method: str, rest: list[str], body: dict | None) -> tuple[int, object]:
        now = _stamp(self.now())
        if method == "POST" and not rest:
            problem = reminder_problem(body)
            if problem:
                return _error(400, problem)
            token = str(uuid.uuid4())
            self.reminders[token] = dict(body or {}, alertToken=token, status="ON",
                                         createdTime=now, updatedTime=now, version="1")
            return 200, _reminder_answer(self.reminders[token])
        if method == "GET" and not rest:
            alerts = [_public(r) for r in self.reminders.values()]
            return 200, {"totalCount": str(len(alerts)), "alerts": alerts, "links": None}
        if len(rest) == 1 and rest[0] in self.reminders:
            token = rest[0]
            if method == "DELETE":
                del self.reminders[token]
                return 200, None
            if method == "GET":
                return 200, _public(self.reminders[token])
            if method == "PUT":
                problem = reminder_problem(body)
                if problem:
                    return _error(400, problem)
                version = str(int(self.reminders[token].get("version", "1")) + 1)
                self.reminders[token] = dict(body or {}, alertToken=token, status="ON",
                                             createdTime=self.reminders[token]["createdTime"],
                                             updatedTime=now, version=version)
                return 200, _reminder_answer(self.reminders[token])
        return _error(404, "no such reminder", code="ALERT_NOT_FOUND")

    # --- timers ---

    def _timers(self, method: str, rest: list[str], body: dict | None) -> tuple[int, object]:
        now = self.now()
        if method == "POST" and not rest:
            problem = timer_problem(body)
            if problem:
                return _error(400, problem)
            if len(self.timers) >= MAX_TIMERS:
                return _error(400, f"at most {MAX_TIMERS} timers may exist",
                              code="MAX_TIMERS_EXCEEDED")
            timer_id = str(uuid.uuid4())
            seconds = duration_seconds((body or {}).get("duration", ""))
            self.timers[timer_id] = dict(body or {}, id=timer_id, status="ON",
                                         createdTime=_stamp(now), updatedTime=_stamp(now),
                                         _trigger_at=now + timedelta(seconds=seconds),
                                         _remaining=seconds)
            return 200, _timer_answer(self.timers[timer_id])
        if method == "GET" and not rest:
            timers = sorted(self.timers.values(), key=lambda t: self.timer_seconds_left(t, now))
            return 200, {"timers": [_timer_answer(t) for t in timers],
                         "totalCount": len(timers), "nextToken": None}
        if method == "DELETE" and not rest:
            self.timers.clear()
            return 200, None
        timer = self.timers.get(rest[0]) if rest else None
        if timer is None:
            return _error(404, "no such timer", code="TIMER_NOT_FOUND")
        if len(rest) == 1 and method == "DELETE":
            del self.timers[timer["id"]]
            return 200, None
        if len(rest) == 1 and method == "GET":
            return 200, _timer_answer(timer)
        if len(rest) == 2 and method == "POST" and rest[1] == "pause":
            if timer["status"] == "ON":
                timer["_remaining"] = self.timer_seconds_left(timer, now)
                timer.update(status="PAUSED", updatedTime=_stamp(now))
            return 200, None
        if len(rest) == 2 and method == "POST" and rest[1] == "resume":
            if timer["status"] == "PAUSED":
                timer["_trigger_at"] = now + timedelta(seconds=timer["_remaining"])
                timer.update(status="ON", updatedTime=_stamp(now))
            return 200, None
        return _error(404, f"the local Alexa API has no {method} timers/{'/'.join(rest)}")


# --- what the documented APIs accept ----------------------------------------------------------

def reminder_problem(body: dict | None) -> str:
    """Why the Reminders API would refuse this body with a 400; "" when it would accept it."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    trigger = body.get("trigger") or {}
    if trigger.get("type") == "SCHEDULED_ABSOLUTE":
        scheduled = str(trigger.get("scheduledTime") or "")
        try:
            moment = datetime.fromisoformat(scheduled)
        except ValueError:
            return "INVALID_TRIGGER_SCHEDULED_TIME_FORMAT: scheduledTime is not ISO 8601"
        if moment.tzinfo is not None or scheduled.endswith("Z"):
            return "INVALID_TRIGGER_SCHEDULED_TIME_FORMAT: scheduledTime must have no offset"
    elif trigger.get("type") == "SCHEDULED_RELATIVE":
        if not isinstance(trigger.get("offsetInSeconds"), int):
            return "INVALID_TRIGGER: offsetInSeconds is required"
    else:
        return "INVALID_TRIGGER_TYPE"
    zone = trigger.get("timeZoneId")
    if zone:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            return f"INVALID_TIME_ZONE_ID: {zone}"
    recurrence = trigger.get("recurrence")
    if recurrence is not None:
        rules = recurrence.get("recurrenceRules") or []
        if not rules and not recurrence.get("freq"):
            return "INVALID_RECURRENCE: no rule"
        for rule in rules:
            if not str(rule).startswith("FREQ="):
                return f"INVALID_RECURRENCE_RULE: {rule}"
    content = ((body.get("alertInfo") or {}).get("spokenInfo") or {}).get("content") or []
    if not content or not all(c.get("locale") and (c.get("text") or c.get("ssml"))
                              for c in content):
        return "INVALID_ALERT_INFO: spoken content needs a locale and a text"
    return ""


def timer_problem(body: dict | None) -> str:
    """Why the Timers API would refuse this body with a 400; "" when it would accept it."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    seconds = duration_seconds(str(body.get("duration") or ""))
    if seconds <= 0:
        return "INVALID_DURATION: an ISO 8601 duration such as PT2M is required"
    if seconds > MAX_TIMER_SECONDS:
        return "INVALID_DURATION: a timer lasts at most 2 hours"
    visibility = ((body.get("creationBehavior") or {}).get("displayExperience") or {}) \
        .get("visibility")
    if visibility not in ("VISIBLE", "HIDDEN"):
        return "INVALID_CREATION_BEHAVIOR: displayExperience.visibility is required"
    triggering = body.get("triggeringBehavior") or {}
    operation = triggering.get("operation") or {}
    if operation.get("type") not in ("ANNOUNCE", "LAUNCH_TASK", "NOTIFY_ONLY"):
        return "INVALID_OPERATION"
    if operation.get("type") == "ANNOUNCE" and not operation.get("textToAnnounce"):
        return "INVALID_OPERATION: ANNOUNCE needs textToAnnounce"
    if not isinstance((triggering.get("notificationConfig") or {}).get("playAudible"), bool):
        return "INVALID_NOTIFICATION_CONFIG: playAudible is required"
    return ""


def duration_seconds(text: str) -> int:
    match = _DURATION.match(text or "")
    if not match or text == "PT":
        return 0
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def announcement(timer: dict) -> str:
    operation = (timer.get("triggeringBehavior") or {}).get("operation") or {}
    texts = operation.get("textToAnnounce") or []
    return texts[0].get("text", "") if texts else ""


def spoken_text(reminder: dict) -> str:
    content = ((reminder.get("alertInfo") or {}).get("spokenInfo") or {}).get("content") or [{}]
    return content[0].get("text") or content[0].get("ssml") or ""


def _occurrences(reminder: dict, start: datetime, end: datetime) -> list[datetime]:
    """When a SCHEDULED_ABSOLUTE reminder rings in (start, end]: once, or daily by its RRULE."""
    trigger = reminder.get("trigger") or {}
    try:
        zone = ZoneInfo(trigger.get("timeZoneId") or "UTC")
        scheduled = datetime.fromisoformat(str(trigger.get("scheduledTime")))
    except (ValueError, ZoneInfoNotFoundError):
        return []
    rules = (trigger.get("recurrence") or {}).get("recurrenceRules") or []
    if not rules:
        moment = scheduled.replace(tzinfo=zone).astimezone(UTC)
        return [moment] if start < moment <= end else []
    fields = dict(part.split("=", 1) for part in rules[0].split(";") if "=" in part)
    if fields.get("FREQ") != "DAILY":
        return []
    hour = int(fields.get("BYHOUR", scheduled.hour))
    minute = int(fields.get("BYMINUTE", scheduled.minute))
    found = []
    day: date = start.astimezone(zone).date()
    while True:
        moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)
        if moment > end:
            return found
        if moment > start:
            found.append(moment)
        day += timedelta(days=1)


def _error(status: int, message: str, code: str | None = None) -> tuple[int, dict]:
    return status, {"code": code or _ERROR_CODES.get(status, "ERROR"), "message": message}


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _public(record: dict) -> dict:
    return {k: v for k, v in record.items() if not k.startswith("_")}


def _reminder_answer(reminder: dict) -> dict:
    return {"alertToken": reminder["alertToken"], "createdTime": reminder["createdTime"],
            "updatedTime": reminder["updatedTime"], "status": "ON",
            "version": reminder["version"],
            "href": f"/v1/alerts/reminders/{reminder['alertToken']}"}


def _timer_answer(timer: dict) -> dict:
    answer = {"id": timer["id"], "status": timer["status"], "duration": timer.get("duration"),
              "timerLabel": timer.get("timerLabel"), "createdTime": timer["createdTime"],
              "updatedTime": timer["updatedTime"]}
    if timer["status"] == "PAUSED":
        answer["remainingTimeWhenPaused"] = f"PT{int(timer['_remaining'])}S"
    else:
        answer["triggerTime"] = _stamp(timer["_trigger_at"])
    return answer


# --- for people reading the console -----------------------------------------------------------

def describe(call: ApiCall) -> str:
    """One line for a person reading the console."""
    body = call.body or {}
    failed = f" -> {call.status}" if call.status >= 300 else ""
    if call.path.endswith("System.timeZone"):
        return f"the skill asked for the device's time zone{failed}"
    if "/reminders" in call.path and call.method in ("POST", "PUT"):
        trigger = body.get("trigger", {})
        rules = (trigger.get("recurrence") or {}).get("recurrenceRules") or []
        when = trigger.get("scheduledTime") or trigger.get("offsetInSeconds") or ""
        zone = trigger.get("timeZoneId") or "the device's time zone"
        repeat = f", repeating {rules[0]}" if rules else ", once"
        verb = "reminder set" if call.method == "POST" else "reminder changed"
        return f'{verb}: "{spoken_text(body)}" at {when} ({zone}){repeat}{failed}'
    if "/reminders/" in call.path and call.method == "DELETE":
        return f"reminder deleted{failed}"
    if call.path.rstrip("/") == "/v1/alerts/timers" and call.method == "POST":
        seconds = duration_seconds(body.get("duration", ""))
        return f"timer set for {_clock_text(seconds)}, announcing \"{announcement(body)}\"{failed}"
    if call.path.endswith("/pause"):
        return f"timer paused{failed}"
    if call.path.endswith("/resume"):
        return f"timer resumed{failed}"
    if "/timers" in call.path and call.method == "DELETE":
        return f"timer cancelled{failed}"
    if call.path == "/v1/directives":
        return "progressive response"
    return f"{call.method} {call.path} ({call.status})"


def describe_timers(stub: AlexaApiStub, zone: ZoneInfo | None = None) -> list[str]:
    """The timers set now, then the ones that went off, one line each (times in `zone`)."""
    lines = []
    now = stub.now()
    with stub._lock:
        timers = list(stub.timers.values())
        fired = list(stub.fired)
    for timer in sorted(timers, key=lambda t: stub.timer_seconds_left(t, now)):
        left = _clock_text(stub.timer_seconds_left(timer, now))
        state = "paused" if timer["status"] == "PAUSED" else "running"
        lines.append(f"{timer.get('timerLabel') or 'timer'}: {state}, {left} left of "
                     f"{_clock_text(duration_seconds(timer.get('duration', '')))}; "
                     f"will announce \"{announcement(timer)}\"")
    for done in fired:
        at = done.at.astimezone(zone or UTC)
        lines.append(f"{done.label or 'timer'}: went off at {at:%H:%M:%S} "
                     f"{'UTC' if zone is None else ''}".rstrip() +
                     f" and announced \"{done.announced}\"")
    return lines or ["no timers"]


def describe_reminders(stub: AlexaApiStub) -> list[str]:
    lines = []
    with stub._lock:
        reminders = list(stub.reminders.values())
    for reminder in reminders:
        trigger = reminder.get("trigger") or {}
        rules = (trigger.get("recurrence") or {}).get("recurrenceRules") or []
        scheduled = str(trigger.get("scheduledTime") or "")
        when = f"every day ({rules[0]})" if rules else f"once, {scheduled}"
        lines.append(f'"{spoken_text(reminder)}" {when}, in '
                     f'{trigger.get("timeZoneId") or "the device time zone"}')
    return lines or ["no reminders"]


def _clock_text(seconds: int) -> str:
    minutes, rest = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{rest:02d}"
