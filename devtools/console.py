"""The local console: talk to the real skill as if to an Echo. `make run` starts it.

    python -m devtools.console                    # interactive
    printf 'open connection check in\\nyes\\n' | python -m devtools.console   # a script
    python -m devtools.console --locale es-ES     # in Spanish: "abre conexión en pareja"
    python -m devtools.console --locale de-DE     # in German: "öffne Zeit zu zweit"

What you type is resolved to an intent and slots with the locale's generated interaction model
(skill-package/interactionModels/custom/<locale>.json, through devtools.nlu), wrapped in a
real-shaped request envelope (devtools.envelopes) and passed to
`lambda_function.lambda_handler`. DynamoDB is moto's in-process server, with the table built
from template.yaml; the Alexa APIs at apiEndpoint are a local stub (devtools.alexa_api). Time is
simulated: "/wait 120" lets two minutes pass, "/night" moves to the next evening.

The console knows nothing of the skill's internals: only its Lambda entry point, its model, and
the table helper. A failing skill prints one line and the console goes on; with piped input the
exit status is then 1, so a scripted ritual can gate CI.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TextIO, TypeVar
from zoneinfo import ZoneInfo

from devtools import alexa_api, nlu, screen_text, ssml_text
from devtools.envelopes import (
    DEFAULT_SKILL_ID,
    DEFAULT_USER_ID,
    DEVICES,
    Conversation,
    InvalidResponseError,
    NoSessionError,
)

T = TypeVar("T")
REPO_ROOT = Path(__file__).resolve().parent.parent
CODE_ROOT = REPO_ROOT / "lambda"
LOG_PATH = REPO_ROOT / ".cache" / "console.log"
EVENING = time(21, 0)
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
CONSENT_ANSWERS = {"AMAZON.YesIntent": "ACCEPTED", "AMAZON.NoIntent": "DENIED"}
# Words in the skill's question (or reprompt) that show it has just asked for a name.
NAME_QUESTIONS = {"en": r"\b(name|call)", "es": r"\b(nombre|llamo|llame)",
                  "it": r"\b(nome|chiamare)", "pt": r"\b(nome|chamo)",
                  "de": r"\b(heißt|nennen)\b", "fr": r"\ble prénom\b"}
WRAP = 100
SCREEN_DEVICE = "echo_show"  # what "/screen on" talks to

BANNER = """\
Connection Check-In, local console. Type what you would say to Alexa; Alexa's answer is shown
as text, with [… quiet …] for held silence and [chime] for sounds.
  open connection check in   start the skill (so does /launch); other lines are what you say
  /wait N     let N seconds pass in silence (2m and 1m30s work too)
  /night      end the session and move to 21:00 the next evening
  /timer      the Alexa timers the skill set, and those that went off (with what they said)
  /reminders  the Alexa reminders the skill set; they ring as the clock passes them
  /fail timers|reminders STATUS   the next call to that Alexa API answers STATUS (401, 429..)
  /screen on|off|DEVICE   talk to an Echo Show (on), a speaker (off) or another device:
              echo_show_5, echo_spot, fire_tv; each screen is shown as one [screen: ...] line
  /tap BUTTON touch a button on the screen (/tap done, /tap more time, /tap yes)
  /end        Alexa ends the session (SessionEndedRequest); /help shows this; /quit leaves"""

HELP = BANNER


# --- the local back end ----------------------------------------------------------------------

def prepare_environment(endpoint: str, env: dict[str, str] | None = None) -> None:
    """Dummy credentials, a region and the local DynamoDB endpoint, before the skill is imported."""
    env = os.environ if env is None else env
    from checkin import config  # the one list of environment variable names

    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        env.pop(name, None)
    env["AWS_ACCESS_KEY_ID"] = "testing"
    env["AWS_SECRET_ACCESS_KEY"] = "testing"
    env["AWS_DEFAULT_REGION"] = env["AWS_REGION"] = "us-east-1"
    env[config.DYNAMODB_ENDPOINT] = endpoint
    env.setdefault(config.TABLE_NAME, config.DEFAULT_TABLE_NAME)
    # The skill's log lines go to LOG_PATH (see route_logs), never into the transcript.
    env.setdefault(config.LOG_LEVEL, "INFO")


def route_logs(verbose: bool, path: Path = LOG_PATH) -> None:
    """The skill's JSON log lines go to a file (and to stderr with --verbose), not to stdout,
    where they would read as part of the transcript. Done before the skill is imported: it
    adds its own stdout handler only when the logger has none."""
    logger = logging.getLogger("checkin")
    path.parent.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [logging.FileHandler(path, mode="w", encoding="utf-8")]
    if verbose:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.propagate = False


def ensure_code_root_on_path() -> None:
    if str(CODE_ROOT) not in sys.path:
        sys.path.insert(0, str(CODE_ROOT))


def create_local_table(endpoint: str, table_name: str) -> None:
    import boto3

    from devtools.table import create_table

    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
    if table_name not in client.list_tables().get("TableNames", []):
        create_table(client, table_name)


def dump_table(endpoint: str, table_name: str, path: str) -> None:
    """Every item of the table, as JSON, for tests and the curious."""
    import boto3
    from boto3.dynamodb.types import TypeDeserializer

    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
    deserializer = TypeDeserializer()
    items = []
    for page in client.get_paginator("scan").paginate(TableName=table_name):
        for item in page.get("Items", []):
            items.append({k: deserializer.deserialize(v) for k, v in item.items()})
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(items, handle, indent=2, default=_plain, sort_keys=True)


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return str(value)


# --- the conversation loop -------------------------------------------------------------------

@dataclass
class Console:
    """Turns typed lines into requests and prints what Alexa would say."""

    conversation: Conversation
    understand: nlu.Nlu
    zone: ZoneInfo
    out: TextIO = sys.stdout
    color: bool = False
    show_reprompts: bool = False
    api: alexa_api.AlexaApiStub | None = None
    errors: int = 0
    _pending_consent: dict | None = None
    _seen_calls: int = 0
    _alerts_checked_at: datetime | None = None  # the simulated time alerts were last looked at

    # printing

    def say(self, text: str = "", *, prefix: str = "", dim: bool = False) -> None:
        lines = textwrap.wrap(text, WRAP - len(prefix), break_on_hyphens=False) or [""]
        indent = " " * len(prefix)
        body = "\n".join((prefix if i == 0 else indent) + line for i, line in enumerate(lines))
        if dim and self.color:
            body = f"\033[2m{body}\033[0m"
        print(body, file=self.out, flush=True)

    def lines(self, text: str) -> None:
        """Pre-formatted text, dimmed, line by line."""
        for line in text.splitlines():
            self.say(line, dim=True)

    def unwrapped(self, text: str) -> None:
        """One line as it is, however long (a screen is one line by design)."""
        body = f"       {text}"
        print(f"\033[2m{body}\033[0m" if self.color else body, file=self.out, flush=True)

    def note(self, text: str) -> None:
        self.say(text, prefix="       ", dim=True)

    def show_time(self) -> None:
        local = self.conversation.clock.astimezone(self.zone)
        self.say(f"— {local:%A %d %B %Y, %H:%M} ({self.zone.key}) —", dim=True)

    def show_response(self, response: dict) -> None:
        body = response.get("response") or {}
        speech = body.get("outputSpeech")
        # Alexa plays nothing returned to a SessionEndedRequest: the session is already over.
        ended = ((self.conversation.last_request or {}).get("request") or {}).get("type") \
            == "SessionEndedRequest"
        if speech and not ended:
            self.say(ssml_text.render(self.conversation.speech_ssml), prefix="alexa> ")
        reprompt = self.conversation.reprompt_ssml
        if reprompt and self.show_reprompts and self.conversation.session_open:
            self.say(ssml_text.render(reprompt), prefix="  (reprompt) ", dim=True)
        drawn = screen_text.render_document(response)
        if drawn is not None:  # as it is drawn, before its countdown runs
            self.unwrapped(screen_text.one_line(drawn))
        card = body.get("card")
        if card:
            content = " / ".join(str(card.get("content", "")).splitlines())
            self.note(f"[Alexa app card: {card.get('title', '')}: {content}]")
        self._show_api_calls()
        self._notice_consent_request(body)
        self.show_alerts()
        if not self.conversation.session_open:
            self.note("[session closed]")

    def _show_api_calls(self) -> None:
        if self.api is None:
            return
        calls = self.api.calls[self._seen_calls:]
        self._seen_calls += len(calls)
        for call in calls:
            self.note(f"[Alexa API: {alexa_api.describe(call)}]")

    def _notice_consent_request(self, body: dict) -> None:
        for directive in body.get("directives") or []:
            kind = (directive.get("type"), directive.get("name"))
            if kind == ("Connections.SendRequest", "AskFor"):
                self._pending_consent = directive
                scope = _scope_asked(directive) or "a permission"
                self.note(f"[Alexa asks in its own voice whether the skill may use {scope}: "
                          "answer yes or no]")

    # requests

    def call(self, request: Callable[[], dict]) -> None:
        """Sends a request and shows the answer; a failure is one line, never a traceback."""
        response = self.guarded(request)
        if response is not None:
            self.show_response(response)

    def guarded(self, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except InvalidResponseError as error:
            self.errors += 1
            self.say(f"error: Alexa would refuse this response: {error}")
        except NoSessionError:
            self.note("[no session is open]")
            return None
        except Exception as error:  # the console survives any skill failure
            self.errors += 1
            message = str(error).splitlines()[0] if str(error) else ""
            self.say(f"error: the skill failed: {type(error).__name__}: {message}")
        self.note("[session closed]")
        return None

    def expecting_name(self) -> bool:
        """The skill just asked for a name: its last question, or its reprompt, asks what to
        call someone or mentions a name."""
        if not self.conversation.session_open:
            return False
        questions = re.findall(r"[^.!?]*\?", self.conversation.speech)
        asked = f"{questions[-1] if questions else ''} {self.conversation.reprompt}"
        language = self.conversation.locale.partition("-")[0]
        return bool(re.search(NAME_QUESTIONS.get(language, NAME_QUESTIONS["en"]), asked,
                              re.IGNORECASE))

    def handle(self, line: str) -> bool:
        """One typed line; False means leave."""
        text = line.strip()
        if not text:
            return True
        if text.startswith("#"):
            self.note(text)
            return True
        if text.startswith("/"):
            return self.command(text)
        if self._pending_consent is not None:
            return self.answer_consent(text)
        invocation = self.understand.invocation(text)
        if invocation is not None:
            kind, rest = invocation
            if kind == "launch":
                self.call(self.conversation.launch)
                return True
            if self.conversation.session_open:
                self.call(lambda: self.conversation.end_session("USER_INITIATED"))
            text = rest
        words = nlu.normalise(text, self.understand.language)
        if not words:
            return True
        if words in (["exit"], ["quit"]):
            # Alexa itself handles "exit": the skill only hears that the session ended.
            if self.conversation.session_open:
                self.note("[Alexa exits the skill]")
                self.call(lambda: self.conversation.end_session("USER_INITIATED"))
            else:
                self.note("[no session is open]")
            return True
        today = self.conversation.clock.astimezone(self.zone).date()
        heard = self.understand.resolve(text, self.expecting_name(), today=today)
        if not self.conversation.session_open:
            self.note("[a new session: Alexa sends the intent as a one-shot]")
        self.call(lambda: self.conversation.intent(heard.intent, resolved=heard.ids,
                                                   **heard.slots))
        return True

    def answer_consent(self, text: str) -> bool:
        directive, self._pending_consent = self._pending_consent, None
        intent = self.understand.resolve(text).intent
        status = CONSENT_ANSWERS.get(intent, "NOT_ANSWERED")
        scope = _scope_asked(directive or {}) or REMINDERS_SCOPE
        self.note(f"[consent: {status}]")
        if status == "ACCEPTED":  # from now on Alexa sends the permission with every request
            self.conversation.grants.add(scope)
            if self.api is not None:
                self.api.grant(scope)
        self.call(lambda: self.conversation.connections_response(
            status, token=(directive or {}).get("token", ""), permission_scope=scope))
        return True

    # Alexa's own alerts, on the simulated clock

    def show_alerts(self) -> None:
        """Reminders that rang and timers that went off since the clock was last looked at."""
        if self.api is None:
            return
        now = self.conversation.clock
        since = self._alerts_checked_at or now
        self._alerts_checked_at = now
        events = [(r.at, f'[{_local(r.at, self.zone)} a reminder rings: "{r.text}"]')
                  for r in self.api.reminders_between(since, now)]
        events += [(t.at, f'[{_local(t.at, self.zone)} the {t.label or "timer"} timer goes off; '
                          f'Alexa announces: "{t.announced}"]') for t in self.api.fire_due(now)]
        for _, text in sorted(events, key=lambda e: e[0]):
            self.note(text)

    def show_timers(self) -> None:
        if self.api is None:
            return
        self.show_alerts()
        for line in alexa_api.describe_timers(self.api, self.zone):
            self.note(line)

    def show_reminders(self) -> None:
        if self.api is None:
            return
        for line in alexa_api.describe_reminders(self.api):
            self.note(line)

    def fail(self, argument: str) -> None:
        which, _, status = argument.partition(" ")
        paths = {"timers": "/v1/alerts/timers", "timer": "/v1/alerts/timers",
                 "reminders": "/v1/alerts/reminders", "reminder": "/v1/alerts/reminders"}
        if self.api is None or which not in paths or not status.strip().isdigit():
            self.say("usage: /fail timers|reminders STATUS (e.g. /fail timers 500)", dim=True)
            return
        self.api.fail_next(paths[which], int(status))
        self.note(f"[the next {which} call answers {int(status)}]")

    def command(self, text: str) -> bool:
        name, _, argument = text[1:].partition(" ")
        name, argument = name.lower(), argument.strip()
        if name in ("quit", "exit", "q"):
            return False
        if name == "help":
            self.lines(HELP)
        elif name == "launch":
            self.call(self.conversation.launch)
        elif name == "end":
            reason = {"": "EXCEEDED_MAX_REPROMPTS", "user": "USER_INITIATED",
                      "error": "ERROR"}.get(argument.lower(), argument.upper())
            if self.conversation.session_open:
                self.note(f"[Alexa ends the session: SessionEndedRequest {reason}]")
            self.call(lambda: self.conversation.end_session(reason))
        elif name == "wait":
            self.wait(argument)
        elif name == "night":
            self.night()
        elif name in ("timer", "timers"):
            self.show_timers()
        elif name in ("reminders", "reminder"):
            self.show_reminders()
        elif name == "fail":
            self.fail(argument)
        elif name == "screen":
            self.screen(argument)
        elif name == "tap":
            self.tap(argument)
        else:
            self.say(f"unknown command /{name}; /help lists them", dim=True)
        return True

    def screen(self, argument: str) -> None:
        """Turn the screen device on or off (or pick one); the session goes on."""
        choice = argument.lower().replace(" ", "_")
        device = {"on": SCREEN_DEVICE, "off": None}.get(choice, choice or self.conversation.device)
        if device is not None and device not in DEVICES:
            self.say(f"usage: /screen on|off|DEVICE ({', '.join(DEVICES)})", dim=True)
            return
        if argument:
            self.conversation.use_device(device)
        self.note(f"[talking to {device or 'a speaker without a screen'}]")

    def tap(self, argument: str) -> None:
        shown = self.conversation.screen
        if shown is None:
            self.note("[nothing is on screen to touch: /screen on, then open the skill]")
            return
        wanted = argument.strip().lower()
        if screen_text.find_button(shown, wanted) is None:
            ids = [screen_text.button_id(b) for b in screen_text.buttons(shown)]
            self.say(f"usage: /tap BUTTON, one of: {', '.join(ids) or 'none on screen'}",
                     dim=True)
            return
        if not self.conversation.session_open:
            self.note("[a new session: the screen was still up, so the tap opens one]")
        self.call(lambda: self.conversation.tap(wanted))

    def wait(self, argument: str) -> None:
        seconds = parse_seconds(argument)
        if seconds is None:
            self.say("usage: /wait SECONDS (or 2m, 1m30s)", dim=True)
            return
        if self._pending_consent is not None:
            self.answer_consent("")  # nobody answered Alexa's consent question
        self.note(f"[{_amount(seconds)} pass]")
        silence = self.guarded(lambda: self.conversation.wait(seconds))
        if silence is None:
            return
        if silence.reprompted:
            self.say(ssml_text.render(silence.reprompt_ssml), prefix="alexa (reprompt)> ")
        if silence.ended is not None:
            self.note("[nobody answered, so Alexa ended the session: SessionEndedRequest "
                      "EXCEEDED_MAX_REPROMPTS]")
            self.show_response(silence.ended)
        self.show_alerts()

    def night(self) -> None:
        if self.conversation.session_open:
            self.call(lambda: self.conversation.end_session("EXCEEDED_MAX_REPROMPTS"))
        self.conversation.clock = next_evening(self.conversation.clock, self.zone)
        self.show_time()
        self.show_alerts()


def _scope_asked(directive: dict) -> str:
    """The permission an AskFor directive asks for (payload version 2, or the older 1)."""
    payload = directive.get("payload") or {}
    scopes = payload.get("permissionScopes") or [{}]
    return scopes[0].get("permissionScope") or payload.get("permissionScope") or ""


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%a %H:%M:%S}"


def next_evening(moment: datetime, zone: ZoneInfo) -> datetime:
    """21:00 local on the next evening: tomorrow's, or tonight's if it is still early morning
    after a late check-in."""
    local = moment.astimezone(zone)
    day = local.date() if local.hour < 12 else local.date() + timedelta(days=1)
    return datetime.combine(day, EVENING, tzinfo=zone).astimezone(UTC)


def parse_seconds(text: str) -> float | None:
    match = re.fullmatch(r"\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)\s*s?)?\s*", text or "")
    if not match or not any(match.groups()):
        return None
    return int(match.group(1) or 0) * 60 + float(match.group(2) or 0)


def _amount(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    if minutes and rest:
        return f"{minutes} min {rest} s"
    return f"{minutes} min" if minutes else f"{rest} s"


def read_lines(stream: TextIO, out: TextIO, interactive: bool) -> Iterator[str]:
    """Typed lines with a prompt on a terminal; piped lines echoed so a transcript reads well."""
    if interactive:
        with suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
        while True:
            try:
                yield input("you> ")
            except EOFError:
                print(file=out)
                return
    for line in stream:
        line = line.rstrip("\n")
        if line.strip() and not line.lstrip().startswith("#"):
            print(f"you> {line}", file=out, flush=True)
        yield line


# --- main --------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devtools.console",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--start", help="local date and time to start at, e.g. 2026-11-26T21:00 "
                                        "(default: today at 21:00)")
    parser.add_argument("--timezone", default="UTC", help="the household's time zone (default UTC)")
    parser.add_argument("--locale", default="en-US",
                        help="the device's locale: the skill speaks it and what you type is "
                             "heard with its model (default en-US; e.g. es-ES, de-DE, fr-CA)")
    parser.add_argument("--endpoint", help="use this DynamoDB endpoint instead of an embedded moto "
                                           "server (e.g. DynamoDB Local)")
    parser.add_argument("--reprompts", action="store_true", help="always show reprompts")
    parser.add_argument("--verbose", action="store_true",
                        help="also print the skill's log lines to stderr (they always go to "
                             ".cache/console.log)")
    parser.add_argument("--dump-table", metavar="PATH",
                        help="write every DynamoDB item to PATH as JSON at exit")
    parser.add_argument("--user-id", default=DEFAULT_USER_ID,
                        help="the Alexa user id (one household)")
    parser.add_argument("--screen", choices=DEVICES, metavar="DEVICE",
                        help="talk to a device with a screen: " + ", ".join(DEVICES)
                             + " (default: a speaker without one; /screen switches)")
    return parser.parse_args(argv)


def start_moment(start: str | None, zone: ZoneInfo) -> datetime:
    if start:
        moment = datetime.fromisoformat(start)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
    else:
        moment = datetime.combine(datetime.now(zone).date(), EVENING, tzinfo=zone)
    return moment.astimezone(UTC)


def main(argv: list[str] | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None) -> int:
    args = parse_args(argv)
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    zone = ZoneInfo(args.timezone)
    ensure_code_root_on_path()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    route_logs(args.verbose)
    with ExitStack() as stack:
        endpoint = args.endpoint
        if endpoint is None:
            from devtools.moto_server import MotoServer

            server = MotoServer()
            endpoint = server.start()
            stack.callback(server.stop)
        prepare_environment(endpoint)
        from checkin import config

        table_name = os.environ[config.TABLE_NAME]
        create_local_table(endpoint, table_name)
        if args.dump_table:
            stack.callback(dump_table, endpoint, table_name, args.dump_table)
        api = alexa_api.AlexaApiStub(time_zone=args.timezone).start()  # nothing granted yet
        stack.callback(api.stop)

        import lambda_function  # only now: it builds its DynamoDB client at import

        conversation = Conversation(
            lambda_function.lambda_handler,
            locale=args.locale,
            user_id=args.user_id,
            skill_id=os.environ.get(config.SKILL_ID) or DEFAULT_SKILL_ID,
            start=start_moment(args.start, zone),
            api_endpoint=api.endpoint,
            device=args.screen,
        )
        api.clock = lambda: conversation.clock  # timers and reminders follow /wait and /night
        interactive = stdin.isatty() and out.isatty()
        console = Console(conversation, nlu.for_locale(args.locale), zone, out=out,
                          color=out.isatty() and not os.environ.get("NO_COLOR"),
                          show_reprompts=args.reprompts, api=api)
        console.lines(BANNER)
        console.show_time()
        try:
            for line in read_lines(stdin, out, interactive):
                if not console.handle(line):
                    break
        except KeyboardInterrupt:
            print(file=out)
        return 1 if console.errors and not interactive else 0


if __name__ == "__main__":
    sys.exit(main())
