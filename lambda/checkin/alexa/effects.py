"""Carries out what the engine asked to be stored, and tells the engine's state what stuck."""
from __future__ import annotations

import logging

from checkin import metrics
from checkin.alexa.timing import CallWindow
from checkin.logs import log
from checkin.records import record, replace
from checkin.ritual.clock import local_day
from checkin.ritual.history import COMPLETED, RitualRecord
from checkin.ritual.profile import ALERTS, SETTINGS, Profile
from checkin.ritual.reply import (
    DeleteHousehold,
    Effect,
    FinishRitual,
    RecordCheck,
    SaveCheckpoint,
    SaveProfile,
)
from checkin.ritual.state import State
from checkin.store.repository import ConflictError, HouseholdRepository, StoreError

CONFLICT_RETRIES = 3


@record
class Outcome:
    state: State
    failed: tuple[Effect, ...] = ()  # what could not be stored; the couple is told

    @property
    def saved(self) -> bool:
        return not self.failed


def apply_effects(repository: HouseholdRepository, household: str, state: State,
                  effects: tuple[Effect, ...], now: int, window: CallWindow) -> Outcome:
    """Store what the engine asked for, at the request's time `now`, while the request's call
    window is open; what comes after it is reported as failed rather than answered too late."""
    failed: list[Effect] = []
    late = 0
    for effect in effects:
        if not window.is_open():
            failed.append(effect)  # the store is slow or down: answer now rather than too late
            late += 1
            continue
        try:
            profile = _apply(repository, household, effect, now)
        except StoreError as error:
            failed.append(effect)
            log("store_failed", logging.WARNING, metrics.store_fault(error.code, error.status),
                effect=type(effect).__name__, error=type(error.__cause__ or error).__name__,
                code=error.code)
            continue
        if profile is not None:  # the profile as now stored: counts, settings and version
            state = replace(state, profile=profile)
    if late:
        log("store_skipped", logging.WARNING, metrics.store_fault(metrics.LATE, faults=late),
            effects=late)
    return Outcome(state, tuple(failed))


def _apply(repository: HouseholdRepository, household: str, effect: Effect,
           now: int) -> Profile | None:
    if isinstance(effect, SaveCheckpoint):
        repository.save_checkpoint(household, effect.checkpoint, now,
                                   effect.expires_at)
        return None
    if isinstance(effect, SaveProfile):
        return _with_retries(repository, household, now, effect.profile,
                             lambda stored: _settings_onto(stored, effect.profile),
                             repository.save_profile, done_when_stored=True)
    if isinstance(effect, FinishRitual):
        return _finish(repository, household, effect, now)
    if isinstance(effect, RecordCheck):
        repository.record_check(household, effect.check)
        return None
    if isinstance(effect, DeleteHousehold):
        log("household_deleted", items=repository.delete_household(household), asked=True)
        return None
    raise TypeError(f"unknown effect {type(effect).__name__}")


def _finish(repository: HouseholdRepository, household: str, effect: FinishRitual,
            now: int) -> Profile | None:
    record, wanted = effect.record, effect.profile
    if wanted is None or record.outcome != COMPLETED:
        _recorded(record, repository.record_ritual(household, record, None))
        return None

    def rebase(stored: Profile) -> Profile:
        # Another device finished first: count this ritual on top of what it stored.
        day = local_day(record.ended_at, stored.time_zone)
        return replace(stored.after_completion(record, day),
                       last_first_partner=wanted.last_first_partner,
                       wording_cursor=max(stored.wording_cursor, wanted.wording_cursor))

    def write(key: str, profile: Profile) -> Profile | None:
        new = repository.record_ritual(key, record, profile)
        _recorded(record, new)
        # Recorded before (Alexa resent the request): nothing was counted now, and the
        # session's profile keeps its old version, so a later write of it is rebased.
        return replace(profile, version=profile.version + 1) if new else None

    return _with_retries(repository, household, now, wanted, rebase, write)


def _recorded(record: RitualRecord, new: bool) -> None:
    # Counted once, when first recorded: a resent request or a second try records nothing new.
    log("ritual_recorded", logging.INFO, metrics.ritual_recorded(record.outcome) if new else None,
        ritual=record.ritual_id, outcome=record.outcome, mode=record.mode, new=new)


def _with_retries(repository, household, now, profile, rebase, write,
                  done_when_stored: bool = False) -> Profile | None:
    for _ in range(CONFLICT_RETRIES):
        try:
            return write(household, profile)
        except ConflictError:
            stored = repository.load(household, now).profile or Profile()
            profile = rebase(stored)
            if done_when_stored and profile == stored:
                # What this write sets is stored already: its first attempt landed and only
                # the reply was lost, so the retry met its own write.
                return stored
    return write(household, profile)


def _settings_onto(stored: Profile, wanted: Profile) -> Profile:
    """What this request changed (names, settings, reminders), on top of what is stored."""
    return stored.taking(wanted, SETTINGS + ALERTS)
