"""Words that keep it kind: the trend never blames, and no prompt does (issue 14).

A harder month is spoken of as something the couple noticed together, never as a failure.
Every prompt of every locale is rendered (as `make listen` renders them) and searched for words
of blame; the trend is also spoken through "how are we doing" in every direction it can go.
"""
from __future__ import annotations

import re

import pytest

from checkin.ritual.awareness import DAY_SECONDS, CheckRecord
from checkin.ritual.events import Kind
from checkin.ritual.machine import begin
from checkin.ritual.profile import Profile
from checkin.speech.prompts import available_locales, language_of
from checkin.speech.render import Voice
from devtools import ssml_text
from devtools.listen import render_all
from tests.ritual_helpers import T0, Player

# Words of blame, shame or judgement, as whole words (and their forms).
FORBIDDEN = re.compile(
    r"\b(fail\w*|broke|broken|break(s|ing)? (your|the) streak|worse|worst|should|ought|blame\w*"
    r"|fault\w*|bad|badly|poor\w*|behind|lost|los(e|ing)|declin\w+|dropp?\w*|slipp\w*"
    r"|neglect\w*|missed|not enough|disappoint\w*|wrong|only|sadly|score\w*)\b",
    re.IGNORECASE)
# The same in Spanish: failing, breaking, worse, ought to, blame, fault, bad, behind, losing,
# neglect, disappointment, "only", score.
FORBIDDEN_ES = re.compile(
    r"\b(fall\w*|fracas\w*|romp\w*|rot[oa]s?|peor(es)?|deber\w*|deb(e|en|es|ían|erían)"
    r"|culpa\w*|mal[oa]?s?|atrás|atrasad\w*|perd\w*|pérdida|descuid\w*|decepci\w*"
    r"|insuficiente\w*|solo|solamente|lamentablemente|puntuaci\w*|nota)\b",
    re.IGNORECASE)
# German: failing, worse, ought to, blame, fault, bad, losing, neglect, disappointment, "only",
# "sadly", points.
FORBIDDEN_DE = re.compile(
    r"\b(versag\w*|scheiter\w*|schlecht\w*|schlimm\w*|sollt\w*|müsst\w*|schuld\w*|fehler\w*"
    r"|verlor\w*|verlier\w*|vernachlässig\w*|enttäusch\w*|nicht genug|nur|leider|punkte\w*"
    r"|rückstand)\b", re.IGNORECASE)
# French: the same.
FORBIDDEN_FR = re.compile(
    r"\b(échou\w*|échec\w*|raté\w*|pire\w*|devri\w*|devez|faute\w*|mauvais\w*|perd\w*|perte\w*"
    r"|néglig\w*|déçu\w*|décevant\w*|pas assez|seulement|malheureusement|score\w*|note)\b",
    re.IGNORECASE)
# Italian: the same.
FORBIDDEN_IT = re.compile(
    r"\b(fallit\w*|fallimento|peggio\w*|peggior\w*|dovrest\w*|colpa\w*|sbagli\w*|cattiv\w*"
    r"|pers[oaie]|perdere|trascur\w*|delus\w*|non abbastanza|soltanto|purtroppo|punteggi\w*"
    r"|voto)\b", re.IGNORECASE)
# Portuguese: the same.
FORBIDDEN_PT = re.compile(
    r"\b(falh\w*|fracass\w*|pior\w*|deveri\w*|culpa\w*|errad\w*|ruim|perd\w*|neglig\w*"
    r"|descuid\w*|decepç\w*|decepcion\w*|insuficiente\w*|somente|apenas|infelizmente"
    r"|pontua\w*|nota)\b", re.IGNORECASE)
# Where a listed word is the skill speaking of itself, not of the couple.
ABOUT_ITSELF = re.compile(r"\bshould I\b|went wrong on my side|\bshould I call\b", re.IGNORECASE)
# The prompts that speak of the couple's history, their check and their close: no exception.
ABOUT_THE_COUPLE = ("history.", "trend.", "awareness.", "close.", "small.", "plan.")
WEEK = 7 * DAY_SECONDS


def _blame(text: str) -> list[str]:
    return [m.group(0) for m in FORBIDDEN.finditer(ABOUT_ITSELF.sub(" ", text))]


@pytest.mark.parametrize("locale", available_locales())
def test_no_rendered_prompt_speaks_words_of_blame(locale):
    rendered = render_all(locale, [])
    assert len(rendered) > 200
    found = {name: _blame(ssml_text.spoken_text(ssml)) for name, ssml in rendered}
    assert {name: words for name, words in found.items() if words} == {}


FORBIDDEN_BY_LANGUAGE = {"en": FORBIDDEN, "es": FORBIDDEN_ES, "de": FORBIDDEN_DE,
                         "fr": FORBIDDEN_FR, "it": FORBIDDEN_IT, "pt": FORBIDDEN_PT}


def _forbidden(locale: str) -> re.Pattern[str]:
    """A new language adds its own list here: a missing one fails, rather than passing unread."""
    return FORBIDDEN_BY_LANGUAGE[language_of(locale)]


@pytest.mark.parametrize("locale", available_locales())
def test_prompts_about_the_couple_use_none_of_the_words_at_all(locale):
    rendered = render_all(locale, list(ABOUT_THE_COUPLE))
    assert any(name.startswith("trend.") for name, _ in rendered)
    for name, ssml in rendered:
        text = ssml_text.spoken_text(ssml)
        assert not _forbidden(locale).findall(text), (name, text)


def test_the_spanish_finder_catches_blame():
    found = FORBIDDEN_ES.findall("Rompieron su racha, y este mes fue peor. Deberían hablar más.")
    assert [m[0] for m in found] == ["Rompieron", "peor", "Deberían"]


def test_the_finder_catches_blame():
    assert _blame("You broke your streak, and things got worse.") == ["broke", "worse"]
    assert _blame("You should talk more. You failed this month.") == ["should", "failed"]
    assert _blame("What should I call one of you?") == []


def _weeks(counts: list[int]) -> tuple[CheckRecord, ...]:
    start = T0 - (len(counts) - 1) * WEEK
    return tuple(CheckRecord(start + i * WEEK, f"day{i}", signs=tuple(range(1, n + 1)))
                 for i, n in enumerate(counts))


@pytest.mark.parametrize("counts", [
    [1, 1, 1, 1, 5, 5, 5, 5],  # a much harder month
    [0, 0, 0, 0, 2, 2, 2, 3],
    [4, 4, 4, 4, 1, 0, 0, 1],
    [2, 2, 2, 2, 2, 2, 2, 2],
    [5],
])
@pytest.mark.parametrize("walk", [False, True])
@pytest.mark.parametrize("locale", ["en-US", "es-MX", "es-ES"])
def test_how_are_we_doing_speaks_every_trend_without_blame(counts, walk, locale):
    profile = Profile(names=("Sam", "Alex"), named=True, completed=9, streak=1, best_streak=6,
                      total_seconds=(2000, 2100))
    play = Player(begin(profile, (), checks=_weeks(counts)), now=T0 + 60)
    step = play(Kind.HISTORY)
    assert any(p.key.startswith("trend.") for p in step.reply.speech if hasattr(p, "key"))
    text = ssml_text.spoken_text(Voice(locale, profile.names, walk=walk).render(step.reply).speech)
    assert not _forbidden(locale).findall(text), text
