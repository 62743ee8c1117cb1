"""Prompt texts per locale, keyed by prompt id. A prompt may have several wordings."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LOCALE = "en-US"


@cache
def prompts(locale: str) -> dict[str, list[str]]:
    path = LOCALES_DIR / f"{locale}.json"
    if not path.is_file():
        path = LOCALES_DIR / f"{DEFAULT_LOCALE}.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {key: value if isinstance(value, list) else [value] for key, value in raw.items()}


def available_locales() -> list[str]:
    return sorted(p.stem for p in LOCALES_DIR.glob("*.json"))
