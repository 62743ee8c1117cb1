"""Turn mechanics: opening a turn, holding the floor, closing it, and closing the ritual."""
from __future__ import annotations

from checkin.records import replace
from checkin.ritual.clock import local_day
from checkin.ritual.history import COMPLETED, HOME, STOPPED, WALK, RitualRecord, TurnRecord
from checkin.ritual.profile import Profile
from checkin.ritual.prompting import goodbye, handover_reprompt
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
)
from checkin.ritual.state import QUESTIONS, Checkpoint, Ritual, Stage, State, Step, speaker_of

EXTRA_SECONDS = 60
# Extra time used below this is neither owed nor mentioned: a few seconds over is not a minute.
MIN_OWED_SECONDS = 15
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


def open_turn(state: State, ritual: Ritual, now: int, lead: tuple[Part, ...] = (),
              invite: bool = True) -> Step:
    """Start the next regular turn: name the speaker, ask the question, hold the floor.

    `invite` is False when the lead already turned to the speaker.
    """
    speaker = ritual.speaker
    due = ritual.owed[speaker]
    allowance = min(ritual.question_seconds + due, hold_limit(state))
    ritual = replace(ritual, allowance=allowance, spoken=0, extra=0,
                     owed=owe(ritual.owed, speaker, -due))
    # Both partners hear one wording of a question; each is invited as first or second.
    key = "turn.invite" if ritual.order == 0 else "turn.invite_second"
    intro: tuple[Part, ...] = (Say.of(key, _variant(ritual), speaker=Partner(speaker)),) \
        if invite else ()
    intro += (question_part(ritual),)
    if due:
        intro += (Say.of("turn.extra_too", minutes=Duration(due)),)
    return hold(state, ritual, now, lead + intro, checkpoint=True)


def hold_limit(state: State) -> int:
    """The longest one partner's turn may be, extra time included: equal for both."""
    return MAX_HOLD_SECONDS if TIMERS in state.grants else MAX_IN_SESSION_HOLD_SECONDS


def question_part(ritual: Ritual) -> Say:
    return Say.of(f"question.{QUESTIONS[ritual.question]}", _variant(ritual))


def _variant(ritual: Ritual) -> int:
    return ritual.wording_base + ritual.question


def open_bonus(state: State, ritual: Ritual, partner: int, seconds: int, now: int,
               said: tuple[Part, ...] = (), extra: int = 0) -> Step:
    """Extra time for `partner`; of it, the `extra` seconds used are owed to the other.

    `said` replaces the usual "here's your extra time", so that it is said once.
    """
    ritual = replace(ritual, bonus_partner=partner, allowance=seconds, spoken=0, extra=extra)
    return hold(state, ritual, now,
                said or (Say.of("bonus.begin", speaker=Partner(partner)),))


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
    """What the Alexa timer says when it rings: the same next step as `after_turn_prompt`."""
    done = Partner(ritual.speaker)
    follows, after = _what_follows(ritual)
    if follows == EXTRA:
        first = _owed_partner(after)
        return Say.of("timer.offer_extra", done=done, speaker=Partner(first),
                      minutes=Duration(after.owed[first]))
    if follows in (FINAL, SAME_STARTS):
        return Say.of(f"timer.{follows}", done=done)
    return Say.of(f"timer.{follows}", done=done, next=Partner(after.speaker))


def after_turn_prompt(ritual: Ritual) -> tuple[Part, ...]:
    """What is said when the current speaker's time is up: what the next request will do."""
    done = Partner(ritual.speaker)
    follows, after = _what_follows(ritual)
    if follows == EXTRA:
        return (Say.of("turn.thanks", speaker=done), extra_offer(after))
    if follows in (FINAL, SAME_STARTS):
        return (Say.of(_HANDOVER_KEYS[follows], done=done),)
    return (Say.of(_HANDOVER_KEYS[follows], done=done, next=Partner(after.speaker)),)


def next_turn_reprompt(ritual: Ritual) -> tuple[Part, ...]:
    follows, after = _what_follows(ritual)
    if follows == EXTRA:
        return (extra_offer(after),)
    if follows == FINAL:
        return (Say.of("handover.final.reprompt"),)
    return handover_reprompt(Partner(after.speaker))


# What a segment run to the end of its allowance leads to, named as the timer's prompt keys.
EXTRA, FINAL, NEXT_SPEAKER = "extra", "final", "handover"
SAME_STARTS, OTHER_STARTS = "handover_next_question_same", "handover_next_question"
_HANDOVER_KEYS = {FINAL: "handover.final", NEXT_SPEAKER: "handover.next",
                  SAME_STARTS: "handover.next_question_same",
                  OTHER_STARTS: "handover.next_question"}


def _what_follows(ritual: Ritual) -> tuple[str, Ritual]:
    """What comes after the current segment if it runs its whole allowance, and the ritual
    then: owed time offered, the close, the other partner, or the next question."""
    ended = end_segment(State(Stage.TURN, Profile(), ritual=ritual), ritual.allowance)
    after = ended.ritual
    assert after is not None
    if ended.stage is Stage.OFFER_EXTRA:
        return EXTRA, after
    if after.finished:
        return FINAL, after
    if after.index % 2:
        return NEXT_SPEAKER, after
    return (SAME_STARTS if after.speaker == ritual.speaker else OTHER_STARTS), after


def extra_offer(ritual: Ritual) -> Say:
    first = _owed_partner(ritual)
    return Say.of("extra.offer", speaker=Partner(first), other=Partner(1 - first),
                  minutes=Duration(ritual.owed[first]))


def _owed_partner(ritual: Ritual) -> int:
    """Who opened the question just finished, and may be owed the time the other took."""
    return speaker_of(ritual.first_partner, ritual.turns[-1].question, 0)


def offers_extra(ritual: Ritual) -> bool:
    """Both have answered the question, and its first speaker is owed extra time."""
    return ritual.index > 0 and ritual.index % 2 == 0 and ritual.bonus_partner < 0 and \
        ritual.owed[_owed_partner(ritual)] > 0


def end_segment(state: State, spoken: int, skipped: bool = False) -> State:
    """Close the current turn (or extra time) with `spoken` seconds; move to the hand-over,
    or to the offer of extra time when the question's first speaker is owed some."""
    ritual = state.ritual
    assert ritual is not None
    seconds = min(spoken, ritual.allowance)
    owed = ritual.owed
    used_extra = seconds - (ritual.allowance - ritual.extra)
    if used_extra >= MIN_OWED_SECONDS and not skipped:
        owed = owe(owed, 1 - ritual.speaker, used_extra)
    if ritual.bonus_partner >= 0:
        turns = _add_to_latest(ritual.turns, ritual.bonus_partner, ritual.question, seconds)
    else:
        turns = ritual.turns + (TurnRecord(ritual.speaker, ritual.question, seconds, skipped),)
    ritual = replace(ritual, turns=turns, spoken=0, allowance=0, hold_seconds=0,
                     bonus_partner=-1, extra=0, owed=owed)
    return state.at(Stage.OFFER_EXTRA if offers_extra(ritual) else Stage.HANDOVER,
                    ritual=ritual)


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


def proceed(state: State, now: int, lead: tuple[Part, ...] = (), invite: bool = True) -> Step:
    """After a turn: offer owed time, start the next turn, or close."""
    ritual = state.ritual
    assert ritual is not None
    if offers_extra(ritual):
        offer = extra_offer(ritual)
        return Step(state.at(Stage.OFFER_EXTRA), Reply(lead + (offer,), (offer,)))
    if ritual.index % 2 == 0 and ritual.index > 0:
        ritual = next_question(ritual, turn_seconds(state))
    if ritual.finished:
        return _wrap_up(state.at(state.stage, ritual=ritual), now, lead)
    return open_turn(state, ritual, now, lead, invite)


def starts_new_question(ritual: Ritual) -> bool:
    """After a finished turn: is a new question next (no owed time, not the end)?"""
    return ritual.index % 2 == 0 and not ritual.finished and not offers_extra(ritual)


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
        return _wrap_up(state, now, (Say.of("skip.last"),))
    return open_turn(state, ritual, now, (Say.of("skip.done"),))


def _wrap_up(state: State, now: int, lead: tuple[Part, ...]) -> Step:
    """All six turns are done: one small thing, the close and a plan (see closing)."""
    from checkin.ritual import closing  # it builds on this module's close

    return closing.wrap_up(state, now, lead)


def close(state: State, now: int, lead: tuple[Part, ...] = ()) -> Step:
    """All six turns are done: thank both partners, summarise, record the ritual, goodnight."""
    ritual = state.ritual
    assert ritual is not None
    record = to_record(ritual, COMPLETED, now)
    profile = replace(
        state.profile.after_completion(record, local_day(now, state.profile.time_zone)),
        last_first_partner=ritual.first_partner,
        wording_cursor=ritual.wording_base + 2,
    )
    thanks = "close.thanks.walk" if ritual.mode == WALK else "close.thanks"
    speech: tuple[Part, ...] = lead + (Say.of(thanks),)
    if record.answered_by_both:
        # The time together, never who spoke more.
        speech += (Say.of("close.summary", time=Duration(sum(record.seconds))),)
        speech += count_lines(profile)
    else:
        speech += (Say.of("close.unanswered"),)
    speech += (goodbye(state),)
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
    return SaveCheckpoint(Checkpoint(ritual), now + CHECKPOINT_TTL_SECONDS)


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
