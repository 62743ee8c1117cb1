"""A local stand-in for the Alexa APIs a skill calls at `context.System.apiEndpoint`.

The console points the envelopes' apiEndpoint here, so the skill never reaches
api.amazonalexa.com with a made-up token. It answers what this skill may use:

- GET  /v2/devices/{deviceId}/settings/System.timeZone -> the console's time zone
- POST /v1/alerts/reminders, GET /v1/alerts/reminders, DELETE /v1/alerts/reminders/{token}
- POST /v1/alerts/timers, DELETE /v1/alerts/timers/{id}, DELETE /v1/alerts/timers
- POST /v1/directives (progressive responses)

Every call is kept in `calls`, so the console can show what the skill asked of Alexa.
"""
from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class ApiCall:
    method: str
    path: str
    body: dict | None
    status: int


@dataclass
class AlexaApiStub:
    time_zone: str = "UTC"
    calls: list[ApiCall] = field(default_factory=list)
    reminders: dict[str, dict] = field(default_factory=dict)
    timers: dict[str, dict] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

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
                status, payload = stub.route(method, self.path.split("?", 1)[0], body)
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                if data:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

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

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def route(self, method: str, path: str, body: dict | None) -> tuple[int, object]:
        status, payload = self._route(method, path, body)
        with self._lock:
            self.calls.append(ApiCall(method, path, body, status))
        return status, payload

    def _route(self, method: str, path: str, body: dict | None) -> tuple[int, object]:
        parts = [p for p in path.split("/") if p]
        if method == "GET" and len(parts) == 5 and parts[:2] == ["v2", "devices"] \
                and parts[3:] == ["settings", "System.timeZone"]:
            return 200, self.time_zone
        if parts[:3] == ["v1", "alerts", "reminders"]:
            return self._reminders(method, parts[3:], body)
        if parts[:3] == ["v1", "alerts", "timers"]:
            return self._timers(method, parts[3:], body)
        if method == "POST" and parts == ["v1", "directives"]:
            return 204, None
        return 404, {"code": "NOT_FOUND", "message": f"the local Alexa API has no {method} {path}"}

    def _reminders(self, method: str, rest: list[str], body: dict | None) -> tuple[int, object]:
        if method == "POST" and not rest:
            token = str(uuid.uuid4())
            self.reminders[token] = dict(body or {}, alertToken=token, status="ON")
            return 201, {"alertToken": token, "status": "ON", "version": "1",
                         "href": f"/v1/alerts/reminders/{token}"}
        if method == "GET" and not rest:
            alerts = list(self.reminders.values())
            return 200, {"totalCount": str(len(alerts)), "alerts": alerts}
        if rest and rest[0] in self.reminders:
            if method == "DELETE":
                del self.reminders[rest[0]]
                return 200, None
            if method == "GET":
                return 200, self.reminders[rest[0]]
        return 404, {"code": "ALERT_NOT_FOUND", "message": "no such reminder"}

    def _timers(self, method: str, rest: list[str], body: dict | None) -> tuple[int, object]:
        if method == "POST" and not rest:
            timer_id = str(uuid.uuid4())
            self.timers[timer_id] = dict(body or {}, id=timer_id, status="ON")
            return 200, {"id": timer_id, "status": "ON",
                         "duration": (body or {}).get("duration"),
                         "timerLabel": (body or {}).get("timerLabel")}
        if method == "DELETE" and not rest:
            self.timers.clear()
            return 200, None
        if rest and rest[0] in self.timers and method == "DELETE":
            del self.timers[rest[0]]
            return 200, None
        return 404, {"code": "TIMER_NOT_FOUND", "message": "no such timer"}


def describe(call: ApiCall) -> str:
    """One line for a person reading the console."""
    body = call.body or {}
    if call.path.endswith("System.timeZone"):
        return "the skill asked for the device's time zone"
    if "/reminders" in call.path and call.method == "POST":
        spoken = body.get("alertInfo", {}).get("spokenInfo", {}).get("content", [{}])
        text = spoken[0].get("text", "") if spoken else ""
        trigger = body.get("trigger", {})
        rules = trigger.get("recurrence", {}).get("recurrenceRules") or []
        when = trigger.get("scheduledTime") or trigger.get("offsetInSeconds") or ""
        repeat = f", repeating {rules[0]}" if rules else ""
        return f'reminder set: "{text}" at {when}{repeat} ({call.status})'
    if "/timers" in call.path and call.method == "POST":
        label = body.get("timerLabel", "")
        return f"timer set: {body.get('duration')} {label} ({call.status})"
    if call.path == "/v1/directives":
        return "progressive response"
    return f"{call.method} {call.path} ({call.status})"
