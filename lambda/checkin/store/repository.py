"""A household's profile, in-progress checkpoint and ritual records in one DynamoDB table.

Layout (pk is the hashed household key, see keys.py):
  META#PROFILE                      data = Profile.to_dict() minus version; version (N)
  META#CHECKPOINT#<ritual id>       data = Checkpoint.to_dict(); written_at, expires_at (N, TTL)
  META#CHECK#<local date>           data = CheckRecord.to_dict() (numbers and a date, one a day);
                                    expires_at (N, TTL), kept as long as ritual records
  RITUAL#<started_at, 12 digits>#<id> data = RitualRecord.to_dict(); expires_at (N, TTL)
Everything a session needs sits under META#, so `load` is one Query that never reads rituals.
Each ritual has its own checkpoint, so a ritual begun while the store could not be read never
overwrites the checkpoint of another that still has to be recorded.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from checkin.logs import log
from checkin.records import record, replace
from checkin.ritual.awareness import RECENT_CHECKS, CheckRecord
from checkin.ritual.history import COMPLETED, RitualRecord
from checkin.ritual.profile import Profile
from checkin.ritual.state import Checkpoint
from checkin.store.codec import decode_item, encode, encode_item

PROFILE_SK = "META#PROFILE"
CHECKPOINT_PREFIX = "META#CHECKPOINT#"
CHECK_PREFIX = "META#CHECK#"  # not a prefix of CHECKPOINT_PREFIX's keys: "#" ends it
META_PREFIX = "META#"
RITUAL_PREFIX = "RITUAL#"
TTL_ATTRIBUTE = "expires_at"  # must match TimeToLiveSpecification in template.yaml
DAY_SECONDS = 86_400
BATCH_SIZE = 25  # BatchWriteItem's limit
_UNPROCESSED_RETRIES = 5


class StoreError(Exception):
    """Any failure of the store. `code` is DynamoDB's error code or botocore's error name;
    `status` the HTTP status of DynamoDB's answer (0 when none came)."""

    def __init__(self, message: str, code: str = "", status: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class ConflictError(StoreError):
    """The stored profile changed since it was read: reload, reapply, and try again."""


@record
class Snapshot:
    profile: Profile | None
    checkpoints: tuple[Checkpoint, ...] = ()  # unexpired, oldest first by when written
    checks: tuple[CheckRecord, ...] = ()  # the latest unexpired checks, oldest first

    @property
    def checkpoint(self) -> Checkpoint | None:
        """The most recent checkpoint, if any."""
        return self.checkpoints[-1] if self.checkpoints else None


def checkpoint_sort_key(checkpoint: Checkpoint) -> str:
    return CHECKPOINT_PREFIX + checkpoint.ritual.ritual_id


def ritual_sort_key(record: RitualRecord) -> str:
    # Zero-padded so that the sort key orders rituals by start time.
    return f"{RITUAL_PREFIX}{record.started_at:012d}#{record.ritual_id}"


class HouseholdRepository:
    """Every read that judges expiry takes `now`: the request's own timestamp, in epoch
    seconds, the same clock the ritual runs on. The store never reads the process clock."""

    def __init__(self, client: Any, table_name: str, retention_days: int = 730) -> None:
        self._client = client
        self._table = table_name
        self._retention_seconds = int(retention_days) * DAY_SECONDS

    # --- reads -------------------------------------------------------------------------

    def load(self, household: str, now: int) -> Snapshot:
        """Profile and the checkpoints unexpired at `now`, in exactly one strongly consistent
        Query."""
        with _store_call("load"):
            response = self._client.query(
                TableName=self._table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues={":pk": encode(household),
                                           ":prefix": encode(META_PREFIX)},
                ConsistentRead=True,
            )
        profile = None
        checkpoints: list[tuple[int, Checkpoint]] = []
        checks: list[CheckRecord] = []
        with _decoding("load"):
            for raw in response.get("Items", []):
                item = decode_item(raw)
                if item["sk"] == PROFILE_SK:
                    profile = Profile.from_dict({**item["data"], "version": item["version"]})
                elif item["sk"].startswith(CHECKPOINT_PREFIX) and not _expired(item, now):
                    # DynamoDB deletes expired items only eventually; never resume a stale one.
                    checkpoint = Checkpoint.from_dict(item["data"])
                    if checkpoint is None:
                        # Not worth failing a launch over: the ritual is lost, the rest is not.
                        log("store.checkpoint_unreadable", logging.WARNING)
                    else:
                        checkpoints.append((int(item.get("written_at", 0)), checkpoint))
                elif item["sk"].startswith(CHECK_PREFIX) and not _expired(item, now):
                    checks.append(CheckRecord.from_dict(item["data"]))
        checkpoints.sort(key=lambda written: written[0])
        checks.sort(key=lambda check: check.at)
        return Snapshot(profile=profile, checkpoints=tuple(data for _, data in checkpoints),
                        checks=tuple(checks[-RECENT_CHECKS:]))

    def rituals(self, household: str, now: int) -> list[RitualRecord]:
        """Every ritual record unexpired at `now`, oldest first."""
        records = []
        with _decoding("rituals"):
            for raw in self._query_all("rituals", household, RITUAL_PREFIX):
                item = decode_item(raw)
                if not _expired(item, now):
                    records.append(RitualRecord.from_dict(item["data"]))
        return records

    # --- writes ------------------------------------------------------------------------

    def save_profile(self, household: str, profile: Profile) -> Profile:
        """Write `profile` if the stored version is still profile.version; return it bumped."""
        with _store_call("save_profile"):
            try:
                self._client.put_item(**self._profile_put(household, profile))
            except ClientError as error:
                if _error_code(error) == "ConditionalCheckFailedException":
                    raise ConflictError("profile changed since it was read",
                                        "ConditionalCheckFailedException") from error
                raise
        return replace(profile, version=profile.version + 1)

    def save_checkpoint(self, household: str, checkpoint: Checkpoint, written_at: int,
                        expires_at: int) -> None:
        """Keep `checkpoint` until its ritual is recorded or it expires.

        `written_at` is the request's time; it orders a household's checkpoints."""
        item = {"pk": household, "sk": checkpoint_sort_key(checkpoint),
                "data": checkpoint.to_dict(),
                "written_at": int(written_at), TTL_ATTRIBUTE: int(expires_at)}
        with _store_call("save_checkpoint"):
            self._client.put_item(TableName=self._table, Item=encode_item(item))

    def record_check(self, household: str, check: CheckRecord) -> None:
        """Keep what a check of the five signs found, under the same retention as ritual
        records; a second check on the same local day replaces the first."""
        item = {"pk": household, "sk": CHECK_PREFIX + check.on, "data": check.to_dict(),
                TTL_ATTRIBUTE: check.at + self._retention_seconds}
        with _store_call("record_check"):
            self._client.put_item(TableName=self._table, Item=encode_item(item))

    def checks(self, household: str, now: int) -> list[CheckRecord]:
        """Every check unexpired at `now`, oldest first."""
        found = []
        with _decoding("checks"):
            for raw in self._query_all("checks", household, CHECK_PREFIX):
                item = decode_item(raw)
                if not _expired(item, now):
                    found.append(CheckRecord.from_dict(item["data"]))
        return sorted(found, key=lambda check: check.at)

    def clear_checkpoint(self, household: str, ritual_id: str = "") -> None:
        with _store_call("clear_checkpoint"):
            self._client.delete_item(TableName=self._table,
                                     Key=self._key(household, CHECKPOINT_PREFIX + ritual_id))

    def record_ritual(self, household: str, record: RitualRecord,
                      profile: Profile | None) -> bool:
        """Record `record`, save `profile` and drop the checkpoint, all or nothing.

        Returns False (and changes nothing) if this ritual was already recorded, unless the
        earlier record is not a completion and this one is: then it is replaced. Raises
        ConflictError if the profile changed meanwhile: reload, reapply, and call again.
        """
        # botocore adds a ClientRequestToken, so its own retries of this call are idempotent too.
        already = False
        with _store_call("record_ritual"):
            try:
                self._client.transact_write_items(
                    TransactItems=self._completion_actions(household, record, profile))
            except ClientError as error:
                if _error_code(error) != "TransactionCanceledException":
                    raise
                reasons = _cancellation_codes(error)
                if reasons[:1] == ["ConditionalCheckFailed"]:
                    already = True
                elif {"ConditionalCheckFailed", "TransactionConflict"} & set(reasons):
                    raise ConflictError("profile changed since it was read",
                                        "TransactionCanceledException") from error
                else:
                    raise
        if already:
            # Recorded before (a resent request, or another device that carried the same
            # ritual on): this ritual's checkpoint must not linger to be "recovered" again.
            self.clear_checkpoint(household, record.ritual_id)
        return not already

    def delete_household(self, household: str) -> int:
        """Delete every item of the household; returns how many were deleted."""
        deleted = 0
        batch: list[dict[str, Any]] = []
        for raw in self._query_all("delete_household", household, "", keys_only=True):
            batch.append({"DeleteRequest": {"Key": {"pk": raw["pk"], "sk": raw["sk"]}}})
            if len(batch) == BATCH_SIZE:
                deleted += self._batch_delete(batch)
                batch = []
        if batch:
            deleted += self._batch_delete(batch)
        return deleted

    # --- helpers -----------------------------------------------------------------------

    def _key(self, household: str, sort_key: str) -> dict[str, Any]:
        return {"pk": encode(household), "sk": encode(sort_key)}

    def _completion_actions(self, household: str, record: RitualRecord,
                            profile: Profile | None) -> list[dict[str, Any]]:
        ritual_item = {"pk": household, "sk": ritual_sort_key(record), "data": record.to_dict(),
                       TTL_ATTRIBUTE: record.ended_at + self._retention_seconds}
        put: dict[str, Any] = {
            "TableName": self._table,
            "Item": encode_item(ritual_item),
            "ConditionExpression": "attribute_not_exists(pk)",  # first action: see reasons[:1]
        }
        if record.outcome == COMPLETED:
            # A ritual recorded as stopped or abandoned (say, by another device's fresh start)
            # and then finished after all is counted; only a completed record is final.
            put["ConditionExpression"] += " OR #data.#outcome <> :completed"
            put["ExpressionAttributeNames"] = {"#data": "data", "#outcome": "outcome"}
            put["ExpressionAttributeValues"] = {":completed": encode(COMPLETED)}
        actions: list[dict[str, Any]] = [{"Put": put}]
        if profile is not None:
            actions.append({"Put": self._profile_put(household, profile)})
        actions.append({"Delete": {"TableName": self._table,
                                   "Key": self._key(household,
                                                    CHECKPOINT_PREFIX + record.ritual_id)}})
        return actions

    def _profile_put(self, household: str, profile: Profile) -> dict[str, Any]:
        data = profile.to_dict()
        data.pop("version", None)
        item = {"pk": household, "sk": PROFILE_SK, "version": profile.version + 1, "data": data}
        put: dict[str, Any] = {"TableName": self._table, "Item": encode_item(item)}
        if profile.version == 0:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            put["ConditionExpression"] = "#version = :expected"
            put["ExpressionAttributeNames"] = {"#version": "version"}
            put["ExpressionAttributeValues"] = {":expected": encode(profile.version)}
        return put

    def _query_all(self, operation: str, household: str, prefix: str,
                   keys_only: bool = False) -> Iterator[dict[str, Any]]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": encode(household)},
        }
        if prefix:
            request["KeyConditionExpression"] += " AND begins_with(sk, :prefix)"
            request["ExpressionAttributeValues"][":prefix"] = encode(prefix)
        if keys_only:
            request["ProjectionExpression"] = "pk, sk"
        while True:
            with _store_call(operation):
                response = self._client.query(**request)
            yield from response.get("Items", [])
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _batch_delete(self, requests: list[dict[str, Any]]) -> int:
        pending = requests
        for attempt in range(_UNPROCESSED_RETRIES):
            with _store_call("delete_household"):
                response = self._client.batch_write_item(RequestItems={self._table: pending})
            pending = response.get("UnprocessedItems", {}).get(self._table, [])
            if not pending:
                return len(requests)
            # A pause, not a reading of the time: DynamoDB asks callers to back off here.
            time.sleep(0.05 * 2**attempt)
        raise StoreError(f"delete_household left {len(pending)} items unprocessed",
                         "UnprocessedItems")


def _expired(item: dict[str, Any], now: int) -> bool:
    expires_at = item.get(TTL_ATTRIBUTE)
    return expires_at is not None and expires_at <= now


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _cancellation_codes(error: ClientError) -> list[str]:
    """Per-action codes of a cancelled transaction, in the order of TransactItems."""
    reasons = error.response.get("CancellationReasons")
    if reasons:
        return [str(reason.get("Code", "None")) for reason in reasons]
    # Some emulators only put them in the message: "... reasons [ConditionalCheckFailed, None]".
    message = str(error.response.get("Error", {}).get("Message", ""))
    match = re.search(r"\[([^\]]*)\]\s*$", message)
    return [code.strip() for code in match.group(1).split(",")] if match else []


@contextmanager
def _store_call(operation: str) -> Iterator[None]:
    """Wrap every botocore failure in StoreError, so callers handle one exception type."""
    try:
        yield
    except StoreError:
        raise
    except ClientError as error:
        code = _error_code(error)
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        raise StoreError(f"{operation} failed: {code}", code, int(status or 0)) from error
    except BotoCoreError as error:
        name = type(error).__name__
        raise StoreError(f"{operation} failed: {name}", name) from error
    except TypeError as error:  # from codec.encode: a value DynamoDB cannot hold, e.g. a float
        raise StoreError(f"{operation} failed: {error}", "UnstorableValue") from error


@contextmanager
def _decoding(operation: str) -> Iterator[None]:
    """A stored item that cannot be read is a store failure too, not a crash."""
    try:
        yield
    except StoreError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise StoreError(f"{operation}: unreadable item ({type(error).__name__})",
                         "UnreadableItem") from error
