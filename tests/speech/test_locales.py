"""Parity across locales: what a translator adding a language or a prompt must not miss.

Each failure names the locale and what it lacks: a prompt key, a placeholder, an intent or slot,
a sample count, an example phrase the model does not match, SSML Alexa would refuse, or English
words left in another language's prompts. See README, "Locales: how to add one".
"""
from __future__ import annotations

import json
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from checkin.alexa import intents
from checkin.speech import prompts as prompt_files
from checkin.speech.languages import en, es, grammar
from checkin.speech.prompts import (
    DEFAULT_LOCALE,
    LOCALES,
    available_locales,
    language_of,
    overrides,
    prompts,
    resolve_locale,
)
from devtools import nlu, ssml_text, sync_model
from devtools.listen import render_all

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = json.loads((ROOT / "skill-package" / "skill.json").read_text(encoding="utf-8"))
STORE = MANIFEST["manifest"]["publishingInformation"]["locales"]
OTHER_LANGUAGES = [locale for locale in LOCALES if not locale.startswith("en")]
# English words that have no business in another language's prompts ("Alexa" is a name).
ENGLISH_STOP_WORDS = frozenset((
    "the", "and", "you", "your", "with", "please", "okay", "yes", "partner", "turn", "turns",
    "question", "minute", "minutes", "tonight", "sorry", "thank", "thanks", "ready", "done",
    "skip", "help", "check", "welcome", "goodnight", "reminder", "time", "say", "stop",
))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _expected_keys(locale: str) -> set[str]:
    """English's keys, with the clock words of the locale's own language."""
    language = grammar(language_of(locale))
    return (set(prompts(DEFAULT_LOCALE)) - set(en.CLOCK_KEYS)) | set(language.CLOCK_KEYS)


# --- locales and lazy loading ------------------------------------------------------------------

@pytest.mark.parametrize(("tag", "locale"), [
    ("en-US", "en-US"), ("en_gb", "en-GB"), ("EN-in", "en-IN"), ("es-ES", "es-ES"),
    ("es-AR", "es-MX"), ("es", "es-MX"), ("en-NZ", "en-US"), ("de-DE", "en-US"), ("", "en-US"),
    (None, "en-US"), ("xx", "en-US"),
])
def test_an_unknown_locale_speaks_its_languages_default_else_american_english(tag, locale):
    assert resolve_locale(tag) == locale


def test_every_locale_is_in_the_store_and_has_a_model():
    assert sorted(STORE) == available_locales() == sync_model.source_locales(ROOT)


def test_only_the_requests_locale_is_read_and_nothing_at_import():
    # Given a fresh interpreter with the handler imported, Then no prompt file was read and no
    # language module loaded; When one Spanish locale speaks, only it is read.
    code = (
        "import sys, lambda_function\n"
        "from checkin.speech.prompts import prompts\n"
        "assert prompts.cache_info().currsize == 0, 'prompts read at import'\n"
        "assert 'checkin.speech.languages.es' not in sys.modules\n"
        "from checkin.speech.render import Voice\n"
        "Voice('es-ES').text('consent.ask')\n"
        "assert prompts.cache_info().currsize == 1\n"
        "assert 'checkin.speech.languages.en' not in sys.modules\n"
        "assert 'checkin.speech.crisis' in sys.modules\n"
        "from checkin.speech import crisis\n"
        "assert crisis.resources.cache_info().currsize == 0, 'crisis lines read before needed'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": f"{ROOT / 'lambda'}:{ROOT}", "AWS_REGION": "us-east-1",
                               "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x",
                               "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr[-1500:]


# --- prompts -----------------------------------------------------------------------------------

@pytest.mark.parametrize("locale", available_locales())
def test_every_prompt_key_is_in_every_locale(locale):
    have, want = set(prompts(locale)), _expected_keys(locale)
    assert not want - have, f"{locale} lacks {sorted(want - have)}"
    assert not have - want, f"{locale} has keys English does not: {sorted(have - want)}"


@pytest.mark.parametrize("locale", available_locales())
def test_a_locale_file_only_changes_prompts_its_language_has(locale):
    source = prompt_files._read(prompt_files.LOCALES_DIR / f"{language_of(locale)}.json")
    assert set(overrides(locale)) <= set(source), sorted(set(overrides(locale)) - set(source))


@pytest.mark.parametrize("locale", available_locales())
def test_every_wording_keeps_the_english_placeholders(locale):
    reference = prompts(DEFAULT_LOCALE)
    for key, wordings in prompts(locale).items():
        if key.startswith("clock.") or key not in reference:
            continue
        english = set().union(*(_fields(w) for w in reference[key]))
        for wording in wordings:
            assert _fields(wording) == english, f"{locale} {key}: {wording!r}"


@pytest.mark.parametrize("locale", available_locales())
def test_questions_and_invitations_have_as_many_wordings_as_english(locale):
    for key, wordings in prompts(DEFAULT_LOCALE).items():
        if key.startswith(("question.", "turn.invite")):
            assert len(prompts(locale)[key]) >= len(wordings), f"{locale} {key}"
            assert len(set(prompts(locale)[key])) == len(prompts(locale)[key]), key


@pytest.mark.parametrize("locale", available_locales())
def test_every_prompt_renders_to_ssml_alexa_accepts(locale):
    rendered = render_all(locale, [])
    assert len(rendered) > 180
    for name, ssml in rendered:
        assert ssml_text.problems(ssml) == [], f"{locale} {name}"


@pytest.mark.parametrize("locale", OTHER_LANGUAGES)
def test_no_english_words_are_left_in_another_languages_prompts(locale):
    for key, wordings in prompts(locale).items():
        for wording in wordings:
            said = ssml_text.spoken_text(re.sub(r"\{[^}]*\}", " ", wording)).lower()
            words = set(re.findall(r"\w+", said))
            assert not words & ENGLISH_STOP_WORDS, f"{locale} {key}: {wording!r}"


def test_the_english_stop_list_catches_an_untranslated_prompt():
    words = set(re.findall(r"[a-z]+", "Thank you, {speaker}.".lower()))
    assert words & ENGLISH_STOP_WORDS


# --- the grammar of each language ---------------------------------------------------------------

@pytest.mark.parametrize(("hour", "minute", "english", "spanish"), [
    (21, 0, "9 PM", "las 9 de la noche"),
    (13, 30, "1:30 PM", "la una y media de la tarde"),
    (8, 15, "8:15 AM", "las 8 y cuarto de la mañana"),
    (20, 45, "8:45 PM", "cuarto para las 9 de la noche"),
    (2, 10, "2:10 AM", "las 2 y 10 de la madrugada"),
    (12, 0, "noon", "las doce del mediodía"),
    (0, 0, "midnight", "la medianoche"),
])
def test_clock_times_as_each_language_says_them(hour, minute, english, spanish):
    assert en.clock_time(hour, minute, prompts("en-US")) == english
    assert es.clock_time(hour, minute, prompts("es-MX")) == spanish


def test_spain_says_a_quarter_to_its_own_way_and_britain_writes_pm_small():
    assert es.clock_time(20, 45, prompts("es-ES")) == "las 9 menos cuarto de la noche"
    assert en.clock_time(20, 30, prompts("en-GB")) == "8:30 pm"


@pytest.mark.parametrize(("n", "feminine", "before_noun", "alone"), [
    (1, "primera", "primer", "primero"), (2, "segunda", "segundo", "segundo"),
    (3, "tercera", "tercer", "tercero"), (10, "décima", "décimo", "décimo"),
    (12, "duodécima", "duodécimo", "duodécimo"), (13, "decimotercera", "decimotercero",
                                                  "decimotercero"),
    (21, "vigésima primera", "vigésimo primer", "vigésimo primero"),
])
def test_spanish_ordinals_agree_with_their_noun(n, feminine, before_noun, alone):
    assert (es.number(n, "of"), es.number(n, "om"), es.number(n, "o")) == \
        (feminine, before_noun, alone)


def test_english_ordinals_use_say_as_and_spanish_never_does():
    assert en.number(12, "o") == '<say-as interpret-as="ordinal">12</say-as>'
    assert "say-as" not in "".join(es.number(n, form) for n in range(1, 40)
                                   for form in ("o", "of", "om", "date"))


@pytest.mark.parametrize(("n", "category"), [(0, "other"), (1, "one"), (2, "other"),
                                             (21, "other")])
def test_plural_categories(n, category):
    assert en.plural(n) == es.plural(n) == category


@pytest.mark.parametrize(("text", "polished"), [
    ("Hola de nuevo, Sam y Inés.", "Hola de nuevo, Sam e Inés."),
    ("Sam y Hilario", "Sam e Hilario"), ("Sam y hielo", "Sam y hielo"),
    ("Ana o Olga", "Ana u Olga"), ("siete o ocho", "siete u ocho"), ("Ana o Pedro", "Ana o Pedro"),
])
def test_spanish_and_and_or_change_before_the_same_sound(text, polished):
    assert es.polish(text) == polished


@pytest.mark.parametrize(("locale", "spoken"), [
    ("en-US", 'on December <say-as interpret-as="ordinal">1</say-as> at 9 PM'),
    ("en-GB", 'on the <say-as interpret-as="ordinal">1</say-as> of December at 9 pm'),
    ("es-MX", "el primero de diciembre a las 9 de la noche"),
    ("es-ES", "el 1 de diciembre a las 9 de la noche"),
])
def test_dates_as_each_country_says_them(locale, spoken):
    from checkin.ritual.reply import Reply, Say, TimeOnDay
    from checkin.speech.render import Voice
    reply = Reply((Say.of("remind.set_once", time=TimeOnDay("21:00", 9, 1, 12, 1)),))
    assert spoken in Voice(locale).render(reply).speech


@pytest.mark.parametrize(("locale", "one", "two"), [
    ("en-US", "1 minute", "2 minutes"), ("es-ES", "un minuto", "2 minutos")])
def test_durations_take_the_languages_plural(locale, one, two):
    from checkin.ritual.reply import Duration, Reply, Say
    from checkin.speech.render import Voice
    for seconds, words in ((60, one), (120, two)):
        reply = Reply((Say.of("length.set", minutes=Duration(seconds)),))
        assert words in Voice(locale).render(reply).speech


# --- the interaction models --------------------------------------------------------------------

def _model(locale: str) -> dict:
    return sync_model.model_for(locale, ROOT)


def _intents(locale: str) -> dict[str, dict]:
    return {i["name"]: i for i in _model(locale)["interactionModel"]["languageModel"]["intents"]}


@pytest.mark.parametrize("locale", available_locales())
def test_every_model_has_every_intent_and_slot_of_the_contract(locale):
    found = _intents(locale)
    assert set(found) == set(intents.ALL_INTENTS), locale
    reference = _intents(DEFAULT_LOCALE)
    for name, intent in found.items():
        assert intent.get("slots", []) == reference[name].get("slots", []), f"{locale} {name}"


@pytest.mark.parametrize("locale", available_locales())
def test_every_intent_has_at_least_as_many_samples_as_english(locale):
    reference = _intents(DEFAULT_LOCALE)
    for name, intent in _intents(locale).items():
        have, want = len(intent["samples"]), len(reference[name]["samples"])
        assert have >= want, f"{locale} {name}: {have} samples, English has {want}"


@pytest.mark.parametrize("locale", available_locales())
def test_no_sample_is_in_two_intents_and_every_slot_is_used(locale):
    owners: dict[str, set[str]] = {}
    for name, intent in _intents(locale).items():
        declared = {slot["name"] for slot in intent.get("slots", [])}
        used = {ref for sample in intent["samples"] for ref in re.findall(r"\{(\w+)\}", sample)}
        assert used == declared, f"{locale} {name}"
        for sample in intent["samples"]:
            owners.setdefault(" ".join(nlu.tokens(sample)), set()).add(name)
    shared = {sample: names for sample, names in owners.items() if len(names) > 1}
    assert shared == {}, locale


@pytest.mark.parametrize("locale", available_locales())
def test_custom_slot_values_have_the_same_ids_in_every_locale(locale):
    def ids(model: dict) -> dict[str, list[str]]:
        return {t["name"]: [v["id"] for v in t["values"]]
                for t in model["interactionModel"]["languageModel"].get("types", [])}
    assert ids(_model(locale)) == ids(_model(DEFAULT_LOCALE))


def _matched(locale: str, phrase: str) -> str:
    """The intent an "Alexa, ..." phrase reaches through the locale's model, or "launch"."""
    understand = nlu.for_locale(locale)
    invoked = understand.invocation(phrase)
    assert invoked is not None, f"{locale}: {phrase!r} does not invoke the skill"
    kind, rest = invoked
    return "launch" if kind == "launch" else understand.resolve(rest, fuzzy=False).intent


@pytest.mark.parametrize(("locale", "phrase"), [
    (locale, phrase) for locale, entry in STORE.items() for phrase in entry["examplePhrases"]])
def test_every_example_phrase_is_matched_by_its_locales_model(locale, phrase):
    assert _matched(locale, phrase) != nlu.FALLBACK


@pytest.mark.parametrize("locale", available_locales())
def test_the_store_entry_is_complete_and_speaks_the_locales_language(locale):
    entry = STORE[locale]
    assert entry["name"] and entry["summary"] and len(entry["keywords"]) >= 5
    assert len(entry["examplePhrases"]) == 3
    invocation = _model(locale)["interactionModel"]["languageModel"]["invocationName"]
    assert all(invocation in phrase for phrase in entry["examplePhrases"])
    disclaimer = {"en": "not a substitute for professional advice",
                  "es": "no sustituye el consejo profesional"}[language_of(locale)]
    assert disclaimer in " ".join(entry["description"].split()).lower()
    urls = MANIFEST["manifest"]["privacyAndCompliance"]["locales"][locale]
    assert urls["privacyPolicyUrl"].startswith("https://")


@pytest.mark.parametrize("locale", OTHER_LANGUAGES)
def test_every_phrase_a_spanish_prompt_offers_is_heard_as_a_command(locale):
    understand = nlu.for_locale(locale)
    for key, wordings in prompts(locale).items():
        for wording in wordings:
            for offered in re.findall(r"\b(?:di|digan|decid):\s*([^.?]+)", wording):
                offered = re.split(r",\s+y\s+", offered)[0]  # "saltar, y usaré ..."
                if offered.startswith("Alexa"):  # a one-shot: the skill's own words after it
                    assert _matched(locale, offered) != nlu.FALLBACK, f"{locale} {key}"
                    continue
                # "digan: seguir, o: para": the "o" before a colon joins two offers.
                offered = re.sub(r"\b(?:o\s*)?(?:di|digan|decid)?:", ",", offered)
                for phrase in re.split(r",\s*(?:o\s+)?|\s+o\s+", offered):
                    phrase = phrase.strip(" :")
                    if not phrase or phrase.startswith("Alexa"):
                        continue
                    heard = understand.resolve(phrase, fuzzy=False)
                    assert heard.intent != nlu.FALLBACK, f"{locale} {key}: {phrase!r}"
