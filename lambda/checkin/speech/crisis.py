"""Crisis resources for the device's country, as the "safety" prompt speaks them.

The numbers live in crisis_resources.json, with their sources; the sentences that carry them are
prompts (safety.emergency, safety.crisis.<wording>, safety.abuse.<wording>) in each locale file.
The country is the region of the request locale: en-GB -> GB. A country without data hears the
fallback country's lines, after being told to call their local emergency number.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from checkin.speech.ssml import escape

DATA_PATH = Path(__file__).with_name("crisis_resources.json")
PROMPT = "safety"  # the prompt whose {emergency}, {crisis} and {abuse} are filled from here
ROLES = {"crisis": "crisis", "abuse": "domestic_violence"}  # placeholder -> data field


@lru_cache(maxsize=1)
def resources() -> dict:
    return json.loads(DATA_PATH.read_text(encoding="utf-8"))


def country_of(locale: str | None) -> str | None:
    """'en-GB' -> 'GB' when there are resources for it; None for anywhere else."""
    region = (locale or "").replace("_", "-").partition("-")[2].upper()
    return region if region in resources()["countries"] else None


def placeholders(texts: dict[str, list[str]], country: str | None) -> dict[str, str]:
    """SSML for the safety prompt's {emergency}, {crisis} and {abuse}, in `texts`' words."""
    data = resources()["countries"][country or resources()["fallback_country"]]
    key = "safety.emergency" if country else "safety.emergency.elsewhere"
    values = {"emergency": texts[key][0].format(number=spoken_number(data["emergency"]))}
    for placeholder, field in ROLES.items():
        line = data[field]
        sms = line.get("text") or {}
        values[placeholder] = texts[f"safety.{placeholder}.{line['wording']}"][0].format(
            number=spoken_number(line),
            name=escape(line["spoken_name"]),
            message=escape(sms.get("message", "")),
            text_number=spoken_number({"number": sms.get("number", "")}),
        )
    return values


def shown_lines(texts: dict[str, list[str]], country: str | None) -> list[tuple[str, str]]:
    """The same lines for a screen or a card: (number as it is dialled, what it is for)."""
    data = resources()["countries"][country or resources()["fallback_country"]]
    key = "screen.safety.emergency" if country else "screen.safety.emergency.elsewhere"
    lines = [(data["emergency"]["number"], texts[key][0])]
    for placeholder, field in ROLES.items():
        line = data[field]
        sms = line.get("text") or {}
        lines.append((line["number"], texts[f"screen.safety.{placeholder}.{line['wording']}"][0]
                      .format(name=line["name"], message=sms.get("message", ""),
                              text_number=sms.get("number", ""))))
    return lines


def spoken_number(line: dict) -> str:
    """A phone number as Alexa should say it: its own words when given, else digit groups.

    Groups are separated by spaces, not hyphens, which some speech engines read out as "dash".
    """
    number = escape(line["number"].replace("-", " "))
    if line.get("spoken_number"):
        return f'<sub alias="{escape(line["spoken_number"])}">{number}</sub>'
    return f'<say-as interpret-as="telephone">{number}</say-as>'
