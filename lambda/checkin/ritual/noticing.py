"""The check of the five signs, as the couple hears it: offered once a week after consent, or
asked for ("how connected are we"); one line per sign, answered together in one word.

Each function takes the state (and what was heard) and returns a Step; stages.py names them
through the thin handlers in answers.py. What is kept is awareness.CheckRecord: numbers only.
"""
from __future__ import annotations

from checkin.records import replace
from checkin.ritual import awareness, turns
from checkin.ritual.awareness import Noticing
from checkin.ritual.clock import local_day
from checkin.ritual.prompting import goodbye, opening_state, prompt_step, with_effects
from checkin.ritual.reply import Part, RecordCheck, Reply, SaveProfile, Say
from checkin.ritual.state import Stage, State, Step


def due(state: State, now: int) -> bool:
    return awareness.offer_due(state.profile, now)


def offer(state: State, now: int, lead: tuple[Part, ...] = ()) -> Step:
    """After "yes, now is good": the week's check, before the first question."""
    profile = replace(state.profile, awareness_asked_at=now)
    offering = state.at(Stage.OFFER_AWARENESS, profile=profile, noticing=Noticing(then_ritual=True))
    return with_effects(prompt_step(offering, lead), (SaveProfile(profile),))


def on_request(state: State, now: int, lead: tuple[Part, ...] = ()) -> Step:
    """ "How connected are we": the check now, then the opening question. It counts as this
    week's, so it is not offered again within seven days."""
    profile = replace(state.profile, awareness_asked_at=now)
    asking = state.at(Stage.AWARENESS, profile=profile, noticing=Noticing(), paused_from=None)
    # Not offered first, so it says what it is before its first line.
    intro = (Say.of("awareness.intro"),)
    return with_effects(prompt_step(asking, lead + intro), (SaveProfile(profile),))


def begin(state: State, now: int) -> Step:
    """ "Yes" to the offer: the first line."""
    then_ritual = state.noticing.then_ritual if state.noticing else True
    return prompt_step(state.at(Stage.AWARENESS, noticing=Noticing(then_ritual=then_ritual)))


def answered(state: State, level: int, now: int) -> Step:
    """One word for the line just read; the next line, or what the check found."""
    noticing = (state.noticing or Noticing()).answered(level)
    state = replace(state, noticing=noticing)
    if not noticing.done:
        return prompt_step(state)
    return _finish(state, now)


def skip(state: State, now: int) -> Step:
    """ "Skip", at the offer or partway: on at once, keeping only what was already answered."""
    noticing = state.noticing or Noticing()
    key = "awareness.skipped" if noticing.answers else "awareness.declined"
    step = carry_on(state, now, (Say.of(key),))
    found = noticing.to_record(now, _today(state, now))
    if found is None:
        return step
    step = replace(step, state=replace(step.state, checks=awareness.latest(state.checks, found)))
    return with_effects(step, (RecordCheck(found),))


def carry_on(state: State, now: int, lead: tuple[Part, ...] = ()) -> Step:
    """After the check: the questions, when it was offered after consent; else the opening."""
    noticing = state.noticing or Noticing()
    state = replace(state, noticing=None, paused_from=None)
    if noticing.then_ritual:
        return turns.start_ritual(state.at(Stage.CONSENT), now, lead)
    return prompt_step(opening_state(state), lead)


def go_on_after_safety(state: State, now: int) -> Step:
    """ "Yes, we'd still like to go on": the questions (on request too, for a named couple)."""
    state = replace(state, noticing=None, paused_from=None)
    if not state.profile.named:
        return prompt_step(opening_state(state), (Say.of("awareness.safe.go_on"),))
    return turns.start_ritual(state.at(Stage.CONSENT), now, (Say.of("awareness.safe.go_on"),))


def rest_after_safety(state: State, now: int) -> Step:
    """ "No, not now": a kind goodbye. Nothing more is asked."""
    ended = state.at(Stage.ENDED, noticing=None, paused_from=None)
    return Step(ended, Reply((Say.of("awareness.safe.rest"), goodbye(state)), end_session=True))


def _finish(state: State, now: int) -> Step:
    noticing = state.noticing or Noticing()
    found = noticing.to_record(now, _today(state, now))
    assert found is not None
    checks = awareness.latest(state.checks, found)
    state = replace(state, checks=checks)
    effects: tuple = (RecordCheck(found),)
    if noticing.affirmed(awareness.SAFE):
        # Acknowledged warmly; the safety phrase and a therapist are mentioned once, here.
        profile = replace(state.profile, therapist_noted_at=now)
        asking = state.at(Stage.AWARENESS_SAFETY, profile=profile)
        support = (Say.of("awareness.safe.thanks"), Say.of("awareness.safe.support"))
        return with_effects(prompt_step(asking, support), effects + (SaveProfile(profile),))
    thanks = "awareness.thanks" if found.count else "awareness.thanks.none"
    lead: tuple[Part, ...] = (Say.of(thanks),)
    since = awareness.stuck_since(checks)
    if since is not None and state.profile.therapist_noted_at < since:
        # Most signs, several weeks running: said once for the run, and never a diagnosis.
        profile = replace(state.profile, therapist_noted_at=now)
        state = replace(state, profile=profile)
        lead += (Say.of("awareness.stuck"),)
        effects += (SaveProfile(profile),)
    return with_effects(carry_on(state, now, lead), effects)


def _today(state: State, now: int) -> str:
    return local_day(now, state.profile.time_zone).isoformat()
