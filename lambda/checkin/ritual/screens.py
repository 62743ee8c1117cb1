"""What a device with a screen shows after each request, and the Alexa app's cards: plain data.

The screen supports the voice and never replaces it. Every button sends an event that can also
be said, answered by the stage table exactly as the words are; a walk shows nothing, since a
phone in a pocket should not light up. `shown` reads where a request left the couple and what
was said, so the stage table needs no screen rules of its own; `BUTTONS` lists each stage's
answers as buttons (a test holds every stage that asks something to an entry). The adapter
draws these records; this module knows nothing of how.
"""
from __future__ import annotations

from checkin.records import record, replace
from checkin.ritual.awareness import ASKED_ORDER
from checkin.ritual.clock import local_day
from checkin.ritual.events import Event, Kind
from checkin.ritual.history import COMPLETED, WALK, RitualRecord
from checkin.ritual.profile import Profile
from checkin.ritual.prompting import stage_prompt
from checkin.ritual.reply import AskPermission, FinishRitual, Partner, Reply, Say
from checkin.ritual.state import QUESTIONS, Stage, State, Step
from checkin.ritual.turns import question_part


@record
class Button:
    label: str  # the prompt key of its words
    event: Kind  # what touching it means: the same event as saying it


@record
class TurnScreen:
    speaker: Partner
    listener: Partner
    question: Say  # as it was asked
    seconds_left: int  # from the request's time; the device counts down on its own
    seconds: int  # the whole of this turn (or of its extra time), for the bar
    buttons: tuple[Button, ...]


@record
class PromptScreen:
    """A question with its answers as buttons; a closing line has none."""

    lines: tuple[Say, ...]
    buttons: tuple[Button, ...] = ()
    title: Say | None = None


@record
class CloseScreen:
    seconds: tuple[int, int]  # each partner's talk time tonight, drawn as two bars
    count: int  # completed check-ins, as stored
    streak: int
    then: PromptScreen | None = None  # the question the close ends with (the plan), if any


@record
class HistoryScreen:
    weeks: tuple[int, ...]  # check-ins per week, the last WEEKS_KEPT weeks, oldest first
    count: int
    streak: int
    then: PromptScreen  # the question the answer ends with
    trend: Say | None = None  # how the checks of the five signs compare with a month ago


@record
class SafetyScreen:
    """The crisis lines, large and plain (the adapter has them per country)."""

    buttons: tuple[Button, ...]


Screen = TurnScreen | PromptScreen | CloseScreen | HistoryScreen | SafetyScreen


@record
class CloseCard:
    seconds: int  # tonight's time together


@record
class SafetyCard:
    pass


Card = CloseCard | SafetyCard

YES = Button("screen.button.yes", Kind.YES)
NO = Button("screen.button.no", Kind.NO)
SKIP = Button("screen.button.skip", Kind.SKIP)
DONE = Button("screen.button.done", Kind.DONE)
MORE_TIME = Button("screen.button.more_time", Kind.MORE_TIME)
PAUSE = Button("screen.button.pause", Kind.PAUSE)
READY = Button("screen.button.ready", Kind.DONE)
A_LITTLE = Button("screen.button.a_little", Kind.A_LITTLE)
CARRY_ON = Button("screen.button.carry_on", Kind.RESUME)
STOP = Button("screen.button.stop", Kind.STOP)
WRAP_UP = Button("screen.button.wrap_up", Kind.YES)
START_HERE = Button("screen.button.start_here", Kind.YES)
JOIN_THERE = Button("screen.button.join_there", Kind.NO)
HOW_IT_WORKS = Button("screen.button.how_it_works", Kind.HELP)
SUPPORT = Button("screen.button.support", Kind.SAFETY)

# Each stage's answers as buttons, for the question it asks (and a turn's own three).
BUTTONS: dict[Stage, tuple[Button, ...]] = {
    Stage.ASK_FIRST_NAME: (Button("screen.button.skip_names", Kind.SKIP),),
    Stage.ASK_SECOND_NAME: (SKIP,),
    Stage.CONSENT: (YES, Button("screen.button.not_now", Kind.NO)),
    Stage.ASK_WHEN: (Button("screen.button.another_time", Kind.NO),),
    Stage.OFFER_RESUME: (YES, Button("screen.button.start_fresh", Kind.START_OVER)),
    Stage.TURN: (DONE, MORE_TIME, PAUSE),
    Stage.HANDOVER: (READY, PAUSE),
    Stage.OFFER_EXTRA: (YES, Button("screen.button.no_thanks", Kind.NO)),
    Stage.PAUSED: (CARRY_ON, STOP),
    Stage.CONFIRM_DELETE: (Button("screen.button.delete", Kind.YES),
                           Button("screen.button.keep", Kind.NO)),
    Stage.ASK_REMIND_TIME: (SKIP,),
    Stage.OFFER_REMINDER: (YES, NO),
    Stage.OFFER_AWARENESS: (YES, SKIP),
    Stage.AWARENESS: (YES, A_LITTLE, NO, SKIP),
    Stage.AWARENESS_SAFETY: (YES, Button("screen.button.not_now", Kind.NO), SUPPORT),
    Stage.OFFER_SMALL_THING: (YES, SKIP),
    Stage.SMALL_THING: (DONE, MORE_TIME, PAUSE),
    Stage.SMALL_HANDOVER: (READY, PAUSE),
    Stage.OFFER_PLAN: (YES, Button("screen.button.no_thanks", Kind.NO)),
}
# Stages that ask nothing of their own: a session never rests at them.
UNASKED = frozenset({Stage.NEW, Stage.ENDED})
SIGNS = len(ASKED_ORDER)
HISTORY_PROMPTS = ("history.none", "history.count", "history.count.one")
CLOSE_PROMPTS = ("close.thanks", "close.thanks.walk")


def shown(before: State, step: Step, event: Event, now: int) -> Step:
    """`step` with what a screen shows and the app's card, as its reply says and does."""
    reply = step.reply
    if event.kind is Kind.SESSION_ENDED or not reply.speech or \
            any(isinstance(d, AskPermission) for d in reply.directives):
        return step  # nothing is played, or Alexa's own consent dialog takes over
    finished = _finished(step)
    card = _card(reply, finished)
    walking = _walking(before) or _walking(step.state) or \
        (finished is not None and finished.mode == WALK)
    screen = None if walking else _screen(step, finished, now)
    if screen is None and card is None:
        return step
    return replace(step, reply=replace(reply, screen=screen, card=card))


def recounted(screen: Screen | None, stored: Profile) -> Screen | None:
    """The close's count and streak as the store holds them (another device may have counted
    a check-in since this session read the profile)."""
    if isinstance(screen, CloseScreen):
        return replace(screen, count=stored.completed, streak=stored.streak)
    return screen


def buttons_at(state: State) -> tuple[Button, ...]:
    """The answers to the question the state asks, as buttons."""
    if state.help_or_support:
        return HOW_IT_WORKS, SUPPORT
    ritual = state.ritual
    if state.stage is Stage.HANDOVER and ritual is not None and ritual.finished:
        return WRAP_UP, MORE_TIME
    if state.stage is Stage.SMALL_HANDOVER and state.small is not None and state.small.order:
        return WRAP_UP, PAUSE  # both have said theirs
    if state.stage is Stage.OFFER_RESUME and state.elsewhere:
        return START_HERE, JOIN_THERE
    return BUTTONS.get(state.stage, ())


def _screen(step: Step, finished: RitualRecord | None, now: int) -> Screen | None:
    state, reply = step.state, step.reply
    said = _keys(reply)
    if "safety" in said:
        return SafetyScreen(buttons_at(state))
    if said & set(CLOSE_PROMPTS) and finished is not None:
        # The close, with the plan it may end with ("same time tomorrow?").
        return _close(step, finished, None if reply.end_session else _asking(state))
    if reply.end_session:
        if state.stage is Stage.TURN:  # an Alexa timer keeps this turn's time
            return _turn(state, now)
        return PromptScreen((Say.of("screen.ended"),))
    if said & set(HISTORY_PROMPTS):
        profile = state.profile
        weeks = profile.weeks_to(local_day(now, profile.time_zone))
        trend = next((Say.of(f"screen.{key}") for key in sorted(said)
                      if key.startswith("trend.")), None)
        return HistoryScreen(weeks, profile.completed, profile.streak, _asking(state), trend)
    if state.stage is Stage.TURN:
        return _turn(state, now)
    if state.stage is Stage.SMALL_THING:
        return _small_thing(state, now)
    return _asking(state)


def _turn(state: State, now: int) -> TurnScreen | None:
    ritual = state.ritual
    if ritual is None:
        return None
    left = max(0, ritual.hold_seconds - ritual.elapsed(now))
    return TurnScreen(Partner(ritual.speaker), Partner(1 - ritual.speaker),
                      question_part(ritual), left, max(ritual.allowance, left),
                      buttons_at(state))


def _small_thing(state: State, now: int) -> TurnScreen | None:
    """One small thing is a short turn: shown as one, with its own words."""
    small = state.small
    if small is None:
        return None
    left = max(0, small.hold_seconds - max(0, now - small.hold_started_at))
    speaker, listener = Partner(small.speaker), Partner(1 - small.speaker)
    return TurnScreen(speaker, listener, Say.of("screen.small.line", other=listener),
                      left, max(small.allowance, left), buttons_at(state))


def _asking(state: State) -> PromptScreen:
    """The question the state asks, with its answers as buttons."""
    buttons = buttons_at(state)
    ritual, pending = state.ritual, state.pending
    if state.help_or_support:
        return PromptScreen((Say.of("help.which"),), buttons)
    if state.stage is Stage.HANDOVER and ritual is not None and not ritual.finished:
        return PromptScreen((Say.of("screen.handover.question", number=ritual.question + 1,
                                    total=len(QUESTIONS)),), buttons,
                            Say.of("screen.handover.next", next=Partner(ritual.speaker)))
    if state.stage is Stage.OFFER_RESUME and pending is not None:
        if state.elsewhere:
            return PromptScreen((Say.of("screen.resume.elsewhere"),), buttons)
        return PromptScreen((Say.of("screen.resume.where", number=pending.question + 1,
                                    total=len(QUESTIONS), speaker=Partner(pending.speaker)),),
                            buttons, Say.of("screen.resume.title"))
    if state.stage is Stage.CONFIRM_DELETE:
        return PromptScreen((Say.of("screen.delete.what"),), buttons,
                            Say.of("screen.delete.title"))
    noticing = state.noticing
    if state.stage is Stage.AWARENESS and noticing is not None:
        asked = tuple(p for p in stage_prompt(state)[0] if isinstance(p, Say))
        return PromptScreen(asked[-1:], buttons, Say.of(
            "screen.awareness.line", number=min(len(noticing.answers), SIGNS - 1) + 1,
            total=SIGNS))
    asked = tuple(p for p in stage_prompt(state)[0] if isinstance(p, Say))
    return PromptScreen(asked, buttons)


def _close(step: Step, finished: RitualRecord,
           then: PromptScreen | None) -> PromptScreen | CloseScreen:
    if not finished.answered_by_both:
        lines, buttons = (then.lines, then.buttons) if then else ((), ())
        return PromptScreen((Say.of("close.unanswered"),) + lines, buttons,
                            Say.of("screen.close.title"))
    profile = _finished_profile(step) or step.state.profile
    return CloseScreen(finished.seconds, profile.completed, profile.streak, then)


def _card(reply: Reply, finished: RitualRecord | None) -> Card | None:
    said = _keys(reply)
    if "safety" in said:
        return SafetyCard()
    if said & set(CLOSE_PROMPTS) and finished is not None and finished.answered_by_both:
        return CloseCard(sum(finished.seconds))
    return None


def _finished(step: Step) -> RitualRecord | None:
    """The ritual this step completed, if it did."""
    for effect in step.effects:
        if isinstance(effect, FinishRitual) and effect.record.outcome == COMPLETED:
            return effect.record
    return None


def _finished_profile(step: Step) -> Profile | None:
    for effect in step.effects:
        if isinstance(effect, FinishRitual) and effect.profile is not None:
            return effect.profile
    return None


def _walking(state: State) -> bool:
    return state.walk or (state.ritual is not None and state.ritual.mode == WALK)


def _keys(reply: Reply) -> set[str]:
    return {p.key for p in reply.speech if isinstance(p, Say)}
