"""What each stage says when it is entered or asked again, and small Step builders."""
from __future__ import annotations

from datetime import date

from checkin.records import replace
from checkin.ritual.clock import AFTERNOON, EVENING, MORNING
from checkin.ritual.reply import (
    Duration,
    Ordinal,
    Part,
    Partner,
    Reply,
    Say,
    Step,
    TimeOnDay,
)
from checkin.ritual.state import Stage, State


def opening_state(state: State) -> State:
    stage = Stage.CONSENT if state.profile.named else Stage.ASK_FIRST_NAME
    return state.at(stage)


def opening(state: State) -> tuple[Part, ...]:
    return stage_prompt(opening_state(state) if state.stage in (Stage.NEW, Stage.ENDED)
                         else state)[0]


def opening_step(state: State, lead: tuple[Part, ...] = ()) -> Step:
    target = opening_state(state)
    if target.stage is Stage.ASK_FIRST_NAME:
        welcome = (Say.of("welcome.first"),)
    else:
        welcome = (Say.of("welcome.back", one=Partner(0), two=Partner(1)),)
    return prompt_step(target, lead + welcome)


def stage_prompt(state: State) -> tuple[tuple[Part, ...], tuple[Part, ...]]:
    stage, ritual = state.stage, state.ritual
    if stage is Stage.ASK_FIRST_NAME:
        return (Say.of("name.first"),), (Say.of("name.first.reprompt"),)
    if stage is Stage.ASK_SECOND_NAME:
        # Asked again (misheard, repeat, help): the first partner was already thanked.
        return (Say.of("name.second.again"),), (Say.of("name.second.reprompt"),)
    if stage is Stage.CONSENT:
        return (Say.of("consent.ask"),), (Say.of("consent.reprompt"),)
    if stage is Stage.ASK_WHEN:
        return (Say.of("when.ask"),), (Say.of(_for_day_part(state, "when.reprompt")),)
    if stage is Stage.OFFER_RESUME and state.pending:
        if state.elsewhere:
            return (Say.of("resume.elsewhere"),), (Say.of("resume.elsewhere.reprompt"),)
        pending = state.pending
        offer = Say.of(_for_day_part(state, "resume.offer"), speaker=Partner(pending.speaker),
                       question=Ordinal(pending.question + 1))
        return (offer,), (Say.of("resume.reprompt"),)
    if stage is Stage.OFFER_EXTRA and ritual:
        first = 1 - ritual.turns[-1].partner
        offer = Say.of("extra.offer", speaker=Partner(first), other=Partner(1 - first),
                       minutes=Duration(ritual.owed[first]))
        return (offer,), (offer,)
    if stage is Stage.PAUSED:
        return (Say.of("paused.prompt"),), (Say.of("paused.reprompt"),)
    if stage is Stage.ASK_REMIND_TIME:
        return (Say.of("remind.ask_time"),), (Say.of("remind.ask_time.reprompt"),)
    if stage is Stage.OFFER_REMINDER:
        on_date, time, today = (state.later.split("|") + ["", "", ""])[:3]
        when = TimeOnDay.on(time, on_date, _days(today, on_date))
        offer = Say.of("later.offer_reminder", time=when)
        return (offer,), (Say.of("later.offer_reminder.reprompt"),)
    if stage is Stage.CONFIRM_DELETE:
        return (Say.of("delete.confirm"),), (Say.of("delete.reprompt"),)
    if stage in (Stage.HANDOVER, Stage.TURN) and ritual:
        if ritual.finished:
            return (Say.of("handover.final.ask"),), (Say.of("handover.final.reprompt"),)
        nxt = Partner(ritual.speaker)
        return (Say.of("handover.ready", next=nxt),), (Say.of("handover.reprompt", next=nxt),)
    return stage_prompt(opening_state(state))


def _for_day_part(state: State, key: str) -> str:
    """`key`, or its wording for the daytime ("key.day") or the early evening ("key.evening")."""
    if state.day_part in (MORNING, AFTERNOON):
        return f"{key}.day"
    return f"{key}.evening" if state.day_part == EVENING and key == "when.reprompt" else key


def goodbye(state: State) -> Say:
    """ "Goodnight" at night only; "Have a good day" in the morning."""
    return Say.of(f"goodbye.{state.day_part or 'night'}")


def help_step(state: State) -> Step:
    """What can be said at this stage, briefly, ending with the stage's own question."""
    if state.stage in (Stage.NEW, Stage.ENDED):
        state = opening_state(state)
    stage = state.stage
    speech, reprompt = stage_prompt(state)
    if stage is Stage.ASK_FIRST_NAME:
        lead = (Say.of("help"),)
    elif stage is Stage.ASK_SECOND_NAME:
        lead, speech = (Say.of("help"),), (Say.of("help.second_name"),)
    elif stage is Stage.CONSENT:
        lead = (Say.of("help"), Say.of("help.consent"))
    elif stage is Stage.PAUSED:
        skippable = state.paused_from in (Stage.TURN, Stage.HANDOVER) and state.ritual
        lead = (Say.of("help.paused.turn" if skippable else "help.paused"),)
    else:
        lead = (Say.of(_STAGE_HELP.get(stage, "help")),)
    return Step(state, Reply(lead + speech, reprompt))


_STAGE_HELP = {
    Stage.ASK_WHEN: "help.when",
    Stage.OFFER_RESUME: "help.resume",
    Stage.CONFIRM_DELETE: "help.delete",
    Stage.ASK_REMIND_TIME: "help.remind_time",
    Stage.OFFER_REMINDER: "help.offer_reminder",
}


def prompt_step(state: State, lead: tuple[Part, ...] = ()) -> Step:
    if state.stage in (Stage.NEW, Stage.ENDED):
        state = opening_state(state)
    speech, reprompt = stage_prompt(state)
    return Step(state, Reply(lead + speech, reprompt))


def reply(state: State, speech: tuple[Part, ...], reprompt: tuple[Part, ...] = ()) -> Step:
    return Step(state, Reply(speech, reprompt or stage_prompt(state)[1]))


def with_effects(step: Step, effects: tuple) -> Step:
    return replace(step, effects=tuple(effects) + step.effects) if effects else step


def _days(today: str, on_date: str) -> int:
    """Days from `today` to `on_date` (ISO dates), 0 when either is unreadable."""
    try:
        return max(0, (date.fromisoformat(on_date) - date.fromisoformat(today)).days)
    except ValueError:
        return 0


def as_int(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
