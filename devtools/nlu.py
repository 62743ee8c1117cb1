"""Resolve a typed utterance to an intent and slots with this project's interaction model.

Roughly what Alexa's NLU does with a model, in this order:

1. Normalise: lower case, drop punctuation and apostrophes ("I'm" -> "im"), a leading wake
   word ("Alexa, ..."), and spell digits as words ("3" -> "three"), since samples may not
   contain digits.
2. An exact sample, from the model or from the phrases Alexa's built-in intents already know.
3. A sample with slots, used as a pattern. A slot takes the words its type accepts
   (AMAZON.NUMBER "three" -> "3", AMAZON.TIME "nine pm" -> "21:00", AMAZON.DATE "tomorrow" ->
   an ISO date, AMAZON.FirstName one or two words that are not the model's own command words).
   The match with the fewest slot words wins, so "I'm done" is DoneIntent and not
   NameIntent "I'm {name}"; a free-form first name loses to a typed slot.
4. A fuzzy match: the best token overlap with any sample, above a threshold.
5. Otherwise AMAZON.FallbackIntent.

`resolve(utterance, expecting_name=True)` is the hint a console gives when the skill has just
asked for a name: then a bare word or two is a name unless it is a command ("stop", "skip").
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_PATH = REPO_ROOT / "interaction_models" / "en-US.json"

FALLBACK = "AMAZON.FallbackIntent"
FIRST_NAME = "AMAZON.FirstName"
FUZZY_THRESHOLD = 0.6

# Phrases Alexa's built-in intents understand without samples (a sample of them, enough for a
# console). The model's own samples extend these, exactly as in the Alexa developer console.
BUILT_IN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "yup", "sure", "ok", "okay", "alright",
                         "all right", "of course", "certainly", "definitely", "yes please"),
    "AMAZON.NoIntent": ("no", "nope", "nah", "no thanks", "no thank you", "not really",
                        "negative"),
    "AMAZON.HelpIntent": ("help", "help me", "what can i say", "what can i do"),
    "AMAZON.StopIntent": ("stop", "off", "shut up", "be quiet", "stop it", "enough"),
    "AMAZON.CancelIntent": ("cancel", "never mind", "nevermind", "forget it", "cancel that"),
    "AMAZON.RepeatIntent": ("repeat", "repeat that", "say that again", "again", "come again",
                            "what did you say"),
    "AMAZON.PauseIntent": ("pause", "pause that", "hold on", "wait"),
    "AMAZON.ResumeIntent": ("resume", "continue", "keep going", "go on", "unpause"),
    "AMAZON.StartOverIntent": ("start over", "restart", "start again", "begin again"),
    "AMAZON.NavigateHomeIntent": ("go home", "navigate home", "home"),
}

# Words that weigh little in a fuzzy match.
_LIGHT_WORDS = frozenset((
    "a", "an", "the", "to", "of", "and", "or", "is", "it", "its", "im", "i", "me", "my", "we",
    "us", "our", "you", "your", "please", "just", "so", "um", "uh", "lets", "let", "can",
    "could", "would", "will", "do", "does", "this", "that", "be",
))

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)
_TENS = ("_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS = {word: value for value, word in enumerate(_ONES)}
NUMBER_WORDS.update({word: 10 * value for value, word in enumerate(_TENS) if word != "_"})
NUMBER_WORDS["a"] = 1  # "a hundred"; only used inside a longer number
_SCALES = {"hundred": 100, "thousand": 1000}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Resolution(NamedTuple):
    """An utterance as Alexa would hand it to the skill: an intent name and filled slots."""

    intent: str
    slots: dict[str, str]


# --- normalising -----------------------------------------------------------------------------

def number_to_words(number: int) -> str:
    """3 -> 'three', 42 -> 'forty two', 120 -> 'one hundred twenty'."""
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + ("" if ones == 0 else " " + _ONES[ones])
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return _ONES[hundreds] + " hundred" + ("" if rest == 0 else " " + number_to_words(rest))
    thousands, rest = divmod(number, 1000)
    tail = "" if rest == 0 else " " + number_to_words(rest)
    return number_to_words(thousands) + " thousand" + tail


def words_to_number(words: list[str]) -> int | None:
    """['twenty', 'one'] -> 21, ['three'] -> 3, ['5'] -> 5; None if these are not a number."""
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    total, current, seen = 0, 0, False
    for index, word in enumerate(words):
        if word == "and" and seen:
            continue
        if word == "a" and index + 1 < len(words) and words[index + 1] in _SCALES:
            current = 1
            seen = True
            continue
        if word in _SCALES:
            if not seen:
                return None
            current = max(current, 1) * _SCALES[word]
            if word == "thousand":
                total, current = total + current, 0
            continue
        if word == "a" or word not in NUMBER_WORDS:
            return None
        value = NUMBER_WORDS[word]
        if seen and current % 100 != 0 and (value >= 10 or current % 10 != 0):
            return None  # "three four" is two numbers, not one
        current += value
        seen = True
    return total + current if seen else None


def _clean_token(token: str) -> str:
    return re.sub(r"[^a-z0-9:]", "", token.replace("'", "").replace("\u2019", ""))


def tokens(text: str) -> list[str]:
    """Lower-cased words without punctuation; apostrophes dropped, digits kept."""
    text = text.lower().replace("-", " ")
    text = re.sub(r"\b([ap])\.\s?m\.?", r"\1m", text)  # "p.m." -> "pm"
    text = re.sub(r"(\d)(am|pm)\b", r"\1 \2", text)  # "9pm" -> "9 pm"
    out = []
    for raw in text.split():
        token = _clean_token(raw)
        if token:
            out.append(token)
    return out


def normalise(utterance: str) -> list[str]:
    """Tokens of an utterance, with a leading wake word dropped and digits spelled out."""
    words = tokens(utterance)
    if words and words[0] == "alexa":
        words = words[1:]
    out: list[str] = []
    for word in words:
        if word.isdigit():
            out.extend(number_to_words(int(word)).split())
        else:
            out.append(word)
    return out


# --- slot types ------------------------------------------------------------------------------

# A slot type's parser: (normalised words, the user's own words, today) -> the slot value or None.
Parser = Callable[[list[str], list[str], date], str | None]


@dataclass(frozen=True)
class SlotType:
    """How many words a slot of this type takes, and what value Alexa sends for them."""

    max_words: int
    parse: Parser
    wildcard: bool = False  # accepts nearly any word, so it loses ties to typed slots


def _parse_number(words: list[str], _original: list[str], _today: date) -> str | None:
    number = words_to_number(words)
    return None if number is None else str(number)


_DAY_PARTS = {
    "morning": "MO", "this morning": "MO", "afternoon": "AF", "this afternoon": "AF",
    "evening": "EV", "this evening": "EV", "night": "NI", "tonight": "NI", "later tonight": "NI",
    "noon": "12:00", "midday": "12:00", "midnight": "00:00",
}


_PARTS_OF_DAY = ("morning", "afternoon", "evening")


def _parse_time(words: list[str], original: list[str], _today: date) -> str | None:
    phrase = " ".join(words)
    if phrase in _DAY_PARTS:
        return _DAY_PARTS[phrase]
    rest = list(words)
    if rest and rest[-1] in ("oclock", "o'clock"):
        rest = rest[:-1]
    meridiem = None
    if len(rest) >= 2 and rest[-1] in ("am", "pm"):
        meridiem, rest = rest[-1], rest[:-1]
    elif len(rest) >= 3 and rest[-3:-1] == ["in", "the"] and rest[-1] in _PARTS_OF_DAY:
        meridiem, rest = ("am" if rest[-1] == "morning" else "pm"), rest[:-3]
    elif len(rest) >= 2 and rest[-1] == "tonight":
        meridiem, rest = "pm", rest[:-1]
    if not rest:
        return None
    hour = minute = None
    if len(rest) == 1 and re.fullmatch(r"\d{1,2}:\d{2}", rest[0]):
        hour, minute = (int(part) for part in rest[0].split(":"))
    else:
        hour = words_to_number(rest[:1])
        minute = 0 if len(rest) == 1 else words_to_number(rest[1:])
        if len(rest) >= 2 and rest[1] == "oh" and len(rest) == 3:
            minute = words_to_number(rest[2:])
    if hour is None or minute is None or not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    elif meridiem is None and 1 <= hour <= 11:
        hour += 12  # a couple planning a talk means the evening; say "am" for the morning
    return f"{hour:02d}:{minute:02d}"


def _parse_date(words: list[str], _original: list[str], today: date) -> str | None:
    phrase = " ".join(words)
    if phrase in ("today", "tonight", "this evening"):
        return today.isoformat()
    if phrase in ("tomorrow", "tomorrow night", "tomorrow evening"):
        return (today + timedelta(days=1)).isoformat()
    if phrase == "the day after tomorrow":
        return (today + timedelta(days=2)).isoformat()
    if phrase in ("this weekend", "the weekend", "next weekend"):
        monday = today + timedelta(days=7 if phrase == "next weekend" else 0)
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}-WE"
    if phrase == "next week":
        year, week, _ = (today + timedelta(days=7)).isocalendar()
        return f"{year}-W{week:02d}"
    parts = [w for w in words if w not in ("on", "this", "next", "night", "evening")]
    if len(parts) == 1 and parts[0] in WEEKDAYS:
        ahead = (WEEKDAYS.index(parts[0]) - today.weekday()) % 7 or 7  # the coming one
        return (today + timedelta(days=ahead)).isoformat()
    return None


def _first_name_parser(command_words: frozenset[str]) -> Parser:
    def parse(words: list[str], original: list[str], _today: date) -> str | None:
        if any(w in command_words or w in NUMBER_WORDS for w in words):
            return None
        return _capitalised(original)
    return parse


def _capitalised(words: list[str]) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in words)


def _any_words(words: list[str], original: list[str], _today: date) -> str | None:
    return " ".join(original)


def _custom_type(values: list[dict]) -> SlotType:
    phrases: set[str] = set()
    for value in values:
        name = value.get("name", {})
        for phrase in [name.get("value", ""), *name.get("synonyms", [])]:
            if phrase:
                phrases.add(" ".join(normalise(phrase)))
    longest = max((len(p.split()) for p in phrases), default=1)

    def parse(words: list[str], original: list[str], _today: date) -> str | None:
        return " ".join(original) if " ".join(words) in phrases else None
    return SlotType(longest, parse)


# --- the model -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sample:
    intent: str
    parts: tuple[str, ...]  # literal words, and "{slot}" placeholders
    built_in: bool = False

    @property
    def literal_words(self) -> tuple[str, ...]:
        return tuple(p for p in self.parts if not p.startswith("{"))

    @property
    def has_slots(self) -> bool:
        return any(p.startswith("{") for p in self.parts)


@dataclass
class _Match:
    intent: str
    slots: dict[str, str]
    slot_words: int
    wildcard_words: int
    literal_words: int
    built_in: bool

    def rank(self) -> tuple:
        return (self.slot_words + self.wildcard_words, self.slot_words, -self.literal_words,
                self.built_in)


@dataclass
class Nlu:
    """An interaction model, ready to resolve utterances."""

    model: dict
    samples: list[Sample] = field(init=False)
    slot_types: dict[str, dict[str, str]] = field(init=False)  # intent -> slot -> type
    invocation_name: str = field(init=False)
    _types: dict[str, SlotType] = field(init=False)

    def __post_init__(self) -> None:
        language = self.model["interactionModel"]["languageModel"]
        self.invocation_name = " ".join(normalise(language.get("invocationName", "")))
        self.samples = []
        self.slot_types = {}
        for intent in language.get("intents", []):
            name = intent["name"]
            self.slot_types[name] = {s["name"]: s["type"] for s in intent.get("slots", [])}
            for text in intent.get("samples", []):
                self.samples.append(Sample(name, tuple(_sample_parts(text))))
            for phrase in BUILT_IN_PHRASES.get(name, ()):
                self.samples.append(Sample(name, tuple(normalise(phrase)), built_in=True))
        command_words = frozenset(
            word for sample in self.samples if sample.intent != _name_intent(self.slot_types)
            for word in sample.literal_words
        )
        self._types = {
            "AMAZON.NUMBER": SlotType(4, _parse_number),
            "AMAZON.TIME": SlotType(5, _parse_time),
            "AMAZON.DATE": SlotType(4, _parse_date),
            FIRST_NAME: SlotType(2, _first_name_parser(command_words), wildcard=True),
        }
        for custom in language.get("types", []):
            self._types[custom["name"]] = _custom_type(custom.get("values", []))

    @property
    def intents(self) -> list[str]:
        return list(self.slot_types)

    def resolve(self, utterance: str, expecting_name: bool = False, *,
                today: date | None = None, fuzzy: bool = True) -> Resolution:
        """The intent and slots Alexa would send; `fuzzy=False` accepts only what a sample
        matches, for checking that a phrase the skill offers really is in the model."""
        today = today or date.today()
        words = normalise(utterance)
        if not words:
            return Resolution(FALLBACK, {})
        originals = _align_originals(utterance, words)
        exact = self._exact(words)
        if exact is not None:
            return Resolution(exact, {})
        if expecting_name and len(words) <= 2:
            name_intent = _name_intent(self.slot_types)
            if name_intent:
                slot = next(s for s, t in self.slot_types[name_intent].items() if t == FIRST_NAME)
                return Resolution(name_intent, {slot: _capitalised(originals)})
        best = self._best_pattern(words, originals, today)
        if best is not None:
            return Resolution(best.intent, best.slots)
        near = self._fuzzy(words) if fuzzy else None
        if near is not None:
            return Resolution(near, {})
        return Resolution(FALLBACK, {})

    def _exact(self, words: list[str]) -> str | None:
        for built_in in (False, True):
            for sample in self.samples:
                if (sample.built_in == built_in and not sample.has_slots
                        and list(sample.parts) == words):
                    return sample.intent
        return None

    def _best_pattern(self, words: list[str], originals: list[str], today: date) -> _Match | None:
        best: _Match | None = None
        for sample in self.samples:
            if not sample.has_slots:
                continue
            match = self._match(sample, words, originals, today)
            if match is not None and (best is None or match.rank() < best.rank()):
                best = match
        return best

    def _match(self, sample: Sample, words: list[str], originals: list[str],
               today: date) -> _Match | None:
        types = self.slot_types.get(sample.intent, {})
        candidates: list[_Match] = []

        def walk(part: int, pos: int, slots: dict[str, str], slot_words: int, wild: int) -> None:
            if part == len(sample.parts):
                if pos == len(words):
                    candidates.append(_Match(sample.intent, dict(slots), slot_words, wild,
                                             len(sample.literal_words), sample.built_in))
                return
            piece = sample.parts[part]
            if not piece.startswith("{"):
                if pos < len(words) and words[pos] == piece:
                    walk(part + 1, pos + 1, slots, slot_words, wild)
                return
            slot = piece[1:-1]
            slot_type = self._types.get(types.get(slot, ""), SlotType(6, _any_words, wildcard=True))
            for size in range(1, min(slot_type.max_words, len(words) - pos) + 1):
                value = slot_type.parse(words[pos:pos + size], originals[pos:pos + size], today)
                if value is not None:
                    slots[slot] = value
                    walk(part + 1, pos + size, slots, slot_words + size,
                         wild + (size if slot_type.wildcard else 0))
                    del slots[slot]

        walk(0, 0, {}, 0, 0)
        return min(candidates, key=_Match.rank, default=None)

    def _fuzzy(self, words: list[str]) -> str | None:
        best_score, best_intent = 0.0, None
        heard = set(words)
        for sample in self.samples:
            said = set(sample.literal_words)
            if not said:
                continue
            shared = _weight(heard & said)
            score = 2 * shared / (_weight(heard) + _weight(said))
            if score > best_score:
                best_score, best_intent = score, sample.intent
        return best_intent if best_score >= FUZZY_THRESHOLD else None

    def invocation(self, utterance: str) -> tuple[str, str] | None:
        """How an utterance invokes the skill: ("launch", "") for "open connection check in",
        ("intent", rest) for "ask connection check in how are we doing"; None otherwise."""
        words = normalise(utterance)
        text = " ".join(words)
        name = self.invocation_name
        if not name or name not in text:
            return None
        before, _, after = text.partition(name)
        before, after = before.split(), after.split()
        if not after and before in ([], ["open"], ["start"], ["launch"], ["begin"], ["play"],
                                    ["run"], ["use"], ["load"]):
            return ("launch", "")
        if before in (["ask"], ["tell"]) and after:
            if after[0] in ("to", "that", "for", "about", "if", "whether"):
                after = after[1:]
            return ("intent", " ".join(after)) if after else ("launch", "")
        if before in (["open"], ["start"], ["launch"], ["use"]) and after and after[0] == "and":
            return ("intent", " ".join(after[1:])) if after[1:] else ("launch", "")
        return None


def _weight(words: set[str]) -> float:
    return sum(0.3 if w in _LIGHT_WORDS else 1.0 for w in words)


def _name_intent(slot_types: dict[str, dict[str, str]]) -> str | None:
    for intent, slots in slot_types.items():
        if FIRST_NAME in slots.values():
            return intent
    return None


def _sample_parts(text: str) -> list[str]:
    parts: list[str] = []
    for chunk in re.split(r"(\{[^}]+\})", text):
        if chunk.startswith("{"):
            parts.append(chunk)
        else:
            parts.extend(normalise(chunk) if chunk.strip() else [])
    return parts


def _align_originals(utterance: str, words: list[str]) -> list[str]:
    """The user's own spelling of each normalised word, for slot values ("Sam", "Zoë")."""
    raw_words = utterance.replace("-", " ").split()
    cleaned = [(raw, _clean_token(raw.lower())) for raw in raw_words]
    cleaned = [(re.sub(r"[^\w']", "", raw), token) for raw, token in cleaned if token]
    if cleaned and cleaned[0][1] == "alexa":
        cleaned = cleaned[1:]
    if len(cleaned) == len(words) and all(t == w for (_, t), w in zip(cleaned, words, strict=True)):
        return [raw for raw, _ in cleaned]
    return list(words)


def load_model(path: str | Path = DEFAULT_MODEL_PATH) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=4)
def _default_nlu(path: str) -> Nlu:
    return Nlu(load_model(path))


def default_nlu() -> Nlu:
    """The NLU over interaction_models/en-US.json, loaded once."""
    return _default_nlu(str(DEFAULT_MODEL_PATH))


def resolve(utterance: str, expecting_name: bool = False, *,
            today: date | None = None, fuzzy: bool = True) -> Resolution:
    """Resolves an utterance with the project's en-US interaction model."""
    return default_nlu().resolve(utterance, expecting_name, today=today, fuzzy=fuzzy)
