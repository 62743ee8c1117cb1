"""How the benchmarks reach into the skill: building it over another repository, and playing
whole rituals through its handler with devtools.envelopes.Conversation.

The ritual driver answers whatever the skill asks (it reads the stage the skill keeps in its
session attributes), so it follows the ritual as the engine defines it rather than a script
that would drift from it:

* `first_night`: a new household: names are asked and given, then a complete ritual.
* `regular_night`: a household seen before: a complete ritual in one Alexa session.
* `interrupted`: Alexa ends the session after two turns (nobody answered the reprompt); the
  couple relaunch, accept the offer to resume, and finish: one ritual over two sessions.
"""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from benchmarks.targets import SKILL

BENCH_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"  # the envelopes' default
TALK_SECONDS = 50  # how long each partner talks before "Alexa, I'm done"
MAX_REQUESTS = 80  # a ritual that needs more is stuck, not slow
SCENARIOS = ("first_night", "regular_night", "interrupted")


class RitualStuck(RuntimeError):
    """The driver could not bring the ritual to its end."""


@dataclass
class RitualLog:
    """What one played ritual consisted of: its requests, grouped by Alexa session."""

    scenario: str
    sessions: list[list[str]] = field(default_factory=list)
    responses: list[dict] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(s) for s in self.sessions)


class AlexaApiStub:
    """The Alexa APIs the skill calls, on loopback: never the real endpoint from a benchmark.

    It answers the Settings API's time zone (the one call the skill makes today) and counts
    every request, so a figure can say how many Alexa API calls a ritual made.
    """

    TIME_ZONE = "America/Chicago"
    _instance: AlexaApiStub | None = None

    def __init__(self) -> None:
        stub = self
        self.requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's naming
                stub.requests.append(self.path)
                if self.path.endswith("/settings/System.timeZone"):
                    self._answer(200, json.dumps(stub.TIME_ZONE))
                else:
                    self._answer(404, json.dumps({"message": "not stubbed"}))

            def _answer(self, status: int, body: str) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @classmethod
    def shared(cls) -> AlexaApiStub:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance


def import_skill():
    """The skill's handler module, imported once with its own code root on sys.path."""
    import importlib
    import sys

    path = str(SKILL.path)
    if path not in sys.path:
        sys.path.insert(0, path)
    os.environ.setdefault("SKILL_ID", BENCH_SKILL_ID)
    return importlib.import_module(SKILL.module)


def skill_over(repository: Any) -> Callable[[dict, Any], dict]:
    """The skill's lambda_handler, answering from `repository` instead of DynamoDB.

    lambda_function has no injection seam yet, so this rebuilds its skill the way it does at
    import, with the same settings but another repository, and swaps it in.
    """
    module = import_skill()
    from checkin.alexa.conversation import Services
    from checkin.alexa.skill import build_skill

    module.skill = build_skill(Services(repository, module.settings))
    module.repository = repository
    return module.lambda_handler


def _stage(conversation) -> str:
    from checkin.alexa.session_state import saved_state

    return str(saved_state(conversation.attributes).get("stage", ""))


def introduce(handler: Callable[[dict, Any], dict], household: str = "bench",
              device: str | None = None) -> RitualLog:
    """The household's first night, so that later `regular_night`s find it known."""
    return play(handler, "first_night", night=-1, household=household, new=False, device=device)


def play(handler: Callable[[dict, Any], dict], scenario: str, night: int = 0,
         household: str = "bench", new: bool | None = None,
         device: str | None = None) -> RitualLog:
    """Play one ritual of `scenario` through `handler`; raises RitualStuck if it never ends.

    `night` moves the clock one day per ritual, so consecutive rituals of one household are
    consecutive evenings, as in life. A `first_night` is played by a household never seen
    before (a fresh user id per night) unless `new` is False.
    """
    from devtools.envelopes import Conversation

    # Evenings from today on: the store compares TTLs with the real clock, so simulated
    # requests must not be dated in the past or their checkpoints would read as expired.
    today = datetime.now(UTC).replace(hour=20, minute=30, second=0, microsecond=0)
    start = today + timedelta(days=night)
    user = f"amzn1.ask.account.BENCH{household.upper()}"
    if new if new is not None else scenario == "first_night":
        user += f"N{night}"
    conversation = Conversation(handler, start=start, user_id=user, skill_id=BENCH_SKILL_ID,
                                api_endpoint=AlexaApiStub.shared().url, strict=False,
                                device=device)
    log = RitualLog(scenario)
    interrupt_after_turns = 2 if scenario == "interrupted" else None
    turns_done = 0

    def send(label: str, call: Callable[[], dict]) -> dict:
        if not conversation.session_open or not log.sessions:
            log.sessions.append([])
        log.sessions[-1].append(label)
        response = call()
        log.responses.append(response)
        return response

    send("LaunchRequest", conversation.launch)
    for _ in range(MAX_REQUESTS):
        if not conversation.session_open:
            break
        stage = _stage(conversation)
        if stage == "turn":
            if interrupt_after_turns is not None and turns_done == interrupt_after_turns:
                interrupt_after_turns = None
                conversation.advance(30)
                send("SessionEndedRequest", lambda: conversation.end_session(
                    "EXCEEDED_MAX_REPROMPTS"))
                conversation.advance(120)
                log.sessions.append([])
                send("LaunchRequest", conversation.launch)
                continue
            conversation.advance(TALK_SECONDS)
            turns_done += 1
            send("DoneIntent", lambda: conversation.intent("DoneIntent"))
        elif stage == "ask_first_name":
            send("NameIntent", lambda: conversation.intent("NameIntent", name="Sam"))
        elif stage == "ask_second_name":
            send("NameIntent", lambda: conversation.intent("NameIntent", name="Alex"))
        elif stage in ("consent", "handover", "offer_resume", "paused"):
            send("AMAZON.YesIntent", lambda: conversation.intent("AMAZON.YesIntent"))
        elif stage in ("offer_extra", "offer_awareness", "offer_small_thing", "offer_plan"):
            # Offers are declined: the ritual as before, plus one exchange for each offer made.
            send("AMAZON.NoIntent", lambda: conversation.intent("AMAZON.NoIntent"))
        elif stage in ("ended", "new", "ask_when"):
            break
        else:
            raise RitualStuck(f"unknown stage {stage!r}")
    else:
        raise RitualStuck(f"{scenario}: no end after {MAX_REQUESTS} requests")
    if conversation.session_open:  # Alexa closes a finished session with SessionEndedRequest
        send("SessionEndedRequest", lambda: conversation.end_session("USER_INITIATED"))
    log.sessions = [s for s in log.sessions if s]
    return log
