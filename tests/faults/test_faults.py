"""DynamoDB failing under a ritual played through the real lambda_handler, on both backends.

Faults come from `tests/faults.py`: botocore event hooks answer chosen HTTP attempts with a
throttle, a 5xx or a timeout (or deliver the request and lose the reply), and botocore's own
standard retries run. Backoff delays are computed by botocore but recorded, not slept.

What a ritual asks of DynamoDB, per request (proved by the two `..._make_these_calls` tests):

    first night                            the next evening (the week's), interrupted, resumed
    Launch         Query META#*            Launch         Query META#*
    Name (first)   -                       Yes (consent)  PutItem PROFILE  the check offered
    Name (second)  PutItem PROFILE         Yes, No x4     -   the check's lines
    Yes (consent)  PutItem CHECKPOINT      No (5th line)  PutItem CHECK, PutItem CHECKPOINT
    Done x5        PutItem CHECKPOINT      Done           PutItem CHECKPOINT  turn 2 starts
    Done (last)    TransactWriteItems      SessionEnded   PutItem CHECKPOINT  mid-turn
                   [Put RITUAL#,           Launch         Query META#*
                    Put PROFILE,           Yes (consent)  -   "shall we pick up there?"
                    Delete CHECKPOINT]     Yes (resume)   PutItem CHECKPOINT  turn 2 again
    No (the plan)  PutItem PROFILE         Done x4        PutItem CHECKPOINT
                                           Done (last)    -   one small thing?
                                           No             TransactWriteItems

CHECKPOINT is META#CHECKPOINT#<ritual id>, one per ritual; CHECK is META#CHECK#<date>, the
numbers of the week's check of the five signs. The first night's close offers a reminder for
the next time (declined: the week's quiet starts, so later closes do not offer it).

A launch that finds old checkpoints makes its Query and then one TransactWriteItems per
checkpoint it records: [Put RITUAL#, Put PROFILE, Delete CHECKPOINT] for a finished ritual,
[Put RITUAL#, Delete CHECKPOINT] for an unfinished one older than 4 h (abandoned); after a
failed write it stops once over the skill's store budget.

The matrix faults each distinct kind of call once per fault kind, for every attempt of that
call, rather than every index: the middle checkpoints behave like the first and the last.
Then the store recovers, the next morning's launch settles whatever is left, and every ritual
the couple started must be on record exactly once, with counts that match the records. A
checkpoint lives one day after its last write, so the checkpoint a faulty launch failed to record
is one from that afternoon: old enough (over 4 h) to be settled, young enough to be there.
"""
from __future__ import annotations

import contextlib
import copy
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from checkin.alexa import intents
from checkin.alexa.api_client import ALEXA_API_TIMEOUT_SECONDS
from checkin.alexa.timing import Clock
from checkin.ritual.history import COMPLETED, TurnRecord
from checkin.ritual.state import Checkpoint, Ritual
from checkin.ritual.turns import CHECKPOINT_TTL_SECONDS
from checkin.speech.render import Voice
from checkin.store.client import CLIENT_CONFIG, make_dynamodb_client
from checkin.store.keys import household_key
from checkin.store.repository import HouseholdRepository, StoreError
from devtools.dynamodb_local import free_port
from devtools.envelopes import Conversation
from devtools.table import create_table, load_template
from tests.clients import PATIENT
from tests.faults import (
    FAULT_KINDS,
    GUARD_ERRORS,
    LOST_REPLY,
    THROTTLE_REQUEST,
    DynamoFaults,
    Exchange,
    Recorded,
    no_backoff,
    play_to_close,
    play_until,
    stage_of,
    turns_done,
    worst_jitter,
)
from tests.skill_fixtures import EVENING, wire

VOICE = Voice("en-US")
UNREACHABLE = VOICE.text("store.unreachable")  # "I can't reach your history just now, ..."
NOT_SAVED = VOICE.text("store.failed")  # "... I couldn't save this check-in. ..."
RECOVERED = VOICE.text("recovered.completed")  # "Before we begin, I've saved your last ..."
CLOSED = VOICE.text("close.thanks")  # "Thank you both for showing up for each other."
DAY = timedelta(days=1)


# --- fixtures ------------------------------------------------------------------------------------

@pytest.fixture
def _table(store_backend):
    """A table of its own for each test: moto copies the whole table in every transaction, so a
    table shared by the module grows slower with each test, until its calls time out."""
    maker = make_dynamodb_client(endpoint_url=store_backend.endpoint_url, config=PATIENT)
    name = f"checkin-faults-{uuid.uuid4().hex[:12]}"
    create_table(maker, name, expire=False)  # its evenings are fixed, past dates
    yield name
    with contextlib.suppress(Exception):
        maker.delete_table(TableName=name)


@dataclass
class Household:
    """A couple, their store, and the faults between the skill and DynamoDB."""

    talk: Conversation
    handler: Recorded
    faults: DynamoFaults
    repository: HouseholdRepository
    key: str
    client: object
    sleeps: object
    started: set[str] = field(default_factory=set)  # ritual ids the couple began
    closed: set[str] = field(default_factory=set)  # ritual ids the skill closed as completed

    @property
    def exchanges(self) -> list[Exchange]:
        return self.handler.exchanges

    def evening(self, night: int, at: timedelta = timedelta()) -> None:
        """Move the clock to 9 pm on `night` (0 is the first), plus `at`."""
        self.talk.clock = EVENING + night * DAY + at

    def note(self, since: int = 0) -> None:
        """Remember which rituals were begun and which were closed, from the session state."""
        for exchange in self.exchanges[since:]:
            self.started |= exchange.rituals
            if CLOSED in exchange.speech and exchange.ritual_before:
                self.closed.add(exchange.ritual_before)


@pytest.fixture
def household(store_backend, _table, monkeypatch) -> Household:
    client = make_dynamodb_client(endpoint_url=store_backend.endpoint_url)  # its own retry quota
    faults = DynamoFaults(client)
    sleeps = no_backoff(monkeypatch)
    repository = HouseholdRepository(client, _table)
    handler = Recorded(wire(monkeypatch, repository), faults, sleeps)
    user_id = f"amzn1.ask.account.FAULTS{uuid.uuid4().hex.upper()}"
    # A closed loopback port: the Settings API fails at once and the zone falls back to UTC.
    talk = Conversation(handler, start=EVENING, user_id=user_id,
                        api_endpoint=f"http://127.0.0.1:{free_port()}")
    return Household(talk, handler, faults, repository, household_key(user_id, ""), client, sleeps)


# moto checks a transaction's conditions and writes its items without a lock, so two at once
# can both pass; only DynamoDB Local says what DynamoDB does when two writes truly race.
truly_at_once = pytest.mark.parametrize("store_backend", ["dynamodb-local"], indirect=True)


# --- nights --------------------------------------------------------------------------------------

def whole_night(home: Household, night: int) -> None:
    home.evening(night)
    home.talk.launch()
    play_to_close(home.talk)


def interrupted_then_resumed(home: Household, night: int) -> None:
    """One turn done, the session times out mid-turn; twenty minutes later they carry on."""
    interrupted(home, night)
    home.talk.advance(20 * 60)
    home.talk.launch()
    play_to_close(home.talk)


AFTERNOON = timedelta(hours=-5)  # 4 pm: over the resume window before 9 pm


def interrupted(home: Household, night: int, at: timedelta = timedelta()) -> None:
    home.evening(night, at)
    home.talk.launch()
    play_until(home.talk, lambda talk: turns_done(talk) >= 1)
    home.talk.advance(30)
    home.talk.end_session("EXCEEDED_MAX_REPROMPTS")


def seed_finished_checkpoint(home: Household, night: int, at: timedelta = AFTERNOON) -> None:
    """What the recovery path expects after a failed final write: a finished ritual in the
    checkpoint (six turns, nothing left to say), saved on `night` at 9 pm plus `at`."""
    start = int((EVENING + night * DAY + at).timestamp())
    turns = tuple(TurnRecord((i + q) % 2, q, 60) for q in range(3) for i in range(2))
    ritual = Ritual(ritual_id=f"r{start}", started_at=start, first_partner=1, wording_base=2,
                    question_seconds=120, turns=turns, last_activity=start + 400)
    home.repository.save_checkpoint(home.key, Checkpoint(ritual), start + 400,
                                    start + 400 + CHECKPOINT_TTL_SECONDS)
    home.started.add(ritual.ritual_id)
    home.closed.add(ritual.ritual_id)


@dataclass(frozen=True)
class Scenario:
    """Nights before the faulty one (no faults), the faulty night, and its calls by index."""

    before: Callable[[Household], None]
    night: Callable[[Household, int], None]
    night_index: int
    points: dict[str, int]


SCENARIOS = {
    "first-night": Scenario(lambda home: None, whole_night, 0, {
        "launch-load": 0, "names-profile": 1, "checkpoint-turn1": 2, "checkpoint-turn6": 7,
        "completion": 8, "plan-declined-profile": 9}),
    "interrupted-evening": Scenario(
        lambda home: whole_night(home, 0), interrupted_then_resumed, 1,
        {"load-with-history": 0, "check-offered-profile": 1, "check-numbers": 2,
         "checkpoint-at-session-end": 5, "relaunch-load": 6}),
    "recover-finished": Scenario(
        lambda home: (whole_night(home, 0), seed_finished_checkpoint(home, 1)), whole_night, 1,
        {"launch-recovery-write": 1}),
    "recover-abandoned": Scenario(
        lambda home: (whole_night(home, 0), interrupted(home, 1, AFTERNOON)), whole_night, 1,
        {"launch-abandoned-write": 1}),
}

def _matrix():
    for scenario, spec in SCENARIOS.items():
        for point, index in spec.points.items():
            for kind in FAULT_KINDS:
                yield pytest.param(scenario, point, index, kind, id=f"{scenario}-{point}-{kind}")


def second_device(household: Household, start: datetime) -> Conversation:
    """Another Echo of the same household (same account, another device), from `start`."""
    return Conversation(household.handler, start=start, user_id=household.talk.user_id,
                        device_id="amzn1.ask.device.SECOND",
                        api_endpoint=household.talk.api_endpoint)


# --- what must hold ------------------------------------------------------------------------------

def assert_every_answer_spoken_and_honest(exchanges: list[Exchange]) -> None:
    for exchange in exchanges:
        where = f"{exchange.request} at {exchange.stage_before}: {exchange.speech!r}"
        if exchange.request == "SessionEndedRequest":
            continue  # Alexa plays nothing after the session has ended
        assert exchange.speech, f"no spoken answer: {where}"
        assert (UNREACHABLE in exchange.speech) == exchange.failed_load, where
        assert (NOT_SAVED in exchange.speech) == exchange.failed_write, where
        if RECOVERED in exchange.speech:
            assert not exchange.failed_write, f"claims a save that failed: {where}"


def assert_nothing_lost_or_doubled(home: Household) -> None:
    records = home.repository.rituals(home.key, home.talk.now)
    by_id = Counter(record.ritual_id for record in records)
    assert not [rid for rid, n in by_id.items() if n > 1], f"duplicated: {by_id}"
    assert set(by_id) <= home.started, f"records of rituals nobody began: {by_id}"
    outcomes = {record.ritual_id: record.outcome for record in records}
    for ritual_id in sorted(home.started):
        assert ritual_id in outcomes, f"ritual {ritual_id} was never recorded: {outcomes}"
        expected = "completed" if ritual_id in home.closed else "abandoned or stopped"
        assert (outcomes[ritual_id] == COMPLETED) == (ritual_id in home.closed), \
            f"ritual {ritual_id} recorded as {outcomes[ritual_id]}, expected {expected}"
    completed = [record for record in records if record.outcome == COMPLETED]
    assert all(len(record.turns) == 6 for record in completed)
    snapshot = home.repository.load(home.key, home.talk.now)
    profile = snapshot.profile
    assert profile is not None and profile.completed == len(completed), \
        f"profile counts {profile and profile.completed} completed, records hold {len(completed)}"
    assert profile.total_seconds == tuple(
        sum(record.seconds[p] for record in completed) for p in (0, 1))
    assert profile.names == ("Sam", "Alex")
    assert snapshot.checkpoint is None, "something was left dangling"


def assert_closed(tonight: list[Exchange]) -> None:
    """The ritual went on to its close: the last answer, or the one before the answer to the
    reminder it offered."""
    assert CLOSED in tonight[-1].speech or \
        (CLOSED in tonight[-2].speech and tonight[-2].stage_after == "offer_plan"), \
        [e.speech for e in tonight[-2:]]


def next_morning_settles(home: Household, night: int) -> None:
    """The store has recovered: the next morning's launch records whatever is left over."""
    home.faults.heal()
    mark = home.handler.mark()
    home.evening(night, timedelta(hours=12))
    home.talk.launch()
    home.note(mark)
    assert_every_answer_spoken_and_honest(home.exchanges[mark:])


# --- the DynamoDB calls of a ritual ---------------------------------------------------------

def _calls(exchanges: list[Exchange]) -> list[tuple[str, list[str]]]:
    return [(e.request, [c.label for c in e.calls]) for e in exchanges]


CHECKPOINT = "PutItem META#CHECKPOINT"
COMPLETION = ("TransactWriteItems Put RITUAL#,Put META#PROFILE,Delete META#CHECKPOINT")


def test_a_first_night_makes_these_calls(household):
    whole_night(household, 0)
    assert _calls(household.exchanges) == [
        ("LaunchRequest", ["Query META#*"]),
        (intents.NAME, []),
        (intents.NAME, ["PutItem META#PROFILE"]),
        (intents.YES, [CHECKPOINT]),
        *[(intents.DONE, [CHECKPOINT])] * 5,
        (intents.DONE, [COMPLETION]),
        (intents.NO, ["PutItem META#PROFILE"]),  # no reminder, thanks: a quiet week
    ]
    assert all(c.attempts == 1 and not c.failed for c in household.faults.calls)


def test_an_interrupted_evening_and_the_launches_after_it_make_these_calls(household):
    whole_night(household, 0)
    mark = household.handler.mark()
    interrupted_then_resumed(household, 1)
    assert _calls(household.exchanges[mark:]) == [
        ("LaunchRequest", ["Query META#*"]),
        (intents.YES, ["PutItem META#PROFILE"]),  # the week's check, offered
        (intents.YES, []),
        *[(intents.NO, [])] * 4,
        (intents.NO, ["PutItem META#CHECK#", CHECKPOINT]),
        (intents.DONE, [CHECKPOINT]),
        ("SessionEndedRequest", [CHECKPOINT]),
        ("LaunchRequest", ["Query META#*"]),
        (intents.YES, []),
        (intents.YES, [CHECKPOINT]),
        *[(intents.DONE, [CHECKPOINT])] * 4,
        (intents.DONE, []),  # one small thing?
        (intents.NO, [COMPLETION]),
    ]
    mark = household.handler.mark()
    interrupted(household, 2)
    household.evening(3)
    household.talk.launch()  # finds night 2's checkpoint, older than 4 h: abandoned
    assert _calls(household.exchanges[-1:]) == [
        ("LaunchRequest", ["Query META#*",
                           "TransactWriteItems Put RITUAL#,Delete META#CHECKPOINT"])]


# --- a fault at each call ------------------------------------------------------------------------

@pytest.mark.parametrize("scenario, point, index, kind", list(_matrix()))
def test_a_fault_at_one_call_loses_and_doubles_nothing(household, scenario, point, index, kind):
    spec = SCENARIOS[scenario]
    # Given the nights before, played without faults
    spec.before(household)
    # When every attempt of one call of tonight's ritual fails
    household.faults.fail(kind, call=household.faults.mark() + index)
    mark = household.handler.mark()
    spec.night(household, spec.night_index)
    household.note()
    tonight = household.exchanges[mark:]
    hit = [c for e in tonight for c in e.calls if c.faulted]
    # Then that call was attempted exactly as configured and failed after its retries
    attempts = CLIENT_CONFIG.retries["total_max_attempts"]
    assert len(hit) == 1 and hit[0].attempts == attempts and hit[0].failed, (point, hit)
    # and every request still got a spoken, honest answer, and the ritual went on to its close
    assert_every_answer_spoken_and_honest(tonight)
    assert_closed(tonight)
    # And once the store recovers nothing is lost or doubled
    next_morning_settles(household, spec.night_index)
    assert_nothing_lost_or_doubled(household)


@pytest.mark.parametrize("kind", (*FAULT_KINDS, THROTTLE_REQUEST))
def test_a_fault_on_the_first_attempt_of_every_call_is_absorbed_by_retries(household, kind):
    # Given a household with one night behind it
    whole_night(household, 0)
    # When the first attempt of every call of an interrupted, resumed evening fails
    household.faults.fail(kind, attempts=1)
    mark = household.handler.mark()
    interrupted_then_resumed(household, 1)
    household.note()
    tonight = household.exchanges[mark:]
    calls = [c for e in tonight for c in e.calls]
    # Then each call succeeded on its second attempt (or, when the first attempt had in fact
    # been carried out, met the repository's own guard against doing it twice: moto ignores
    # TransactWriteItems' ClientRequestToken), and the couple heard no excuses
    assert calls and all(c.attempts == 2 and c.faulted == 1 for c in calls), calls
    failed = [c for c in calls if c.failed and not (kind == LOST_REPLY and c.error in GUARD_ERRORS)]
    assert not failed, failed
    assert_every_answer_spoken_and_honest(tonight)
    assert_closed(tonight)
    next_morning_settles(household, 1)
    assert_nothing_lost_or_doubled(household)


# --- exactly once through the skill -------------------------------------------------------------

def _to_the_close(talk: Conversation) -> None:
    """Tonight, the week's evening, up to its last question: "one small thing?". The "no" to it
    is the request that records the ritual."""
    play_until(talk, lambda t: stage_of(t) == "offer_small_thing")


def test_alexa_resending_the_final_request_records_the_ritual_once(household):
    # Given one night behind them, and tonight's ritual at its close
    whole_night(household, 0)
    household.evening(1)
    household.talk.launch()
    _to_the_close(household.talk)
    # When the final "no" is sent, and Alexa sends the identical envelope again
    household.talk.intent(intents.NO)
    first = household.exchanges[-1]
    household.handler(copy.deepcopy(household.talk.last_request), None)
    again = household.exchanges[-1]
    household.note()
    # Then both got the closing words, neither an excuse, and the ritual is recorded once
    assert CLOSED in first.speech and CLOSED in again.speech
    assert_every_answer_spoken_and_honest([first, again])
    # the resent close finds the record and only makes sure no checkpoint of it is left
    assert [c.operation for c in again.calls] == ["TransactWriteItems", "DeleteItem"]
    next_morning_settles(household, 1)
    assert_nothing_lost_or_doubled(household)
    assert household.repository.load(household.key, household.talk.now).profile.completed == 2


@truly_at_once
def test_the_same_final_request_twice_at_once_records_the_ritual_once(household):
    whole_night(household, 0)
    household.evening(1)
    household.talk.launch()
    _to_the_close(household.talk)
    household.talk.intent(intents.NO)
    # Alexa's retry and the original both in flight: send the envelope twice, concurrently
    envelope = household.talk.last_request
    _at_once([lambda: household.handler(copy.deepcopy(envelope), None)] * 2)
    household.note()
    assert all(CLOSED in e.speech for e in household.exchanges[-3:])
    assert_every_answer_spoken_and_honest(household.exchanges[-3:])
    next_morning_settles(household, 1)
    assert_nothing_lost_or_doubled(household)
    assert household.repository.load(household.key, household.talk.now).profile.completed == 2


@truly_at_once
def test_two_devices_finishing_at_once_count_both_rituals(household):
    # Given one night behind them, and two devices of the household each opened tonight
    whole_night(household, 0)
    kitchen = household.talk
    bedroom = second_device(household, EVENING + DAY + timedelta(seconds=7))
    household.evening(1)
    kitchen.launch()
    bedroom.launch()  # before the kitchen's first checkpoint, so it starts a ritual of its own
    # When both rituals reach their last turn and both couples finish at the same moment
    _to_the_close(kitchen)
    _to_the_close(bedroom)
    _at_once([lambda: kitchen.intent(intents.NO), lambda: bedroom.intent(intents.NO)])
    household.note()
    # Then both are recorded, each once, and the counts hold both (one write was rebased)
    assert len(household.closed) == 3
    assert_every_answer_spoken_and_honest(household.exchanges)
    next_morning_settles(household, 1)
    assert_nothing_lost_or_doubled(household)
    assert household.repository.load(household.key, household.talk.now).profile.completed == 3


def test_two_devices_starting_in_the_same_second_count_both_rituals(household):
    # Given two devices of one household whose couples say "yes" in the same second
    whole_night(household, 0)
    kitchen = household.talk
    bedroom = second_device(household, EVENING + DAY)
    household.evening(1)
    kitchen.launch()
    bedroom.launch()
    kitchen.intent(intents.YES)
    bedroom.intent(intents.YES)
    # When both finish
    _to_the_close(kitchen)
    _to_the_close(bedroom)
    kitchen.intent(intents.NO)
    bedroom.intent(intents.NO)
    household.note()
    # Then both rituals count
    next_morning_settles(household, 1)
    assert household.repository.load(household.key, household.talk.now).profile.completed == 3
    assert len(household.repository.rituals(household.key, household.talk.now)) == 3
    assert_nothing_lost_or_doubled(household)


def test_a_fresh_start_on_a_second_device_does_not_swallow_the_first_devices_ritual(household):
    # Given a ritual under way in the kitchen
    whole_night(household, 0)
    kitchen = household.talk
    household.evening(1)
    kitchen.launch()
    play_until(kitchen, lambda t: turns_done(t) >= 1)
    # When the bedroom device opens the skill and its couple chooses a fresh start
    bedroom = second_device(household, kitchen.clock + timedelta(seconds=30))
    bedroom.launch()
    bedroom.intent(intents.YES)
    assert stage_of(bedroom) == "offer_resume"
    bedroom.intent(intents.START_OVER)
    # and both rituals are then finished
    _to_the_close(kitchen)
    kitchen.intent(intents.NO)
    _to_the_close(bedroom)
    bedroom.intent(intents.NO)
    household.note()
    # Then both count: the kitchen's, under way when the bedroom started afresh, is left alone
    next_morning_settles(household, 1)
    assert len(household.closed) == 3
    assert_nothing_lost_or_doubled(household)


def test_a_ritual_carried_on_from_a_second_device_is_recorded_once_and_nothing_lingers(
        household):
    # Given a ritual under way in the kitchen, which the bedroom device picks up as well once
    # the kitchen's turn has run out (while it runs, the bedroom offers only a fresh start)
    whole_night(household, 0)
    kitchen = household.talk
    household.evening(1)
    kitchen.launch()
    play_until(kitchen, lambda t: turns_done(t) >= 2)
    bedroom = second_device(household, kitchen.clock + timedelta(minutes=4))
    bedroom.launch()
    bedroom.intent(intents.YES)
    assert stage_of(bedroom) == "offer_resume"
    bedroom.intent(intents.YES)
    # When the kitchen finishes it, and then the bedroom finishes it too
    _to_the_close(kitchen)
    kitchen.intent(intents.NO)
    _to_the_close(bedroom)
    bedroom.intent(intents.NO)
    household.note()
    assert household.closed == household.started and len(household.started) == 2
    # Then it is recorded once, and the next evenings start clean
    next_morning_settles(household, 1)
    assert_nothing_lost_or_doubled(household)
    assert RECOVERED not in household.exchanges[-1].speech


def test_the_store_lets_a_completion_replace_an_abandoned_record_once(household):
    # The repository rule behind the fresh-start test, without the skill
    from checkin.ritual.history import ABANDONED, RitualRecord
    from checkin.ritual.profile import Profile

    repository, key = household.repository, household.key
    turns = tuple(TurnRecord(i % 2, i // 2, 60) for i in range(6))
    start = int(EVENING.timestamp())
    abandoned = RitualRecord(f"r{start}", start, start + 400, ABANDONED, turns=turns[:2])
    completed = RitualRecord(f"r{start}", start, start + 800, COMPLETED, turns=turns)
    profile = repository.save_profile(key, Profile(names=("Sam", "Alex"), named=True))
    assert repository.record_ritual(key, abandoned, None) is True
    counted = profile.after_completion(completed, EVENING.date())
    assert repository.record_ritual(key, completed, counted) is True
    # Retries of either change nothing: a completion is final
    assert repository.record_ritual(key, completed, counted) is False
    assert repository.record_ritual(key, abandoned, None) is False
    assert repository.rituals(key, start + 900) == [completed]
    assert repository.load(key, start + 900).profile.completed == 1


def _at_once(actions: list[Callable[[], object]]) -> None:
    barrier = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def run(action):
        barrier.wait()
        try:
            action()
        except BaseException as error:  # re-raised below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors


# --- the latency budget: counted, not timed -------------------------------------------------------

def _lambda_timeout() -> float:
    function = next(r for r in load_template()["Resources"].values()
                    if r.get("Type") == "AWS::Serverless::Function")
    return float(function["Properties"]["Timeout"])


def test_throttling_on_every_call_takes_exactly_the_configured_attempts(household, monkeypatch):
    worst_jitter(monkeypatch)
    config = household.client.meta.config
    attempts = config.retries["total_max_attempts"]
    assert config.retries["mode"] == "standard" and attempts >= 2  # at least one retry
    assert attempts == CLIENT_CONFIG.retries["total_max_attempts"]
    # When DynamoDB throttles every call of a first night
    household.faults.fail_every_call(THROTTLE_REQUEST)
    whole_night(household, 0)
    calls = household.faults.calls
    # Then each call was tried exactly the configured number of times, then given up on
    assert calls and all(c.attempts == attempts and c.failed for c in calls), calls
    # with botocore's throttling backoff between the two attempts: at most 1 s
    assert household.sleeps.delays == [1.0] * len(calls)
    # and the ritual still went on, every answer spoken and honest, one call per request at most
    assert_every_answer_spoken_and_honest(household.exchanges)
    assert_closed(household.exchanges)
    assert max(len(e.calls) for e in household.exchanges) == 1
    # The throttled part alone (backoff, answers being prompt) fits in the Lambda timeout,
    # with the Settings API's own timeout on top for a launch.
    assert sum(household.sleeps.delays[:1]) + ALEXA_API_TIMEOUT_SECONDS < _lambda_timeout()


def test_the_client_configuration_bounds_one_failing_call_inside_the_lambda_timeout(
        household, monkeypatch):
    worst_jitter(monkeypatch)
    config = household.client.meta.config
    attempts = config.retries["total_max_attempts"]
    # botocore's own worst backoff for a throttled call, and for a timed-out one
    household.faults.fail_every_call(THROTTLE_REQUEST)
    with pytest.raises(StoreError):
        household.repository.load(household.key, household.talk.now)
    throttling_backoff = sum(household.sleeps.delays)
    household.faults.heal()
    household.faults.fail_every_call("timeout")
    household.sleeps.delays.clear()
    with pytest.raises(StoreError):
        household.repository.load(household.key, household.talk.now)
    timeout_backoff = sum(household.sleeps.delays)
    waiting = attempts * (config.connect_timeout + config.read_timeout)
    worst = {"throttling": waiting + throttling_backoff, "timeouts": waiting + timeout_backoff}
    assert throttling_backoff == 1.0 and timeout_backoff < 0.1
    # A request makes at most one failing call (see the test above); a launch also asks the
    # Settings API for the time zone.
    assert max(worst.values()) + ALEXA_API_TIMEOUT_SECONDS <= _lambda_timeout(), worst


# Per request, on a virtual clock: every faulted attempt costs the most the configuration lets
# it last (connect_timeout + read_timeout), every backoff its maximum (jitter 1), and a launch
# whose Query succeeded is charged the Settings API's whole timeout on top (the tests' API
# endpoint refuses at once). The skill's own store budget runs on the same virtual clock.

def _virtual_budget(household: Household, monkeypatch) -> None:
    worst_jitter(monkeypatch)
    household.faults.charge_worst_case(household.sleeps)
    # The same skill, with the virtual clock as the one its Services carry
    wire(monkeypatch, household.repository, clock=Clock(monotonic=household.sleeps.virtual))


def _worst_seconds(exchange: Exchange) -> float:
    asked_api = exchange.request == "LaunchRequest" and bool(exchange.calls) \
        and exchange.calls[0].operation == "Query" and not exchange.calls[0].failed
    return exchange.seconds + (ALEXA_API_TIMEOUT_SECONDS if asked_api else 0.0)


def _slowest(exchanges: list[Exchange]) -> tuple[float, str]:
    worst = max(exchanges, key=_worst_seconds)
    return _worst_seconds(worst), f"{worst.request} at {worst.stage_before}"


@pytest.mark.parametrize("kind", ["timeout", "throttle", "5xx"])
def test_with_every_call_failing_as_slowly_as_allowed_no_request_outlasts_the_lambda(
        household, monkeypatch, kind):
    _virtual_budget(household, monkeypatch)
    household.faults.fail_every_call(kind)
    whole_night(household, 0)
    assert_every_answer_spoken_and_honest(household.exchanges)
    seconds, where = _slowest(household.exchanges)
    assert seconds <= _lambda_timeout(), (seconds, where)


def test_a_launch_with_two_rituals_to_record_stops_writing_once_over_budget(
        household, monkeypatch):
    # Given two rituals left unfinished this afternoon, one on each of two devices
    whole_night(household, 0)
    interrupted(household, 1, AFTERNOON)
    other = second_device(household, EVENING + DAY + AFTERNOON + timedelta(minutes=30))
    other.launch()
    play_until(other, lambda t: turns_done(t) >= 1)
    other.end_session("EXCEEDED_MAX_REPROMPTS")
    household.note()
    # When tonight's launch can read but every write fails as slowly as allowed
    _virtual_budget(household, monkeypatch)
    household.faults.fail("timeout", operations={"TransactWriteItems", "PutItem"})
    mark = household.handler.mark()
    household.evening(1, timedelta(hours=1))
    household.talk.launch()
    launch = household.exchanges[mark]
    # Then it gave up after the first failed write, and still answered in time
    assert [c.operation for c in launch.calls] == ["Query", "TransactWriteItems"], launch.calls
    assert _worst_seconds(launch) <= _lambda_timeout(), _worst_seconds(launch)
    assert_every_answer_spoken_and_honest([launch])
    # And the rituals it could not record are recorded once the store recovers
    household.faults.heal()
    household.talk.end_session("EXCEEDED_MAX_REPROMPTS")
    next_morning_settles(household, 1)
    assert_nothing_lost_or_doubled(household)


def test_a_slow_read_then_a_failing_write_still_answers_inside_the_lambda_timeout(
        household, monkeypatch):
    # Given a ritual left unfinished this afternoon
    whole_night(household, 0)
    interrupted(household, 1, AFTERNOON)
    # When tonight's Query times out once and then succeeds as late as allowed, and the write
    # that records this afternoon's ritual fails as slowly as allowed
    _virtual_budget(household, monkeypatch)
    load = household.faults.mark()
    household.faults.fail("timeout", call=load, attempts=1)
    household.faults.fail("slow", call=load)
    household.faults.fail("timeout", operations={"TransactWriteItems", "PutItem"})
    mark = household.handler.mark()
    household.evening(1, timedelta(hours=1))
    household.talk.launch()
    launch = household.exchanges[mark]
    # Then the slow read used up the request's call window: the write is not even tried,
    # the couple hears that tonight could not be saved, and the answer comes in time
    assert [c.operation for c in launch.calls] == ["Query"], launch.calls
    assert not launch.calls[0].failed
    assert NOT_SAVED in launch.speech
    assert _worst_seconds(launch) <= _lambda_timeout(), _worst_seconds(launch)
    # And once the store is well, this afternoon's ritual is recorded after all
    household.note()
    household.faults.heal()
    household.talk.end_session("EXCEEDED_MAX_REPROMPTS")
    next_morning_settles(household, 1)
    assert_nothing_lost_or_doubled(household)
