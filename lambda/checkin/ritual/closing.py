"""Step three of the article's, being intentional: how a ritual closes.

When the six turns are done: on the week's evening (the check of the five signs was offered as
it began), "one small thing" is offered, a short closing turn each, the same length for both and
never recorded. Then the ritual is recorded and summed up, and, when no nightly reminder is set
and the couple has not said no to reminders lately, a plan is offered: "Would you like me to
remind you, same time tomorrow?", through the usual reminder flow and its voice permission.
"""
from __future__ import annotations

from datetime import timedelta

from checkin.records import replace
from checkin.ritual import awareness, reminders_and_walks, turns
from checkin.ritual.clock import local_day, local_now, plan_time
from checkin.ritual.events import Event, HeardTime, Kind
from checkin.ritual.history import COMPLETED, WALK
from checkin.ritual.profile import Profile
from checkin.ritual.prompting import goodbye, prompt_step, stage_prompt
from checkin.ritual.reply import (
    AskPermission,
    Chime,
    Duration,
    Hold,
    Part,
    Partner,
    Reply,
    SaveProfile,
    Say,
)
from checkin.ritual.state import LaterTime, SmallThing, Stage, State, Step

SMALL_MIN_SECONDS, SMALL_MAX_SECONDS = 30, 60
SMALL_EXTRA_SECONDS = 30
PLAN_ROUND_MINUTES = 15  # "same time tomorrow": the ritual's start, to the nearest quarter hour


# --- the close -------------------------------------------------------------------------------

def wrap_up(state: State, now: int, lead: tuple[Part, ...] = ()) -> Step:
    """The six turns are done: one small thing first, on the week's evening; then the close."""
    ritual = state.ritual
    if ritual is not None and state.small is None and _small_thing_due(state, now):
        return prompt_step(state.at(Stage.OFFER_SMALL_THING), lead)
    return close_with_plan(state, now, lead)


def close_with_plan(state: State, now: int, lead: tuple[Part, ...] = ()) -> Step:
    """Record and sum up the ritual; then offer to set the next time, if that is wanted."""
    ritual = state.ritual
    assert ritual is not None
    step = turns.close(state.at(Stage.HANDOVER, small=None), now, lead)
    if not plan_due(step.state.profile, now):
        return step
    later = _same_time_tomorrow(ritual.started_at, now, step.state.profile.time_zone)
    asking = step.state.at(Stage.OFFER_PLAN, later=later)
    speech, reprompt = stage_prompt(asking)
    if ritual.mode == WALK:  # the ritual is over, so the voice no longer knows it was a walk
        speech = tuple(Say.of("plan.offer.walk") if p == Say.of("plan.offer") else p
                       for p in speech)
    # The goodnight waits for their answer.
    return Step(asking, Reply(step.reply.speech[:-1] + speech, reprompt), step.effects)


def _small_thing_due(state: State, now: int) -> bool:
    ritual = state.ritual
    assert ritual is not None
    counted = turns.to_record(ritual, COMPLETED, now).answered_by_both
    return counted and awareness.asked_this_evening(state.profile, ritual.started_at)


def plan_due(profile: Profile, now: int) -> bool:
    """No nightly reminder, none set for a day to come, and no "no" to reminders this week."""
    today = local_day(now, profile.time_zone).isoformat()
    coming = any(once.on_date > today for once in profile.once_reminders)
    return not profile.reminder_id and not coming and \
        not reminders_and_walks.declined_recently(profile.reminders_declined_at, now)


def _same_time_tomorrow(started_at: int, now: int, time_zone: str) -> LaterTime:
    moment = local_now(started_at + 86_400, time_zone)
    quarter = timedelta(minutes=PLAN_ROUND_MINUTES)
    past = timedelta(minutes=moment.minute % PLAN_ROUND_MINUTES, seconds=moment.second)
    moment = moment - past + (quarter if past * 2 >= quarter else timedelta())
    today = local_day(now, time_zone).isoformat()
    return LaterTime(moment.date().isoformat(), f"{moment.hour:02d}:{moment.minute:02d}", today)


# --- the plan: "same time tomorrow?" -----------------------------------------------------------

def plan_accepted(state: State, now: int) -> Step:
    later = state.later
    if later is None or not later.time:  # nothing planned to accept: ask the time instead
        asking = reminders_and_walks.remind(_leaving(state), Event(Kind.REMIND), now)
        return _then_goodnight(state, asking)
    step = reminders_and_walks.set_reminder(_leaving(state), later.time, later.on_date, now)
    return _then_goodnight(state, step)


def plan_named(state: State, event_value: object, now: int, daily: bool) -> Step | None:
    """A time they named instead: "every night at nine" (daily) or "tomorrow at eight" (once).
    A day without a time is that day at the time offered; None when no time was heard."""
    heard = event_value if isinstance(event_value, HeardTime) else HeardTime()
    if daily:
        step = reminders_and_walks.remind(_leaving(state), Event(Kind.REMIND, heard), now)
        return _then_goodnight(state, step)
    later = state.later or LaterTime("", "", "")
    on_date, time = plan_time(heard.time, heard.date, now, state.profile.time_zone)
    if not time and heard.date and later.time:
        on_date, time = heard.date, later.time
    if not time:
        return None
    step = reminders_and_walks.set_reminder(_leaving(state), time, on_date, now)
    return _then_goodnight(state, step)


def plan_declined(state: State, now: int) -> Step:
    """ "No thanks": not asked again this week (the same quiet week as any "no" to reminders)."""
    profile = replace(state.profile, reminders_declined_at=now)
    ended = state.at(Stage.ENDED, profile=profile, later=None)
    reply = Reply((Say.of("plan.declined"), goodbye(state)), end_session=True)
    return Step(ended, reply, (SaveProfile(profile),))


def _leaving(state: State) -> State:
    # Nothing else is under way: set it, and the session closes.
    return state.at(Stage.ENDED, later=None)


def _then_goodnight(state: State, step: Step) -> Step:
    """A reminder set (or refused) closes the evening with its goodnight; a permission question
    hands the session to Alexa, who speaks next."""
    reply = step.reply
    if reply.end_session and not any(isinstance(d, AskPermission) for d in reply.directives):
        reply = replace(reply, speech=reply.speech + (goodbye(state),))
    return replace(step, reply=reply)



# --- one small thing -------------------------------------------------------------------------

def small_thing_seconds(profile: Profile) -> int:
    """A short turn: a quarter of their turn length, from 30 seconds to a minute."""
    return max(SMALL_MIN_SECONDS, min(SMALL_MAX_SECONDS, profile.turn_seconds // 4))


def begin_small_thing(state: State, now: int) -> Step:
    """The partner who started the evening second goes first here: mirrored, for fairness."""
    ritual = state.ritual
    assert ritual is not None
    small = SmallThing(first=1 - ritual.first_partner,
                       allowance=small_thing_seconds(state.profile))
    return hold_small(state, small, now, (_invite(small),))


def small_done(state: State, now: int) -> Step:
    """ "I'm done": the other partner's small thing, or, after both, the close."""
    small = state.small
    assert small is not None
    thanks = Say.of("turn.thanks", speaker=Partner(small.speaker))
    if small.order == 0:
        second = SmallThing(small.first, small.allowance, order=1)
        return hold_small(state, second, now, (thanks, _invite(second)))
    return close_with_plan(state, now, (thanks,))


def small_next(state: State, now: int) -> Step:
    """ "Ready" after the first partner's chime; "yes" to wrapping up after the second's."""
    small = state.small
    assert small is not None
    if small.order == 0:
        second = SmallThing(small.first, small.allowance, order=1)
        return hold_small(state, second, now, (_invite(second),))
    return close_with_plan(state, now)


def small_skipped(state: State, now: int) -> Step:
    return close_with_plan(state, now, (Say.of("skip.last"),) if state.small else ())


def small_more_time(state: State, now: int) -> Step:
    """More time is mirrored: the first partner may have 30 seconds more, up to a minute, and
    the second then has the same; the second has what the first had."""
    small = spoken_so_far(state, now)
    if small.order == 1:
        return hold_small(state, small, now, (Say.of("small.same_time"),))
    if small.allowance + SMALL_EXTRA_SECONDS > SMALL_MAX_SECONDS:
        return hold_small(state, small, now, (Say.of("small.limit"),))
    small = replace(small, allowance=small.allowance + SMALL_EXTRA_SECONDS)
    more = Say.of("small.more_time", speaker=Partner(small.speaker),
                  other=Partner(1 - small.speaker), minutes=Duration(SMALL_EXTRA_SECONDS))
    return hold_small(state, small, now, (more,))


def small_more_after_chime(state: State, now: int) -> Step:
    """ "More time" just after the chime: the partner who just spoke goes on, as above."""
    small = state.small
    assert small is not None
    if small.order == 1 or small.allowance + SMALL_EXTRA_SECONDS > SMALL_MAX_SECONDS:
        return prompt_step(state, (Say.of("small.limit"),))
    return small_more_time(state.at(Stage.SMALL_THING, small=replace(
        small, spoken=small.allowance, hold_seconds=0)), now)


def small_repeat(state: State, now: int) -> Step:
    small = spoken_so_far(state, now)
    return hold_small(state, small, now, (Say.of("repeat.question"), _invite(small)))


def small_go_on(state: State, now: int, lead: tuple[Part, ...] = ()) -> Step:
    """Anything else heard is most likely the speaker: keep holding the floor."""
    return hold_small(state, spoken_so_far(state, now), now, lead or (Say.of("turn.go_on"),))


def small_resumed(state: State, now: int) -> Step:
    small = state.small
    assert small is not None
    return hold_small(state, small, now, (Say.of("resume.yes"), _invite(small)))


def spoken_so_far(state: State, now: int) -> SmallThing:
    small = state.small
    assert small is not None
    elapsed = max(0, min(now - small.hold_started_at, small.hold_seconds))
    return replace(small, spoken=small.spoken + elapsed, hold_seconds=0)


def held_out(state: State, now: int) -> State:
    """A small thing whose time ran out ended at its chime: on to what was said after it."""
    small = state.small
    if state.stage is Stage.SMALL_THING and small is not None and \
            now - small.hold_started_at >= small.hold_seconds:
        done = replace(small, spoken=small.allowance, hold_seconds=0)
        return state.at(Stage.SMALL_HANDOVER, small=done)
    return state


def hold_small(state: State, small: SmallThing, now: int, lead: tuple[Part, ...]) -> Step:
    """Hold the floor for the rest of the speaker's time, then chime and say what is next."""
    rest = max(0, small.allowance - small.spoken)
    small = replace(small, hold_started_at=now, hold_seconds=rest)
    holding = state.at(Stage.SMALL_THING, small=small, paused_from=None)
    after = small_after_chime(small)
    return Step(holding, Reply(lead + (Hold(rest), Chime()) + after[0], after[1]))


def small_after_chime(small: SmallThing) -> tuple[tuple[Part, ...], tuple[Part, ...]]:
    """What is said at the chime, and asked again: the other partner's turn, or the wrap-up."""
    done = Partner(small.speaker)
    if small.order == 0:
        following = Partner(1 - small.speaker)
        return ((Say.of("small.handover", done=done, next=following),),
                (Say.of("handover.reprompt", next=following),))
    return (Say.of("small.final", done=done),), (Say.of("handover.final.reprompt"),)


def _invite(small: SmallThing) -> Say:
    return Say.of("small.invite", speaker=Partner(small.speaker),
                  other=Partner(1 - small.speaker))

