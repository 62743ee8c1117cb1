"""Prompt texts per locale, keyed by prompt id. A prompt may have several wordings.

Each language has one source, `locales/<language>.json` (en.json, es.json), and each store
locale a small file of its own differences, `locales/<locale>.json`, holding only the prompts it
says otherwise (spelling, local phrasing, how dates are said). A locale's prompts are its
language's source with its own file laid over it. Keys starting with "_" are notes for people.

Only the request's locale is read, on first use, and kept for the life of the container.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LOCALE = "en-US"
# The store locales the skill speaks. Adding one: see README, "Locales: how to add one".
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN", "es-US", "es-ES", "es-MX")
# Where a locale the skill does not have goes: its language's default, else DEFAULT_LOCALE.
LANGUAGE_DEFAULTS = {"en": "en-US", "es": "es-MX"}

Prompts = dict[str, list[str]]


def resolve_locale(tag: str | None) -> str:
    """The supported locale that speaks for `tag`: 'en_gb' -> 'en-GB', 'es-AR' -> 'es-MX',
    'de-DE' (not yet written) -> 'en-US'."""
    language, _, region = (tag or "").replace("_", "-").partition("-")
    candidate = f"{language.lower()}-{region.upper()}" if region else language.lower()
    if candidate in LOCALES:
        return candidate
    return LANGUAGE_DEFAULTS.get(language.lower(), DEFAULT_LOCALE)


def language_of(locale: str) -> str:
    return locale.partition("-")[0]


@cache
def prompts(locale: str) -> Prompts:
    """Every prompt of `locale` (resolved first), its language's source with its overrides."""
    locale = resolve_locale(locale)
    merged = _read(LOCALES_DIR / f"{language_of(locale)}.json")
    merged.update(_read(LOCALES_DIR / f"{locale}.json"))
    return merged


def overrides(locale: str) -> Prompts:
    """Only what `locale` says differently from its language's source."""
    return _read(LOCALES_DIR / f"{locale}.json")


def _read(path: Path) -> Prompts:
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {key: value if isinstance(value, list) else [value]
            for key, value in raw.items() if not key.startswith("_")}


def available_locales() -> list[str]:
    return sorted(LOCALES)
