"""Turn mechanics: opening a turn, holding the floor, closing it, and closing the ritual."""
from __future__ import annotations

from checkin.records import replace
from checkin.ritual.clock import local_day
from checkin.ritual.household import (
    COMPLETED,
    HOME,
    STOPPED,
    WALK,
    Profile,
    RitualRecord,
    TurnRecord,
)
from checkin.ritual.prompting import goodbye
from checkin.ritual.reply import (
    TIMERS,
    Chime,
    Duration,
    Effect,
    FinishRitual,
    Hold,
    Ordinal,
    Part,
    Partner,
    Reply,
    SaveCheckpoint,
    Say,
    StartTimer,
    Step,
)
from checkin.ritual.state import QUESTIONS, TURNS_PER_RITUAL, Ritual, Stage, State, speaker_of

EXTRA_SECONDS = 60
WALK_TURN_SECONDS = 240
# The longest turn a timer keeps.
MAX_HOLD_SECONDS = 300
# Without a timer a turn is held in one response's speech (the renderer's SPEECH_HOLD_LIMIT,
# less room for the words): quiet beyond it would go on in the reprompt, after the microphone
# had opened mid-turn and heard the speaker. So a turn held here lasts at most 3.5 minutes.
MAX_IN_SESSION_HOLD_SECONDS = 210
CHECKPOINT_TTL_SECONDS = 24 * 3600


def start_ritual(state: State, now: int, lead: tuple[Part, ...] = ()) -> Step:
    profile = state.profile
    ritual = Ritual(
        ritual_id=f"r{now}{state.tag}",
        started_at=now,
        first_partner=1 - profile.last_first_partner,
        wording_base=profile.wording_cursor,
        question_seconds=turn_seconds(state),
        mode=WALK if state.walk else HOME,
        last_activity=now,
        device=state.device,
    )
    return open_turn(state.at(state.stage, walk=False), ritual, now,
                     lead + (Say.of("ritual.begin"),))


def turn_seconds(state: State) -> int:
    """Walks have longer turns: four minutes, unless the couple chose longer still."""
    walking = state.walk or (state.ritual is not None and state.ritual.mode == WALK)
    return max(state.profile.turn_seconds, WALK_TURN_SECONDS) if walking \
        else state.profile.turn_seconds


def open_turn(state: State, ritual: Ritual, now: int, lead: tuple[Part, ...] = ()) -> Step:
    """Start the next regular turn: name the speaker, ask the question, hold the floor."""
    speaker = ritual.speaker
    due = ritual.owed[speaker]
    allowance = min(ritual.question_seconds + due, hold_limit(state))
    ritual = replace(ritual, allowance=allowance, spoken=0, owed=owe(ritual.owed, speaker, -due))
    variant = ritual.wording_base + ritual.order
    intro: tuple[Part, ...] = (
        Say.of("turn.invite", variant, speaker=Partner(speaker)),
        Say.of(f"question.{QUESTIONS[ritual.question]}", variant),
    )
    if due:
        intro += (Say.of("turn.extra_too", speaker=Partner(speaker), minutes=Duration(due)),)
    return hold(state, ritual, now, lead + intro, checkpoint=True)


def hold_limit(state: State) -> int:
    """The longest one partner's turn may be, extra time included: equal for both."""
    return MAX_HOLD_SECONDS if TIMERS in state.grants else MAX_IN_SESSION_HOLD_SECONDS


def open_bonus(state: State, ritual: Ritual, partner: int, seconds: int, now: int,
               lead: tuple[Part, ...] = ()) -> Step:
    ritual = replace(ritual, bonus_partner=partner, allowance=seconds, spoken=0)
    return hold(state, ritual, now, lead + (Say.of("bonus.begin", speaker=Partner(partner)),))


def hold(state: State, ritual: Ritual, now: int, lead: tuple[Part, ...],
         checkpoint: bool = False) -> Step:
    """Keep the floor for the rest of the allowance, then chime and hand over."""
    ritual = replace(ritual, hold_started_at=now,
                     hold_seconds=min(ritual.remaining, hold_limit(state)), last_activity=now)
    state = state.at(Stage.TURN, ritual=ritual)
    if TIMERS in state.grants:
        # A real Alexa timer keeps time and announces the hand-over; the microphone closes.
        timer = StartTimer(ritual.hold_seconds, timer_announcement(ritual))
        started = Say.of("timer.started", minutes=Duration(ritual.hold_seconds))
        return Step(state, Reply(lead + (started,), end_session=True),
                    (timer, save_checkpoint(ritual, now)))
    after = (Chime(),) + after_turn_prompt(ritual)
    reply = Reply(lead + (Hold(ritual.hold_seconds),) + after, next_turn_reprompt(ritual))
    effects = (save_checkpoint(ritual, now),) if checkpoint else ()
    return Step(state, reply, effects)


def timer_announcement(ritual: Ritual) -> Say:
    following = _following_speaker(ritual)
    if following is None:
        return Say.of("timer.final", done=Partner(ritual.speaker))
    key = "timer.handover_next_question" if _next_index(ritual) % 2 == 0 else "timer.handover"
    return Say.of(key, done=Partner(ritual.speaker), next=Partner(following))


def after_turn_prompt(ritual: Ritual) -> tuple[Part, ...]:
    """What is said when the current speaker's time is up."""
    done = Partner(ritual.speaker)
    following = _following_speaker(ritual)
    if following is None:
        return (Say.of("handover.final", done=done),)
    if _next_index(ritual) % 2 == 0:
        return (Say.of("handover.next_question", done=done, next=Partner(following)),)
    return (Say.of("handover.next", done=done, next=Partner(following)),)


def next_turn_reprompt(ritual: Ritual) -> tuple[Part, ...]:
    following = _following_speaker(ritual)
    if following is None:
        return (Say.of("handover.final.reprompt"),)
    return (Say.of("handover.reprompt", next=Partner(following)),)


def _following_speaker(ritual: Ritual) -> int | None:
    """Who speaks after the current segment, if the owed time is not taken up."""
    index = _next_index(ritual)
    if index >= TURNS_PER_RITUAL:
        return None
    return speaker_of(ritual.first_partner, index // 2, index % 2)


def _next_index(ritual: Ritual) -> int:
    return ritual.index if ritual.bonus_partner >= 0 else ritual.index + 1


def end_segment(state: State, spoken: int, skipped: bool = False) -> State:
    """Close the current turn (or extra time) with `spoken` seconds; move to the hand-over."""
    ritual = state.ritual
    assert ritual is not None
    seconds = min(spoken, ritual.allowance)
    if ritual.bonus_partner >= 0:
        turns = _add_to_latest(ritual.turns, ritual.bonus_partner, ritual.question, seconds)
    else:
        turns = ritual.turns + (TurnRecord(ritual.speaker, ritual.question, seconds, skipped),)
    ritual = replace(ritual, turns=turns, spoken=0, allowance=0, hold_seconds=0,
                     bonus_partner=-1)
    return state.at(Stage.HANDOVER, ritual=ritual)


def held_out(ritual: Ritual, now: int) -> Ritual:
    """A checkpointed turn whose hold has run out by `now` counts as spoken in full.

    A ritual whose last answer never reached the store (the write failed, or the session
    broke) is thus recorded from its turn-start checkpoint rather than lost.
    """
    if ritual.hold_seconds and now >= ritual.hold_started_at + ritual.hold_seconds:
        held = State(Stage.TURN, Profile(), ritual=ritual)
        done = end_segment(held, ritual.spoken + ritual.hold_seconds).ritual
        return done if done is not None else ritual
    return ritual


def proceed(state: State, now: int, lead: tuple[Part, ...] = ()) -> Step:
    """After a turn: offer owed time, start the next turn, or close."""
    ritual = state.ritual
    assert ritual is not None
    if ritual.index % 2 == 0 and ritual.index > 0:
        first = speaker_of(ritual.first_partner, ritual.turns[-1].question, 0)
        if ritual.owed[first]:
            offer = Say.of("extra.offer", speaker=Partner(first), other=Partner(1 - first),
                           minutes=Duration(ritual.owed[first]))
            return Step(state.at(Stage.OFFER_EXTRA), Reply(lead + (offer,), (offer,)))
        ritual = next_question(ritual, turn_seconds(state))
    if ritual.finished:
        return close(state.at(state.stage, ritual=ritual), now, lead)
    return open_turn(state, ritual, now, lead)


def starts_new_question(ritual: Ritual) -> bool:
    """After a finished turn: is a new question next (no owed time, not the end)?"""
    if ritual.index % 2 or ritual.finished:
        return False
    return not ritual.owed[speaker_of(ritual.first_partner, ritual.turns[-1].question, 0)]


def next_question(ritual: Ritual, turn_seconds: int) -> Ritual:
    """Both partners have answered: a new question, a fresh allowance, nobody owed."""
    return replace(ritual, owed=(0, 0), question_seconds=turn_seconds)


def skip_question(state: State, now: int) -> Step:
    """Skip what is left of the current question, keeping what was already said."""
    ritual = state.ritual
    assert ritual is not None
    turns = ritual.turns
    if ritual.index % 2 == 1:
        turns += (TurnRecord(ritual.speaker, ritual.question, 0, skipped=True),)
    ritual = next_question(replace(ritual, turns=turns, bonus_partner=-1), turn_seconds(state))
    state = state.at(Stage.HANDOVER, ritual=ritual)
    if ritual.finished:
        return close(state, now, (Say.of("skip.last"),))
    return open_turn(state, ritual, now, (Say.of("skip.done"),))


def close(state: State, now: int, lead: tuple[Part, ...] = ()) -> Step:
    """All six turns are done: thank both partners, summarise, and record the ritual."""
    ritual = state.ritual
    assert ritual is not None
    record = to_record(ritual, COMPLETED, now)
    profile = replace(
        state.profile.after_completion(record, local_day(now, state.profile.time_zone)),
        last_first_partner=ritual.first_partner,
        wording_cursor=ritual.wording_base + 2,
    )
    first, second = record.seconds
    speech: tuple[Part, ...] = lead + (
        Say.of("close.thanks.walk" if ritual.mode == WALK else "close.thanks"),
        Say.of("close.summary", one=Partner(0), one_time=Duration(first),
               two=Partner(1), two_time=Duration(second)),
    ) + count_lines(profile) + (goodbye(state),)
    state = state.at(Stage.ENDED, profile=profile, ritual=None, pending=None)
    # Should this record not reach the store, the last turn's checkpoint is recorded later.
    return Step(state, Reply(speech, end_session=True), (FinishRitual(record, profile),))


COUNT_KEYS = ("close.count", "close.streak")


def count_lines(profile: Profile) -> tuple[Part, ...]:
    """The close's count and streak, as `profile` has them."""
    lines: tuple[Part, ...] = (Say.of("close.count", count=Ordinal(profile.completed)),)
    if profile.streak > 1:
        lines += (Say.of("close.streak", nights=profile.streak),)
    return lines


def recount(speech: tuple[Part, ...], stored: Profile) -> tuple[Part, ...]:
    """`speech` with its count and streak as `stored` holds them: another device may have
    finished a ritual since this session read the profile, and the store counted both."""
    counted = [i for i, p in enumerate(speech) if isinstance(p, Say) and p.key in COUNT_KEYS]
    if not counted:
        return speech
    rest = tuple(p for p in speech[counted[0]:]
                 if not (isinstance(p, Say) and p.key in COUNT_KEYS))
    return speech[:counted[0]] + count_lines(stored) + rest


def stop_effects(ritual: Ritual | None, now: int) -> tuple[Effect, ...]:
    if ritual is None:
        return ()
    return (FinishRitual(to_record(ritual, STOPPED, now)),)


def to_record(ritual: Ritual, outcome: str, now: int) -> RitualRecord:
    return RitualRecord(ritual.ritual_id, ritual.started_at, now, outcome, ritual.mode,
                        ritual.turns)


def save_checkpoint(ritual: Ritual, now: int) -> SaveCheckpoint:
    return SaveCheckpoint({"ritual": ritual.to_dict()}, now + CHECKPOINT_TTL_SECONDS)


def owe(owed: tuple[int, int], partner: int, seconds: int) -> tuple[int, int]:
    """`owed` with `seconds` more due to `partner` (negative when paid out)."""
    return (owed[0] + seconds, owed[1]) if partner == 0 else (owed[0], owed[1] + seconds)


def _add_to_latest(turns: tuple[TurnRecord, ...], partner: int, question: int,
                   seconds: int) -> tuple[TurnRecord, ...]:
    for i in range(len(turns) - 1, -1, -1):
        turn = turns[i]
        if turn.partner == partner and turn.question == question:
            updated = replace(turn, seconds=turn.seconds + seconds, skipped=False)
            return turns[:i] + (updated,) + turns[i + 1:]
    return turns + (TurnRecord(partner, question, seconds),)
