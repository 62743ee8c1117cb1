"""How the ritual answers each event: the handlers and guards that `stages.STAGES` names.

A handler takes (state, event, now) and returns a Step; a guard takes the same and says
whether its transition applies. Which handler answers what, at which stage, is in stages.py.
"""
from __future__ import annotations

from collections.abc import Callable

from checkin.records import replace
from checkin.ritual import awareness, closing, noticing, reminders_and_walks, turns
from checkin.ritual.clock import local_day
from checkin.ritual.events import UNCLEAR, Event, Kind
from checkin.ritual.history import ABANDONED, COMPLETED
from checkin.ritual.names import clean_name
from checkin.ritual.profile import MAX_TURN_MINUTES, MIN_TURN_MINUTES, Profile
from checkin.ritual.prompting import (
    as_int,
    asking,
    come_back_to,
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
    DeleteHousehold,
    Duration,
    FinishRitual,
    Part,
    Partner,
    Reply,
    SaveProfile,
    Say,
)
from checkin.ritual.state import Ritual, Stage, State, Step

Handler = Callable[[State, Event, int], Step]
Guard = Callable[[State, Event, int], bool]
# A handler for a session's first request, given what settling older checkpoints said.
Opener = Callable[[State, Event, int, tuple[Part, ...]], Step]

# An interrupted ritual can be picked up within this long: the same evening.
RESUME_WINDOW_SECONDS = 4 * 3600
# A checkpoint whose turn is still held, give or take a hand-over, is a ritual another device
# is playing right now (a session that ends saves its checkpoint with no hold).
LIVE_GRACE_SECONDS = 60
# "Ready" or "I'm done" this soon after a turn began (its question takes about ten seconds to
# say) answers the invitation ("Alex, over to you"): it does not end a turn barely started.
TURN_START_SECONDS = 20


# --- guards ----------------------------------------------------------------------------------

def in_ritual(state: State, event: Event, now: int) -> bool:
    return state.ritual is not None


def listening_in_ritual(state: State, event: Event, now: int) -> bool:
    """Help or history mid-ritual pauses it, unless it is paused or a deletion is asked."""
    return state.ritual is not None and state.stage not in (Stage.PAUSED, Stage.CONFIRM_DELETE)


def named(state: State, event: Event, now: int) -> bool:
    return state.profile.named


def named_between_rituals(state: State, event: Event, now: int) -> bool:
    return state.profile.named and state.ritual is None


def unnamed(state: State, event: Event, now: int) -> bool:
    return not state.profile.named


def checked_in_today(state: State, event: Event, now: int) -> bool:
    """A check-in is already counted on the household's today."""
    return state.profile.last_completed_on == local_day(now, state.profile.time_zone).isoformat()


def unclear(state: State, event: Event, now: int) -> bool:
    return event.value == UNCLEAR


def elsewhere(state: State, event: Event, now: int) -> bool:
    return state.elsewhere


def paused_for_safety(state: State, event: Event, now: int) -> bool:
    return state.paused_for_safety


def has_turns(state: State, event: Event, now: int) -> bool:
    return state.ritual is not None and bool(state.ritual.turns)


def just_begun(state: State, event: Event, now: int) -> bool:
    ritual = state.ritual
    return ritual is not None and ritual.spoken == 0 and ritual.elapsed(now) < TURN_START_SECONDS


def all_answered(state: State, event: Event, now: int) -> bool:
    return state.ritual is not None and state.ritual.finished


def paused_in_a_turn(state: State, event: Event, now: int) -> bool:
    return state.ritual is not None and state.paused_from in (Stage.TURN, Stage.HANDOVER)


def timer_handed_over(state: State, event: Event, now: int) -> bool:
    """ "Alexa, tell connection check in I'm ready": a timer ended this evening's turn."""
    pending = state.pending
    return pending is not None and bool(pending.timer_id) and \
        now - pending.last_activity <= RESUME_WINDOW_SECONDS


def resumable_and_named(state: State, event: Event, now: int) -> bool:
    """An interrupted ritual that settling keeps (see _settle_pending), for a named couple."""
    pending = state.pending
    return pending is not None and state.profile.named and _resumable(pending, now)


def remind_time_heard(state: State, event: Event, now: int) -> bool:
    return reminders_and_walks.remind_time_heard(event)


def paused_in_awareness(state: State, event: Event, now: int) -> bool:
    return state.paused_from in (Stage.OFFER_AWARENESS, Stage.AWARENESS)


# --- a session's first request ---------------------------------------------------------------

def carry_on_timed_turn(state: State, event: Event, now: int) -> Step:
    """The timer handed over: carry on the pending ritual, as if the session had not ended."""
    from checkin.ritual.machine import advance  # the engine runs the turn's own rules

    _said, effects, state = _settle_stale(state, now)
    carried = state.at(Stage.TURN, ritual=state.pending, pending=None)
    return with_effects(advance(carried, event, now), effects)


def settled(answer: Opener) -> Handler:
    """`answer`, once older checkpoints are recorded; it is told what that said."""
    def after_settling(state: State, event: Event, now: int) -> Step:
        lead, effects, state = _settle_pending(state, now)
        return with_effects(answer(state, event, now, lead), effects)
    return after_settling


def settled_quietly(handler: Handler) -> Handler:
    """`handler`, once older checkpoints are recorded; what that said is not repeated."""
    return settled(lambda state, event, now, lead: handler(state, event, now))


def welcome_and_offer_pending(state: State, event: Event, now: int,
                              lead: tuple[Part, ...]) -> Step:
    # "Alexa, tell connection check in to keep going": the offer is the consent question.
    welcome = Say.of("welcome.back", one=Partner(0), two=Partner(1))
    return _offer_pending(state, now, lead + (welcome,))


def first_history(state: State, event: Event, now: int, lead: tuple[Part, ...]) -> Step:
    # A first "how are we doing" still hears the welcome, then is asked for names.
    parts = lead + (Say.of("welcome.first"),) + _history_parts(state, now)
    return reply(opening_state(state), parts + opening(state))


def history_then_opening(state: State, event: Event, now: int, lead: tuple[Part, ...]) -> Step:
    return _history(state, now, lead + opening(state))


def awareness_at_opening(state: State, event: Event, now: int, lead: tuple[Part, ...]) -> Step:
    """ "Alexa, ask connection check in how connected are we": welcomed, then the check."""
    welcome = Say.of("welcome.back", one=Partner(0), two=Partner(1)) if state.profile.named \
        else Say.of("welcome.first")
    return noticing.on_request(state, now, lead + (welcome,))


def rename(state: State, event: Event, now: int, lead: tuple[Part, ...]) -> Step:
    return _change_names(state, event, lead)


def welcome(state: State, event: Event, now: int, lead: tuple[Part, ...]) -> Step:
    # Back on a day already counted (Alexa may have closed before the wrap-up was heard): say
    # it is kept, unless the lead just said so.
    saved = checked_in_today(state, event, now) and Say.of("recovered.completed") not in lead
    return opening_step(state, lead, (Say.of("welcome.saved_today"),) if saved else ())


# --- names -----------------------------------------------------------------------------------

def first_name_heard(state: State, event: Event, now: int) -> Step:
    name = clean_name(str(event.value or ""))
    if not name:
        return reply(state, (Say.of("name.unclear"),) + opening(state))
    return reply(state.at(Stage.ASK_SECOND_NAME, first_name=name),
                 (Say.of("name.second", first=name),), (Say.of("name.second.reprompt"),))


def first_name_skipped(state: State, event: Event, now: int) -> Step:
    return _names_set(state, ("", ""), (Say.of("name.skipped"),))


def second_name_heard(state: State, event: Event, now: int) -> Step:
    name = clean_name(str(event.value or ""))
    if not name:
        return reply(state, (Say.of("name.unclear"),) + opening(state))
    # Two partners may share a first name; both keep it.
    thanks = Say.of("name.same", name=name) if name.lower() == state.first_name.lower() \
        else Say.of("name.thanks")
    return _names_set(state, (state.first_name, name), (thanks,))


def second_name_skipped(state: State, event: Event, now: int) -> Step:
    return _names_set(state, (state.first_name, ""), (Say.of("name.second_skipped"),))


# --- consent, and when would be better ---------------------------------------------------------

def begin_or_offer_pending(state: State, event: Event, now: int) -> Step:
    if state.pending:
        return _offer_pending(state, now)
    if noticing.due(state, now):  # the week's check of the five signs comes first
        return noticing.offer(state, now, (Say.of("consent.yes"),))
    return turns.start_ritual(state, now, (Say.of("consent.yes"),))


def saying(key: str) -> Handler:
    """Say `key` and ask the stage's question again."""
    def say(state: State, event: Event, now: int) -> Step:
        return reply(state, (Say.of(key),))
    return say


def ask_when(state: State, event: Event, now: int) -> Step:
    return prompt_step(state.at(Stage.ASK_WHEN), (Say.of("consent.no"),))


def later_heard(state: State, event: Event, now: int) -> Step:
    return reminders_and_walks.later_heard(state, reminders_and_walks.heard_time(event), now)


def ask_for_a_time(state: State, event: Event, now: int) -> Step:
    """Asked for a time, the couple said yes: the question again, with examples."""
    example = stage_prompt(state)[1]
    return Step(state, Reply(example, example))


def not_tonight(state: State, event: Event, now: int) -> Step:
    """A kind goodbye, nothing more asked: after "when would be better?" anything but a time
    or a yes; or "not now" once today is already checked in."""
    return reminders_and_walks.later_heard(state, None, now)


# --- an interrupted ritual -------------------------------------------------------------------

def start_here(state: State, event: Event, now: int) -> Step:
    # The other device's ritual is left to it: nothing is abandoned.
    fresh = state.at(Stage.CONSENT, pending=None, elsewhere=False)
    return turns.start_ritual(fresh, now, (Say.of("resume.fresh"),))


def join_there(state: State, event: Event, now: int) -> Step:
    ended = state.at(Stage.ENDED, pending=None, elsewhere=False)
    return Step(ended, Reply((Say.of("resume.elsewhere.there"),), end_session=True))


def resume_pending(state: State, event: Event, now: int) -> Step:
    pending = state.pending
    assert pending is not None
    ritual = replace(pending, spoken=0, bonus_partner=-1, last_activity=now, device=state.device)
    state = state.at(Stage.HANDOVER, ritual=ritual, pending=None)
    return turns.proceed(state, now, (Say.of("resume.yes"),))


def start_afresh(state: State, event: Event, now: int) -> Step:
    pending = state.pending
    assert pending is not None
    abandoned = FinishRitual(turns.to_record(pending, ABANDONED, now))
    step = turns.start_ritual(state.at(Stage.CONSENT, pending=None), now,
                              (Say.of("resume.fresh"),))
    return with_effects(step, (abandoned,))


def _offer_pending(state: State, now: int, lead: tuple[Part, ...] = ()) -> Step:
    """Offer to pick up the interrupted ritual, or, if another device is playing it right now,
    to join it there or start a new one here."""
    pending = state.pending
    live = pending is not None and pending.device != state.device and pending.hold_seconds > 0 \
        and now < pending.hold_started_at + pending.hold_seconds + LIVE_GRACE_SECONDS
    return prompt_step(state.at(Stage.OFFER_RESUME, elsewhere=live), lead)


# --- a turn ----------------------------------------------------------------------------------

def turn_done(state: State, event: Event, now: int) -> Step:
    ritual = state.ritual
    assert ritual is not None
    done = turns.end_segment(state, ritual.spoken + ritual.elapsed(now))
    assert done.ritual is not None
    key, invite = "turn.thanks", True
    if turns.starts_new_question(done.ritual):
        # Who ends one question may start the next: named once.
        invite = done.ritual.speaker != ritual.speaker
        key = "turn.thanks_next_question" if invite else "turn.thanks_next_question_same"
    return turns.proceed(done, now, (Say.of(key, speaker=Partner(ritual.speaker)),), invite)


def more_time(state: State, event: Event, now: int) -> Step:
    """More time for the speaker, and the same owed to the other partner."""
    ritual = spoken_so_far(state, now)
    if ritual.allowance + turns.EXTRA_SECONDS > turns.hold_limit(state):
        return turns.hold(state, ritual, now, (Say.of("more_time.limit"),))
    speaker, other = ritual.speaker, 1 - ritual.speaker
    # Only what is used of it is owed to the other partner, when the segment ends.
    ritual = replace(ritual, allowance=ritual.allowance + turns.EXTRA_SECONDS,
                     extra=ritual.extra + turns.EXTRA_SECONDS)
    granted = Say.of("more_time.granted", speaker=Partner(speaker), other=Partner(other))
    return turns.hold(state, ritual, now, (granted,))


def repeat_question(state: State, event: Event, now: int) -> Step:
    ritual = state.ritual
    assert ritual is not None
    again = (turns.question_part(ritual),)
    return turns.hold(state, spoken_so_far(state, now), now, (Say.of("repeat.question"),) + again)


def skip_rest_of_turn(state: State, event: Event, now: int) -> Step:
    cut = turns.end_segment(state, spoken_so_far(state, now).spoken, skipped=True)
    return turns.skip_question(cut, now)


def pause_turn(state: State, event: Event, now: int) -> Step:
    paused = state.at(Stage.PAUSED, ritual=spoken_so_far(state, now), paused_from=Stage.TURN)
    return _pause(paused, event, now)


def set_length_mid_turn(state: State, event: Event, now: int) -> Step:
    step = set_length(state, event, now)
    held = turns.hold(step.state, spoken_so_far(state, now), now, step.reply.speech[:1])
    return with_effects(held, step.effects)


def take_your_time(state: State, event: Event, now: int) -> Step:
    ritual = spoken_so_far(state, now)
    return turns.hold(state, ritual, now,
                      (Say.of("turn.just_begun", speaker=Partner(ritual.speaker)),))


def go_on(state: State, event: Event, now: int) -> Step:
    # Anything else heard mid-turn is most likely the speaker: keep holding the floor.
    return turns.hold(state, spoken_so_far(state, now), now, (Say.of("turn.go_on"),))


def spoken_so_far(state: State, now: int) -> Ritual:
    ritual = state.ritual
    assert ritual is not None
    return replace(ritual, spoken=ritual.spoken + ritual.elapsed(now), hold_seconds=0)


# --- between turns ---------------------------------------------------------------------------

def next_turn(state: State, event: Event, now: int) -> Step:
    return turns.proceed(state, now)


def more_for_last_speaker(state: State, event: Event, now: int) -> Step:
    ritual = state.ritual
    assert ritual is not None
    last = ritual.turns[-1].partner
    if ritual.finished:  # a minute each, as offered after "no" to wrapping up
        each = replace(ritual, owed=turns.owe(ritual.owed, 1 - last, turns.EXTRA_SECONDS))
        return turns.open_bonus(state, each, last, turns.EXTRA_SECONDS, now)
    return turns.open_bonus(state, ritual, last, turns.EXTRA_SECONDS, now,
                            (Say.of("more_time.granted", speaker=Partner(last),
                                    other=Partner(1 - last)),),
                            extra=turns.EXTRA_SECONDS)


def skip_question(state: State, event: Event, now: int) -> Step:
    return turns.skip_question(state, now)


def not_yet(state: State, event: Event, now: int) -> Step:
    """ "No" to wrapping up: say what else can be done."""
    ritual = state.ritual
    assert ritual is not None
    more = Say.of("handover.final.not_yet", speaker=Partner(ritual.turns[-1].partner))
    return reply(state, (more,), (Say.of("handover.final.not_yet.reprompt"),))


def pause_at_handover(state: State, event: Event, now: int) -> Step:
    return _pause(state.at(Stage.PAUSED, paused_from=Stage.HANDOVER), event, now)


def take_extra(state: State, event: Event, now: int) -> Step:
    ritual = state.ritual
    assert ritual is not None
    first = 1 - ritual.turns[-1].partner
    seconds = ritual.owed[first]
    ritual = replace(ritual, owed=turns.owe(ritual.owed, first, -seconds))
    return turns.open_bonus(state, ritual, first, seconds, now)


def decline_extra(state: State, event: Event, now: int) -> Step:
    ritual = state.ritual
    assert ritual is not None
    return turns.proceed(state.at(Stage.HANDOVER, ritual=replace(ritual, owed=(0, 0))), now)


# --- a pause ---------------------------------------------------------------------------------

def resume(state: State, event: Event, now: int) -> Step:
    back = come_back_to(state)
    state = state.at(back, paused_from=None, paused_for_safety=False)
    if back is Stage.TURN and state.ritual is not None:
        ritual = state.ritual
        reminder: tuple[Part, ...] = (Say.of("resume.turn", speaker=Partner(ritual.speaker)),
                                      turns.question_part(ritual))
        if ritual.bonus_partner >= 0:
            reminder = reminder[:1]
        return turns.hold(state, ritual, now, reminder)
    if back is Stage.SMALL_THING and state.small is not None:
        return closing.small_resumed(state, now)
    return prompt_step(state, (Say.of("resume.yes"),))


def skip_while_paused(state: State, event: Event, now: int) -> Step:
    ritual = state.ritual
    assert ritual is not None
    if state.paused_from is Stage.TURN:
        state = turns.end_segment(state.at(Stage.TURN), ritual.spoken, skipped=True)
    return turns.skip_question(state.at(Stage.HANDOVER, paused_from=None), now)


def ask_again(state: State, event: Event, now: int) -> Step:
    return prompt_step(state)


def wait_then_ask(state: State, event: Event, now: int) -> Step:
    return prompt_step(state, (Say.of("wait.take_your_time"),))


def pause(state: State, event: Event, now: int) -> Step:
    return _pause(state.at(Stage.PAUSED, paused_from=state.stage), event, now)


def _pause(state: State, event: Event, now: int | None = None) -> Step:
    if event.kind in (Kind.SAFETY, Kind.PAUSE):  # set once the support lines are said
        supported = event.kind is Kind.SAFETY and event.value != UNCLEAR
        state = replace(state, paused_for_safety=supported)
    if event.kind is Kind.HELP:
        return help_step(state)
    if event.kind is Kind.SAFETY and event.value == UNCLEAR:
        return which_help(state, event, 0)
    # With no ritual under way, nothing is kept to carry on in a later session.
    paused = "paused" if state.ritual is not None else "paused.short"
    lead = {
        Kind.SAFETY: (Say.of("safety"),),
        Kind.HISTORY: _history_parts(state, now),
    }.get(event.kind, (Say.of(paused),))
    step = prompt_step(state, lead)
    pausing = event.kind not in (Kind.SAFETY, Kind.HISTORY)
    if pausing and state.ritual is not None and now is not None:
        # Alexa closes a paused session within seconds: keep their place to carry on later.
        ritual = replace(state.ritual, last_activity=now)
        step = replace(step, state=replace(step.state, ritual=ritual))
        step = with_effects(step, (turns.save_checkpoint(ritual, now),))
    return step


# --- deleting everything ---------------------------------------------------------------------

def confirm_delete(state: State, event: Event, now: int) -> Step:
    asking_ = state.at(Stage.CONFIRM_DELETE, paused_from=come_back_to(state))
    if state.stage is Stage.TURN and state.ritual is not None:
        asking_ = replace(asking_, ritual=spoken_so_far(state, now))
    return prompt_step(asking_)


def delete_everything(state: State, event: Event, now: int) -> Step:
    fresh = State(Stage.ENDED, Profile(time_zone=state.profile.time_zone))
    # Reminders and timers outlive the stored data unless cancelled first.
    effects = reminders_and_walks.cancel_alerts(state) + (DeleteHousehold(),)
    return Step(fresh, Reply((Say.of("delete.done"),), end_session=True), effects)


def keep_everything(state: State, event: Event, now: int) -> Step:
    back = state.at(come_back_to(state), paused_from=None)
    if back.stage is Stage.TURN:
        back = back.at(Stage.PAUSED, paused_from=Stage.TURN)
    return prompt_step(back, (Say.of("delete.kept"),))


# --- reminders and walks ---------------------------------------------------------------------

def leaving_the_turn(handler: Handler) -> Handler:
    """`handler`; a turn under way carries on with the time it had left once it is done."""
    def turn_waits(state: State, event: Event, now: int) -> Step:
        if state.stage is Stage.TURN and state.ritual is not None:
            state = replace(state, ritual=spoken_so_far(state, now))
        return handler(state, event, now)
    return turn_waits


def walk_later(state: State, event: Event, now: int) -> Step:
    if state.stage is Stage.TURN:  # keep holding the floor; walks start another time
        return turns.hold(state, spoken_so_far(state, now), now, (Say.of("walk.after"),))
    return prompt_step(state, (Say.of("walk.after"),))


def remind_at(state: State, event: Event, now: int) -> Step:
    return reminders_and_walks.ask_remind_time(state, event, now)


def no_reminder(state: State, event: Event, now: int) -> Step:
    return reminders_and_walks.skip_reminder(state, now)


def remind_then(state: State, event: Event, now: int) -> Step:
    return reminders_and_walks.offer_reminder(state, event, now, yes=True)


def no_reminder_then(state: State, event: Event, now: int) -> Step:
    return reminders_and_walks.offer_reminder(state, event, now, yes=False)


# --- what every stage answers alike ----------------------------------------------------------

def stop(state: State, event: Event, now: int) -> Step:
    ritual = state.ritual
    effects = turns.stop_effects(ritual, now)
    if ritual is not None and ritual.finished:
        return turns.close(state, now)
    key = "stop.ritual" if ritual is not None else "stop.goodbye"
    ended = state.at(Stage.ENDED, ritual=None)
    return Step(ended, Reply((Say.of(key), goodbye(state)), end_session=True), effects)


def start_over(state: State, event: Event, now: int) -> Step:
    return turns.start_ritual(state.at(Stage.CONSENT, ritual=None), now, (Say.of("start_over"),))


def start_from_the_opening(state: State, event: Event, now: int) -> Step:
    return opening_step(state.at(Stage.NEW))


def which_help(state: State, event: Event, now: int) -> Step:
    """An ambiguous "I need help": help with the check-in, or support right now?"""
    return reply(replace(asking(state), help_or_support=True), (Say.of("help.which"),),
                 (Say.of("help.which.reprompt"),))


def pause_for_safety(state: State, event: Event, now: int) -> Step:
    # Whatever was under way waits (a pending deletion is simply not done), and the
    # couple is asked whether to carry on or stop.
    return _pause(state.at(Stage.PAUSED, paused_from=come_back_to(state)), event)


def help_here(state: State, event: Event, now: int) -> Step:
    return help_step(state)


def history(state: State, event: Event, now: int) -> Step:
    return _history(state, now, stage_prompt(state)[0])


def not_understood(state: State, event: Event, now: int) -> Step:
    return prompt_step(state, (Say.of("fallback"),))


def name_heard_when_named(state: State, event: Event, now: int) -> Step:
    """A name heard where none was asked, from a named couple: how to change names, and the
    question at hand again. Renaming on it would replace both saved names on a stray word."""
    return prompt_step(state, (Say.of("names.heard"),))


def change_names(state: State, event: Event, now: int) -> Step:
    return _change_names(state, event)


def session_ended(state: State, event: Event, now: int) -> Step:
    """The session closed (silence, an error, or the couple walked away)."""
    ritual = state.ritual
    if ritual is None:
        return Step(state.at(Stage.ENDED), Reply((), end_session=True))
    if ritual.finished:  # recorded as completed; Alexa plays nothing for a closed session
        closed = turns.close(state, now)
        return Step(closed.state, Reply((), end_session=True), closed.effects)
    if state.stage is Stage.TURN:
        ritual = spoken_so_far(state, now)
    ended = state.at(Stage.ENDED, ritual=None, pending=ritual)
    return Step(ended, Reply((), end_session=True), (turns.save_checkpoint(ritual, now),))


_LENGTH_STEPS = {"shorter": -1, "longer": 1}


def set_length(state: State, event: Event, now: int) -> Step:
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
    asking_names = state.at(Stage.ASK_FIRST_NAME, paused_from=None, first_name="")
    if name:
        asking_names = asking_names.at(Stage.ASK_SECOND_NAME, first_name=name)
        return reply(asking_names, lead + (Say.of("name.second", first=name),))
    return prompt_step(asking_names, lead + (Say.of("names.change"),))


def _names_set(state: State, names: tuple[str, str], lead: tuple[Part, ...]) -> Step:
    profile = replace(state.profile, names=names, named=True)
    state = state.at(Stage.CONSENT, profile=profile, first_name="")
    if state.walk:  # a first walk asked for names first; now the walk
        lead += (Say.of("walk.welcome"),)
    step = prompt_step(state, lead)
    return with_effects(step, (SaveProfile(profile),))


def _history(state: State, now: int, then: tuple[Part, ...]) -> Step:
    target = asking(state)
    return reply(target, _history_parts(state, now) + then, stage_prompt(target)[1])


def _history_parts(state: State, now: int | None) -> tuple[Part, ...]:
    profile, tonight = _counting_tonight(state, now)
    keys = ("history.tonight.one", "history.tonight") if tonight else \
        ("history.count.one", "history.count")
    if profile.completed == 0:
        parts: tuple[Part, ...] = (Say.of("history.none"),)
    else:
        parts = (Say.of(keys[0] if profile.completed == 1 else keys[1],
                        count=profile.completed, time=Duration(sum(profile.total_seconds))),)
    if profile.streak > 1:
        parts += (Say.of("history.streak", nights=profile.streak),)
    if profile.best_streak > max(profile.streak, 1):  # the current run, said once
        parts += (Say.of("history.best", nights=profile.best_streak),)
    # How the checks of the five signs compare with a month ago, said kindly either way.
    trend = awareness.trend(state.checks, now) if now is not None else None
    return parts + ((Say.of(f"trend.{trend}"),) if trend else ())


def _counting_tonight(state: State, now: int | None) -> tuple[Profile, bool]:
    """The profile as history tells it, and whether it counts tonight's check-in: once all six
    turns are done, only its recording is left (a check-in no question of which both answered
    is never counted)."""
    ritual = state.ritual
    if ritual is None or now is None or not ritual.finished:
        return state.profile, False
    record = turns.to_record(ritual, COMPLETED, now)
    if not record.answered_by_both:
        return state.profile, False
    return state.profile.after_completion(record, local_day(now, state.profile.time_zone)), True


# --- step one: the check of the five signs (see noticing) ------------------------------------

_LEVELS = {Kind.YES: awareness.YES, Kind.A_LITTLE: awareness.A_LITTLE, Kind.NO: awareness.NO}


def begin_awareness(state: State, event: Event, now: int) -> Step:
    return noticing.begin(state, now)


def skip_awareness(state: State, event: Event, now: int) -> Step:
    return noticing.skip(state, now)


def skip_awareness_while_paused(state: State, event: Event, now: int) -> Step:
    return noticing.skip(state.at(state.paused_from or Stage.AWARENESS), now)


def sign_answered(state: State, event: Event, now: int) -> Step:
    return noticing.answered(state, _LEVELS[event.kind], now)


def awareness_asked(state: State, event: Event, now: int) -> Step:
    """ "How connected are we", outside a ritual: the check now, then the opening question."""
    return noticing.on_request(state, now)


def awareness_later(state: State, event: Event, now: int) -> Step:
    """ "How connected are we" during a check-in: afterwards."""
    if state.stage is Stage.TURN:  # keep holding the floor
        return turns.hold(state, spoken_so_far(state, now), now, (Say.of("awareness.after"),))
    if state.stage is Stage.SMALL_THING:
        return closing.small_go_on(state, now, (Say.of("awareness.after"),))
    return prompt_step(state, (Say.of("awareness.after"),))


def go_on_after_safety(state: State, event: Event, now: int) -> Step:
    return noticing.go_on_after_safety(state, now)


def rest_after_safety(state: State, event: Event, now: int) -> Step:
    return noticing.rest_after_safety(state, now)


# --- step three: one small thing, and the plan (see closing) -----------------------------------

def begin_small_thing(state: State, event: Event, now: int) -> Step:
    return closing.begin_small_thing(state, now)


def close_without_small_thing(state: State, event: Event, now: int) -> Step:
    return closing.close_with_plan(state, now)


def small_done(state: State, event: Event, now: int) -> Step:
    return closing.small_done(state, now)


def small_next(state: State, event: Event, now: int) -> Step:
    return closing.small_next(state, now)


def small_skipped(state: State, event: Event, now: int) -> Step:
    return closing.small_skipped(state, now)


def small_more_time(state: State, event: Event, now: int) -> Step:
    return closing.small_more_time(state, now)


def small_more_after_chime(state: State, event: Event, now: int) -> Step:
    return closing.small_more_after_chime(state, now)


def small_repeat(state: State, event: Event, now: int) -> Step:
    return closing.small_repeat(state, now)


def small_go_on(state: State, event: Event, now: int) -> Step:
    return closing.small_go_on(state, now)


def small_set_length(state: State, event: Event, now: int) -> Step:
    step = set_length(state, event, now)
    held = closing.small_go_on(step.state, now, step.reply.speech[:1])
    return with_effects(held, step.effects)


def pause_small_thing(state: State, event: Event, now: int) -> Step:
    paused = state.at(Stage.PAUSED, small=closing.spoken_so_far(state, now),
                      paused_from=Stage.SMALL_THING)
    return _pause(paused, event, now)


def pause_small_handover(state: State, event: Event, now: int) -> Step:
    return _pause(state.at(Stage.PAUSED, paused_from=Stage.SMALL_HANDOVER), event, now)


def plan_yes(state: State, event: Event, now: int) -> Step:
    return closing.plan_accepted(state, now)


def plan_remind(state: State, event: Event, now: int) -> Step:
    step = closing.plan_named(state, event.value, now, daily=True)
    assert step is not None
    return step


def plan_named_time(state: State, event: Event, now: int) -> Step:
    step = closing.plan_named(state, event.value, now, daily=False)
    return step if step is not None else not_understood(state, event, now)


def plan_no(state: State, event: Event, now: int) -> Step:
    return closing.plan_declined(state, now)


# --- checkpoints left from earlier -----------------------------------------------------------

def _resumable(pending: Ritual, now: int) -> bool:
    """Picked up this evening, and not already over (its last turn may have run out since)."""
    return not turns.held_out(pending, now).finished and \
        now - pending.last_activity <= RESUME_WINDOW_SECONDS


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
    if pending is None or _resumable(pending, now):
        return lead, effects, state
    caught_up = turns.held_out(pending, now)
    said, done, state = _record_unfinished(replace(state, pending=None), caught_up, now)
    return lead + tuple(p for p in said if p not in lead), effects + done, state


def _record_unfinished(state: State, ritual: Ritual, now: int):
    """A finished ritual that was never recorded is recorded now; any other, as abandoned."""
    if ritual.finished:
        step = turns.close(state.at(Stage.NEW, ritual=ritual), now)
        settled_state = replace(step.state, stage=Stage.NEW, pending=state.pending)
        return (Say.of("recovered.completed"),), step.effects, settled_state
    record = turns.to_record(ritual, ABANDONED, now)
    return (), (FinishRitual(record),), state
