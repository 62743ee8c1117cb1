"""The local console: a whole ritual typed through it, and the pieces it is built on.

The first tests run `python -m devtools.console` as `make run` does, with a scripted ritual on
stdin, and check what the couple hears and what DynamoDB keeps. They describe the product
(../shared/docs/product.md), not the wording of any one prompt.

The others exercise the console's own machinery (envelopes, simulated silence, SSML to text,
error handling) against a small fake handler, so that they do not depend on the skill.
"""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from devtools import ssml_text
from devtools.console import Console, next_evening, parse_seconds
from devtools.envelopes import (
    EVENTS_DIR,
    Conversation,
    InvalidResponseError,
    load_event,
)
from devtools.nlu import Nlu, load_model

REPO_ROOT = Path(__file__).resolve().parents[2]
START = "2026-11-26T21:00"

# One evening's full ritual, as a couple would play it through the console: open the skill,
# give both names, say yes to "is now a good time?", then six turns. Half of the turns run
# their full two minutes and are handed over with "next"; the others end early with "I'm done"
# after half a minute.
# The last hand-over brings the close.
RITUAL = """\
# first use: the skill asks for names
open connection check in
Sam
Alex
# consent
yes
# question one
/wait 120
next
/wait 30
I'm done
# question two
/wait 120
next
/wait 30
I'm done
# question three
/wait 120
next
/wait 30
I'm done
no thanks
"""

SECOND_NIGHT = """\
/night
open connection check in
yes
skip
/wait 120
next
/wait 30
I'm done
/wait 120
next
/wait 30
I'm done
/wait 120
next
/wait 30
I'm done
skip
"""


def run_console(script: str, tmp_path: Path, *extra: str) -> tuple[str, list[dict]]:
    dump = tmp_path / "table.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(["lambda", "."]), NO_COLOR="1")
    result = subprocess.run(
        [sys.executable, "-m", "devtools.console", "--start", START, "--dump-table", str(dump),
         *extra],
        input=script, capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120,
    )
    transcript = result.stdout
    assert "Traceback" not in transcript + result.stderr, result.stderr
    assert result.returncode == 0, f"{transcript}\n{result.stderr}"
    return transcript, json.loads(dump.read_text()) if dump.exists() else []


def alexa_lines(transcript: str) -> list[str]:
    """Each thing Alexa said, joined across wrapped lines."""
    said: list[str] = []
    for line in transcript.splitlines():
        if line.startswith("alexa> "):
            said.append(line[len("alexa> "):])
        elif said and line.startswith("       ") and not line.strip().startswith("["):
            said[-1] += " " + line.strip()
    return said


def after(transcript: str, typed: str, nth: int = 1) -> str:
    """What Alexa said in answer to the nth time `typed` was typed."""
    parts = transcript.split(f"you> {typed}\n")
    assert len(parts) > nth, f"'{typed}' was typed fewer than {nth} times"
    return " ".join(alexa_lines(parts[nth].split("you> ")[0]))


def completed_records(items: list[dict]) -> list[dict]:
    found: list[dict] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if "completed" in value.values():
                found.append(value)
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(items)
    return found


def lists_of_length(value: object, length: int) -> list[list]:
    if isinstance(value, list):
        own = [value] if len(value) == length else []
        return own + [x for child in value for x in lists_of_length(child, length)]
    if isinstance(value, dict):
        return [x for child in value.values() for x in lists_of_length(child, length)]
    return []


def first_name_mentioned(text: str) -> str:
    match = re.search(r"\b(Sam|Alex)\b", text)
    assert match, f"no partner is named in: {text}"
    return match.group(1)


# --- a whole ritual through the console --------------------------------------------------------

def test_a_scripted_ritual_plays_to_its_close(tmp_path: Path) -> None:
    # Given a fresh household; When the whole ritual is piped into the console
    transcript, items = run_console(RITUAL, tmp_path)

    # Then the skill asks for names on first use, and asks for consent
    said = alexa_lines(transcript)
    assert re.search(r"\b(name|call)", said[0], re.IGNORECASE), said[0]
    assert "good time" in " ".join(said).lower()
    # and each of the six turns holds the floor, then chimes
    assert transcript.count("[chime]") >= 6
    assert "of quiet" in transcript
    # and the close thanks both partners, offers a reminder for the next time, and once that
    # is answered closes the session
    close = said[-2]
    assert re.search(r"thank", close, re.IGNORECASE), close
    assert "talked for" in close and "spoke for" not in close, close  # together, never compared
    assert close.endswith("same time tomorrow?") and "Goodnight" in said[-1]
    assert transcript.rstrip().endswith("[session closed]")
    # and exactly one completed ritual is recorded, with its six turns
    records = completed_records(items)
    assert len(records) == 1, items
    assert lists_of_length(records[0], 6), records[0]


def test_screens_show_as_one_line_and_buttons_are_touched_with_tap(tmp_path: Path) -> None:
    # Given the console talking to an Echo Show
    script = ("open connection check in\n/tap skip\n/tap yes\n/wait 25\n/tap done\n"
              "/tap nothing\n/screen off\n/wait 25\nI'm done\n/screen on\n/wait 25\nI'm done\n")
    transcript, items = run_console(script, tmp_path, "--screen", "echo_show")
    screens = [line.strip() for line in transcript.splitlines()
               if line.strip().startswith("[screen: ")]
    # Then every answer is followed by its screen on one line, with its buttons
    assert screens[0] == "[screen: You can skip names if you like. First, what should I call " \
                         "one of you? · buttons: Skip names]"
    assert screens[1] == "[screen: Is now a good time for both of you to talk? · buttons: " \
                         "Yes, Not now]"
    assert re.fullmatch(r"\[screen: Partner one is speaking · .+\? · 2:00 left · "
                        r"buttons: I'm done, More time, Pause\]", screens[2]), screens[2]
    # and /tap done hands over as "I'm done" would, to partner two's turn on screen
    assert "Thank you, partner one." in after(transcript, "/tap done")
    assert screens[3].startswith("[screen: Partner two is speaking · ")
    assert "one of: done, more_time, pause" in transcript  # /tap nothing
    # and with the screen off, "I'm done" is answered in words alone; on again, it shows
    assert "Thank you, partner two." in after(transcript, "I'm done")
    assert len(screens) == 5 and screens[4].startswith("[screen: Partner one is speaking")
    assert completed_records(items) == []


def test_a_second_night_alternates_the_first_speaker_and_counts_the_streak(tmp_path: Path) -> None:
    # Given a ritual tonight and another tomorrow night
    transcript, items = run_console(RITUAL + SECOND_NIGHT, tmp_path)

    # Then tomorrow's welcome is short and personal, and tomorrow's first speaker is the
    # partner who went second tonight
    tonight_first = first_name_mentioned(after(transcript, "yes", 1))
    # (the week's check of the five signs was offered first, and skipped)
    tomorrow_first = first_name_mentioned(after(transcript, "skip", 1))
    assert tonight_first != tomorrow_first
    welcome_back = after(transcript, "open connection check in", 2)
    assert "Sam" in welcome_back and "Alex" in welcome_back
    # and the close (one small thing skipped) celebrates the second check-in, two nights in a
    # row, with no reminder offered in the week after a "no thanks"
    close = alexa_lines(transcript)[-1]
    assert "remind" not in close
    assert re.search(r"\b(second|2nd)\b", close), close
    assert re.search(r"\b(two|2) nights\b", close), close
    assert len(completed_records(items)) == 2


# --- the console's own machinery, with a fake handler -----------------------------------------

class FakeSkill:
    """Answers like a skill: asks, holds the floor, says goodbye on stop, fails on demand."""

    def __init__(self) -> None:
        self.requests: list[dict] = []

    def __call__(self, event: dict, context: object) -> dict:
        self.requests.append(event)
        request = event["request"]
        count = event.get("session", {}).get("attributes", {}).get("count", 0) + 1
        intent = request.get("intent", {}).get("name")
        if request["type"] == "SessionEndedRequest":
            return {"version": "1.0", "response": {}}
        if intent == "AMAZON.StopIntent":
            return _answer("<speak>Goodbye.</speak>", end=True)
        if intent == "AMAZON.HelpIntent":
            raise RuntimeError("the skill broke\nsecond line")
        if intent == "SkipIntent":
            return _answer('<speak>Too long <break time="12s"/></speak>')
        held = '<break time="10s"/>' * 12
        chime = '<audio src="soundbank://soundlibrary/musical/amzn_sfx_bell_1x_01"/>'
        ssml = f"<speak>Sam &amp; Alex, what should I call you? {held}{chime} Ready?</speak>"
        return _answer(ssml, reprompt="<speak>Still there?</speak>", attributes={"count": count})


def _answer(ssml: str, *, reprompt: str | None = None, end: bool = False,
            attributes: dict | None = None) -> dict:
    response: dict = {"outputSpeech": {"type": "SSML", "ssml": ssml}, "shouldEndSession": end}
    if reprompt:
        response["reprompt"] = {"outputSpeech": {"type": "SSML", "ssml": reprompt}}
    return {"version": "1.0", "sessionAttributes": attributes or {}, "response": response}


@pytest.fixture
def skill() -> FakeSkill:
    return FakeSkill()


@pytest.fixture
def conversation(skill: FakeSkill) -> Conversation:
    return Conversation(skill, start=datetime(2026, 11, 26, 21, tzinfo=UTC))


def play(conversation: Conversation, lines: str) -> str:
    out = io.StringIO()
    console = Console(conversation, Nlu(load_model()), zone=timezone_utc(), out=out)
    for line in lines.splitlines():
        if not console.handle(line):
            break
    return out.getvalue()


def timezone_utc() -> ZoneInfo:
    return ZoneInfo("UTC")


def test_requests_thread_session_attributes_and_timestamps(conversation: Conversation,
                                                           skill: FakeSkill) -> None:
    conversation.launch()
    conversation.advance(120)
    conversation.intent("NameIntent", name="Sam")
    first, second = skill.requests
    assert first["session"]["new"] is True and second["session"]["new"] is False
    assert second["session"]["attributes"] == {"count": 1}
    assert first["session"]["sessionId"] == second["session"]["sessionId"]
    assert first["request"]["timestamp"] == "2026-11-26T21:00:00Z"
    assert second["request"]["timestamp"] == "2026-11-26T21:02:03Z"
    assert first["request"]["requestId"] != second["request"]["requestId"]
    assert second["request"]["intent"]["slots"]["name"]["value"] == "Sam"


def test_unfilled_slots_are_sent_without_a_value(conversation: Conversation,
                                                 skill: FakeSkill) -> None:
    conversation.intent("WhenIntent", time="21:00")
    slots = skill.requests[-1]["request"]["intent"]["slots"]
    assert slots["time"]["value"] == "21:00"
    assert slots["date"] == {"name": "date", "confirmationStatus": "NONE"}
    # a one-shot opens a session with no attributes
    assert skill.requests[-1]["session"]["new"] is True


def test_envelopes_deserialize_with_ask_sdk_model(conversation: Conversation,
                                                  skill: FakeSkill) -> None:
    serializer = DefaultSerializer()
    conversation.launch()
    conversation.intent("SetTurnLengthIntent", minutes=3)
    conversation.end_session("ERROR")
    sent = [json.dumps(r) for r in skill.requests]
    stored = [p.read_text() for p in sorted(EVENTS_DIR.glob("*.json"))]
    for raw in sent + stored:
        envelope = serializer.deserialize(raw, RequestEnvelope)
        assert envelope.request.request_id.startswith("amzn1.echo-api.request.")
    assert load_event("skill_disabled_event")["request"]["body"] == {
        "userInformationPersistenceStatus": "NOT_PERSISTED"}


def test_silence_plays_the_reprompt_then_ends_the_session(conversation: Conversation,
                                                          skill: FakeSkill) -> None:
    conversation.launch()
    assert conversation.wait(100).ended is None  # still inside the held two minutes
    silence = conversation.wait(200)
    assert silence.reprompted and silence.ended is not None
    assert not conversation.session_open
    ended = skill.requests[-1]["request"]
    assert ended["type"] == "SessionEndedRequest" and ended["reason"] == "EXCEEDED_MAX_REPROMPTS"


def test_invalid_ssml_is_refused_as_alexa_would(conversation: Conversation) -> None:
    with pytest.raises(InvalidResponseError, match="longer than 10 s"):
        conversation.intent("SkipIntent")
    assert not conversation.session_open


def test_the_console_shows_quiet_and_chimes_and_never_a_traceback(
        conversation: Conversation) -> None:
    transcript = play(conversation, "open connection check in\nhelp\nstop\n")
    assert "Sam & Alex, what should I call you? [… 2 min of quiet …] [chime] Ready?" in transcript
    assert "error: the skill failed: RuntimeError: the skill broke" in transcript
    assert "second line" not in transcript and "Traceback" not in transcript
    # after the failure the session is gone; "stop" opens a new one, as a one-shot
    assert "[a new session" in transcript and "Goodbye." in transcript


def test_wait_night_and_end_commands(conversation: Conversation, skill: FakeSkill) -> None:
    transcript = play(conversation, "/launch\n/wait 2m\n/wait 60\n/night\n/launch\n/end\n/wait x")
    assert "alexa (reprompt)> Still there?" in transcript
    assert "Alexa ended the session" in transcript
    assert "Friday 27 November 2026, 21:00" in transcript
    assert skill.requests[-2]["request"]["timestamp"] == "2026-11-27T21:00:00Z"
    assert skill.requests[-1]["request"]["type"] == "SessionEndedRequest"
    assert "usage: /wait" in transcript


def test_a_name_is_expected_after_the_skill_asks_for_one(conversation: Conversation,
                                                         skill: FakeSkill) -> None:
    play(conversation, "/launch\nRiver\n")
    intent = skill.requests[-1]["request"]["intent"]
    assert intent["name"] == "NameIntent" and intent["slots"]["name"]["value"] == "River"


@pytest.mark.parametrize(("text", "seconds"), [("120", 120), ("2m", 120), ("1m30s", 90),
                                               ("45s", 45), ("", None), ("soon", None)])
def test_wait_durations(text: str, seconds: float | None) -> None:
    assert parse_seconds(text) == seconds


def test_the_next_evening_is_tomorrow_or_tonight_after_midnight() -> None:
    zone = timezone_utc()
    assert next_evening(datetime(2026, 11, 26, 21, 30, tzinfo=UTC), zone) == \
        datetime(2026, 11, 27, 21, tzinfo=UTC)
    assert next_evening(datetime(2026, 11, 27, 0, 40, tzinfo=UTC), zone) == \
        datetime(2026, 11, 27, 21, tzinfo=UTC)


def test_ssml_renders_as_the_room_hears_it() -> None:
    ssml = ('<speak>Hello <break time="10s"/> <break time="10s"/><break time="500ms"/>'
            '<audio src="soundbank://soundlibrary/x"/><sub alias="Alexa">A</sub>.</speak>')
    assert ssml_text.render(ssml) == "Hello [… 20 s of quiet …] [chime] Alexa."
    assert ssml_text.spoken_text(ssml) == "Hello Alexa."
    assert ssml_text.problems("<speak>a & b</speak>")
