"""Beyond the living room: reminders, walk check-ins, and the permissions they need.

Each function takes the state and the event and returns a Step, like a stage handler.
Permissions are asked by voice; after a "no" the skill does not offer again for a week.
"""
from __future__ import annotations

from checkin.records import record, replace
from checkin.ritual import turns
from checkin.ritual.clock import (
    clock_time_or_default,
    days_ahead,
    local_day,
    next_occurrence,
    plan_time,
)
from checkin.ritual.events import Event, HeardTime, PermissionAnswer
from checkin.ritual.prompting import come_back_to, prompt_step, with_effects
from checkin.ritual.reply import (
    REMINDERS,
    TIMERS,
    AskPermission,
    CancelReminder,
    CancelTimer,
    ClockTime,
    Effect,
    Part,
    Partner,
    Reply,
    SaveProfile,
    Say,
    SetReminder,
    TimeOnDay,
)
from checkin.ritual.state import LaterTime, Stage, State, Step

ASK_AGAIN_AFTER_SECONDS = 7 * 24 * 3600
WALK_TURN_SECONDS = 240
ACCEPTED = "ACCEPTED"
REMIND_PURPOSE, TIMERS_PURPOSE = "remind", "timers"
DAILY = "daily"
TASK = "task"


@record
class PermissionPlan:
    """What a permission question was asked for. It travels through Alexa as the request's
    token, "remind|daily||21:00|turn" or "timers|walk", and comes back with the answer."""

    purpose: str  # REMIND_PURPOSE or TIMERS_PURPOSE
    daily: bool = False  # a reminder: every day, or once
    on_date: str = ""  # a one-off reminder's ISO date ("" for the next `time`)
    time: str = ""  # a reminder's "HH:MM"
    back: str = ""  # where a ritual under way carries on: a stage, or "paused:<stage>"
    task: bool = False  # asked in a Routine's session, which is told when all is done

    @property
    def token(self) -> str:
        if self.purpose != REMIND_PURPOSE:
            return f"{self.purpose}|walk"
        kind = DAILY if self.daily else "once"
        parts = (REMIND_PURPOSE, kind, "" if self.daily else self.on_date, self.time)
        if self.task:
            return "|".join(parts + (self.back, TASK))
        return "|".join(parts + ((self.back,) if self.back else ()))

    @classmethod
    def from_token(cls, token: str) -> PermissionPlan | None:
        parts = token.split("|")
        if parts[0] == REMIND_PURPOSE and len(parts) in (4, 5, 6):
            return cls(REMIND_PURPOSE, parts[1] == DAILY, parts[2], parts[3],
                       parts[4] if len(parts) >= 5 else "", parts[5:] == [TASK])
        if parts[0] == TIMERS_PURPOSE:
            return cls(TIMERS_PURPOSE)
        return None


def declined_recently(declined_at: int, now: int) -> bool:
    return bool(declined_at) and now - declined_at < ASK_AGAIN_AFTER_SECONDS


# --- reminders -------------------------------------------------------------------------------

def remind(state: State, event: Event, now: int) -> Step:
    """ "Remind us every night at nine", "change the reminder to ten", or, with a day named,
    "remind us tomorrow at eight": once, on that day."""
    heard = heard_time(event)
    if heard.date:
        on_date, time = plan_time(heard.time, heard.date, now, state.profile.time_zone)
        if time:
            return set_reminder(state, time, on_date, now)
    time = clock_time_or_default(heard.time)
    if not time:
        back = state.paused_from if state.stage is Stage.ASK_REMIND_TIME else state.stage
        return prompt_step(state.at(Stage.ASK_REMIND_TIME, paused_from=back))
    return set_reminder(state, time, DAILY, now)


def set_reminder(state: State, time: str, on_date: str, now: int) -> Step:
    """A daily reminder (`on_date` DAILY), or a one-off on a date ("" for the next `time`)."""
    daily = on_date == DAILY
    if REMINDERS not in state.grants:
        return _ask_permission(state, PermissionPlan(REMIND_PURPOSE, daily, on_date, time), now)
    profile = state.profile
    zone = profile.time_zone
    if daily:
        profile = replace(profile, reminder_time=time)
        reminder = SetReminder(time, "", profile.reminder_id)
        said = _daily_said(time, now, zone)
    else:
        reminder = SetReminder(time, next_occurrence(time, now, zone, on_date))
        said = Say.of("remind.set_once", time=_time_on_day(time, reminder.date, now, zone))
    effects = (reminder, SaveProfile(profile))
    return with_effects(_then(replace(state, profile=profile), said, now), effects)


def _daily_said(time: str, now: int, zone: str) -> Say:
    """ "every night at 9 PM", or "every day at noon"; and whether tonight's has passed."""
    hour = int(time.split(":")[0])
    key = "remind.set_daily" if hour >= 18 or hour < 5 else "remind.set_every_day"
    if next_occurrence(time, now, zone) != local_day(now, zone).isoformat():
        key += "_from_tomorrow"
    return Say.of(key, time=ClockTime(time))


def _time_on_day(time: str, iso_date: str, now: int, zone: str) -> TimeOnDay:
    return TimeOnDay.on(time, iso_date, days_ahead(iso_date, now, zone))


def _ask_permission(state: State, plan: PermissionPlan, now: int) -> Step:
    """Alexa asks by voice, which ends the session; a ritual under way waits in its checkpoint,
    and the plan says where to carry on once the answer comes back."""
    plan = replace(plan, back=_where_they_were(state), task=state.task)
    ask = Reply((Say.of("remind.permission"),),
                directives=(AskPermission(REMINDERS, plan.token),))
    ritual = state.ritual
    if ritual is None:
        return Step(state.at(Stage.ENDED), ask)
    waiting = replace(ritual, timer_id="")  # a running timer is cancelled as the session ends
    return Step(state.at(Stage.ENDED, ritual=None), ask, (turns.save_checkpoint(waiting, now),))


def _where_they_were(state: State) -> str:
    """The stage to carry on at ("paused:turn" for a pause), or "" outside a ritual."""
    stage = state.paused_from if state.stage is Stage.ASK_REMIND_TIME else state.stage
    if stage is Stage.PAUSED:
        return f"{stage.value}:{state.paused_from.value}" \
            if state.stage is Stage.PAUSED and state.paused_from else ""
    return stage.value if stage in (Stage.TURN, Stage.HANDOVER, Stage.OFFER_EXTRA) else ""


def _rejoin(state: State, where: str) -> State | None:
    """The ritual the couple left for the permission question, where they left it."""
    pending = state.pending
    if not where or pending is None:
        return None
    stage, _, paused_from = where.partition(":")
    try:
        back = Stage(stage), Stage(paused_from) if paused_from else None
    except ValueError:
        return None
    return state.at(back[0], ritual=pending, pending=None, paused_from=back[1])


def stop_reminders(state: State, event: Event, now: int) -> Step:
    profile = state.profile
    if not profile.reminder_ids:
        return _then(state, Say.of("remind.none"), now)
    if len(profile.reminder_ids) > 1:
        key = "remind.stopped_all"
    else:
        key = "remind.stopped" if profile.reminder_id else "remind.stopped_once"
    # One-off ids leave the profile as each cancel succeeds (see alexa.alerts).
    cleared = replace(profile, reminder_id="", reminder_time="")
    step = _then(replace(state, profile=cleared), Say.of(key), now)
    cancels = tuple(CancelReminder(r) for r in profile.reminder_ids)
    return with_effects(step, cancels + (SaveProfile(cleared),))


def cancel_alerts(state: State) -> tuple[Effect, ...]:
    """Every reminder the skill set for the household, and any turn timer still running."""
    rituals = (state.ritual, state.pending, *state.stale)
    timers = dict.fromkeys(r.timer_id for r in rituals if r is not None and r.timer_id)
    return tuple(CancelReminder(r) for r in state.profile.reminder_ids) + \
        tuple(CancelTimer(t) for t in timers)


def remind_time_heard(event: Event) -> bool:
    return bool(_remind_time(event))


def ask_remind_time(state: State, event: Event, now: int) -> Step:
    """The answer to "what time should I remind you?", when a time was heard."""
    back = state.at(come_back_to(state), paused_from=None)
    return set_reminder(back, _remind_time(event), DAILY, now)


def _remind_time(event: Event) -> str:
    return clock_time_or_default(heard_time(event).time)


def heard_time(event: Event) -> HeardTime:
    return event.value if isinstance(event.value, HeardTime) else HeardTime()


def skip_reminder(state: State, now: int) -> Step:
    """ "No" to "what time should I remind you?": back to where they were."""
    return _then(state, Say.of("remind.skipped"), now)


def offer_reminder(state: State, event: Event, now: int, yes: bool) -> Step:
    """After "when would be better?": remind them then?"""
    later = state.later
    state = state.at(Stage.ENDED, later=None)  # nothing else is under way: set it and close
    if yes and later is not None:
        return set_reminder(state, later.time, later.on_date, now)
    return Step(state.at(Stage.ENDED), Reply((Say.of("later.goodbye"),), end_session=True))


def later_heard(state: State, heard: HeardTime | None, now: int) -> Step:
    """The couple said when would be better (None: not when): offer a reminder unless they
    declined lately."""
    value = heard or HeardTime()
    on_date, time = plan_time(value.time, value.date, now, state.profile.time_zone)
    if time and not declined_recently(state.profile.reminders_declined_at, now):
        today = local_day(now, state.profile.time_zone).isoformat()
        offer = state.at(Stage.OFFER_REMINDER, later=LaterTime(on_date, time, today))
        return prompt_step(offer)
    key = "later.goodbye_time" if heard else "later.goodbye"
    return Step(state.at(Stage.ENDED), Reply((Say.of(key),), end_session=True))


# --- walks -----------------------------------------------------------------------------------

def start_walk(state: State, event: Event, now: int) -> Step:
    """ "Start a walk check-in": longer turns, fewer words, timers where allowed."""
    if not state.profile.named and state.stage in (Stage.NEW, Stage.ENDED):
        # A first-time one-shot: the welcome and the names come first; the walk follows them.
        return prompt_step(state.at(Stage.ASK_FIRST_NAME, walk=True), (Say.of("welcome.first"),))
    walking = state.at(Stage.CONSENT, walk=True)
    if TIMERS in state.grants or declined_recently(state.profile.timers_declined_at, now):
        return prompt_step(walking, (Say.of("walk.welcome"),))
    # What a walk check-in is, said once: before the question of timers.
    ask = Reply((Say.of("walk.welcome"), Say.of("walk.timers_permission")),
                directives=(AskPermission(TIMERS, PermissionPlan(TIMERS_PURPOSE).token),))
    return Step(state.at(Stage.ENDED, walk=True), ask)


# --- the answer to a permission request ---------------------------------------------------------

def permission_answered(state: State, event: Event, now: int) -> Step:
    answer = event.value if isinstance(event.value, PermissionAnswer) else PermissionAnswer("", "")
    plan = PermissionPlan.from_token(answer.token)
    accepted = answer.status == ACCEPTED
    if plan is not None and plan.purpose == REMIND_PURPOSE:
        rejoined = _rejoin(state, plan.back)
        state = replace(rejoined or state, task=state.task or plan.task)
        if accepted:
            allowed = replace(state, grants=state.grants | {REMINDERS})
            return set_reminder(allowed, plan.time, DAILY if plan.daily else plan.on_date, now)
        profile = replace(state.profile, reminders_declined_at=now)
        if rejoined is None:
            return Step(state.at(Stage.ENDED, profile=profile),
                        Reply((Say.of("remind.declined"),), end_session=True),
                        (SaveProfile(profile),))
        step = _then(replace(state, profile=profile), Say.of("remind.declined_carry_on"), now)
        return with_effects(step, (SaveProfile(profile),))
    if plan is not None and plan.purpose == TIMERS_PURPOSE:
        if accepted:
            walking = replace(state, grants=state.grants | {TIMERS}).at(Stage.CONSENT, walk=True)
            return prompt_step(walking, (Say.of("walk.timers_on"),))
        profile = replace(state.profile, timers_declined_at=now)
        walking = state.at(Stage.CONSENT, walk=True, profile=profile)
        return with_effects(prompt_step(walking, (Say.of("walk.timers_off"),)),
                            (SaveProfile(profile),))
    return prompt_step(state.at(Stage.NEW))


def _then(state: State, said: Say, now: int) -> Step:
    """Say `said`, then carry on where the couple was, or close when nothing was under way."""
    back = state.at(come_back_to(state), paused_from=None) \
        if state.stage is Stage.ASK_REMIND_TIME else state
    if back.stage is Stage.TURN and back.ritual is not None:
        return _back_to_turn(back, now, (said,))
    if back.stage in (Stage.NEW, Stage.ENDED):
        return Step(back.at(Stage.ENDED), Reply((said,), end_session=True))
    return prompt_step(back, (said,))


def _back_to_turn(state: State, now: int, lead: tuple[Part, ...]) -> Step:
    """The speaker's turn goes on with the time it had left."""
    ritual = state.ritual
    assert ritual is not None
    lead += (Say.of("remind.back_to_turn", speaker=Partner(ritual.speaker)),)
    return turns.hold(state, ritual, now, lead)
