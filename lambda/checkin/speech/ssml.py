"""The one place SSML is assembled. Every interpolated value is escaped here."""
from __future__ import annotations

_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&apos;"))

CHIME_URL = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_03"
MAX_BREAK_SECONDS = 10  # Alexa ignores longer <break> values


def escape(text: str) -> str:
    for raw, entity in _ESCAPES:  # "&" first, so the entities themselves stay intact
        text = text.replace(raw, entity)
    return text


def silence(seconds: int) -> str:
    full, rest = divmod(max(0, int(seconds)), MAX_BREAK_SECONDS)
    breaks = [f'<break time="{MAX_BREAK_SECONDS}s"/>'] * full
    if rest:
        breaks.append(f'<break time="{rest}s"/>')
    return "".join(breaks)


def chime() -> str:
    return f'<audio src="{CHIME_URL}"/>'


def ordinal(number: int) -> str:
    return f'<say-as interpret-as="ordinal">{int(number)}</say-as>'


def speak(fragments: list[str]) -> str:
    return "<speak>" + " ".join(f for f in fragments if f) + "</speak>"
