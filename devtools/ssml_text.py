"""SSML, as a person near the speaker would hear it.

Three views of one `outputSpeech` SSML string:

- `spoken_text(ssml)`: the words only, tags stripped and entities decoded, for assertions.
- `render(ssml)`: the words plus what fills the room between them, for the console:
  runs of `<break>` become "[… 2 min of quiet …]" and Sound Library audio becomes "[chime]".
- `duration_seconds(ssml)`: a rough estimate of how long Alexa takes to play it, so that a
  simulated clock knows when the microphone opens again.

`problems(ssml)` lists what Alexa would reject (see ../shared/docs/alexa-notes.md): malformed
XML such as an unescaped "&", a break longer than 10 s, more than five audio clips, speech text
over 8,000 characters.

The parser is a small tag scanner, not a full XML parser: SSML from a skill is short, and
`amazon:` tags are used without a namespace declaration.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

MAX_BREAK_SECONDS = 10.0
MAX_AUDIO_TAGS = 5
MAX_SPEECH_CHARS = 8000

WORDS_PER_SECOND = 2.5  # about 150 words a minute, Alexa's normal rate
SOUNDBANK_SECONDS = 2.0  # most Sound Library chimes and bells last one to three seconds
QUIET_SHOWN_FROM_SECONDS = 2.0  # shorter pauses read as ordinary speech rhythm

_TOKEN = re.compile(r"<[^>]*>|[^<]+")
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_STRENGTH_SECONDS = {
    "none": 0.0, "x-weak": 0.1, "weak": 0.25, "medium": 0.5, "strong": 0.75, "x-strong": 1.0,
}
_SENTENCE_TAGS = {"p", "s"}


@dataclass(frozen=True)
class Piece:
    """One thing Alexa plays: words, a pause, or an audio clip."""

    kind: str  # "text", "break" or "audio"
    text: str = ""
    seconds: float = 0.0
    src: str = ""


def parse_break_time(value: str) -> float | None:
    """'10s' -> 10.0, '500ms' -> 0.5; None when it cannot be read."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*", value or "")
    if not match:
        return None
    number = float(match.group(1))
    return number / 1000 if match.group(2) == "ms" else number


def _attributes(tag: str) -> dict[str, str]:
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
            for m in _ATTR.finditer(tag)}


def _tag_name(tag: str) -> tuple[str, bool, bool]:
    """Returns (name, is_closing, is_self_closing) for '<name ...>' tokens."""
    body = tag[1:-1].strip()
    closing = body.startswith("/")
    self_closing = body.endswith("/")
    name = body.strip("/").split(None, 1)[0] if body.strip("/") else ""
    return name.lower(), closing, self_closing


_ORDINAL = re.compile(r'<say-as interpret-as="ordinal">\s*(\d+)\s*</say-as>')


def _ordinal(number: int) -> str:
    """How Alexa reads <say-as interpret-as="ordinal">, written the short way: 2nd, 11th."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def pieces(ssml: str) -> list[Piece]:
    """Splits SSML (or plain text) into the pieces Alexa plays, in order."""
    result: list[Piece] = []
    sub_depth = 0
    ssml = _ORDINAL.sub(lambda m: _ordinal(int(m.group(1))), ssml or "")
    for token in _TOKEN.findall(ssml):
        if not token.startswith("<"):
            if sub_depth == 0:
                result.append(Piece("text", html.unescape(token)))
            continue
        if token.startswith("<!--") or token.startswith("<?"):
            continue
        name, closing, self_closing = _tag_name(token)
        attrs = _attributes(token)
        if name == "break" and not closing:
            seconds = parse_break_time(attrs.get("time", ""))
            if seconds is None:
                seconds = _STRENGTH_SECONDS.get(attrs.get("strength", "medium"), 0.5)
            result.append(Piece("break", seconds=seconds))
        elif name == "audio" and not closing:
            result.append(Piece("audio", src=attrs.get("src", "")))
        elif name == "sub":
            if closing:
                sub_depth = max(0, sub_depth - 1)
            elif not self_closing:
                result.append(Piece("text", html.unescape(attrs.get("alias", ""))))
                sub_depth += 1
        elif name in _SENTENCE_TAGS:
            result.append(Piece("text", " "))
    return result


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([,.;:!?])", r"\1", text)


def spoken_text(ssml: str) -> str:
    """The words Alexa says, without tags, pauses or sounds."""
    return _tidy(" ".join(p.text for p in pieces(ssml) if p.kind == "text"))


def describe_quiet(seconds: float) -> str:
    """120 -> '[… 2 min of quiet …]', 90 -> '[… 1 min 30 s of quiet …]'."""
    total = round(seconds)
    minutes, rest = divmod(total, 60)
    if minutes and rest:
        amount = f"{minutes} min {rest} s"
    elif minutes:
        amount = f"{minutes} min"
    else:
        amount = f"{rest} s"
    return f"[… {amount} of quiet …]"


def describe_audio(src: str) -> str:
    return "[chime]" if src.startswith("soundbank://") else "[audio]"


def render(ssml: str) -> str:
    """The words, with long pauses merged and described, and sounds marked."""
    out: list[str] = []
    quiet = 0.0

    def flush_quiet() -> None:
        nonlocal quiet
        if quiet >= QUIET_SHOWN_FROM_SECONDS:
            out.append(f" {describe_quiet(quiet)} ")
        elif quiet > 0:
            out.append(" ")
        quiet = 0.0

    for piece in pieces(ssml):
        if piece.kind == "break":
            quiet += piece.seconds
        elif piece.kind == "text" and not piece.text.strip():
            out.append(piece.text)
        else:
            flush_quiet()
            out.append(piece.text if piece.kind == "text" else f" {describe_audio(piece.src)} ")
    flush_quiet()
    return _tidy("".join(out))


def duration_seconds(ssml: str) -> float:
    """How long Alexa takes to play this, roughly: words at speaking pace, pauses, clips."""
    total = 0.0
    words = 0
    for piece in pieces(ssml):
        if piece.kind == "break":
            total += piece.seconds
        elif piece.kind == "audio":
            total += SOUNDBANK_SECONDS
        else:
            words += len(piece.text.split())
    return total + words / WORDS_PER_SECOND


def problems(ssml: str) -> list[str]:
    """What Alexa would refuse in this SSML; an empty list when it is acceptable."""
    found: list[str] = []
    text = ssml or ""
    if not text.lstrip().startswith("<speak>") or not text.rstrip().endswith("</speak>"):
        found.append("SSML is not wrapped in <speak>…</speak>")
    # amazon:effect and friends are used without declaring the prefix; declare it to parse.
    declared = re.sub(r"^\s*<speak>", '<speak xmlns:amazon="urn:amazon">', text, count=1)
    try:
        ET.fromstring(declared)
    except ET.ParseError as error:
        found.append(f"SSML is not well-formed XML ({error}); escape interpolated text")
    audio_tags = 0
    for piece in pieces(text):
        if piece.kind == "break" and piece.seconds > MAX_BREAK_SECONDS:
            found.append(f"<break> of {piece.seconds:g} s is longer than {MAX_BREAK_SECONDS:g} s")
        if piece.kind == "audio":
            audio_tags += 1
    if audio_tags > MAX_AUDIO_TAGS:
        found.append(f"{audio_tags} <audio> tags; at most {MAX_AUDIO_TAGS} are allowed")
    if len(spoken_text(text)) > MAX_SPEECH_CHARS:
        found.append(f"speech text is longer than {MAX_SPEECH_CHARS} characters")
    return found
