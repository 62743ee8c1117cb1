"""Crisis resources for the device's country, as the "safety" prompt speaks them.

The numbers live in crisis_resources.json, with their sources; the sentences that carry them are
prompts (safety.emergency, safety.crisis.<wording>, safety.abuse.<wording>) in each locale file.

The country is the device's own: its time zone (read once through the Alexa Settings API, kept
in the profile) names it, Europe/Dublin -> IE, Pacific/Auckland -> NZ, through zone_countries.json
(from the IANA zone table). Without a time zone, or in a country without resources, the region of
the request locale decides (en-GB -> GB); a locale Alexa serves across borders (en-GB in Ireland,
en-AU in New Zealand, de-DE in Austria) is why the time zone comes first. A country without data
hears the fallback country's lines, after being told to call their local emergency number.

Both files are read only when a safety answer is given.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from checkin.speech.ssml import escape

DATA_PATH = Path(__file__).with_name("crisis_resources.json")
ZONES_PATH = Path(__file__).with_name("zone_countries.json")
PROMPT = "safety"  # the prompt whose {emergency}, {crisis} and {abuse} are filled from here
ROLES = {"crisis": "crisis", "abuse": "domestic_violence"}  # placeholder -> data field


@cache
def resources() -> dict:
    return json.loads(DATA_PATH.read_text(encoding="utf-8"))


@cache
def zone_countries() -> dict[str, str]:
    return json.loads(ZONES_PATH.read_text(encoding="utf-8"))["zones"]


def country_of_zone(time_zone: str | None) -> str | None:
    """'Europe/Dublin' -> 'IE'; None for a zone that names no country ('UTC', '')."""
    return zone_countries().get((time_zone or "").strip())


def country_of(locale: str | None) -> str | None:
    """'en-GB' -> 'GB' when there are resources for it; None for anywhere else."""
    region = (locale or "").replace("_", "-").partition("-")[2].upper()
    return region if region in resources()["countries"] else None


def country_for(time_zone: str | None, locale: str | None) -> str | None:
    """The device's country: from its time zone when there are resources for that country,
    else from the locale's region; None when neither has resources."""
    by_zone = country_of_zone(time_zone)
    if by_zone in resources()["countries"]:
        return by_zone
    return country_of(locale)


def placeholders(texts: dict[str, list[str]], language: str,
                 country: str | None) -> dict[str, str]:
    """SSML for the safety prompt's {emergency}, {crisis} and {abuse}, in `texts`' words."""
    data = resources()["countries"][country or resources()["fallback_country"]]
    key = "safety.emergency" if country else "safety.emergency.elsewhere"
    values = {"emergency": texts[key][0].format(
        number=spoken_number(data["emergency"], language))}
    for placeholder, field in ROLES.items():
        line = data[field]
        sms = line.get("text") or {}
        values[placeholder] = texts[f"safety.{placeholder}.{line['wording']}"][0].format(
            number=spoken_number(line, language),
            name=escape(in_language(line["spoken_name"], language)),
            message=escape(sms.get("message", "")),
            text_number=spoken_number({"number": sms.get("number", "")}, language),
        )
    return values


def shown_lines(texts: dict[str, list[str]], language: str,
                country: str | None) -> list[tuple[str, str]]:
    """The same lines for a screen or a card: (number as it is dialled, what it is for)."""
    data = resources()["countries"][country or resources()["fallback_country"]]
    key = "screen.safety.emergency" if country else "screen.safety.emergency.elsewhere"
    lines = [(data["emergency"]["number"], texts[key][0])]
    for placeholder, field in ROLES.items():
        line = data[field]
        sms = line.get("text") or {}
        lines.append((line["number"], texts[f"screen.safety.{placeholder}.{line['wording']}"][0]
                      .format(name=in_language(line["spoken_name"], language),
                              message=sms.get("message", ""),
                              text_number=sms.get("number", ""))))
    return lines


def in_language(words: dict[str, str], language: str) -> str:
    """The wording for `language`, else the first given (the country's own language)."""
    return words.get(language) or next(iter(words.values()))


def spoken_number(line: dict, language: str) -> str:
    """A phone number as Alexa should say it: as people say it in that language, when the data
    gives the words ("triple zero", "cero dieciséis"), else digit groups.

    Groups are separated by spaces, not hyphens, which some speech engines read out as "dash".
    """
    number = escape(line["number"].replace("-", " "))
    words = (line.get("spoken") or {}).get(language)
    if words:
        return f'<sub alias="{escape(words)}">{number}</sub>'
    return f'<say-as interpret-as="telephone">{number}</say-as>'
