"""An in-memory stand-in for checkin.store.repository.HouseholdRepository, for timing warm work.

It keeps the repository's public methods and their semantics (optimistic profile versions,
recording a ritual once, clearing the checkpoint on completion) but does no I/O at all, so a
benchmark over it measures the skill's own work per request. It is a benchmark double, not a
test fake: the persistence tests run against moto and DynamoDB Local instead.
"""
from __future__ import annotations

from dataclasses import replace

from checkin.ritual.awareness import RECENT_CHECKS, CheckRecord
from checkin.ritual.history import RitualRecord
from checkin.ritual.profile import Profile
from checkin.ritual.state import Checkpoint
from checkin.store.repository import ConflictError, Snapshot


class MemoryHouseholdRepository:
    def __init__(self) -> None:
        self._profiles: dict[str, Profile] = {}
        # Per household, per ritual id: (checkpoint as stored, expires_at), in the order written.
        self._checkpoints: dict[str, dict[str, tuple[dict, int]]] = {}
        self._rituals: dict[str, dict[str, RitualRecord]] = {}
        self._checks: dict[str, dict[str, CheckRecord]] = {}  # per household, by local date
        self.calls: list[str] = []  # method names, in order: what a request asked of the store

    def load(self, household: str, now: int) -> Snapshot:
        self.calls.append("load")
        kept = self._checkpoints.get(household, {}).values()
        # Read back from plain data, as the real store does.
        live = (Checkpoint.from_dict(data) for data, expires in kept if expires > now)
        checks = tuple(self.checks(household, now)[-RECENT_CHECKS:])
        return Snapshot(profile=self._profiles.get(household),
                        checkpoints=tuple(c for c in live if c is not None), checks=checks)

    def record_check(self, household: str, check: CheckRecord) -> None:
        self.calls.append("record_check")
        self._checks.setdefault(household, {})[check.on] = check

    def checks(self, household: str, now: int) -> list[CheckRecord]:
        return sorted(self._checks.get(household, {}).values(), key=lambda c: c.at)

    def rituals(self, household: str, now: int) -> list[RitualRecord]:
        self.calls.append("rituals")
        records = self._rituals.get(household, {})
        return sorted(records.values(), key=lambda r: (r.started_at, r.ritual_id))

    def save_profile(self, household: str, profile: Profile) -> Profile:
        self.calls.append("save_profile")
        self._check_version(household, profile)
        saved = replace(profile, version=profile.version + 1)
        self._profiles[household] = saved
        return saved

    def save_checkpoint(self, household: str, checkpoint: Checkpoint, written_at: int,
                        expires_at: int) -> None:
        self.calls.append("save_checkpoint")
        rituals = self._checkpoints.setdefault(household, {})
        ritual_id = checkpoint.ritual.ritual_id
        rituals.pop(ritual_id, None)  # re-insert, so the dict keeps the order written
        rituals[ritual_id] = (checkpoint.to_dict(), int(expires_at))

    def clear_checkpoint(self, household: str, ritual_id: str = "") -> None:
        self.calls.append("clear_checkpoint")
        self._checkpoints.get(household, {}).pop(ritual_id, None)

    def record_ritual(self, household: str, record: RitualRecord,
                      profile: Profile | None) -> bool:
        self.calls.append("record_ritual")
        records = self._rituals.setdefault(household, {})
        if record.ritual_id in records:
            return False
        if profile is not None:
            self._check_version(household, profile)
            self._profiles[household] = replace(profile, version=profile.version + 1)
        records[record.ritual_id] = record
        self._checkpoints.get(household, {}).pop(record.ritual_id, None)
        return True

    def delete_household(self, household: str) -> int:
        self.calls.append("delete_household")
        deleted = (int(household in self._profiles) + len(self._checkpoints.get(household, {}))
                   + len(self._rituals.get(household, {})) + len(self._checks.get(household, {})))
        self._profiles.pop(household, None)
        self._checks.pop(household, None)
        self._checkpoints.pop(household, None)
        self._rituals.pop(household, None)
        return deleted

    def _check_version(self, household: str, profile: Profile) -> None:
        stored = self._profiles.get(household)
        stored_version = stored.version if stored else 0
        if profile.version != stored_version:
            raise ConflictError("profile changed since it was read",
                                "ConditionalCheckFailedException")
