"""The ritual as a state machine: advance(state, event, now) -> Step.

Pure: time is passed in as epoch seconds from the request, nothing is read or written here.
Stages have their own handlers; what every stage answers the same way lives in `_anywhere`.
"""
from __future__ import annotations

from dataclasses import replace

from checkin.ritual import turns
from checkin.ritual.events import Event, Kind
from checkin.ritual.household import ABANDONED, COMPLETED, MAX_TURN_MINUTES, MIN_TURN_MINUTES, Profile
from checkin.ritual.names import clean_name
from checkin.ritual.reply import (
    DeleteHousehold, Duration, FinishRitual, Ordinal, Part, Partner, Reply, SaveProfile, Say, Step,
)
from checkin.ritual.state import QUESTIONS, Ritual, Stage, State

# An interrupted ritual can be picked up within this long: the same evening.
RESUME_WINDOW_SECONDS = 4 * 3600


def begin(profile: Profile | None, checkpoint: dict | None) -> State:
    """The state at the start of a session, from what the store holds."""
    pending = None
    if checkpoint and isinstance(checkpoint.get("ritual"), dict):
        try:
            pending = Ritual.from_dict(checkpoint["ritual"])
        except (KeyError, TypeError, ValueError):
            pending = None  # an unreadable checkpoint is not worth failing a launch over
    return State(Stage.NEW, profile or Profile(), pending=pending)


def advance(state: State, event: Event, now: int) -> Step:
    state = _catch_up(state, now)
    if event.kind is Kind.SESSION_ENDED:
        return _session_ended(state, now)
    handler = _STAGES.get(state.stage, _new)
    step = handler(state, event, now)
    return step if step is not None else _anywhere(state, event, now)


# --- time ------------------------------------------------------------------------------------

def _catch_up(state: State, now: int) -> State:
    """A hold that has run out ended the turn, whether or not anyone spoke since."""
    ritual = state.ritual
    if state.stage is Stage.TURN and ritual and ritual.elapsed(now) >= ritual.hold_seconds:
        return turns.end_segment(state, ritual.spoken + ritual.hold_seconds)
    return state


def _spoken_so_far(state: State, now: int) -> Ritual:
    ritual = state.ritual
    assert ritual is not None
    return replace(ritual, spoken=ritual.spoken + ritual.elapsed(now), hold_seconds=0)


# --- stages ----------------------------------------------------------------------------------

def _new(state: State, event: Event, now: int) -> Step | None:
    if event.kind in (Kind.STOP, Kind.HELP, Kind.SAFETY, Kind.DELETE_HISTORY):
        return None
    lead, effects, state = _settle_pending(state, now)
    if event.kind is Kind.RESUME and state.pending and state.profile.named:
        # "Alexa, tell connection check in to keep going": the offer is the consent question.
        welcome = Say.of("welcome.back", one=Partner(0), two=Partner(1))
        step = _prompt_step(state.at(Stage.OFFER_RESUME), lead + (welcome,))
    elif event.kind is Kind.HISTORY:
        step = _history(state, lead + _opening(state))
    elif event.kind is Kind.SET_LENGTH:
        step = _set_length(state, event, now) or _opening_step(state, lead)
        return _with_effects(step, effects)
    else:
        step = _opening_step(state, lead)
    return _with_effects(step, effects)


def _ask_first_name(state: State, event: Event, now: int) -> Step | None:
    if event.kind is Kind.NAME:
        name = clean_name(str(event.value or ""))
        if not name:
            return _reply(state, (Say.of("name.unclear"),) + _opening(state))
        return _reply(state.at(Stage.ASK_SECOND_NAME, first_name=name),
                      (Say.of("name.second", first=name),), (Say.of("name.second.reprompt"),))
    if event.kind in (Kind.SKIP, Kind.NO, Kind.DONE):
        return _names_set(state, ("", ""), (Say.of("name.skipped"),))
    return None


def _ask_second_name(state: State, event: Event, now: int) -> Step | None:
    if event.kind is Kind.NAME:
        name = clean_name(str(event.value or ""))
        if not name or name.lower() == state.first_name.lower():
            return _reply(state, (Say.of("name.unclear"),) + _opening(state))
        return _names_set(state, (state.first_name, name), (Say.of("name.thanks"),))
    if event.kind in (Kind.SKIP, Kind.NO, Kind.DONE):
        return _names_set(state, (state.first_name, ""), (Say.of("name.second_skipped"),))
    return None


def _consent(state: State, event: Event, now: int) -> Step | None:
    if event.kind in (Kind.YES, Kind.RESUME, Kind.DONE):
        if state.pending:
            return _prompt_step(state.at(Stage.OFFER_RESUME))
        return turns.start_ritual(state, now, (Say.of("consent.yes"),))
    if event.kind in (Kind.NO, Kind.PAUSE):
        return _prompt_step(state.at(Stage.ASK_WHEN), (Say.of("consent.no"),))
    if event.kind is Kind.WHEN:  # "later tonight" answers the consent question too
        return _ask_when(state.at(Stage.ASK_WHEN), event, now)
    return None


def _ask_when(state: State, event: Event, now: int) -> Step | None:
    if event.kind in (Kind.HELP, Kind.SAFETY, Kind.HISTORY, Kind.SET_LENGTH, Kind.REPEAT,
                      Kind.DELETE_HISTORY):
        return None
    if event.kind is Kind.YES:
        return turns.start_ritual(state, now, (Say.of("consent.yes"),)) if not state.pending \
            else _prompt_step(state.at(Stage.OFFER_RESUME))
    key = "later.goodbye_time" if event.kind is Kind.WHEN and event.value else "later.goodbye"
    return Step(state.at(Stage.ENDED), Reply((Say.of(key),), end_session=True))


def _offer_resume(state: State, event: Event, now: int) -> Step | None:
    pending = state.pending
    assert pending is not None
    if event.kind in (Kind.YES, Kind.RESUME, Kind.DONE):
        ritual = replace(pending, spoken=0, bonus_partner=-1, last_activity=now)
        state = state.at(Stage.HANDOVER, ritual=ritual, pending=None)
        return turns.proceed(state, now, (Say.of("resume.yes"),))
    if event.kind in (Kind.NO, Kind.START_OVER, Kind.SKIP):
        abandoned = FinishRitual(turns.to_record(pending, ABANDONED, now))
        step = turns.start_ritual(state.at(Stage.CONSENT, pending=None), now,
                                  (Say.of("resume.fresh"),))
        return _with_effects(step, (abandoned,))
    return None


def _turn(state: State, event: Event, now: int) -> Step | None:
    ritual = state.ritual
    assert ritual is not None
    kind = event.kind
    if kind is Kind.DONE:
        done = turns.end_segment(state, ritual.spoken + ritual.elapsed(now))
        key = "turn.thanks_next_question" if turns.starts_new_question(done.ritual) \
            else "turn.thanks"
        return turns.proceed(done, now, (Say.of(key, speaker=Partner(ritual.speaker)),))
    if kind is Kind.TIME_ELAPSED:
        return _prompt_step(turns.end_segment(state, ritual.allowance))
    if kind is Kind.MORE_TIME:
        return _more_time(state, _spoken_so_far(state, now), now)
    if kind is Kind.REPEAT:
        spoken = _spoken_so_far(state, now)
        variant = ritual.wording_base + ritual.order
        again = (Say.of(f"question.{QUESTIONS[ritual.question]}", variant),)
        return turns.hold(state, spoken, now, (Say.of("repeat.question"),) + again)
    if kind is Kind.SKIP:
        cut = turns.end_segment(state, _spoken_so_far(state, now).spoken, skipped=True)
        return turns.skip_question(cut, now)
    if kind in (Kind.PAUSE, Kind.HELP, Kind.HISTORY, Kind.SAFETY):
        paused = state.at(Stage.PAUSED, ritual=_spoken_so_far(state, now), paused_from=Stage.TURN)
        return _pause(paused, event)
    if kind is Kind.SET_LENGTH:
        step = _set_length(state, event, now)
        if step is not None:
            held = turns.hold(step.state, _spoken_so_far(state, now), now, step.reply.speech[:1])
            return _with_effects(held, step.effects)
    if kind in (Kind.STOP, Kind.START_OVER, Kind.DELETE_HISTORY):
        return None
    # Anything else heard mid-turn is most likely the speaker: keep holding the floor.
    return turns.hold(state, _spoken_so_far(state, now), now, (Say.of("turn.go_on"),))


def _more_time(state: State, ritual: Ritual, now: int) -> Step:
    """More time for the speaker, and the same owed to the other partner."""
    if ritual.remaining + turns.EXTRA_SECONDS > turns.MAX_HOLD_SECONDS:
        return turns.hold(state, ritual, now, (Say.of("more_time.limit"),))
    speaker, other = ritual.speaker, 1 - ritual.speaker
    ritual = replace(
        ritual,
        allowance=ritual.allowance + turns.EXTRA_SECONDS,
        owed=turns.owe(ritual.owed, other, turns.EXTRA_SECONDS),
    )
    granted = Say.of("more_time.granted", speaker=Partner(speaker), other=Partner(other))
    return turns.hold(state, ritual, now, (granted,))


def _handover(state: State, event: Event, now: int) -> Step | None:
    ritual = state.ritual
    assert ritual is not None
    if event.kind in (Kind.YES, Kind.DONE, Kind.RESUME):
        return turns.proceed(state, now)
    if event.kind is Kind.MORE_TIME and ritual.turns:
        last = ritual.turns[-1].partner
        granted = replace(ritual, owed=turns.owe(ritual.owed, 1 - last, turns.EXTRA_SECONDS))
        return turns.open_bonus(state, granted, last, turns.EXTRA_SECONDS, now,
                                (Say.of("more_time.granted", speaker=Partner(last),
                                        other=Partner(1 - last)),))
    if event.kind is Kind.SKIP:
        return turns.skip_question(state, now)
    if event.kind in (Kind.NO, Kind.PAUSE):
        return _pause(state.at(Stage.PAUSED, paused_from=Stage.HANDOVER), event)
    return None


def _offer_extra(state: State, event: Event, now: int) -> Step | None:
    ritual = state.ritual
    assert ritual is not None
    first = 1 - ritual.turns[-1].partner
    if event.kind in (Kind.YES, Kind.MORE_TIME, Kind.RESUME):
        seconds = ritual.owed[first]
        ritual = replace(ritual, owed=turns.owe(ritual.owed, first, -seconds))
        return turns.open_bonus(state, ritual, first, seconds, now)
    if event.kind in (Kind.NO, Kind.DONE, Kind.SKIP):
        ritual = replace(ritual, owed=(0, 0))
        return turns.proceed(state.at(Stage.HANDOVER, ritual=ritual), now)
    return None


def _confirm_delete(state: State, event: Event, now: int) -> Step | None:
    if event.kind is Kind.YES:
        fresh = State(Stage.ENDED, Profile(time_zone=state.profile.time_zone))
        return Step(fresh, Reply((Say.of("delete.done"),), end_session=True), (DeleteHousehold(),))
    if event.kind in (Kind.NO, Kind.RESUME):
        back = state.at(state.paused_from or Stage.NEW, paused_from=None)
        if back.stage is Stage.TURN:
            back = back.at(Stage.PAUSED, paused_from=Stage.TURN)
        return _prompt_step(back, (Say.of("delete.kept"),))
    return None


def _paused(state: State, event: Event, now: int) -> Step | None:
    if event.kind in (Kind.RESUME, Kind.YES, Kind.DONE):
        return _resume(state, now)
    if event.kind is Kind.NO:
        return _stop(state, now)
    if event.kind is Kind.SKIP and state.ritual is not None and \
            state.paused_from in (Stage.TURN, Stage.HANDOVER):
        ritual = state.ritual
        if state.paused_from is Stage.TURN:
            state = turns.end_segment(state.at(Stage.TURN), ritual.spoken, skipped=True)
        return turns.skip_question(state.at(Stage.HANDOVER, paused_from=None), now)
    if event.kind is Kind.PAUSE:
        return _prompt_step(state)
    return None


_STAGES = {
    Stage.NEW: _new,
    Stage.ENDED: _new,
    Stage.ASK_FIRST_NAME: _ask_first_name,
    Stage.ASK_SECOND_NAME: _ask_second_name,
    Stage.CONSENT: _consent,
    Stage.ASK_WHEN: _ask_when,
    Stage.OFFER_RESUME: _offer_resume,
    Stage.TURN: _turn,
    Stage.HANDOVER: _handover,
    Stage.OFFER_EXTRA: _offer_extra,
    Stage.PAUSED: _paused,
    Stage.CONFIRM_DELETE: _confirm_delete,
}


# --- what every stage answers alike -----------------------------------------------------------

def _anywhere(state: State, event: Event, now: int) -> Step:
    kind = event.kind
    if kind is Kind.STOP:
        return _stop(state, now)
    if kind is Kind.DELETE_HISTORY:
        asking = state.at(Stage.CONFIRM_DELETE, paused_from=state.paused_from or state.stage)
        if state.stage is Stage.TURN and state.ritual is not None:
            asking = replace(asking, ritual=_spoken_so_far(state, now))
        return _prompt_step(asking)
    if kind is Kind.START_OVER:
        if state.ritual is not None:
            return turns.start_ritual(state.at(Stage.CONSENT, ritual=None), now,
                                      (Say.of("start_over"),))
        return _opening_step(state.at(Stage.NEW))
    if kind in (Kind.HELP, Kind.SAFETY, Kind.HISTORY) and state.ritual is not None \
            and state.stage not in (Stage.PAUSED, Stage.CONFIRM_DELETE):
        return _pause(state.at(Stage.PAUSED, paused_from=state.stage), event)
    if kind is Kind.HELP:
        return _prompt_step(state, (Say.of("help"),))
    if kind is Kind.SAFETY:
        return _prompt_step(state, (Say.of("safety"),))
    if kind is Kind.HISTORY:
        return _history(state, _stage_prompt(state)[0])
    if kind is Kind.SET_LENGTH:
        return _set_length(state, event, now) or _prompt_step(state, (Say.of("length.invalid"),))
    if kind is Kind.PAUSE and state.ritual is not None:
        return _pause(state.at(Stage.PAUSED, paused_from=state.stage), event)
    if kind in (Kind.REPEAT, Kind.TIME_ELAPSED, Kind.PAUSE, Kind.LAUNCH):
        return _prompt_step(state)
    return _prompt_step(state, (Say.of("fallback"),))


def _stop(state: State, now: int) -> Step:
    ritual = state.ritual
    effects = turns.stop_effects(ritual, now)
    if ritual is not None and ritual.finished:
        return turns.close(state, now)
    key = "stop.ritual" if ritual is not None else "stop.goodbye"
    return Step(state.at(Stage.ENDED, ritual=None), Reply((Say.of(key),), end_session=True), effects)


def _pause(state: State, event: Event) -> Step:
    lead = {
        Kind.HELP: (Say.of("help"),),
        Kind.SAFETY: (Say.of("safety"),),
        Kind.HISTORY: _history_parts(state.profile),
    }.get(event.kind, (Say.of("paused"),))
    return _prompt_step(state, lead)


def _resume(state: State, now: int) -> Step:
    back = state.paused_from or Stage.CONSENT
    state = state.at(back, paused_from=None)
    if back is Stage.TURN and state.ritual is not None:
        ritual = state.ritual
        variant = ritual.wording_base + ritual.order
        reminder = (Say.of("resume.turn", speaker=Partner(ritual.speaker)),
                    Say.of(f"question.{QUESTIONS[ritual.question]}", variant))
        if ritual.bonus_partner >= 0:
            reminder = reminder[:1]
        return turns.hold(state, ritual, now, reminder)
    return _prompt_step(state, (Say.of("resume.yes"),))


def _session_ended(state: State, now: int) -> Step:
    """The session closed (silence, an error, or the couple walked away)."""
    ritual = state.ritual
    if ritual is None:
        return Step(state.at(Stage.ENDED), Reply((), end_session=True))
    if ritual.finished:
        return turns.close(state, now)
    if state.stage is Stage.TURN:
        ritual = _spoken_so_far(state, now)
    ended = state.at(Stage.ENDED, ritual=None, pending=ritual)
    return Step(ended, Reply((), end_session=True), (turns.save_checkpoint(ritual, now),))


def _settle_pending(state: State, now: int) -> tuple[tuple[Part, ...], tuple, State]:
    """Record a checkpoint that can no longer be resumed; keep one from this evening."""
    pending = state.pending
    if pending is None:
        return (), (), state
    if pending.finished:
        step = turns.close(state.at(Stage.NEW, ritual=pending, pending=None), now)
        return ((Say.of("recovered.completed"),), step.effects,
                replace(step.state, stage=Stage.NEW))
    if now - pending.last_activity > RESUME_WINDOW_SECONDS:
        record = turns.to_record(pending, ABANDONED, now)
        return (), (FinishRitual(record),), replace(state, pending=None)
    return (), (), state


def _set_length(state: State, event: Event, now: int) -> Step | None:
    minutes = _as_int(event.value)
    if minutes is None or not MIN_TURN_MINUTES <= minutes <= MAX_TURN_MINUTES:
        return None
    profile = replace(state.profile, turn_seconds=minutes * 60)
    state = replace(state, profile=profile)
    key = "length.set_next" if state.stage is Stage.TURN else "length.set"
    return _with_effects(_prompt_step(state, (Say.of(key, minutes=Duration(minutes * 60)),)),
                         (SaveProfile(profile),))


def _names_set(state: State, names: tuple[str, str], lead: tuple[Part, ...]) -> Step:
    profile = replace(state.profile, names=names, named=True)
    state = state.at(Stage.CONSENT, profile=profile, first_name="")
    step = _prompt_step(state, lead)
    return _with_effects(step, (SaveProfile(profile),))


def _history(state: State, then: tuple[Part, ...]) -> Step:
    target = state if state.stage not in (Stage.NEW, Stage.ENDED) else _opening_state(state)
    return _reply(target, _history_parts(state.profile) + then, _stage_prompt(target)[1])


def _history_parts(profile: Profile) -> tuple[Part, ...]:
    if profile.completed == 0:
        return (Say.of("history.none"),)
    parts: tuple[Part, ...] = (
        Say.of("history.count.one" if profile.completed == 1 else "history.count",
               count=profile.completed,
               one=Partner(0), one_time=Duration(profile.total_seconds[0]),
               two=Partner(1), two_time=Duration(profile.total_seconds[1])),
    )
    if profile.streak > 1:
        parts += (Say.of("history.streak", nights=profile.streak),)
    if profile.best_streak > 1:
        parts += (Say.of("history.best", nights=profile.best_streak),)
    return parts


# --- prompts for each stage ---------------------------------------------------------------------

def _opening_state(state: State) -> State:
    stage = Stage.CONSENT if state.profile.named else Stage.ASK_FIRST_NAME
    return state.at(stage)


def _opening(state: State) -> tuple[Part, ...]:
    return _stage_prompt(_opening_state(state) if state.stage in (Stage.NEW, Stage.ENDED)
                         else state)[0]


def _opening_step(state: State, lead: tuple[Part, ...] = ()) -> Step:
    target = _opening_state(state)
    if target.stage is Stage.ASK_FIRST_NAME:
        welcome = (Say.of("welcome.first"),)
    else:
        welcome = (Say.of("welcome.back", one=Partner(0), two=Partner(1)),)
    return _prompt_step(target, lead + welcome)


def _stage_prompt(state: State) -> tuple[tuple[Part, ...], tuple[Part, ...]]:
    stage, ritual = state.stage, state.ritual
    if stage is Stage.ASK_FIRST_NAME:
        return (Say.of("name.first"),), (Say.of("name.first.reprompt"),)
    if stage is Stage.ASK_SECOND_NAME:
        return (Say.of("name.second", first=state.first_name),), (Say.of("name.second.reprompt"),)
    if stage is Stage.CONSENT:
        return (Say.of("consent.ask"),), (Say.of("consent.reprompt"),)
    if stage is Stage.ASK_WHEN:
        return (Say.of("when.ask"),), (Say.of("when.reprompt"),)
    if stage is Stage.OFFER_RESUME and state.pending:
        pending = state.pending
        offer = Say.of("resume.offer", speaker=Partner(pending.speaker),
                       question=Ordinal(pending.question + 1))
        return (offer,), (Say.of("resume.reprompt"),)
    if stage is Stage.OFFER_EXTRA and ritual:
        first = 1 - ritual.turns[-1].partner
        offer = Say.of("extra.offer", speaker=Partner(first), other=Partner(1 - first),
                       minutes=Duration(ritual.owed[first]))
        return (offer,), (offer,)
    if stage is Stage.PAUSED:
        return (Say.of("paused.prompt"),), (Say.of("paused.reprompt"),)
    if stage is Stage.CONFIRM_DELETE:
        return (Say.of("delete.confirm"),), (Say.of("delete.reprompt"),)
    if stage in (Stage.HANDOVER, Stage.TURN) and ritual:
        if ritual.finished:
            return (Say.of("handover.final.ask"),), (Say.of("handover.final.reprompt"),)
        nxt = Partner(ritual.speaker)
        return (Say.of("handover.ready", next=nxt),), (Say.of("handover.reprompt", next=nxt),)
    return _stage_prompt(_opening_state(state))


def _prompt_step(state: State, lead: tuple[Part, ...] = ()) -> Step:
    if state.stage in (Stage.NEW, Stage.ENDED):
        state = _opening_state(state)
    speech, reprompt = _stage_prompt(state)
    return Step(state, Reply(lead + speech, reprompt))


def _reply(state: State, speech: tuple[Part, ...], reprompt: tuple[Part, ...] = ()) -> Step:
    return Step(state, Reply(speech, reprompt or _stage_prompt(state)[1]))


def _with_effects(step: Step, effects: tuple) -> Step:
    return replace(step, effects=tuple(effects) + step.effects) if effects else step


def _as_int(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
