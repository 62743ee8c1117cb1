"""What one household does under load: a whole first evening, in one of a few ways.

* `first_evening`: launch, both names, "yes", six turns, the close.
* `two_devices`: two Echos of one new household open the skill together, play a ritual each,
  and say the last "I'm done" at the same moment (both must count).
* `interrupted`: two turns, then nobody answers and Alexa ends the session; twenty minutes later
  they open it again, accept to pick up where they were, and finish.
* `retried_faults`: a first evening whose every DynamoDB call is throttled once (the client's
  retry absorbs it: nothing may be heard of it).
* `failed_checkpoint`: a turn's checkpoint cannot be saved (throttled on every attempt): the
  couple is told, and the ritual goes on to be recorded complete.
* `failed_completion`: the final write fails (500 on every attempt): the couple hears the close
  and that it was not saved; the next morning's launch records it.

A household that was told a check-in could not be saved, injected or not, opens the skill once
more the next morning, as the skill asks it to, so that what was not saved gets recorded: only
a check-in missing after that is lost. (A failure nobody injected still counts as an error.)

Faults are injected only when the handler runs in this process (`--via lambda`); over HTTP the
last three play as plain first evenings. Every household remembers the rituals it saw begin and
the ones it heard closed ("Thank you both..."), for the check against the table afterwards.

Pacing. A couple's requests are a minute or so apart; here each household waits `pause`
seconds (drawn between half and one and a half times it) of real time before each request,
while its simulated clock moves on as in life. So N households offer about N / pause requests
a second: a thousand households at a pause of 5 s are as busy as 240 at 1.2 s. Without any
pause, every household would be a request permanently in flight, which no real evening is.
"""
from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from checkin.alexa import intents
from checkin.alexa.session_state import saved_state
from devtools.envelopes import Conversation
from loadtest.faults import EVERY_ATTEMPT, SERVER_ERROR, THROTTLE, Fault, HouseholdFaults

EVENING = datetime(2026, 11, 26, 21, 0, tzinfo=UTC)  # a fixed evening: the table's TTL is off
TALK_SECONDS = 60
MAX_REQUESTS = 60
# Words of the skill, found in its SSML (no apostrophes: those may be escaped).
CLOSED = "showing up for each other"  # close.thanks
NOT_SAVED = "save this check-in"  # store.failed
UNREACHABLE = "reach your history"  # store.unreachable

SCENARIOS = ("first_evening", "two_devices", "interrupted", "retried_faults",
             "failed_checkpoint", "failed_completion")
FAULTED = ("retried_faults", "failed_checkpoint", "failed_completion")
EXPECTED_COMPLETIONS = {"two_devices": 2}  # one for every other scenario

Handler = Callable[[dict, Any], dict]


def scenario_for(index: int) -> str:
    """The mix: of every 20 households, 11 plain, 3 on two devices, 3 interrupted, 3 faulted."""
    slot = index % 20
    if slot < 11:
        return "first_evening"
    if slot < 14:
        return "two_devices"
    if slot < 17:
        return "interrupted"
    return FAULTED[slot - 17]


@dataclass
class Household:
    index: int
    scenario: str
    run_id: str
    faults: HouseholdFaults | None  # None: faults cannot be injected (over HTTP)
    pause: float = 0.0  # mean real seconds between a household's requests
    started: set[str] = field(default_factory=set)  # ritual ids seen under way
    closed: set[str] = field(default_factory=set)  # ritual ids heard closed
    # (request, ms, when it began on the monotonic clock, whether a store fault was planned)
    latencies: list[tuple[str, float, float, bool]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes_heard: int = 0  # "couldn't save" / "can't reach" where a fault was planned
    told: bool = False  # a store failure was told, injected or not
    last_now: int = 0  # the household's simulated clock at its last request
    _expect_note: bool = False
    _fault_planned: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def user_id(self) -> str:
        return f"amzn1.ask.account.LOAD{self.run_id}{self.index:05d}"

    @property
    def expected_completions(self) -> int:
        return EXPECTED_COMPLETIONS.get(self.scenario, 1)

    def play(self, handler: Handler, model: dict, api_endpoint: str) -> None:
        """Play the household's evening; any failure is recorded, never raised."""
        timed = self._timed(handler)
        start = EVENING + timedelta(seconds=self.index)
        talk = Conversation(timed, user_id=self.user_id, device_id=self._device(1), start=start,
                            model=model, api_endpoint=api_endpoint)
        try:
            getattr(self, self.scenario)(talk, timed, model, api_endpoint)
            if self.told and self.scenario != "failed_completion":
                next_morning(talk)
        except Exception as error:  # an invalid answer, a stuck ritual, an HTTP error
            self.errors.append(f"{self.scenario}: {type(error).__name__}: {str(error)[:200]}")
        finally:
            self._plan(None)

    def result(self) -> dict:
        return {"index": self.index, "scenario": self.scenario, "user_id": self.user_id,
                "started": sorted(self.started), "closed": sorted(self.closed),
                "expected_completions": self.expected_completions, "errors": self.errors,
                "notes_heard": self.notes_heard, "last_now": self.last_now,
                "latencies": self.latencies}

    # --- the scenarios --------------------------------------------------------------------------

    def first_evening(self, talk: Conversation, *_: Any) -> None:
        talk.launch()
        play_to_close(talk)

    def retried_faults(self, talk: Conversation, *_: Any) -> None:
        self._plan(Fault(THROTTLE, attempts=1))  # each call's first attempt, all evening
        self.first_evening(talk)

    def interrupted(self, talk: Conversation, *_: Any) -> None:
        talk.launch()
        play_until(talk, lambda t: turns_done(t) >= 2 and stage_of(t) == "turn")
        talk.advance(30)
        talk.end_session("EXCEEDED_MAX_REPROMPTS")
        talk.advance(20 * 60)
        talk.launch()
        play_to_close(talk)

    def failed_checkpoint(self, talk: Conversation, *_: Any) -> None:
        talk.launch()
        play_until(talk, lambda t: turns_done(t) >= 2 and stage_of(t) == "turn")
        talk.advance(TALK_SECONDS)
        with self._faulted(Fault(THROTTLE, "PutItem", EVERY_ATTEMPT)):
            talk.intent(intents.DONE)
        play_to_close(talk)

    def failed_completion(self, talk: Conversation, *_: Any) -> None:
        talk.launch()
        play_until(talk, lambda t: turns_done(t) >= 5 and stage_of(t) == "turn")
        talk.advance(TALK_SECONDS)
        with self._faulted(Fault(SERVER_ERROR, "TransactWriteItems", EVERY_ATTEMPT)):
            talk.intent(intents.DONE)
        play_to_close(talk)
        next_morning(talk)  # the store well again: the launch records what was not saved

    def two_devices(self, kitchen: Conversation, timed: Handler, model: dict,
                    api_endpoint: str) -> None:
        bedroom = Conversation(timed, user_id=self.user_id, device_id=self._device(2),
                               start=kitchen.clock + timedelta(seconds=7), model=model,
                               api_endpoint=api_endpoint)
        together = threading.Barrier(2, timeout=120)
        failures: list[BaseException] = []

        def evening(talk: Conversation) -> None:
            try:
                talk.launch()
                together.wait()  # both opened before either begins: two rituals, not one
                play_until(talk, lambda t: turns_done(t) >= 5 and stage_of(t) == "turn")
                talk.advance(TALK_SECONDS)
                together.wait()  # and both say the last "I'm done" at the same moment
                talk.intent(intents.DONE)
                play_to_close(talk)
            except BaseException as error:
                together.abort()
                failures.append(error)

        other = threading.Thread(target=evening, args=(bedroom,))
        other.start()
        evening(kitchen)
        other.join()
        if failures:
            raise failures[0]

    # --- helpers ----------------------------------------------------------------------------------

    def _device(self, number: int) -> str:
        return f"amzn1.ask.device.LOAD{self.run_id}{self.index:05d}D{number}"

    def _plan(self, fault: Fault | None) -> None:
        if self.faults is not None:
            self.faults.plan(fault)
            self._fault_planned = fault is not None

    @contextlib.contextmanager
    def _faulted(self, fault: Fault) -> Iterator[None]:
        """The requests inside fail as planned, and the couple must be told (when injected)."""
        if self.faults is None:
            yield
            return
        self._plan(fault)
        self._expect_note = True
        try:
            yield
        finally:
            self._plan(None)
            self._expect_note = False

    def _timed(self, handler: Handler) -> Handler:
        pacing = random.Random(self.index)

        def timed(event: dict, context: Any) -> dict:
            if self.pause:
                time.sleep(pacing.uniform(0.5, 1.5) * self.pause)
            request = event.get("request") or {}
            label = (request.get("intent") or {}).get("name") or request.get("type", "?")
            before = saved_state((event.get("session") or {}).get("attributes"))
            began_at, began = time.monotonic(), time.perf_counter()
            response = handler(event, context)
            elapsed = (time.perf_counter() - began) * 1000
            self._note((label, round(elapsed, 3), began_at, self._fault_planned), before,
                       request, response)
            return response
        return timed

    def _note(self, timing: tuple[str, float, float, bool], before: dict, request: dict,
              response: dict) -> None:
        label = timing[0]
        ssml = ((response.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")
        after = saved_state(response.get("sessionAttributes"))
        ritual_before = (before.get("ritual") or before.get("pending") or {}).get("ritual_id")
        with self._lock:
            self.latencies.append(timing)
            self.last_now = max(self.last_now, _epoch(request.get("timestamp", "")))
            for state in (before, after):
                for key in ("ritual", "pending"):
                    ritual_id = (state.get(key) or {}).get("ritual_id")
                    if ritual_id:
                        self.started.add(ritual_id)
            if CLOSED in ssml and ritual_before:
                self.closed.add(ritual_before)
            told = NOT_SAVED in ssml or UNREACHABLE in ssml
            self.told = self.told or told
            if told and self._expect_note:
                self.notes_heard += 1
            elif told:
                self.errors.append(f"{self.scenario}: a store failure was heard at {label} "
                                   "where no fault was injected")
            elif self._expect_note:
                self.errors.append(f"{self.scenario}: an injected store fault at {label} "
                                   "was not told")


def next_morning(talk: Conversation) -> None:
    """Twelve hours later, they open the skill (which records what is left) and stop."""
    if talk.session_open:
        talk.end_session("USER_INITIATED")
    talk.clock = talk.clock + timedelta(hours=12)
    talk.launch()
    talk.intent(intents.STOP)


def _epoch(timestamp: str) -> int:
    try:
        return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return 0


# --- a willing couple ----------------------------------------------------------------------------

def stage_of(talk: Conversation) -> str:
    return str(saved_state(talk.attributes).get("stage", ""))


def turns_done(talk: Conversation) -> int:
    ritual = saved_state(talk.attributes).get("ritual") or {}
    return len(ritual.get("turns") or [])


def answer(talk: Conversation) -> None:
    """What a willing couple says at the stage the skill is at."""
    stage = stage_of(talk)
    if stage == "ask_first_name":
        talk.intent(intents.NAME, name="Sam")
    elif stage == "ask_second_name":
        talk.intent(intents.NAME, name="Alex")
    elif stage in ("consent", "offer_resume", "handover", "ask_when"):
        talk.intent(intents.YES)
    elif stage == "paused":
        talk.intent(intents.RESUME)
    elif stage == "turn":
        talk.advance(TALK_SECONDS)
        talk.intent(intents.DONE)
    else:  # an offer the couple declines (extra time, a reminder...)
        talk.intent(intents.NO)


class RitualStuck(RuntimeError):
    pass


def play_until(talk: Conversation, done: Callable[[Conversation], bool]) -> None:
    for _ in range(MAX_REQUESTS):
        if not talk.session_open or done(talk):
            return
        answer(talk)
    raise RitualStuck(f"still at {stage_of(talk)!r} after {MAX_REQUESTS} requests")


def play_to_close(talk: Conversation) -> None:
    play_until(talk, lambda _: False)
