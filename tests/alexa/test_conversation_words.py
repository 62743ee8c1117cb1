"""The words a couple says, and the words the skill offers them, from issue 11.

Most tests play a conversation through `lambda_handler` and choose each intent the way Alexa
would: by resolving what the couple says with the real interaction model (devtools.nlu). So a
phrase missing from the model fails here just as it fails on an Echo.

The last part holds every prompt to its promise: each option it offers ("say start fresh",
"You can say yes, or not now", "For example, later tonight") must be a sample of an intent,
and, where the prompt belongs to a stage, of an intent that stage acts on.
"""
from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path

import pytest

from checkin.alexa import handlers, intents
from checkin.ritual.events import Event
from checkin.ritual.machine import advance
from checkin.ritual.prompting import prompt_step
from checkin.ritual.reply import Say
from checkin.ritual.state import Stage
from devtools import nlu
from devtools.alexa_api import TIMERS_SCOPE
from devtools.envelopes import Conversation
from tests.ritual_helpers import player_at
from tests.skill_fixtures import allow, household

PROMPTS_PATH = (Path(__file__).resolve().parents[2]
                / "lambda" / "checkin" / "speech" / "locales" / "en.json")


def say(talk: Conversation, utterance: str, *, expecting_name: bool = False) -> None:
    """The couple says `utterance`; Alexa resolves it with the model and sends the intent."""
    intent, slots = nlu.resolve(utterance, expecting_name, today=talk.clock.date())
    talk.intent(intent, **slots)


def open_with_names(talk: Conversation, first: str = "Priya", second: str = "Mateo") -> None:
    """S: open connection check in / Priya / Mateo."""
    talk.launch()
    say(talk, first, expecting_name=True)
    say(talk, second, expecting_name=True)


# --- defect 2: "start fresh" ----------------------------------------------------------------

def test_start_fresh_at_the_resume_offer_starts_a_fresh_check_in(talk):
    # issue 11, defect 2
    open_with_names(talk)
    say(talk, "yes")
    talk.advance(50)
    say(talk, "I'm done")
    talk.end_session()
    talk.advance(300)
    talk.launch()
    say(talk, "yes")
    assert "Shall we pick up there?" in talk.speech
    assert "start fresh" in talk.reprompt
    say(talk, "start fresh")
    assert "fresh start" in talk.speech and "carry on" not in talk.speech
    assert "Priya" in talk.speech or "Mateo" in talk.speech  # the first turn begins


# --- defect 3: consent ----------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["I'm done", "that's all"])
def test_i_m_done_at_is_now_a_good_time_never_starts_the_check_in(talk, answer):
    # issue 11, defect 3
    open_with_names(talk)
    assert "good time for both of you" in talk.speech
    say(talk, answer)
    assert "Wonderful" not in talk.speech and "you're first" not in talk.speech
    assert talk.session_open
    say(talk, "yes")
    assert "Wonderful" in talk.speech  # a clear yes still starts it


def test_give_me_a_minute_at_consent_gives_the_couple_time(talk):
    # issue 11, defect 3
    open_with_names(talk)
    say(talk, "give me a minute")
    assert "Take your time" in talk.speech and "didn't quite get that" not in talk.speech
    assert talk.session_open
    talk.advance(40)
    say(talk, "yes")
    assert "Wonderful" in talk.speech


# --- defect 8: "I am ready" is not a name ---------------------------------------------------

@pytest.mark.alexa_api("UTC")
def test_i_am_ready_at_a_walk_hand_over_starts_the_next_turn(talk, api):
    # issue 11, defect 8
    open_with_names(talk)
    say(talk, "stop")
    talk.advance(60)
    say(talk, "start a walk check in")
    [ask] = [d for d in talk.directives if d["type"] == "Connections.SendRequest"]
    allow(talk, api, TIMERS_SCOPE)
    talk.connections_response("ACCEPTED", token=ask["token"])
    say(talk, "yes")
    first = talk.speech
    talk.advance(240)
    api.fire_due()
    say(talk, "I am ready")  # "Alexa, tell connection check in I am ready"
    assert "Welcome back" not in talk.speech and "good time" not in talk.speech
    assert "I've set a timer" in talk.speech
    second = "Mateo" if "Priya, you first" in first else "Priya"
    assert talk.speech.startswith(f"{second}, ")


def test_ready_heard_as_a_name_at_the_hand_over_is_ready(talk):
    # issue 11, defect 8: Alexa may fill "I am {name}" with "ready"
    open_with_names(talk)
    say(talk, "yes")
    talk.advance(30)
    say(talk, "I'm done")  # the second turn is held in the same response, then a hand-over
    # the second speaker starts the next question, so is named once: "Thank you, X. …, and
    # you'll start this one"
    starter = re.search(r"Thank you, (\w+)\. On to the next question", talk.speech).group(1)
    talk.advance(130)
    talk.intent(intents.NAME, name="ready")
    assert "didn't quite get that" not in talk.speech
    assert talk.speech.startswith(f"{starter}, ") and "<break time=" in talk.speech_ssml
    assert "Ready" not in json.dumps(talk.last_response.get("sessionAttributes", {}))


# --- defect 14: names -------------------------------------------------------------------------

def test_a_couple_who_share_a_first_name_can_both_use_it(talk):
    # issue 11, defect 14a
    open_with_names(talk, "Priya", "Priya")
    assert "didn't catch a name" not in talk.speech
    assert "good time for both of you" in talk.speech
    say(talk, "yes")
    assert "Priya" in talk.speech and "partner two" not in talk.speech


def test_call_me_fixes_a_misheard_name_and_keeps_the_history(talk, moto_repository):
    # issue 11, defect 14b
    open_with_names(talk, "Priya", "Matthew")
    say(talk, "yes")
    for _ in range(6):
        talk.advance(40)
        say(talk, "I'm done")
    assert "Thank you both" in talk.speech
    talk.advance(3600)
    talk.launch()
    say(talk, "call me Mateo")  # a name alone could be a stray word: how to change them
    assert "change our names" in talk.speech
    say(talk, "change our names")
    say(talk, "Mateo", expecting_name=True)
    assert "Mateo" in talk.speech and "other partner" in talk.speech
    say(talk, "Priya", expecting_name=True)
    assert "good time for both of you" in talk.speech
    profile = moto_repository.load(household(), talk.now).profile
    assert set(profile.names) == {"Priya", "Mateo"} and profile.completed == 1
    say(talk, "how are we doing")
    assert "first check-in" in talk.speech


@pytest.mark.parametrize("utterance", ["change our names", "my name is Mateo"])
def test_names_can_be_changed_after_the_opening(talk, moto_repository, utterance):
    # issue 11, defect 14b
    open_with_names(talk, "Priya", "Matthew")
    say(talk, utterance)
    if "Mateo" in utterance:  # a name alone could be a stray word: how to change them
        assert "change our names" in talk.speech and "Matthew" not in talk.speech
        say(talk, "change our names")
    assert "what should I call" in talk.speech
    if "Mateo" not in talk.speech:
        say(talk, "Mateo", expecting_name=True)
    say(talk, "Priya", expecting_name=True)
    assert "good time for both of you" in talk.speech
    assert set(moto_repository.load(household(), talk.now).profile.names) == {"Priya", "Mateo"}


@pytest.mark.parametrize("heard", ["42", "forty two"])
def test_a_number_is_not_taken_for_a_name(talk, heard):
    # issue 11, defect 14c
    talk.launch()
    say(talk, heard, expecting_name=True)
    assert "Forty Two" not in talk.speech
    assert "didn't catch a name" in talk.speech and "what should I call" in talk.speech


# --- defect 15: turn length ---------------------------------------------------------------

def test_one_minute_turns_can_be_chosen(talk):
    # issue 11, defect 15
    open_with_names(talk)
    say(talk, "make the turns 1 minute")
    assert "1 minute" in talk.speech and "one to five" not in talk.speech
    say(talk, "yes")
    assert talk.speech_ssml.count('<break time="10s"/>') == 6  # one minute held, in tens


def test_turns_can_be_made_shorter_and_longer_and_the_length_is_said(talk):
    # issue 11, defect 15
    open_with_names(talk)
    say(talk, "make the turns shorter")
    assert "Turns are now 1 minute" in talk.speech
    say(talk, "make the turns shorter")
    assert "1 minute" in talk.speech and "shortest" in talk.speech
    say(talk, "make the turns longer")
    assert "Turns are now 2 minutes" in talk.speech
    say(talk, "make the turns five minutes")
    say(talk, "make the turns longer")
    assert "5 minutes" in talk.speech and "longest" in talk.speech


def test_an_out_of_range_length_says_the_current_length_and_the_range(talk):
    # issue 11, defect 15
    open_with_names(talk)
    say(talk, "make the turns ten minutes")
    assert "Turns are 2 minutes now" in talk.speech and "one to five minutes" in talk.speech
    say(talk, "how long are the turns")
    assert "Turns are 2 minutes now" in talk.speech


# --- every option a prompt offers is understood -----------------------------------------------
# How offered phrases are found in a prompt's text (placeholders filled, SSML tags dropped):
#
# - `say: X` or `say "X"`: X, verbatim, to the end of the sentence (or the closing quote).
#   Write long or comma-holding options this way: "say: make the turns three minutes".
# - `say X, Y, or Z`: short options separated by commas and "or"; each ends at a linking word
#   ("say ready when you are", "say yes to delete, or no to keep them" give ready, yes, no).
#   "Say what comes to mind" (say + a question word) invites talk and offers nothing.
# - `For example, X, or Y`: examples, each kept whole ("tomorrow at eight").
# - A sentence that is only options: "Yes or no."
# - An option starting "Alexa, ..." is said later, to Alexa: it must invoke the skill, and
#   what follows the invocation name must resolve.
#
# Options offered without any of these (a question's "or") are not found; offer them with say.
#
# Each option must then be a sample of an intent (matched exactly or through a slot, never by a
# near miss), options offered side by side must reach different intents, and where the prompt
# is a stage's question or reprompt, that stage must act on the intent (not answer "Sorry, I
# didn't quite get that"). An option heard as a bare first name fails, except where a name is
# asked for.

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_SAY = re.compile(r"\bsay\b", re.IGNORECASE)
_EXAMPLE = re.compile(r"\bfor example,?\s*", re.IGNORECASE)
_ONLY_OPTIONS = re.compile(r"^(\w+(?: \w+)?) or (\w+(?: \w+)?)[.?!]?$", re.IGNORECASE)
_INVITATION = frozenset(("what", "how", "when", "why", "who", "where", "which", "whatever",
                         "something", "anything", "more", "it", "that", "so"))
_LINKING = frozenset(("when", "whenever", "and", "to", "if", "then", "once", "so", "while",
                      "because", "as"))


def prompt_text(template: str) -> str:
    """A template as it might be spoken: tags dropped, placeholders filled with a name."""
    text = re.sub(r"<[^>]+>", " ", template)
    text = re.sub(r"\{[^}]*\}", "Priya", text)
    return " ".join(text.split())


def _options_after_plain_say(rest: str) -> list[str]:
    options = []
    for chunk in re.split(r",|\bor\b", rest):
        kept = []
        for word in chunk.split():
            if word.lower() in _LINKING:
                break
            kept.append(word)
        option = " ".join(kept).strip(" .?!")
        if option:
            options.append(option)
    return options


def offered_phrases(text: str) -> tuple[list[str], list[str]]:
    """(options offered with "say", examples offered with "for example") in a prompt's text."""
    options: list[str] = []
    examples: list[str] = []
    for sentence in _SENTENCE_END.split(prompt_text(text)):
        sentence = sentence.strip()
        only = _ONLY_OPTIONS.match(sentence)
        if only:
            options.extend(only.groups())
            continue
        pieces = _SAY.split(sentence)
        for piece in pieces[1:]:
            piece = piece.strip()
            if piece.startswith(":"):
                rest = piece[1:].split('"')[0].strip()
                if rest.lower().startswith("alexa"):
                    options.append(rest.strip(" .?!"))  # a one-shot: verbatim, commas and all
                else:
                    options.extend(_options_after_plain_say(rest))
                break  # the rest of the sentence is the list of options
            if piece[:1] in "\"\u201c":
                options.append(re.split("[\"\u201d]", piece[1:])[0].strip(" .?!"))
                continue
            first = piece.split()[0].lower() if piece.split() else ""
            if first in _INVITATION:
                continue
            options.extend(_options_after_plain_say(piece))
        if len(pieces) == 1:
            found = _EXAMPLE.search(sentence)
            if found:
                rest = sentence[found.end():]
                examples.extend(e.strip(" .?!") for e in re.split(r",|\bor\b", rest)
                                if e.strip(" .?!"))
    return options, examples


@pytest.mark.parametrize(("text", "options", "examples"), [
    ("Would you like to pick up? Say yes, or say start fresh.", ["yes", "start fresh"], []),
    ("Is this a good moment? You can say yes, or not now.", ["yes", "not now"], []),
    ("{next}, say ready when you'd like to begin. Or say pause, or stop.",
     ["ready", "pause", "stop"], []),
    ("Or say skip, and I'll use partner one and partner two.", ["skip"], []),
    ("Say yes to delete, or no to keep them.", ["yes", "no"], []),
    ("You can say I'm done, more time, repeat, pause, or stop.",
     ["I'm done", "more time", "repeat", "pause", "stop"], []),
    ("For example, say: make the turns three minutes.", ["make the turns three minutes"], []),
    ("Just say: Alexa, tell connection check in to carry on.",
     ["Alexa, tell connection check in to carry on"], []),
    ('Say "start fresh" to begin again.', ["start fresh"], []),
    ("You can also say: how are we doing, start a walk check in, or delete our history.",
     ["how are we doing", "start a walk check in", "delete our history"], []),
    ("When would suit you? For example, later tonight, or tomorrow at eight.",
     [], ["later tonight", "tomorrow at eight"]),
    ("Shall I set a reminder? Yes or no.", ["Yes", "no"], []),
    ("How close have you felt? Say what helps you feel valued.", [], []),
    ("<s>Time's up, {done}.</s> Say ready.", ["ready"], []),
])
def test_offered_phrases_are_found_in_any_wording(text, options, examples):
    # issue 11, defect 2: the finder the prompt test below relies on
    assert offered_phrases(text) == (options, examples)


def _templates() -> list[tuple[str, str]]:
    prompts = json.loads(PROMPTS_PATH.read_text(encoding="utf-8"))
    out = []
    for key, value in prompts.items():
        if key.startswith("_"):  # a note for people, never spoken
            continue
        for variant in value if isinstance(value, list) else [value]:
            out.append((key, variant))
    return out


@functools.cache
def _stages_saying() -> dict[str, set[Stage]]:
    """Which stage asks each prompt key (speech or reprompt), found from the engine itself."""
    found: dict[str, set[Stage]] = {}
    for stage in Stage:
        step = prompt_step(player_at(stage).state)
        for part in step.reply.speech + step.reply.reprompt:
            if isinstance(part, Say):
                found.setdefault(part.key, set()).add(step.state.stage)
    return found


def _event(intent: str, slots: dict[str, str]) -> Event:
    assert intent in handlers.INTENT_EVENTS, intent
    return handlers.intent_event(intent, lambda name: slots.get(name) or None)


def _resolved(phrase: str, expecting_name: bool) -> tuple[str, dict[str, str]]:
    """What Alexa hears for an offered phrase: an intent reached by a sample, never a guess."""
    if phrase.lower().startswith("alexa"):
        invoked = nlu.default_nlu().invocation(phrase)
        assert invoked is not None, f"{phrase!r} does not invoke the skill"
        kind, rest = invoked
        if kind == "launch":
            return "LaunchRequest", {}
        phrase = rest
    intent, slots = nlu.resolve(phrase, expecting_name, fuzzy=False)
    assert intent != nlu.FALLBACK, f"{phrase!r} is not a sample of any intent"
    heard_as_a_name = intent == intents.NAME and \
        " ".join(nlu.normalise(slots.get(intents.NAME_SLOT, ""))) == " ".join(nlu.normalise(phrase))
    assert expecting_name or not heard_as_a_name, f"{phrase!r} would be heard as a name"
    return intent, slots


@pytest.mark.parametrize(("key", "template"), _templates(),
                         ids=[f"{k}[{i}]" for i, (k, _) in enumerate(_templates())])
def test_every_option_a_prompt_offers_reaches_an_intent_its_stage_acts_on(key, template):
    # issue 11, defect 2
    options, examples = offered_phrases(template)
    stages = _stages_saying().get(key, set())
    naming = bool(stages & {Stage.ASK_FIRST_NAME, Stage.ASK_SECOND_NAME})
    reached: dict[str, str] = {}
    for phrase in options + examples:
        intent, slots = _resolved(phrase, naming)
        if phrase in options and phrase not in reached and not phrase.lower().startswith("alexa"):
            assert intent not in reached.values(), \
                f"{key}: {phrase!r} and {reached} offer different things but reach {intent}"
            reached[phrase] = intent
        if intent == "LaunchRequest":
            continue
        for stage in stages:
            play = player_at(stage)
            state = prompt_step(play.state).state
            step = advance(state, _event(intent, slots), play.now + 3)
            assert Say.of("fallback") not in step.reply.speech, \
                f"{key}: {phrase!r} ({intent}) is not understood at {stage}"


def test_an_option_missing_from_the_model_is_caught_not_guessed():
    # issue 11, defect 2: "start fresh" was once a near miss of "let's start", heard as yes
    model = copy.deepcopy(nlu.load_model())
    for intent in model["interactionModel"]["languageModel"]["intents"]:
        intent["samples"] = [s for s in intent["samples"] if "fresh" not in s]
    without = nlu.Nlu(model)
    assert without.resolve("start fresh").intent == intents.YES
    assert without.resolve("start fresh", fuzzy=False).intent == nlu.FALLBACK


def test_the_prompt_test_finds_the_stage_prompts():
    stages = _stages_saying()
    assert stages["resume.reprompt"] == {Stage.OFFER_RESUME}
    assert Stage.CONSENT in stages["consent.reprompt"]
    assert sum(len(offered_phrases(t)[0]) for _, t in _templates()) >= 15
