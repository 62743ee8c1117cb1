"""Beyond the living room: reminders, walk check-ins, and the permissions they need.

Each function takes the state and the event and returns a Step, like a stage handler.
Permissions are asked by voice; after a "no" the skill does not offer again for a week.
"""
from __future__ import annotations

from checkin.records import replace
from checkin.ritual.clock import next_occurrence, parse_clock_time
from checkin.ritual.events import Event, PermissionAnswer
from checkin.ritual.prompting import prompt_step, with_effects
from checkin.ritual.reply import (
    REMINDERS,
    TIMERS,
    AskPermission,
    CancelReminder,
    ClockTime,
    Reply,
    SaveProfile,
    Say,
    SetReminder,
    Step,
)
from checkin.ritual.state import Stage, State

ASK_AGAIN_AFTER_SECONDS = 7 * 24 * 3600
WALK_TURN_SECONDS = 240
ACCEPTED = "ACCEPTED"
DAILY = "daily"


def declined_recently(declined_at: int, now: int) -> bool:
    return bool(declined_at) and now - declined_at < ASK_AGAIN_AFTER_SECONDS


# --- reminders -------------------------------------------------------------------------------

def remind(state: State, event: Event, now: int) -> Step:
    """ "Remind us every night at nine", or "change the reminder to ten"."""
    time = parse_clock_time(str(event.value or ""))
    if not time:
        return prompt_step(state.at(Stage.ASK_REMIND_TIME, paused_from=_return_stage(state)))
    return set_reminder(state, time, DAILY, now)


def set_reminder(state: State, time: str, on_date: str, now: int) -> Step:
    """A daily reminder (`on_date` DAILY), or a one-off on a date ("" for the next `time`)."""
    daily = on_date == DAILY
    kind = "daily" if daily else "once"
    if REMINDERS not in state.grants:
        token = f"remind|{kind}|{'' if daily else on_date}|{time}"
        ask = Reply((Say.of("remind.permission"),), directives=(AskPermission(REMINDERS, token),))
        return Step(state.at(Stage.ENDED), ask)
    profile = state.profile
    if daily:
        profile = replace(profile, reminder_time=time)
        reminder = SetReminder(time, "", profile.reminder_id)
    else:
        reminder = SetReminder(time, next_occurrence(time, now, profile.time_zone, on_date))
    effects = (reminder, SaveProfile(profile))
    said = Say.of(f"remind.set_{kind}", time=ClockTime(time))
    return with_effects(_then(replace(state, profile=profile), said), effects)


def stop_reminders(state: State, event: Event, now: int) -> Step:
    profile = state.profile
    if not profile.reminder_id:
        return _then(state, Say.of("remind.none"))
    cleared = replace(profile, reminder_id="", reminder_time="")
    step = _then(replace(state, profile=cleared), Say.of("remind.stopped"))
    return with_effects(step, (CancelReminder(profile.reminder_id), SaveProfile(cleared)))


def ask_remind_time(state: State, event: Event, now: int) -> Step | None:
    """The answer to "what time should I remind you?"."""
    time = parse_clock_time(str(event.value or "").split("|")[-1])
    if time:
        back = state.at(state.paused_from or Stage.NEW, paused_from=None)
        return set_reminder(back, time, DAILY, now)
    return None


def offer_reminder(state: State, event: Event, now: int, yes: bool) -> Step:
    """After "when would be better?": remind them then?"""
    on_date, time = (state.later.split("|") + ["", ""])[:2]
    state = replace(state, later="")
    if yes and time:
        return set_reminder(state, time, on_date, now)
    return Step(state.at(Stage.ENDED), Reply((Say.of("later.goodbye"),), end_session=True))


def later_heard(state: State, value: object, now: int) -> Step:
    """The couple said when would be better: offer a reminder unless they declined lately."""
    on_date, heard_time = (str(value or "").split("|") + ["", ""])[:2]
    time = parse_clock_time(heard_time)
    if time and not declined_recently(state.profile.reminders_declined_at, now):
        offer = state.at(Stage.OFFER_REMINDER, later=f"{on_date}|{time}")
        return prompt_step(offer)
    key = "later.goodbye_time" if value else "later.goodbye"
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
    ask = Reply((Say.of("walk.timers_permission"),),
                directives=(AskPermission(TIMERS, "timers|walk"),))
    return Step(state.at(Stage.ENDED, walk=True), ask)


# --- the answer to a permission request ---------------------------------------------------------

def permission_answered(state: State, event: Event, now: int) -> Step:
    answer = event.value if isinstance(event.value, PermissionAnswer) else PermissionAnswer("", "")
    parts = answer.token.split("|")
    accepted = answer.status == ACCEPTED
    if parts[0] == "remind" and len(parts) == 4:
        if accepted:
            allowed = replace(state, grants=state.grants | {REMINDERS})
            return set_reminder(allowed, parts[3], DAILY if parts[1] == DAILY else parts[2], now)
        profile = replace(state.profile, reminders_declined_at=now)
        return Step(state.at(Stage.ENDED, profile=profile),
                    Reply((Say.of("remind.declined"),), end_session=True), (SaveProfile(profile),))
    if parts[0] == "timers":
        if accepted:
            walking = replace(state, grants=state.grants | {TIMERS}).at(Stage.CONSENT, walk=True)
            return prompt_step(walking, (Say.of("walk.timers_on"),))
        profile = replace(state.profile, timers_declined_at=now)
        walking = state.at(Stage.CONSENT, walk=True, profile=profile)
        return with_effects(prompt_step(walking, (Say.of("walk.timers_off"),)),
                            (SaveProfile(profile),))
    return prompt_step(state.at(Stage.NEW))


def _then(state: State, said: Say) -> Step:
    """Say `said`, then carry on where the couple was, or close when nothing was under way."""
    back = state.at(state.paused_from or state.stage, paused_from=None) \
        if state.stage is Stage.ASK_REMIND_TIME else state
    if back.stage in (Stage.NEW, Stage.ENDED):
        return Step(back.at(Stage.ENDED), Reply((said,), end_session=True))
    return prompt_step(back, (said,))


def _return_stage(state: State) -> Stage:
    return Stage.PAUSED if state.stage is Stage.TURN else state.stage
