"""The ritual as a state machine: advance(state, event, now) -> Step.

Pure: time is passed in as epoch seconds from the request, nothing is read or written here.
Stages have their own handlers; what every stage answers the same way lives in `_anywhere`.
"""
from __future__ import annotations

from checkin.records import replace
from checkin.ritual import nightly, turns
from checkin.ritual.clock import part_of_day
from checkin.ritual.events import UNCLEAR, Event, Kind
from checkin.ritual.household import ABANDONED, MAX_TURN_MINUTES, MIN_TURN_MINUTES, Profile
from checkin.ritual.names import clean_name, means_ready
from checkin.ritual.prompting import (
    as_int,
    goodbye,
    help_step,
    opening,
    opening_state,
    opening_step,
    prompt_step,
    reply,
    stage_prompt,
    with_effects,
)
from checkin.ritual.reply import (
    CancelTimer,
    CompleteTask,
    DeleteHousehold,
    Duration,
    FinishRitual,
    Part,
    Partner,
    Reply,
    SaveProfile,
    Say,
    Step,
)
from checkin.ritual.state import Ritual, Stage, State

# An interrupted ritual can be picked up within this long: the same evening.
RESUME_WINDOW_SECONDS = 4 * 3600
# A checkpoint whose turn is still held, give or take a hand-over, is a ritual another device
# is playing right now (a session that ends saves its checkpoint with no hold).
LIVE_GRACE_SECONDS = 60


def begin(profile: Profile | None, checkpoints: tuple[dict, ...] | dict | None = (),
          tag: str = "") -> State:
    """The state at the start of a session, from what the store holds (oldest checkpoint first).

    The latest checkpoint may be resumed; any older ones are recorded at the first request.
    `tag` tells apart rituals begun in the same second on different devices.
    """
    if isinstance(checkpoints, dict):
        checkpoints = (checkpoints,)
    rituals = [r for r in (_ritual_in(c) for c in checkpoints or ()) if r is not None]
    pending = rituals[-1] if rituals else None
    return State(Stage.NEW, profile or Profile(), pending=pending, stale=tuple(rituals[:-1]),
                 tag=tag)


def _ritual_in(checkpoint: dict) -> Ritual | None:
    try:
        return Ritual.from_dict(checkpoint["ritual"])
    except (KeyError, TypeError, ValueError):
        return None  # an unreadable checkpoint is not worth failing a launch over


def advance(state: State, event: Event, now: int) -> Step:
    if event.kind is Kind.LAUNCH and event.value == "task":
        state = replace(state, task=True)  # started by a Routine
    state = replace(state, day_part=part_of_day(now, state.profile.time_zone))
    running = _running_timer(state, now)
    state = _catch_up(state, now)
    if event.kind is Kind.NAME and means_ready(event.value) and \
            state.stage not in (Stage.ASK_FIRST_NAME, Stage.ASK_SECOND_NAME):
        event = Event(Kind.DONE)  # "I am ready" is a hand-over wherever no name was asked for
    if event.kind is Kind.SESSION_ENDED:
        return _session_ended(state, now)
    if state.help_or_support:
        state, event = replace(state, help_or_support=False), _which_help(event)
    handler = _STAGES.get(state.stage, _new)
    step = handler(state, event, now) or _anywhere(state, event, now)
    return _platform_follow_up(state, step, running)


def _which_help(answer: Event) -> Event:
    """The answer to "help with the check-in, or support right now?"."""
    if answer.kind in (Kind.SAFETY, Kind.YES):  # "support", "yes", or "I need help" again
        return Event(Kind.SAFETY)
    if answer.kind is Kind.NO:  # neither: back to the question at hand
        return Event(Kind.REPEAT)
    return answer  # "how it works" is help; anything else is heard as usual


def _running_timer(state: State, now: int) -> str:
    ritual = state.ritual
    if state.stage is Stage.TURN and ritual and ritual.timer_id and \
            ritual.elapsed(now) < ritual.hold_seconds:
        return ritual.timer_id
    return ""


def _platform_follow_up(before: State, step: Step, running_timer: str) -> Step:
    """A timer whose hold was cut short is cancelled; a Routine hears when its task is done."""
    after = step.state
    kept = after.stage is Stage.TURN and after.ritual is not None and before.ritual is not None \
        and after.ritual.hold_started_at == before.ritual.hold_started_at
    if running_timer and not kept:
        step = replace(step, effects=(CancelTimer(running_timer),) + step.effects)
    if step.reply.end_session and (before.task or after.task) and \
            not any(isinstance(d, CompleteTask) for d in step.reply.directives):
        step = replace(step, reply=replace(step.reply,
                                           directives=step.reply.directives + (CompleteTask(),)))
    return step


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
    pending = state.pending
    if pending and pending.timer_id and event.kind in _TIMED_TURN_EVENTS and \
            now - pending.last_activity <= RESUME_WINDOW_SECONDS:
        # "Alexa, tell connection check in I'm ready": the timer handed over; carry on.
        lead, effects, state = _settle_stale(state, now)
        carried = state.at(Stage.TURN, ritual=pending, pending=None)
        return with_effects(advance(carried, event, now), effects)
    lead, effects, state = _settle_pending(state, now)
    if event.kind in _NIGHTLY:
        return with_effects(_NIGHTLY[event.kind](state, event, now), effects)
    if event.kind is Kind.RESUME and state.pending and state.profile.named:
        # "Alexa, tell connection check in to keep going": the offer is the consent question.
        welcome = Say.of("welcome.back", one=Partner(0), two=Partner(1))
        step = _offer_pending(state, now, lead + (welcome,))
    elif event.kind is Kind.HISTORY and not state.profile.named:
        # A first "how are we doing" still hears the welcome, then is asked for names.
        parts = lead + (Say.of("welcome.first"),) + _history_parts(state.profile)
        step = reply(opening_state(state), parts + opening(state))
    elif event.kind is Kind.HISTORY:
        step = _history(state, lead + opening(state))
    elif event.kind is Kind.SET_LENGTH:
        return with_effects(_set_length(state, event, now), effects)
    elif event.kind in (Kind.NAME, Kind.CHANGE_NAMES) and state.profile.named:
        step = _change_names(state, event, lead)
    else:
        step = opening_step(state, lead)
    return with_effects(step, effects)


_TIMED_TURN_EVENTS = (Kind.DONE, Kind.YES, Kind.RESUME, Kind.MORE_TIME, Kind.SKIP, Kind.PAUSE,
                      Kind.REPEAT)


def _ask_first_name(state: State, event: Event, now: int) -> Step | None:
    if event.kind is Kind.NAME:
        name = clean_name(str(event.value or ""))
        if not name:
            return reply(state, (Say.of("name.unclear"),) + opening(state))
        return reply(state.at(Stage.ASK_SECOND_NAME, first_name=name),
                      (Say.of("name.second", first=name),), (Say.of("name.second.reprompt"),))
    if event.kind in (Kind.SKIP, Kind.NO, Kind.DONE):
        return _names_set(state, ("", ""), (Say.of("name.skipped"),))
    return None


def _ask_second_name(state: State, event: Event, now: int) -> Step | None:
    if event.kind is Kind.NAME:
        name = clean_name(str(event.value or ""))
        if not name:
            return reply(state, (Say.of("name.unclear"),) + opening(state))
        # Two partners may share a first name; both keep it.
        thanks = Say.of("name.same", name=name) if name.lower() == state.first_name.lower() \
            else Say.of("name.thanks")
        return _names_set(state, (state.first_name, name), (thanks,))
    if event.kind in (Kind.SKIP, Kind.NO, Kind.DONE):
        return _names_set(state, (state.first_name, ""), (Say.of("name.second_skipped"),))
    return None


def _consent(state: State, event: Event, now: int) -> Step | None:
    if event.kind in (Kind.YES, Kind.RESUME):
        if state.pending:
            return _offer_pending(state, now)
        return turns.start_ritual(state, now, (Say.of("consent.yes"),))
    if event.kind is Kind.DONE:  # "I'm done", "that's all": never a yes; ask once more
        return reply(state, (Say.of("consent.check"),))
    if event.kind in (Kind.MORE_TIME, Kind.PAUSE):  # "give me a minute": not yet, and fine
        return reply(state, (Say.of("consent.wait"),))
    if event.kind is Kind.NO:
        return prompt_step(state.at(Stage.ASK_WHEN), (Say.of("consent.no"),))
    if event.kind is Kind.WHEN:  # "later tonight" answers the consent question too
        return nightly.later_heard(state, event.value, now)
    return None


def _ask_when(state: State, event: Event, now: int) -> Step | None:
    if event.kind in (Kind.HELP, Kind.SAFETY, Kind.HISTORY, Kind.SET_LENGTH, Kind.REPEAT,
                      Kind.DELETE_HISTORY, Kind.NAME, Kind.CHANGE_NAMES):
        return None
    if event.kind is Kind.YES:
        return turns.start_ritual(state, now, (Say.of("consent.yes"),)) if not state.pending \
            else _offer_pending(state, now)
    if event.kind in (Kind.REMIND, Kind.STOP_REMINDERS, Kind.START_WALK, Kind.PERMISSION):
        return None
    return nightly.later_heard(state, event.value if event.kind is Kind.WHEN else None, now)


def _offer_pending(state: State, now: int, lead: tuple[Part, ...] = ()) -> Step:
    """Offer to pick up the interrupted ritual, or, if another device is playing it right now,
    to join it there or start a new one here."""
    pending = state.pending
    live = pending is not None and pending.device != state.device and pending.hold_seconds > 0 \
        and now < pending.hold_started_at + pending.hold_seconds + LIVE_GRACE_SECONDS
    return prompt_step(state.at(Stage.OFFER_RESUME, elsewhere=live), lead)


def _offer_elsewhere(state: State, event: Event, now: int) -> Step | None:
    if event.kind in (Kind.YES, Kind.START_OVER, Kind.SKIP):
        # The other device's ritual is left to it: nothing is abandoned.
        fresh = state.at(Stage.CONSENT, pending=None, elsewhere=False)
        return turns.start_ritual(fresh, now, (Say.of("resume.fresh"),))
    if event.kind in (Kind.NO, Kind.RESUME, Kind.DONE):
        ended = state.at(Stage.ENDED, pending=None, elsewhere=False)
        return Step(ended, Reply((Say.of("resume.elsewhere.there"),), end_session=True))
    return None


def _offer_resume(state: State, event: Event, now: int) -> Step | None:
    if state.elsewhere:
        return _offer_elsewhere(state, event, now)
    pending = state.pending
    assert pending is not None
    if event.kind in (Kind.YES, Kind.RESUME, Kind.DONE):
        ritual = replace(pending, spoken=0, bonus_partner=-1, last_activity=now,
                         device=state.device)
        state = state.at(Stage.HANDOVER, ritual=ritual, pending=None)
        return turns.proceed(state, now, (Say.of("resume.yes"),))
    if event.kind in (Kind.NO, Kind.START_OVER, Kind.SKIP):
        abandoned = FinishRitual(turns.to_record(pending, ABANDONED, now))
        step = turns.start_ritual(state.at(Stage.CONSENT, pending=None), now,
                                  (Say.of("resume.fresh"),))
        return with_effects(step, (abandoned,))
    return None


def _turn(state: State, event: Event, now: int) -> Step | None:
    ritual = state.ritual
    assert ritual is not None
    kind = event.kind
    if kind is Kind.DONE:
        done = turns.end_segment(state, ritual.spoken + ritual.elapsed(now))
        assert done.ritual is not None
        key, invite = "turn.thanks", True
        if turns.starts_new_question(done.ritual):
            # Who ends one question may start the next: named once.
            invite = done.ritual.speaker != ritual.speaker
            key = "turn.thanks_next_question" if invite else "turn.thanks_next_question_same"
        return turns.proceed(done, now, (Say.of(key, speaker=Partner(ritual.speaker)),), invite)
    if kind is Kind.TIME_ELAPSED:
        return prompt_step(turns.end_segment(state, ritual.allowance))
    if kind is Kind.MORE_TIME:
        return _more_time(state, _spoken_so_far(state, now), now)
    if kind is Kind.REPEAT:
        spoken = _spoken_so_far(state, now)
        again = (turns.question_part(ritual),)
        return turns.hold(state, spoken, now, (Say.of("repeat.question"),) + again)
    if kind is Kind.SKIP:
        cut = turns.end_segment(state, _spoken_so_far(state, now).spoken, skipped=True)
        return turns.skip_question(cut, now)
    if kind in (Kind.PAUSE, Kind.HELP, Kind.HISTORY, Kind.SAFETY):
        paused = state.at(Stage.PAUSED, ritual=_spoken_so_far(state, now), paused_from=Stage.TURN)
        return _pause(paused, event, now)
    if kind is Kind.SET_LENGTH:
        step = _set_length(state, event, now)
        held = turns.hold(step.state, _spoken_so_far(state, now), now, step.reply.speech[:1])
        return with_effects(held, step.effects)
    if kind in (Kind.STOP, Kind.START_OVER, Kind.DELETE_HISTORY) or kind in _NIGHTLY:
        return None
    # Anything else heard mid-turn is most likely the speaker: keep holding the floor.
    return turns.hold(state, _spoken_so_far(state, now), now, (Say.of("turn.go_on"),))


def _more_time(state: State, ritual: Ritual, now: int) -> Step:
    """More time for the speaker, and the same owed to the other partner."""
    if ritual.allowance + turns.EXTRA_SECONDS > turns.hold_limit(state):
        return turns.hold(state, ritual, now, (Say.of("more_time.limit"),))
    speaker, other = ritual.speaker, 1 - ritual.speaker
    # Only what is used of it is owed to the other partner, when the segment ends.
    ritual = replace(ritual, allowance=ritual.allowance + turns.EXTRA_SECONDS,
                     extra=ritual.extra + turns.EXTRA_SECONDS)
    granted = Say.of("more_time.granted", speaker=Partner(speaker), other=Partner(other))
    return turns.hold(state, ritual, now, (granted,))


def _handover(state: State, event: Event, now: int) -> Step | None:
    ritual = state.ritual
    assert ritual is not None
    if event.kind in (Kind.YES, Kind.DONE, Kind.RESUME):
        return turns.proceed(state, now)
    if event.kind is Kind.MORE_TIME and ritual.turns:
        last = ritual.turns[-1].partner
        if ritual.finished:  # a minute each, as offered after "no" to wrapping up
            each = replace(ritual, owed=turns.owe(ritual.owed, 1 - last, turns.EXTRA_SECONDS))
            return turns.open_bonus(state, each, last, turns.EXTRA_SECONDS, now)
        return turns.open_bonus(state, ritual, last, turns.EXTRA_SECONDS, now,
                                (Say.of("more_time.granted", speaker=Partner(last),
                                        other=Partner(1 - last)),),
                                extra=turns.EXTRA_SECONDS)
    if event.kind is Kind.SKIP:
        return turns.skip_question(state, now)
    if event.kind is Kind.NO and ritual.finished:  # not yet: say what else can be done
        more = Say.of("handover.final.not_yet", speaker=Partner(ritual.turns[-1].partner))
        return reply(state, (more,), (Say.of("handover.final.not_yet.reprompt"),))
    if event.kind in (Kind.NO, Kind.PAUSE):
        return _pause(state.at(Stage.PAUSED, paused_from=Stage.HANDOVER), event, now)
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
        # Reminders and timers outlive the stored data unless cancelled first.
        effects = nightly.cancel_alerts(state) + (DeleteHousehold(),)
        return Step(fresh, Reply((Say.of("delete.done"),), end_session=True), effects)
    if event.kind in (Kind.NO, Kind.RESUME):
        back = state.at(state.paused_from or Stage.NEW, paused_from=None)
        if back.stage is Stage.TURN:
            back = back.at(Stage.PAUSED, paused_from=Stage.TURN)
        return prompt_step(back, (Say.of("delete.kept"),))
    return None


def _ask_remind_time(state: State, event: Event, now: int) -> Step | None:
    if event.kind in (Kind.WHEN, Kind.REMIND):
        return nightly.ask_remind_time(state, event, now)
    if event.kind in (Kind.NO, Kind.SKIP):
        return nightly.skip_reminder(state, now)
    return None


def _offer_reminder(state: State, event: Event, now: int) -> Step | None:
    if event.kind in (Kind.YES, Kind.REMIND):
        return nightly.offer_reminder(state, event, now, yes=True)
    if event.kind in (Kind.NO, Kind.DONE, Kind.SKIP, Kind.FALLBACK):
        return nightly.offer_reminder(state, event, now, yes=False)
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
        return prompt_step(state)
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
    Stage.ASK_REMIND_TIME: _ask_remind_time,
    Stage.OFFER_REMINDER: _offer_reminder,
}


_NIGHTLY = {
    Kind.REMIND: nightly.remind,
    Kind.STOP_REMINDERS: nightly.stop_reminders,
    Kind.START_WALK: nightly.start_walk,
    Kind.PERMISSION: nightly.permission_answered,
}


# --- what every stage answers alike -----------------------------------------------------------

def _anywhere(state: State, event: Event, now: int) -> Step:
    kind = event.kind
    if kind is Kind.STOP:
        return _stop(state, now)
    if kind is Kind.START_WALK and state.ritual is not None:
        if state.stage is Stage.TURN:  # keep holding the floor; walks start another time
            return turns.hold(state, _spoken_so_far(state, now), now, (Say.of("walk.after"),))
        return prompt_step(state, (Say.of("walk.after"),))
    if kind in _NIGHTLY:
        if state.stage is Stage.TURN and state.ritual is not None:
            # The turn carries on with the time it had left once the reminder is sorted.
            state = replace(state, ritual=_spoken_so_far(state, now))
        return _NIGHTLY[kind](state, event, now)
    if kind is Kind.DELETE_HISTORY:
        asking = state.at(Stage.CONFIRM_DELETE, paused_from=state.paused_from or state.stage)
        if state.stage is Stage.TURN and state.ritual is not None:
            asking = replace(asking, ritual=_spoken_so_far(state, now))
        return prompt_step(asking)
    if kind is Kind.START_OVER:
        if state.ritual is not None:
            return turns.start_ritual(state.at(Stage.CONSENT, ritual=None), now,
                                      (Say.of("start_over"),))
        return opening_step(state.at(Stage.NEW))
    if kind is Kind.SAFETY and event.value == UNCLEAR:
        return _ask_which_help(state)
    if kind is Kind.SAFETY:
        # Whatever was under way waits (a pending deletion is simply not done), and the
        # couple is asked whether to carry on or stop.
        back = state.paused_from if state.stage in (Stage.PAUSED, Stage.CONFIRM_DELETE) \
            else opening_state(state).stage if state.stage in (Stage.NEW, Stage.ENDED) \
            else state.stage
        return _pause(state.at(Stage.PAUSED, paused_from=back), event)
    if kind in (Kind.HELP, Kind.HISTORY) and state.ritual is not None \
            and state.stage not in (Stage.PAUSED, Stage.CONFIRM_DELETE):
        return _pause(state.at(Stage.PAUSED, paused_from=state.stage), event)
    if kind is Kind.HELP:
        return help_step(state)
    if kind is Kind.HISTORY:
        return _history(state, stage_prompt(state)[0])
    if kind is Kind.SET_LENGTH:
        return _set_length(state, event, now)
    if kind in (Kind.NAME, Kind.CHANGE_NAMES):
        return _change_names(state, event)
    if kind is Kind.PAUSE and state.ritual is not None:
        return _pause(state.at(Stage.PAUSED, paused_from=state.stage), event, now)
    if kind in (Kind.REPEAT, Kind.TIME_ELAPSED, Kind.PAUSE, Kind.LAUNCH):
        return prompt_step(state)
    return prompt_step(state, (Say.of("fallback"),))


def _stop(state: State, now: int) -> Step:
    ritual = state.ritual
    effects = turns.stop_effects(ritual, now)
    if ritual is not None and ritual.finished:
        return turns.close(state, now)
    key = "stop.ritual" if ritual is not None else "stop.goodbye"
    ended = state.at(Stage.ENDED, ritual=None)
    return Step(ended, Reply((Say.of(key), goodbye(state)), end_session=True), effects)


def _pause(state: State, event: Event, now: int | None = None) -> Step:
    if event.kind is Kind.HELP:
        return help_step(state)
    if event.kind is Kind.SAFETY and event.value == UNCLEAR:
        return _ask_which_help(state)
    lead = {
        Kind.SAFETY: (Say.of("safety"),),
        Kind.HISTORY: _history_parts(state.profile),
    }.get(event.kind, (Say.of("paused"),))
    step = prompt_step(state, lead)
    pausing = event.kind not in (Kind.SAFETY, Kind.HISTORY)
    if pausing and state.ritual is not None and now is not None:
        # Alexa closes a paused session within seconds: keep their place to carry on later.
        ritual = replace(state.ritual, last_activity=now)
        step = replace(step, state=replace(step.state, ritual=ritual))
        step = with_effects(step, (turns.save_checkpoint(ritual, now),))
    return step


def _ask_which_help(state: State) -> Step:
    """An ambiguous "I need help": help with the check-in, or support right now?"""
    asking = opening_state(state) if state.stage in (Stage.NEW, Stage.ENDED) else state
    return reply(replace(asking, help_or_support=True), (Say.of("help.which"),),
                 (Say.of("help.which.reprompt"),))


def _resume(state: State, now: int) -> Step:
    back = state.paused_from or Stage.CONSENT
    state = state.at(back, paused_from=None)
    if back is Stage.TURN and state.ritual is not None:
        ritual = state.ritual
        reminder = (Say.of("resume.turn", speaker=Partner(ritual.speaker)),
                    turns.question_part(ritual))
        if ritual.bonus_partner >= 0:
            reminder = reminder[:1]
        return turns.hold(state, ritual, now, reminder)
    return prompt_step(state, (Say.of("resume.yes"),))


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


def _settle_stale(state: State, now: int) -> tuple[tuple[Part, ...], tuple, State]:
    """Record older checkpoints, left while the store could not be read; never resumed."""
    lead: tuple[Part, ...] = ()
    effects: tuple = ()
    stale, state = state.stale, replace(state, stale=())
    for ritual in stale:
        said, done, state = _record_unfinished(state, turns.held_out(ritual, now), now)
        lead, effects = lead + tuple(p for p in said if p not in lead), effects + done
    return lead, effects, state


def _settle_pending(state: State, now: int) -> tuple[tuple[Part, ...], tuple, State]:
    """Record a checkpoint that can no longer be resumed; keep one from this evening."""
    lead, effects, state = _settle_stale(state, now)
    pending = state.pending
    if pending is None:
        return lead, effects, state
    caught_up = turns.held_out(pending, now)  # its last turn may have run out meanwhile
    if caught_up.finished or now - pending.last_activity > RESUME_WINDOW_SECONDS:
        said, done, state = _record_unfinished(replace(state, pending=None), caught_up, now)
        return lead + tuple(p for p in said if p not in lead), effects + done, state
    return lead, effects, state


def _record_unfinished(state: State, ritual: Ritual, now: int):
    """A finished ritual that was never recorded is recorded now; any other, as abandoned."""
    if ritual.finished:
        step = turns.close(state.at(Stage.NEW, ritual=ritual), now)
        settled = replace(step.state, stage=Stage.NEW, pending=state.pending)
        return (Say.of("recovered.completed"),), step.effects, settled
    record = turns.to_record(ritual, ABANDONED, now)
    return (), (FinishRitual(record),), state


_LENGTH_STEPS = {"shorter": -1, "longer": 1}


def _set_length(state: State, event: Event, now: int) -> Step:
    """A new turn length, one minute shorter or longer, or the current one and the range."""
    current = Duration(state.profile.turn_seconds)
    change = _LENGTH_STEPS.get(str(event.value or "").strip().lower())
    minutes = state.profile.turn_seconds // 60 + change if change else as_int(event.value)
    if minutes is None or not MIN_TURN_MINUTES <= minutes <= MAX_TURN_MINUTES:
        if change:
            key = "length.shortest" if change < 0 else "length.longest"
        else:
            key = "length.now" if event.value is None else "length.invalid"
        return prompt_step(state, (Say.of(key, minutes=current),))
    profile = replace(state.profile, turn_seconds=minutes * 60)
    state = replace(state, profile=profile)
    key = "length.set_next" if state.stage is Stage.TURN else "length.set"
    return with_effects(prompt_step(state, (Say.of(key, minutes=Duration(minutes * 60)),)),
                         (SaveProfile(profile),))


def _change_names(state: State, event: Event, lead: tuple[Part, ...] = ()) -> Step:
    """After the opening, "call me Sam" or "change our names" asks for both names again (one
    of them already heard); the history stays."""
    name = clean_name(str(event.value or "")) if event.kind is Kind.NAME else ""
    if event.kind is Kind.NAME and not name:
        return prompt_step(state, lead + (Say.of("fallback"),))
    if state.ritual is not None:  # not in the middle of a check-in
        return prompt_step(state, lead + (Say.of("names.after"),))
    asking = state.at(Stage.ASK_FIRST_NAME, paused_from=None, first_name="")
    if name:
        asking = asking.at(Stage.ASK_SECOND_NAME, first_name=name)
        return reply(asking, lead + (Say.of("name.second", first=name),))
    return prompt_step(asking, lead + (Say.of("names.change"),))


def _names_set(state: State, names: tuple[str, str], lead: tuple[Part, ...]) -> Step:
    profile = replace(state.profile, names=names, named=True)
    state = state.at(Stage.CONSENT, profile=profile, first_name="")
    if state.walk:  # a first walk asked for names first; now the walk
        lead += (Say.of("walk.welcome"),)
    step = prompt_step(state, lead)
    return with_effects(step, (SaveProfile(profile),))


def _history(state: State, then: tuple[Part, ...]) -> Step:
    target = state if state.stage not in (Stage.NEW, Stage.ENDED) else opening_state(state)
    return reply(target, _history_parts(state.profile) + then, stage_prompt(target)[1])


def _history_parts(profile: Profile) -> tuple[Part, ...]:
    if profile.completed == 0:
        return (Say.of("history.none"),)
    parts: tuple[Part, ...] = (
        Say.of("history.count.one" if profile.completed == 1 else "history.count",
               count=profile.completed, time=Duration(sum(profile.total_seconds))),
    )
    if profile.streak > 1:
        parts += (Say.of("history.streak", nights=profile.streak),)
    if profile.best_streak > max(profile.streak, 1):  # the current run, said once
        parts += (Say.of("history.best", nights=profile.best_streak),)
    return parts
