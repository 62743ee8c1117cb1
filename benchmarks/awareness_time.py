"""How long the check of the five signs adds to a ritual, on the console's clock.

    python -m benchmarks.awareness_time [--locale es-ES]   # or: make check-time (espeak-ng)

A known couple's evenings are played through lambda_handler with devtools.envelopes.Conversation,
the console's clock: each answer is stamped, then the clock moves on by the console's 3 s for
the answer itself. Before each answer the clock also moves on by how long the skill's words take
to say, rendered by espeak-ng as `make listen` renders prompts. The figure is when the first
question has been asked and the floor is held, counted from "yes, now is good":
- with the check taken (yes to the offer, five one-word answers), on the week's evening;
- with it declined ("skip");
- without it (the next evening, when it is not offered again),
and the check adds the difference. `spoken` can be any measure of SSML (the tests use the
conservative word rate of devtools.ssml_text, which needs no espeak).
"""
from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from devtools.envelopes import Conversation

YES, NO, SKIP, DONE, NAME = ("AMAZON.YesIntent", "AMAZON.NoIntent", "SkipIntent", "DoneIntent",
                             "NameIntent")
A_LITTLE = "ALittleIntent"
TARGET_SECONDS = 60.0
# One answer to each of the five lines, as a couple might give them (the safety line "no").
CHECK_ANSWERS = (YES, A_LITTLE, NO, NO, NO)
_HOLD = re.compile(r'<break time="10s"/>|<audio ')

Spoken = Callable[[str], float]


def before_the_floor(ssml: str) -> str:
    """The words of a response up to the held quiet (or all of them)."""
    found = _HOLD.search(ssml)
    return ssml if found is None else ssml[:found.start()] + "</speak>"


def floor_opens_after(talk: Conversation, spoken: Spoken, answers: tuple[str, ...]) -> float:
    """From "yes, now is good" (the consent question just asked) to the moment the first
    question has been said and the floor is held, in seconds on the console's clock."""
    talk.advance(spoken(talk.speech_ssml))  # the couple hear the consent question
    start = talk.clock
    for number, intent in enumerate((YES,) + answers):
        if number:  # they hear what the skill said, then answer
            talk.advance(spoken(talk.speech_ssml))
        talk.intent(intent)
    if "<break" not in talk.speech_ssml:
        raise RuntimeError(f"no turn began: {talk.speech!r}")
    opened = talk.clock.timestamp() - talk.step_seconds + spoken(before_the_floor(talk.speech_ssml))
    return opened - start.timestamp()


def _finish_the_evening(talk: Conversation) -> None:
    for _ in range(6):
        talk.advance(60)
        talk.intent(DONE)
    for _ in range(4):  # one small thing and the plan, both declined
        if not talk.session_open:
            return
        talk.intent(SKIP)


def measure(make_talk: Callable[[], Conversation], spoken: Spoken) -> dict[str, float]:
    """Seconds to the first question's floor, each way, and what the check adds."""
    figures = {}
    for name, answers in (("taken", (YES,) + CHECK_ANSWERS), ("declined", (SKIP,))):
        talk = make_talk()
        _first_evening(talk)
        talk.advance(24 * 3600)
        talk.launch()
        figures[name] = floor_opens_after(talk, spoken, answers)
        _finish_the_evening(talk)
        talk.advance(24 * 3600)  # the next evening, within the week: not offered
        talk.launch()
        figures[f"without ({name} night)"] = floor_opens_after(talk, spoken, ())
    without = figures["without (taken night)"]
    figures["added by the check"] = figures["taken"] - without
    figures["added by declining"] = figures["declined"] - figures["without (declined night)"]
    return figures


def _first_evening(talk: Conversation) -> None:
    talk.launch()
    talk.intent(NAME, name="Sam")
    talk.intent(NAME, name="Alex")
    talk.intent(YES)
    _finish_the_evening(talk)


def espeak_seconds(workdir: Path, locale: str = "en-US") -> Spoken:
    from devtools.listen import speak_to_wav, voice_for

    def spoken(ssml: str) -> float:
        return speak_to_wav(ssml, workdir / "said.wav", voice_for(locale))
    return spoken


def _console_talk(locale: str) -> Callable[[], Conversation]:
    """A fresh household on the console's back end (moto, the local Alexa API stub)."""
    import itertools
    import os
    from datetime import UTC, datetime

    from devtools import console

    console.ensure_code_root_on_path()
    from devtools.moto_server import MotoServer

    server = MotoServer()
    endpoint = server.start()
    console.prepare_environment(endpoint)
    console.route_logs(verbose=False)
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    from checkin import config

    console.create_local_table(endpoint, os.environ[config.TABLE_NAME])
    import lambda_function

    households = itertools.count()

    def make() -> Conversation:
        return Conversation(lambda_function.lambda_handler,
                            user_id=f"amzn1.ask.account.CHECKTIME{next(households)}",
                            start=datetime(2026, 11, 26, 21, 0, tzinfo=UTC),
                            api_endpoint="http://127.0.0.1:9", locale=locale)
    return make


def main(argv: list[str] | None = None) -> int:
    import argparse
    import shutil

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locale", default="en-US", help="the device's locale (default en-US)")
    locale = parser.parse_args(argv).locale
    if not shutil.which("espeak-ng"):
        print("espeak-ng is not installed: apt-get install -y espeak-ng", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as workdir:
        figures = measure(_console_talk(locale), espeak_seconds(Path(workdir), locale))
    print(locale)
    for name, seconds in figures.items():
        print(f"{seconds:6.1f} s  {name}")
    added = figures["added by the check"]
    verdict = "ok" if added <= TARGET_SECONDS else "OVER"
    print(f"the check adds {added:.1f} s (target at most {TARGET_SECONDS:.0f} s): {verdict}")
    return 0 if added <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
