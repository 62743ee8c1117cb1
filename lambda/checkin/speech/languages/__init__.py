"""What a language needs beyond its words: plural rules, ordinals, clock times, small fixes.

One module per language (en.py, es.py), loaded on first use, so a request pays only for its
own. Each module has the same few functions:

- `plural(n)`: the CLDR plural category of n ("one" or "other"); a prompt `key` may have
  `key.one` for it.
- `number(n, form)`: n as speech. form "" is the number; "o" an ordinal; "of"/"om" its feminine
  or masculine form where the language has them (masculine before a noun where it is shortened);
  "date" the day of a month. Returns SSML (already escaped).
- `clock_time(hour, minute, texts)`: a time of day in words, from the locale's `clock.*` texts.
- `polish(text)`: last touches to a rendered sentence (Spanish "y" before "i" becomes "e").
- `CLOCK_KEYS`: the `clock.*` prompts clock_time reads, which every locale of the language has.
"""
from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

DEFAULT_LANGUAGE = "en"


@cache
def grammar(language: str) -> ModuleType:
    """The module for `language`; English for a language not written yet."""
    try:
        return importlib.import_module(f"{__name__}.{language}")
    except ImportError:
        return importlib.import_module(f"{__name__}.{DEFAULT_LANGUAGE}")
