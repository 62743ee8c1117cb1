"""Turns the engine's Reply into SSML for the speech and the reprompt, within Alexa's limits."""
from __future__ import annotations

import html
import re
from functools import cache

from checkin.records import record
from checkin.ritual.reply import (
    Chime,
    ClockTime,
    Duration,
    Hold,
    Ordinal,
    Part,
    Partner,
    Reply,
    Say,
    TimeOnDay,
)
from checkin.speech import crisis, ssml
from checkin.speech.prompts import language_of, prompts, resolve_locale

# Quiet that one response may carry; the rest of a long turn continues in the reprompt,
# after the ~8 s Alexa listens between the two. Kept under the 240 s and 90 s audio limits.
SPEECH_HOLD_LIMIT = 215
REPROMPT_HOLD_LIMIT = 80
LISTEN_GAP = 8
# A placeholder that opens a sentence: "{next}, whenever you're ready" after "Thank you, ...".
_SENTENCE_START_FIELD = re.compile(r"(?:^|[.!?]\s+|<s>)\{(\w+)\}")
# Prompts without placeholders as plain text, by (locale, walk, key): buttons and headings read
# the same in every request of a locale, so each is worked out once per container.
_LABELS: dict[tuple[str, bool, str], str] = {}


@record
class Rendered:
    speech: str
    reprompt: str | None


class Voice:
    """Speaks one locale, with the household's names."""

    def __init__(self, locale: str | None, names: tuple[str, str] = ("", ""), walk: bool = False,
                 time_zone: str = ""):
        # Imported on first use: a cold start loads no language until a request needs one.
        from checkin.speech.languages import grammar

        self.locale = resolve_locale(locale)
        self._prompts = prompts(self.locale)
        self._grammar = grammar(language_of(self.locale))
        self._names = names
        self._walk = walk  # walks prefer the shorter ".walk" wording of a prompt, if it has one
        # Whose crisis lines the safety prompt gives: the device's country, from its time zone,
        # else the region of the locale Alexa asked for (worked out only when needed).
        self._where = (time_zone, locale or "")

    def render(self, reply: Reply) -> Rendered:
        speech, reprompt = _split_long_hold(reply.speech, reply.reprompt)
        speech_ssml = ssml.speak([self._part(p) for p in speech])
        if reply.end_session or not reprompt:
            return Rendered(speech_ssml, None)
        return Rendered(speech_ssml, ssml.speak([self._part(p) for p in reprompt]))

    def text(self, key: str, **params: object) -> str:
        return self._part(Say(key, tuple(sorted(params.items()))))

    def plain(self, part: Say) -> str:
        """`part` as text to read on a screen or a card: no SSML, nothing escaped."""
        return _plain(self._part(part))

    def label(self, key: str) -> str:
        """The first wording of a prompt without placeholders (a button, a heading), as plain
        text; the same for every request in this locale."""
        cached = _LABELS.get((self.locale, self._walk, key))
        if cached is None:
            cached = _LABELS[(self.locale, self._walk, key)] = self.plain(Say(key))
        return cached

    def safety_lines(self) -> list[tuple[str, str]]:
        """The crisis lines of the device's country, to read and dial: (number, what for)."""
        return crisis.shown_lines(self._prompts, language_of(self.locale),
                                  crisis.country_for(*self._where))

    def _part(self, part: Part) -> str:
        if isinstance(part, Hold):
            return ssml.silence(part.seconds)
        if isinstance(part, Chime):
            return ssml.chime()
        wordings = self._prompts.get(f"{part.key}.walk") if self._walk else None
        wordings = wordings or self._prompts[part.key]
        template = wordings[part.variant % len(wordings)]
        values = {k: self._value(v) for k, v in part.params}
        if part.key == crisis.PROMPT:
            country = crisis.country_for(*self._where)
            values = {**crisis.placeholders(self._prompts, language_of(self.locale), country),
                      **values}
        for name in _sentence_start_fields(template):
            value = values.get(name)
            if isinstance(value, str):  # "Partner two, whenever you're ready", on screens too
                values[name] = value[:1].upper() + value[1:]
        text = self._grammar.polish(template.format(**values))
        return text[:1].upper() + text[1:]

    def _value(self, value: object) -> object:
        if isinstance(value, Partner):
            name = self._names[value.index] or self._prompts[f"partner.{value.index}"][0]
            return ssml.escape(name)
        if isinstance(value, Duration):
            return ssml.escape(self._duration(value.seconds))
        if isinstance(value, Ordinal):
            return Spoken(value.number, self._grammar, ordinal=True)
        if isinstance(value, bool):
            return ssml.escape(str(value))
        if isinstance(value, int):
            return Spoken(value, self._grammar)
        if isinstance(value, ClockTime):
            return ssml.escape(self._clock_time(value.value))
        if isinstance(value, TimeOnDay):
            return self._time_on_day(value)
        return ssml.escape(str(value))

    def _clock_time(self, value: str) -> str:
        try:
            hour, minute = (int(part) for part in value.split(":")[:2])
        except ValueError:
            return value
        return self._grammar.clock_time(hour, minute, self._prompts)

    def _time_on_day(self, value: TimeOnDay) -> str:
        time = ssml.escape(self._clock_time(value.value))
        if value.days_ahead <= 0:
            return self._prompts["clock.at"][0].format(time=time)
        if value.days_ahead == 1:
            return self._prompts["clock.tomorrow_at"][0].format(time=time)
        if value.days_ahead < 7:
            day = self._prompts["clock.weekdays"][value.weekday % 7]
        else:
            month = self._prompts["clock.months"][(value.month - 1) % 12]
            day = self._prompts["clock.date"][0].format(
                month=month, day=Spoken(value.day, self._grammar))
        return self._prompts["clock.on_day_at"][0].format(day=day, time=time)

    def _duration(self, seconds: int) -> str:
        # Spoken durations stay round: "about 4 minutes", never "4 minutes 7 seconds".
        if seconds < 60:
            key, n = "duration.seconds", seconds
        elif seconds % 60 == 0:
            key, n = "duration.minutes", seconds // 60
        else:
            key, n = "duration.about_minutes", round(seconds / 60)
        plural = f"{key}.{self._grammar.plural(n)}"
        return self._prompts.get(plural, self._prompts[key])[0].format(n=n)


class Spoken:
    """A number inside a prompt, said the language's way: "{count}" is the number,
    "{count:o}" its ordinal, "{question:of}" a feminine ordinal, "{day:date}" a day of the
    month. An Ordinal value is an ordinal even without a form. Other specs format the number."""

    __slots__ = ("_grammar", "_n", "_ordinal")

    def __init__(self, n: int, language: object, ordinal: bool = False):
        self._n, self._grammar, self._ordinal = int(n), language, ordinal

    def __format__(self, spec: str) -> str:
        if spec in ("", "o", "of", "om", "date"):
            form = spec or ("o" if self._ordinal else "")
            return self._grammar.number(self._n, form)  # type: ignore[attr-defined]
        return format(self._n, spec)

    def __str__(self) -> str:
        return format(self, "")


_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


@cache
def _sentence_start_fields(template: str) -> tuple[str, ...]:
    """The placeholders that open a sentence of `template`; a prompt's wordings are few and
    fixed, so each is searched once per container."""
    return tuple(_SENTENCE_START_FIELD.findall(template))


def _plain(ssml_fragment: str) -> str:
    if "<" not in ssml_fragment and "&" not in ssml_fragment:
        return ssml_fragment  # most prompts: nothing to take out
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", ssml_fragment))).strip()


def _split_long_hold(speech: tuple[Part, ...], reprompt: tuple[Part, ...]):
    """A hold too long for one response continues in the reprompt."""
    for i, part in enumerate(speech):
        if isinstance(part, Hold) and part.seconds > SPEECH_HOLD_LIMIT:
            rest = max(0, min(part.seconds - SPEECH_HOLD_LIMIT - LISTEN_GAP, REPROMPT_HOLD_LIMIT))
            head = speech[:i] + (Hold(SPEECH_HOLD_LIMIT),)
            return head, (Hold(rest),) + speech[i + 1:]
    return speech, reprompt
