"""Speak every prompt to a WAV file with espeak-ng, to listen before committing words.

    python -m devtools.listen [--out DIR] [--locale en-US ...] [--all-lines] [KEY_PREFIX ...]

Renders every locale (or those named) with espeak-ng's voice for its language, to
.cache/listen/<locale>/. Prints the prompts over LONG_SECONDS, which a couple has to hold in
mind, and per locale how many prompts, their total and longest length (--all-lines prints
every prompt). Needs espeak-ng (Debian package espeak-ng). Alexa's own voice is
slower and warmer than espeak's; the lengths are comparative, not exact.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import wave
from pathlib import Path

from checkin.ritual.reply import ClockTime, Duration, Ordinal, Partner, Say
from checkin.speech import ssml
from checkin.speech.prompts import available_locales, prompts
from checkin.speech.render import Voice

LONG_SECONDS = 12.0
# espeak-ng's voice for each locale's language and country (espeak-ng --voices).
VOICES = {"en-US": "en-us", "en-CA": "en-us", "en-GB": "en-gb", "en-AU": "en-gb",
          "en-IN": "en-gb", "es-ES": "es", "es-MX": "es-419", "es-US": "es-419"}
FRAGMENTS = ("clock.",)  # pieces of other prompts, formatted by the Voice itself
SHOWN = ("screen.", "card.")  # words read on a screen or in the Alexa app, never spoken
SAMPLE_VALUES = {
    "speaker": Partner(0), "other": Partner(1), "done": Partner(0), "next": Partner(1),
    "one": Partner(0), "two": Partner(1), "one_time": Duration(370), "two_time": Duration(400),
    "count": Ordinal(12), "nights": 4, "minutes": Duration(60), "first": "Sam",
    "question": Ordinal(2), "n": 3, "time": ClockTime("21:30"),
    # The safety prompt's pieces; "safety" itself is filled from crisis_resources.json.
    "number": "988", "name": "the Suicide and Crisis Lifeline", "message": "START",
    "text_number": "88788",
}


def render_all(locale: str, prefixes: list[str]) -> list[tuple[str, str]]:
    voice = Voice(locale, ("Sam", "Alex"))
    rendered = []
    for key, wordings in sorted(prompts(locale).items()):
        if (prefixes and not key.startswith(tuple(prefixes))) or key.startswith(FRAGMENTS + SHOWN):
            continue
        for variant in range(len(wordings)):
            say = Say(key, tuple(sorted(SAMPLE_VALUES.items())), variant)
            rendered.append((f"{key}.{variant}", ssml.speak([voice._part(say)])))
    return rendered


def voice_for(locale: str) -> str:
    return VOICES.get(locale) or locale.partition("-")[0]


def speak_to_wav(ssml_text: str, path: Path, voice: str = "en-us") -> float:
    subprocess.run(["espeak-ng", "-v", voice, "-m", "-w", str(path), ssml_text], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with wave.open(str(path)) as audio:
        return audio.getnframes() / audio.getframerate()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=".cache/listen", type=Path)
    parser.add_argument("--locale", action="append", help="only this locale (repeatable)")
    parser.add_argument("--all-lines", action="store_true", help="print every prompt's length")
    parser.add_argument("prefixes", nargs="*")
    args = parser.parse_args(argv)
    if not shutil.which("espeak-ng"):
        print("espeak-ng is not installed: apt-get install -y espeak-ng", file=sys.stderr)
        return 1
    for locale in args.locale or available_locales():
        folder = args.out / locale
        folder.mkdir(parents=True, exist_ok=True)
        lengths = []
        for name, text in render_all(locale, args.prefixes):
            seconds = speak_to_wav(text, folder / f"{name}.wav", voice_for(locale))
            lengths.append((seconds, name))
            if args.all_lines or seconds > LONG_SECONDS:
                flag = "  <- long" if seconds > LONG_SECONDS else ""
                print(f"{locale}  {seconds:5.1f}s  {name}{flag}")
        if lengths:
            longest = max(lengths)
            print(f"{locale} ({voice_for(locale)}): {len(lengths)} prompts, "
                  f"{sum(s for s, _ in lengths):.0f}s in all, longest {longest[0]:.1f}s "
                  f"({longest[1]}), {sum(s > LONG_SECONDS for s, _ in lengths)} over "
                  f"{LONG_SECONDS:g}s; WAV files in {folder}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
