"""What each stage says when it is entered or asked again, and small Step builders."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from checkin.records import replace
from checkin.ritual.awareness import SIGN_KEYS, Noticing
from checkin.ritual.clock import AFTERNOON, EVENING, MORNING
from checkin.ritual.reply import (
    ClockTime,
    Duration,
    Ordinal,
    Part,
    Partner,
    Reply,
    Say,
    TimeOnDay,
)
from checkin.ritual.state import Goes, LaterTime, Stage, State, Step

Prompted = tuple[tuple[Part, ...], tuple[Part, ...]]  # what is said, and said again


def opening_state(state: State) -> State:
    stage = Stage.CONSENT if state.profile.named else Stage.ASK_FIRST_NAME
    return state.at(stage)


def asking(state: State) -> State:
    """The state whose question is asked: a stage without one of its own asks the opening's."""
    return opening_state(state) if _spec(state.stage).prompt is None else state


def opening(state: State) -> tuple[Part, ...]:
    return stage_prompt(asking(state))[0]


def opening_step(state: State, lead: tuple[Part, ...] = (),
                 after_welcome: tuple[Part, ...] = ()) -> Step:
    target = opening_state(state)
    if target.stage is Stage.ASK_FIRST_NAME:
        return prompt_step(target, lead + (Say.of("welcome.first"),))
    welcome = Say.of("welcome.back", one=Partner(0), two=Partner(1))
    return prompt_step(target, lead + (welcome,) + after_welcome)


def stage_prompt(state: State) -> Prompted:
    """What the stage asks, and asks again when nothing is heard (stages.STAGES names it)."""
    prompt = _spec(state.stage).prompt
    return prompt(state) if prompt is not None else stage_prompt(opening_state(state))


def come_back_to(state: State) -> Stage:
    """Where the couple carries on after what interrupted them here (stages.STAGES says)."""
    goes = _spec(state.stage).returns_to
    if goes is Goes.BACK:
        return state.paused_from or Stage.NEW
    return opening_state(state).stage if goes is Goes.OPENING else state.stage


def _spec(stage: Stage):
    # The table names handlers, which prompt through this module: so it is looked up late.
    from checkin.ritual.stages import STAGES
    return STAGES[stage]


# --- each stage's prompt and reprompt, as stages.STAGES names them ---------------------------

def fixed(speech: str, reprompt: str) -> Callable[[State], Prompted]:
    """A prompt that is always the same words."""
    def prompt(state: State) -> Prompted:
        return (Say.of(speech),), (Say.of(reprompt),)
    return prompt


def ask_when_prompt(state: State) -> Prompted:
    return (Say.of("when.ask"),), (Say.of(_for_day_part(state, "when.reprompt")),)


def offer_resume_prompt(state: State) -> Prompted:
    pending = state.pending
    if pending is None:
        return stage_prompt(opening_state(state))
    if state.elsewhere:
        return (Say.of("resume.elsewhere"),), (Say.of("resume.elsewhere.reprompt"),)
    offer = Say.of(_for_day_part(state, "resume.offer"), speaker=Partner(pending.speaker),
                   question=Ordinal(pending.question + 1))
    return (offer,), (Say.of("resume.reprompt"),)


def offer_extra_prompt(state: State) -> Prompted:
    ritual = state.ritual
    if ritual is None:
        return stage_prompt(opening_state(state))
    first = 1 - ritual.turns[-1].partner
    offer = Say.of("extra.offer", speaker=Partner(first), other=Partner(1 - first),
                   minutes=Duration(ritual.owed[first]))
    return (offer,), (offer,)


def offer_reminder_prompt(state: State) -> Prompted:
    later = state.later or LaterTime("", "", "")
    when = TimeOnDay.on(later.time, later.on_date, _days(later.today, later.on_date))
    offer = Say.of("later.offer_reminder", time=when)
    return (offer,), (Say.of("later.offer_reminder.reprompt"),)


def awareness_prompt(state: State) -> Prompted:
    """One sign as a line in the couple's voice; the first comes with how to answer."""
    noticing = state.noticing or Noticing()
    line = Say.of(f"awareness.sign.{SIGN_KEYS[noticing.sign]}")
    speech = (line,) if noticing.answers else (Say.of("awareness.begin"), line)
    return speech, (Say.of("awareness.reprompt"),)


def small_thing_prompt(state: State) -> Prompted:
    """A small thing asked again: who is speaking, and how to hand over."""
    small = state.small
    if small is None:
        return stage_prompt(opening_state(state))
    invite = Say.of("small.invite", speaker=Partner(small.speaker),
                    other=Partner(1 - small.speaker))
    return (invite,), (Say.of("small.reprompt"),)


def small_handover_prompt(state: State) -> Prompted:
    """After a chime: the other partner's small thing, or whether to wrap up."""
    small = state.small
    if small is None:
        return stage_prompt(opening_state(state))
    if small.order == 1:
        return (Say.of("small.final.ask"),), (Say.of("handover.final.reprompt"),)
    nxt = Partner(1 - small.speaker)
    return (Say.of("handover.ready", next=nxt),), (Say.of("handover.reprompt", next=nxt),)


def offer_plan_prompt(state: State) -> Prompted:
    later = state.later or LaterTime("", "", "")
    reprompt = Say.of("plan.offer.reprompt", time=ClockTime(later.time)) if later.time \
        else Say.of("later.offer_reminder.reprompt")
    return (Say.of("plan.offer"),), (reprompt,)


def handover_reprompt(following: Partner) -> tuple[Part, ...]:
    """The last words before Alexa closes at a ritual's hand-over: what to say, and how to come
    back ("I'm ready" as a one-shot offers to pick up there). One small thing's hand-over says
    no such thing: the evening is recorded by then, and nothing of it is kept to pick up."""
    return (Say.of("handover.reprompt", next=following), Say.of("handover.come_back"))


def handover_prompt(state: State) -> Prompted:
    """Who is next, or whether to wrap up (a turn asked again is asked as its hand-over)."""
    ritual = state.ritual
    if ritual is None:
        return stage_prompt(opening_state(state))
    if ritual.finished:
        return (Say.of("handover.final.ask"),), (Say.of("handover.final.reprompt"),)
    nxt = Partner(ritual.speaker)
    return (Say.of("handover.ready", next=nxt),), handover_reprompt(nxt)


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
    state = asking(state)
    stage = state.stage
    speech, reprompt = stage_prompt(state)
    lead: tuple[Part, ...]
    if stage is Stage.ASK_FIRST_NAME:
        lead = (Say.of("help"),)
    elif stage is Stage.ASK_SECOND_NAME:
        lead, speech = (Say.of("help"),), (Say.of("help.second_name"),)
    elif stage is Stage.CONSENT:
        lead = (Say.of("help"), Say.of("help.consent"))
    elif stage is Stage.PAUSED:
        if state.paused_from in _SKIPPABLE_CHECK:  # "skip" leaves all five lines, not one
            lead = (Say.of("help.paused.check"),)
        elif state.paused_from in (Stage.TURN, Stage.HANDOVER) and state.ritual:
            lead = (Say.of("help.paused.turn"),)
        else:
            lead = (Say.of("help.paused"),)
    elif stage is Stage.HANDOVER and state.ritual is not None and state.ritual.finished:
        lead = (Say.of("handover.final.not_yet.reprompt"),)  # more time, or wrap up
    elif stage is Stage.AWARENESS:
        # Its line is no question: help ends by asking for the answer.
        lead, speech = (Say.of("help.awareness"),), speech + (Say.of("awareness.ask"),)
    else:
        lead = (Say.of(_STAGE_HELP.get(stage, "help")),)
    return Step(state, Reply(lead + speech, reprompt))


_STAGE_HELP = {
    Stage.ASK_WHEN: "help.when",
    Stage.OFFER_RESUME: "help.resume",
    Stage.CONFIRM_DELETE: "help.delete",
    Stage.ASK_REMIND_TIME: "help.remind_time",
    Stage.OFFER_REMINDER: "help.offer_reminder",
    Stage.OFFER_AWARENESS: "help.awareness_offer",
    Stage.AWARENESS_SAFETY: "help.awareness_safety",
    Stage.OFFER_SMALL_THING: "help.small_thing",
    Stage.OFFER_PLAN: "help.offer_plan",
}
# Paused from the check of the five signs, "skip" skips it.
_SKIPPABLE_CHECK = (Stage.OFFER_AWARENESS, Stage.AWARENESS)


def prompt_step(state: State, lead: tuple[Part, ...] = ()) -> Step:
    state = asking(state)
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
