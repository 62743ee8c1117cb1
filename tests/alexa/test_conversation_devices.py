"""Two devices of one household, long turns, and the local console, as a couple meets them."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from checkin.alexa import intents
from checkin.alexa.session_state import saved_state
from checkin.ritual.history import ABANDONED
from devtools.envelopes import Conversation
from tests.skill_fixtures import household, introduce, no_small_thing, six_turns, yes_now

REPO_ROOT = Path(__file__).resolve().parents[2]
BEDROOM = "amzn1.ask.device.BEDROOM"


def other_device(talk: Conversation, after_seconds: float = 0) -> Conversation:
    """Another Echo of the same household, its clock `after_seconds` after `talk`'s."""
    return Conversation(talk.handler, start=talk.clock + timedelta(seconds=after_seconds),
                        user_id=talk.user_id, device_id=BEDROOM, api_endpoint=talk.api_endpoint)


def stage(talk: Conversation) -> str:
    return saved_state(talk.attributes).get("stage", "")


def test_a_second_device_finishing_later_names_the_count_the_table_holds(talk, moto_repository):
    # issue 11, defect 21
    # Given a couple who named themselves in the kitchen, and opened the bedroom Echo too
    introduce(talk)
    bedroom = other_device(talk)
    bedroom.launch()
    bedroom.intent(intents.YES)
    # When the kitchen finishes a check-in, and the bedroom finishes its own five minutes later
    talk.intent(intents.YES)
    six_turns(talk)
    assert re.search(r"your 1st\b", talk.speech), talk.speech
    bedroom.clock = talk.clock + timedelta(minutes=5)
    six_turns(bedroom, seconds=25)
    # Then the bedroom speaks of the second check-in, as the table records it
    assert moto_repository.load(household(), bedroom.now).profile.completed == 2
    assert re.search(r"your 2nd\b", bedroom.speech), bedroom.speech


def test_a_second_device_finishing_after_midnight_names_the_stored_streak(talk):
    # issue 11, defect 21: the streak line comes from what was stored, too
    introduce(talk)
    talk.intent(intents.YES)
    six_turns(talk)
    # Given the next evening, the bedroom Echo opened at 23:40, before the kitchen's check-in
    talk.clock += timedelta(days=1, hours=2, minutes=40)
    talk.launch()
    bedroom = other_device(talk)
    bedroom.launch()
    yes_now(bedroom)
    yes_now(talk)
    six_turns(talk)
    no_small_thing(talk)
    assert "2 nights in a row" in talk.speech, talk.speech
    # When the bedroom finishes its own check-in after midnight
    bedroom.clock = talk.clock.replace(hour=0, minute=5) + timedelta(days=1)
    six_turns(bedroom, seconds=25)
    no_small_thing(bedroom)
    # Then its close counts the third check-in, the third night in a row, as stored
    assert re.search(r"your 3rd\b", bedroom.speech), bedroom.speech
    assert "3 nights in a row" in bedroom.speech, bedroom.speech


def test_a_check_in_under_way_in_the_kitchen_is_not_offered_as_stopped_in_the_bedroom(
        talk, moto_repository):
    # issue 11, defect 22
    # Given a check-in under way in the kitchen, thirty seconds into a turn
    introduce(talk)
    talk.intent(intents.YES)
    talk.advance(30)
    # When the bedroom Echo is opened, and its couple say it's a good time
    bedroom = other_device(talk)
    bedroom.launch()
    bedroom.intent(intents.YES)
    # Then it says a check-in is going on elsewhere, and offers a fresh one here
    assert "you were on the" not in bedroom.speech
    assert "another device" in bedroom.speech, bedroom.speech
    # and a fresh start here leaves the kitchen's check-in alone
    bedroom.intent(intents.YES)
    assert stage(bedroom) == "turn"
    assert not [r for r in moto_repository.rituals(household(), talk.now)
                if r.outcome == ABANDONED]
    talk.intent(intents.DONE)
    assert stage(talk) == "turn"


def test_saying_no_in_the_bedroom_lets_the_kitchen_carry_on(talk, moto_repository):
    # issue 11, defect 22
    introduce(talk)
    talk.intent(intents.YES)
    talk.advance(30)
    bedroom = other_device(talk)
    bedroom.launch()
    bedroom.intent(intents.YES)
    bedroom.intent(intents.NO)
    assert not bedroom.session_open
    assert moto_repository.rituals(household(), talk.now) == []
    six_turns(talk)
    assert [r.outcome for r in moto_repository.rituals(household(), talk.now)] == ["completed"]


def test_a_check_in_left_partway_is_still_offered_on_the_other_device(talk):
    # issue 11, defect 22: once the kitchen has gone quiet, the bedroom may pick it up
    introduce(talk)
    talk.intent(intents.YES)
    talk.advance(30)
    talk.end_session("USER_INITIATED")
    bedroom = other_device(talk, after_seconds=60)
    bedroom.launch()
    bedroom.intent(intents.YES)
    assert "you were on the" in bedroom.speech, bedroom.speech


def test_a_long_turn_without_a_timer_never_opens_the_microphone_mid_turn(talk):
    # issue 11, "four-minute turns": the whole turn is held in one response's speech
    introduce(talk)
    talk.intent(intents.SET_TURN_LENGTH, minutes="5")
    talk.intent(intents.YES)
    ssml = talk.speech_ssml
    quiet = sum(int(s) for s in re.findall(r'<break time="(\d+)s"/>', ssml))
    assert "chime" in ssml.split("<break")[-1], "the hand-over is in the same speech"
    assert quiet <= 215
    assert "<break" not in talk.reprompt_ssml


def run_console(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "devtools.console", "--start", "2026-11-26T21:00", *args],
        input=script, capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(["lambda", "."]), NO_COLOR="1"))


def test_the_console_transcript_shows_what_alexa_says_and_no_log_lines():
    # issue 11, console: a failing reminder logs a warning, which stays out of the transcript
    script = "open connection check in\nPriya\nMateo\n/fail reminders 500\n" \
             "remind us every night at nine\nyes\n"
    run = run_console(script)
    assert "couldn't set that reminder" in run.stdout, run.stdout
    assert not [line for line in run.stdout.splitlines() if line.lstrip().startswith("{")], \
        run.stdout


def test_the_console_never_shows_speech_for_a_session_that_alexa_ended():
    # issue 11, console: the close returned to a SessionEndedRequest is never played
    script = "open connection check in\nPriya\nMateo\nyes\n" + "I am done\n" * 5 + "/wait 200\n"
    run = run_console(script)
    after_end = run.stdout.split("Alexa ended the session")[-1]
    assert "Alexa ended the session" in run.stdout, run.stdout
    assert "alexa>" not in after_end, after_end
