"""The ritual's rules in one table: each stage, what it asks, and how it answers each event.

Read it like a state machine (states, events, transitions, guards). Each stage names
- its prompt and reprompt (None: it asks the opening question, consent or the names);
- its transitions: `On(events, handler, to=..., when=guard)`, tried in order; the first whose
  event matches and whose guard allows answers;
- where the couple carries on after a pause, help, safety or a reminder asked from there;
- for a stage that holds the floor, where it has moved once its hold has run out.
What a stage does not answer is answered as every stage answers it: the ANYWHERE row.

The table is checked when this module loads (`problems`): every event is answered at every
stage, every stage is reachable from a new session, and every stage can lead to an end.
`to` names where a transition may lead; the tests hold each transition to it, and the state
diagram in docs/ritual.md is drawn from it (`make diagram`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from checkin.records import record
from checkin.ritual import answers as a
from checkin.ritual import reminders_and_walks
from checkin.ritual.answers import Guard, Handler
from checkin.ritual.events import Event, Kind
from checkin.ritual.prompting import (
    Prompted,
    ask_when_prompt,
    awareness_prompt,
    fixed,
    handover_prompt,
    offer_extra_prompt,
    offer_plan_prompt,
    offer_reminder_prompt,
    offer_resume_prompt,
    small_handover_prompt,
    small_thing_prompt,
)
from checkin.ritual.state import Goes, Stage, State

K, S = Kind, Stage
Target = Stage | Goes


@record
class On:
    """A transition: `events`, when `when` allows, are answered by `do`, leading to one of `to`."""

    events: tuple[Kind, ...]
    do: Handler
    to: tuple[Target, ...]
    when: Guard | None = None


@record
class StageSpec:
    prompt: Callable[[State], Prompted] | None
    on: tuple[On, ...] = ()
    returns_to: Goes = Goes.SAME
    # Where a stage that holds the floor has moved by itself once its hold runs out, before the
    # next event is answered (machine._catch_up).
    held_out_to: tuple[Stage, ...] = ()


# Reminders, walks and permissions: set and carry on, ask first, or close the session.
_REMIND_TO = (S.ASK_REMIND_TIME, S.ENDED, Goes.SAME, Goes.BACK)
_WALK_TO = (S.ASK_FIRST_NAME, S.CONSENT, S.ENDED)
# A permission answered carries on where the couple left for it (its token says where).
_PERMISSION_TO = (S.TURN, S.HANDOVER, S.OFFER_EXTRA, S.PAUSED, S.CONSENT, S.ENDED, Goes.OPENING,
                  Goes.SAME)
# The next turn, owed time, or the close: one small thing first, or a plan, or goodnight.
_PROCEED_TO = (S.TURN, S.OFFER_EXTRA, S.OFFER_SMALL_THING, S.OFFER_PLAN, S.ENDED)
_CLOSE_TO = (S.OFFER_PLAN, S.ENDED)  # recorded and summed up; a plan offered, or goodnight
_PLAN_TO = (S.ASK_REMIND_TIME, S.ENDED)  # a reminder set (or its permission asked), or a time
# After the check of the five signs: the questions (offered after consent), or the opening.
_AFTER_CHECK_TO = (S.TURN, Goes.OPENING)

# A new session (and one that has ended) is answered after older checkpoints are settled.
_OPENING_RULES = (
    # "Stop" and "I don't feel safe" also reach the turn a timer keeps, so that its timer is
    # cancelled and never announces a hand-over after the couple stopped.
    On((K.DONE, K.YES, K.RESUME, K.MORE_TIME, K.SKIP, K.PAUSE, K.REPEAT, K.STOP, K.SAFETY),
       a.carry_on_timed_turn,
       to=(S.TURN, S.HANDOVER, S.OFFER_EXTRA, S.PAUSED, S.ENDED), when=a.timer_handed_over),
    On((K.REMIND,), a.settled_quietly(reminders_and_walks.remind), to=_REMIND_TO),
    On((K.STOP_REMINDERS,), a.settled_quietly(reminders_and_walks.stop_reminders), to=_REMIND_TO),
    On((K.START_WALK,), a.settled_quietly(reminders_and_walks.start_walk), to=_WALK_TO),
    On((K.PERMISSION,), a.settled_quietly(reminders_and_walks.permission_answered),
       to=_PERMISSION_TO),
    # "Carry on", or "I'm ready" once Alexa has closed at a hand-over: where they were, first.
    On((K.RESUME, K.DONE), a.settled(a.welcome_and_offer_pending), to=(S.OFFER_RESUME,),
       when=a.resumable_and_named),
    On((K.HISTORY,), a.settled(a.first_history), to=(Goes.OPENING,), when=a.unnamed),
    On((K.HISTORY,), a.settled(a.history_then_opening), to=(Goes.OPENING,)),
    On((K.SET_LENGTH,), a.settled_quietly(a.set_length), to=(Goes.OPENING,)),
    On((K.NAME, K.CHANGE_NAMES), a.settled(a.rename),
       to=(S.ASK_FIRST_NAME, S.ASK_SECOND_NAME, Goes.OPENING), when=a.named),
    On((K.AWARENESS,), a.settled(a.awareness_at_opening), to=(S.AWARENESS,)),
    On((K.LAUNCH, K.YES, K.NO, K.NAME, K.CHANGE_NAMES, K.DONE, K.MORE_TIME, K.REPEAT, K.PAUSE,
        K.RESUME, K.SKIP, K.START_OVER, K.WHEN, K.A_LITTLE, K.FALLBACK), a.settled(a.welcome),
       to=(Goes.OPENING,)),
)

STAGES: dict[Stage, StageSpec] = {
    S.NEW: StageSpec(None, _OPENING_RULES, returns_to=Goes.OPENING),
    S.ASK_FIRST_NAME: StageSpec(fixed("name.first", "name.first.reprompt"), (
        On((K.NAME,), a.first_name_heard, to=(S.ASK_SECOND_NAME, Goes.SAME)),
        On((K.SKIP, K.NO, K.DONE), a.first_name_skipped, to=(S.CONSENT,)),
    )),
    # Asked again (misheard, repeat, help): the first partner was already thanked.
    S.ASK_SECOND_NAME: StageSpec(fixed("name.second.again", "name.second.reprompt"), (
        On((K.NAME,), a.second_name_heard, to=(S.CONSENT, Goes.SAME)),
        On((K.SKIP, K.NO, K.DONE), a.second_name_skipped, to=(S.CONSENT,)),
    )),
    S.CONSENT: StageSpec(fixed("consent.ask", "consent.reprompt"), (
        On((K.YES, K.RESUME), a.begin_or_offer_pending,
           to=(S.TURN, S.OFFER_RESUME, S.OFFER_AWARENESS)),
        # "I'm done", "that's all": never a yes; ask once more.
        On((K.DONE,), a.saying("consent.check"), to=(Goes.SAME,)),
        # "Give me a minute": not yet, and fine.
        On((K.MORE_TIME, K.PAUSE), a.saying("consent.wait"), to=(Goes.SAME,)),
        # Nothing is under way to skip: say what can be said here.
        On((K.SKIP,), a.saying("consent.skip"), to=(Goes.SAME,)),
        # Already checked in today: "no" is enough for today, not a time to be asked for.
        On((K.NO,), a.not_tonight, to=(S.ENDED,), when=a.checked_in_today),
        On((K.NO,), a.ask_when, to=(S.ASK_WHEN,)),
        # "Later tonight" answers the consent question too.
        On((K.WHEN,), a.later_heard, to=(S.OFFER_REMINDER, S.ENDED)),
    )),
    S.ASK_WHEN: StageSpec(ask_when_prompt, (
        # "Yes" names no time, and the couple has just said not now: ask for the time once more
        # (starting the questions here would push).
        On((K.YES,), a.ask_for_a_time, to=(Goes.SAME,)),
        On((K.WHEN,), a.later_heard, to=(S.OFFER_REMINDER, S.ENDED)),
        On((K.LAUNCH, K.NO, K.DONE, K.MORE_TIME, K.PAUSE, K.RESUME, K.SKIP, K.START_OVER,
            K.STOP, K.A_LITTLE, K.FALLBACK), a.not_tonight, to=(S.ENDED,)),
    )),
    S.OFFER_RESUME: StageSpec(offer_resume_prompt, (
        # Another device is playing it right now: start one here, or join it there.
        On((K.YES, K.START_OVER, K.SKIP), a.start_here, to=(S.TURN,), when=a.elsewhere),
        On((K.NO, K.RESUME, K.DONE), a.join_there, to=(S.ENDED,), when=a.elsewhere),
        On((K.YES, K.RESUME, K.DONE), a.resume_pending, to=_PROCEED_TO),
        On((K.NO, K.START_OVER, K.SKIP), a.start_afresh, to=(S.TURN,)),
    )),
    S.TURN: StageSpec(handover_prompt, (
        On((K.DONE,), a.take_your_time, to=(Goes.SAME,), when=a.just_begun),
        On((K.DONE,), a.turn_done, to=_PROCEED_TO),
        On((K.MORE_TIME,), a.more_time, to=(Goes.SAME,)),
        On((K.REPEAT,), a.repeat_question, to=(Goes.SAME,)),
        On((K.SKIP,), a.skip_rest_of_turn, to=(S.TURN, S.OFFER_SMALL_THING) + _CLOSE_TO),
        On((K.PAUSE, K.HELP, K.HISTORY, K.SAFETY), a.pause_turn, to=(S.PAUSED,)),
        On((K.SET_LENGTH,), a.set_length_mid_turn, to=(Goes.SAME,)),
        # Anything else heard mid-turn is most likely the speaker: keep holding the floor.
        On((K.LAUNCH, K.YES, K.NO, K.NAME, K.CHANGE_NAMES, K.RESUME, K.WHEN, K.A_LITTLE,
            K.FALLBACK), a.go_on, to=(Goes.SAME,)),
    ), held_out_to=(S.HANDOVER, S.OFFER_EXTRA)),
    S.HANDOVER: StageSpec(handover_prompt, (
        On((K.YES, K.DONE, K.RESUME), a.next_turn, to=_PROCEED_TO),
        On((K.MORE_TIME,), a.more_for_last_speaker, to=(S.TURN,), when=a.has_turns),
        On((K.SKIP,), a.skip_question, to=(S.TURN,) + _CLOSE_TO + (S.OFFER_SMALL_THING,)),
        On((K.NO,), a.not_yet, to=(Goes.SAME,), when=a.all_answered),
        On((K.NO, K.PAUSE), a.pause_at_handover, to=(S.PAUSED,)),
        # The six turns are done, so nothing is paused: tonight counted, and the question again;
        # help says what is left (pausing would offer "skip this question" and "start over").
        On((K.HISTORY,), a.history, to=(Goes.SAME,), when=a.all_answered),
        On((K.HELP,), a.help_here, to=(Goes.SAME,), when=a.all_answered),
    )),
    S.OFFER_EXTRA: StageSpec(offer_extra_prompt, (
        On((K.YES, K.MORE_TIME, K.RESUME), a.take_extra, to=(S.TURN,)),
        On((K.NO, K.DONE, K.SKIP), a.decline_extra, to=_PROCEED_TO),
    )),
    S.PAUSED: StageSpec(fixed("paused.prompt", "paused.reprompt"), (
        # After "I don't feel safe", "we're done" (the intent that also carries "ready") is asked
        # about plainly: only a clear "carry on" or "yes" goes back to the ritual.
        On((K.DONE,), a.saying("paused.prompt"), to=(Goes.SAME,), when=a.paused_for_safety),
        On((K.RESUME, K.YES, K.DONE), a.resume, to=(Goes.BACK,)),
        On((K.NO,), a.stop, to=(S.ENDED,)),
        On((K.SKIP,), a.skip_while_paused, to=(S.TURN, S.OFFER_SMALL_THING) + _CLOSE_TO,
           when=a.paused_in_a_turn),
        On((K.SKIP,), a.skip_awareness_while_paused, to=_AFTER_CHECK_TO,
           when=a.paused_in_awareness),
        On((K.PAUSE,), a.ask_again, to=(Goes.SAME,)),
    ), returns_to=Goes.BACK),
    S.CONFIRM_DELETE: StageSpec(fixed("delete.confirm", "delete.reprompt"), (
        On((K.YES,), a.delete_everything, to=(S.ENDED,)),
        # Kept: back to where they were; a turn waits, paused.
        On((K.NO, K.RESUME), a.keep_everything, to=(Goes.BACK, S.PAUSED)),
    ), returns_to=Goes.BACK),
    S.ASK_REMIND_TIME: StageSpec(fixed("remind.ask_time", "remind.ask_time.reprompt"), (
        On((K.WHEN, K.REMIND), a.remind_at, to=(Goes.BACK, S.ENDED), when=a.remind_time_heard),
        On((K.YES,), a.ask_for_a_time, to=(Goes.SAME,)),  # a yes names no time
        On((K.NO, K.SKIP), a.no_reminder, to=(Goes.BACK, S.ENDED)),
    ), returns_to=Goes.BACK),
    S.OFFER_REMINDER: StageSpec(offer_reminder_prompt, (
        On((K.YES, K.REMIND), a.remind_then, to=(S.ENDED,)),
        On((K.NO, K.DONE, K.SKIP, K.FALLBACK), a.no_reminder_then, to=(S.ENDED,)),
    )),
    # Step one, awareness: once a week after consent, or when asked; skipped with one word.
    S.OFFER_AWARENESS: StageSpec(fixed("awareness.offer", "awareness.offer.reprompt"), (
        On((K.YES, K.RESUME, K.A_LITTLE, K.AWARENESS), a.begin_awareness, to=(S.AWARENESS,)),
        On((K.NO, K.SKIP), a.skip_awareness, to=_AFTER_CHECK_TO),
        On((K.MORE_TIME,), a.saying("consent.wait"), to=(Goes.SAME,)),
        On((K.PAUSE,), a.pause, to=(S.PAUSED,)),
    )),
    S.AWARENESS: StageSpec(awareness_prompt, (
        On((K.YES, K.A_LITTLE, K.NO), a.sign_answered,
           to=(Goes.SAME, S.AWARENESS_SAFETY) + _AFTER_CHECK_TO),
        # "Skip", "that's all": on at once, keeping what was answered.
        On((K.SKIP, K.DONE), a.skip_awareness, to=_AFTER_CHECK_TO),
        On((K.PAUSE,), a.pause, to=(S.PAUSED,)),
        On((K.AWARENESS,), a.ask_again, to=(Goes.SAME,)),
    )),
    # Not feeling safe was affirmed: acknowledged, the safety phrase and a therapist said once.
    S.AWARENESS_SAFETY: StageSpec(fixed("awareness.safe.ask", "awareness.safe.reprompt"), (
        On((K.YES, K.RESUME, K.SKIP), a.go_on_after_safety, to=(S.TURN, Goes.OPENING)),
        # The same intent carries "ready" and "we're done": here it is asked plainly, never
        # taken for a yes.
        On((K.DONE,), a.saying("awareness.safe.reprompt"), to=(Goes.SAME,)),
        On((K.NO,), a.rest_after_safety, to=(S.ENDED,)),
        On((K.PAUSE,), a.pause, to=(S.PAUSED,)),
        On((K.AWARENESS,), a.ask_again, to=(Goes.SAME,)),
    )),
    # Step three, being intentional: on the week's evening, one small thing each, never kept.
    S.OFFER_SMALL_THING: StageSpec(fixed("small.offer", "small.offer.reprompt"), (
        On((K.YES, K.RESUME), a.begin_small_thing, to=(S.SMALL_THING,)),
        On((K.NO, K.SKIP, K.DONE), a.close_without_small_thing, to=_CLOSE_TO),
        On((K.HELP,), a.help_here, to=(Goes.SAME,)),
        On((K.HISTORY,), a.history, to=(Goes.SAME,)),
    )),
    S.SMALL_THING: StageSpec(small_thing_prompt, (
        On((K.DONE,), a.small_done, to=(S.SMALL_THING,) + _CLOSE_TO),
        On((K.MORE_TIME,), a.small_more_time, to=(Goes.SAME,)),
        On((K.REPEAT,), a.small_repeat, to=(Goes.SAME,)),
        On((K.SKIP,), a.small_skipped, to=_CLOSE_TO),
        On((K.PAUSE, K.HELP, K.HISTORY, K.SAFETY), a.pause_small_thing, to=(S.PAUSED,)),
        On((K.SET_LENGTH,), a.small_set_length, to=(Goes.SAME,)),
        # Anything else heard is most likely the speaker: keep holding the floor.
        On((K.LAUNCH, K.YES, K.NO, K.NAME, K.CHANGE_NAMES, K.RESUME, K.WHEN, K.A_LITTLE,
            K.FALLBACK), a.small_go_on, to=(Goes.SAME,)),
    ), held_out_to=(S.SMALL_HANDOVER,)),
    S.SMALL_HANDOVER: StageSpec(small_handover_prompt, (
        On((K.YES, K.DONE, K.RESUME), a.small_next, to=(S.SMALL_THING,) + _CLOSE_TO),
        On((K.MORE_TIME,), a.small_more_after_chime, to=(S.SMALL_THING, Goes.SAME)),
        On((K.SKIP,), a.small_skipped, to=_CLOSE_TO),
        On((K.NO, K.PAUSE), a.pause_small_handover, to=(S.PAUSED,)),
        On((K.HISTORY,), a.history, to=(Goes.SAME,)),
    )),
    # "Same time tomorrow?", when no nightly reminder is set: the usual reminder flow.
    S.OFFER_PLAN: StageSpec(offer_plan_prompt, (
        On((K.YES,), a.plan_yes, to=_PLAN_TO),
        On((K.REMIND,), a.plan_remind, to=_PLAN_TO),
        On((K.WHEN,), a.plan_named_time, to=_PLAN_TO + (Goes.SAME,)),
        On((K.NO, K.SKIP, K.DONE), a.plan_no, to=(S.ENDED,)),
        On((K.PAUSE,), a.pause, to=(S.PAUSED,)),
    )),
    S.ENDED: StageSpec(None, _OPENING_RULES, returns_to=Goes.OPENING),
}

# What every stage answers alike, unless its own transitions answer first.
ANYWHERE: tuple[On, ...] = (
    On((K.STOP,), a.stop, to=(S.ENDED,)),
    On((K.START_WALK,), a.walk_later, to=(Goes.SAME,), when=a.in_ritual),
    On((K.AWARENESS,), a.awareness_later, to=(Goes.SAME,), when=a.in_ritual),
    On((K.AWARENESS,), a.awareness_asked, to=(S.AWARENESS,)),
    # A turn carries on with the time it had left once the reminder is sorted.
    On((K.REMIND,), a.leaving_the_turn(reminders_and_walks.remind), to=_REMIND_TO),
    On((K.STOP_REMINDERS,), a.leaving_the_turn(reminders_and_walks.stop_reminders), to=_REMIND_TO),
    On((K.START_WALK,), reminders_and_walks.start_walk, to=_WALK_TO),
    On((K.PERMISSION,), a.leaving_the_turn(reminders_and_walks.permission_answered),
       to=_PERMISSION_TO),
    On((K.DELETE_HISTORY,), a.confirm_delete, to=(S.CONFIRM_DELETE,)),
    On((K.START_OVER,), a.start_over, to=(S.TURN,), when=a.in_ritual),
    On((K.START_OVER,), a.start_from_the_opening, to=(Goes.OPENING,)),
    # "I need help": help with the check-in, or support right now?
    On((K.SAFETY,), a.which_help, to=(Goes.SAME, Goes.OPENING), when=a.unclear),
    # Whatever was under way waits (a pending deletion is simply not done).
    On((K.SAFETY,), a.pause_for_safety, to=(S.PAUSED,)),
    On((K.HELP, K.HISTORY), a.pause, to=(S.PAUSED,), when=a.listening_in_ritual),
    On((K.PAUSE,), a.pause, to=(S.PAUSED,), when=a.in_ritual),
    On((K.HELP,), a.help_here, to=(Goes.SAME, Goes.OPENING)),
    On((K.HISTORY,), a.history, to=(Goes.SAME, Goes.OPENING)),
    On((K.SET_LENGTH,), a.set_length, to=(Goes.SAME, Goes.OPENING)),
    # A bare word is easily heard as a first name: known names are changed only when asked.
    On((K.NAME,), a.name_heard_when_named, to=(Goes.SAME,), when=a.named_between_rituals),
    On((K.NAME, K.CHANGE_NAMES), a.change_names,
       to=(S.ASK_FIRST_NAME, S.ASK_SECOND_NAME, Goes.SAME, Goes.OPENING)),
    On((K.REPEAT, K.LAUNCH), a.ask_again, to=(Goes.SAME, Goes.OPENING)),
    # "Give us a minute" where nothing is timed: fine, and the question waits for them.
    On((K.PAUSE, K.MORE_TIME), a.wait_then_ask, to=(Goes.SAME, Goes.OPENING)),
    On((K.YES, K.NO, K.DONE, K.RESUME, K.SKIP, K.WHEN, K.A_LITTLE, K.FALLBACK),
       a.not_understood, to=(Goes.SAME, Goes.OPENING)),
    # The session closed: nothing is said, and no stage answers it otherwise.
    On((K.SESSION_ENDED,), a.session_ended, to=(S.ENDED,)),
)


def route(state: State, event: Event, now: int) -> On:
    """The transition that answers `event` at the state's stage."""
    for rule in STAGES[state.stage].on + ANYWHERE:
        if event.kind in rule.events and (rule.when is None or rule.when(state, event, now)):
            return rule
    raise LookupError(f"{event.kind} is not answered at {state.stage}")  # see problems()


def targets(stage: Stage, rule: On) -> set[Stage]:
    """The stages `rule`, heard at `stage`, may lead to; BACK adds none, as it leads only where
    the couple has been."""
    found: set[Stage] = set()
    for goes in rule.to:
        if goes is Goes.SAME:
            found.add(stage)
        elif goes is Goes.OPENING:
            found |= {S.CONSENT, S.ASK_FIRST_NAME}
        elif goes is not Goes.BACK:
            found.add(Stage(goes))
    return found


def answering(stage: Stage, table: dict[Stage, StageSpec] | None = None,
              anywhere: tuple[On, ...] | None = None) -> dict[Kind, list[On]]:
    """For each kind of event, every transition that may answer it at `stage`, in the order
    they are tried: up to the first with no guard, which always answers."""
    table, anywhere = table or STAGES, anywhere if anywhere is not None else ANYWHERE
    found: dict[Kind, list[On]] = {kind: [] for kind in Kind}
    settled: set[Kind] = set()
    for rule in table[stage].on + anywhere:
        for kind in rule.events:
            if kind in settled:
                continue
            found[kind].append(rule)
            if rule.when is None:
                settled.add(kind)
    return found


def problems(table: dict[Stage, StageSpec], anywhere: tuple[On, ...]) -> list[str]:
    """What is wrong with a table; empty when every rule above holds."""
    missing = [f"{stage} has no entry" for stage in Stage if stage not in table]
    if missing:
        return missing
    by_stage = {stage: answering(stage, table, anywhere) for stage in Stage}
    found = [f"{kind} is not answered at {stage}"
             for stage, by_kind in by_stage.items()
             for kind, rules in by_kind.items() if not _answered(rules)]
    found += [f"{stage} answers {K.SESSION_ENDED} itself" for stage, spec in table.items()
              if any(K.SESSION_ENDED in rule.events for rule in spec.on)]
    edges = {stage: {nxt for rule in _distinct(by_kind.values()) for nxt in targets(stage, rule)}
             | set(table[stage].held_out_to) for stage, by_kind in by_stage.items()}
    return found + _unreachable(edges)


def _unreachable(edges: dict[Stage, set[Stage]]) -> list[str]:
    """Stages a new session cannot reach, and stages from which no path leads to the end."""
    reached = _reach(S.NEW, edges)
    backwards: dict[Stage, set[Stage]] = {stage: set() for stage in Stage}
    for stage, nexts in edges.items():
        for nxt in nexts:
            backwards[nxt].add(stage)
    ending = _reach(S.ENDED, backwards)  # every stage with a path to the end
    return ([f"{stage} cannot be reached" for stage in Stage if stage not in reached]
            + [f"{stage} is a dead end" for stage in Stage if stage not in ending])


def _distinct(rule_lists: Iterable[list[On]]) -> list[On]:
    """Each rule once: most answer several kinds of event."""
    return list({id(rule): rule for rules in rule_lists for rule in rules}.values())


def _answered(rules: list[On]) -> bool:
    """Some transition answers, whatever its guards say: the last one tried has none."""
    return bool(rules) and rules[-1].when is None


def _reach(start: Stage, edges: dict[Stage, set[Stage]]) -> set[Stage]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


_PROBLEMS = problems(STAGES, ANYWHERE)
if _PROBLEMS:
    raise ValueError("the ritual's table: " + "; ".join(_PROBLEMS))
