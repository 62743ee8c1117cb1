"""The household repository, on both store backends (ids `moto` and `dynamodb-local`)."""
from __future__ import annotations

import contextlib
import re
import threading
import time
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkin.records import replace
from checkin.ritual.awareness import RECENT_CHECKS, CheckRecord
from checkin.ritual.history import COMPLETED, RitualRecord, TurnRecord
from checkin.ritual.profile import Profile
from checkin.ritual.state import Checkpoint, Ritual
from checkin.store.client import make_dynamodb_client
from checkin.store.codec import decode, encode, encode_item
from checkin.store.keys import household_key
from checkin.store.repository import (
    CHECK_PREFIX,
    CHECKPOINT_PREFIX,
    PROFILE_SK,
    TTL_ATTRIBUTE,
    ConflictError,
    HouseholdRepository,
    Snapshot,
    StoreError,
    checkpoint_sort_key,
    ritual_sort_key,
)
from devtools.dynamodb_local import free_port
from devtools.table import enable_ttl, load_template, table_definition_from_template

REPO_ROOT = Path(__file__).resolve().parents[2]
HOUSEHOLD = household_key("amzn1.ask.account.TEST", "salt")
OTHER_HOUSEHOLD = household_key("amzn1.ask.account.OTHER", "salt")
TODAY = date(2026, 11, 26)
# The request time every call is judged at: fixed, so no test depends on the day it runs.
NOW = 1_795_726_800  # 2026-11-26 21:00 UTC
only_dynamodb_local = pytest.mark.parametrize("store_backend", ["dynamodb-local"], indirect=True)



def checkpoint(turns: int, ritual_id: str = "r1", device: str = "") -> Checkpoint:
    """A checkpoint of a ritual `turns` turns in; each checkpoint is keyed by its ritual id."""
    done = tuple(TurnRecord(partner=i % 2, question=i // 2, seconds=60 + i) for i in range(turns))
    return Checkpoint(Ritual(ritual_id, NOW - 900, first_partner=1, wording_base=2,
                             question_seconds=120, turns=done, owed=(15, 0), timer_id="t-1",
                             device=device))

def ritual(ritual_id: str, ended_ago: int = 60, seconds: int = 100) -> RitualRecord:
    """A completed ritual of six turns that ended `ended_ago` seconds before NOW."""
    ended_at = NOW - ended_ago
    turns = tuple(TurnRecord(partner=i % 2, question=i // 2, seconds=seconds) for i in range(6))
    return RitualRecord(ritual_id, ended_at - 6 * seconds, ended_at, COMPLETED, turns=turns)


def raw_items(client, table: str, household: str) -> dict[str, dict]:
    response = client.query(TableName=table, KeyConditionExpression="pk = :pk",
                            ExpressionAttributeValues={":pk": {"S": household}},
                            ConsistentRead=True)
    return {item["sk"]["S"]: item for item in response["Items"]}


def count_calls(client) -> list[str]:
    """Operation names of every call the client makes from now on (retries not included)."""
    calls: list[str] = []
    client.meta.events.register("before-call.dynamodb",
                                lambda model, **_: calls.append(model.name))
    return calls


# --- codec, keys, client: no backend needed ---------------------------------------------

storable = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@given(storable)
def test_codec_round_trips_every_storable_value(value):
    assert decode(encode(value)) == value


def test_codec_keeps_types_and_writes_exact_numbers():
    assert encode(True) == {"BOOL": True}
    assert decode(encode(1)) == 1 and decode(encode(1)) is not True
    assert encode(2**64) == {"N": "18446744073709551616"}
    assert decode(encode(("a", 1))) == ["a", 1]


@pytest.mark.parametrize("value", [1.5, {"a": [0.1]}, {1: "x"}, object()])
def test_codec_refuses_what_dynamodb_cannot_hold_exactly(value):
    with pytest.raises(TypeError):
        encode(value)


def test_household_key_is_a_salted_hash():
    key = household_key("amzn1.ask.account.ABC", "pepper")
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert key == household_key("amzn1.ask.account.ABC", "pepper")
    assert key != household_key("amzn1.ask.account.ABC", "salt")
    assert "ABC" not in key


def test_client_fits_alexa_time_budget(monkeypatch):
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    client = make_dynamodb_client()
    config = client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (0.5, 1)
    assert config.retries == {"mode": "standard", "total_max_attempts": 2}
    assert client.meta.region_name == "us-east-1"


def test_client_endpoint_argument_beats_environment(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:1")
    assert make_dynamodb_client().meta.endpoint_url == "http://127.0.0.1:1"
    explicit = make_dynamodb_client(endpoint_url="http://127.0.0.1:2")
    assert explicit.meta.endpoint_url == "http://127.0.0.1:2"


def test_unreachable_store_fails_fast_as_store_error():
    repository = HouseholdRepository(
        make_dynamodb_client(endpoint_url=f"http://127.0.0.1:{free_port()}"), "any-table")
    started = time.monotonic()
    with pytest.raises(StoreError) as raised:
        repository.load(HOUSEHOLD, NOW)
    assert raised.value.code == "EndpointConnectionError"
    assert time.monotonic() - started < 5  # inside Alexa's 8 s, retries included


def test_template_table_matches_the_repository():
    definition = table_definition_from_template()
    assert [(k["AttributeName"], k["KeyType"]) for k in definition["KeySchema"]] == [
        ("pk", "HASH"), ("sk", "RANGE")]
    assert definition["TimeToLiveSpecification"] == {"AttributeName": TTL_ATTRIBUTE,
                                                       "Enabled": True}
    assert definition["BillingMode"] == "PAY_PER_REQUEST"


def test_lambda_code_never_imports_boto3():
    # boto3 costs ~150 ms of cold start; lambda/ uses botocore's client only.
    offenders = [str(path.relative_to(REPO_ROOT)) for path in (REPO_ROOT / "lambda").rglob("*.py")
                 if re.search(r"^\s*(import|from)\s+boto3\b", path.read_text(), re.MULTILINE)]
    assert offenders == []


# --- the repository on each backend -------------------------------------------------------

def test_load_of_an_unknown_household_is_empty(repository):
    assert repository.load(HOUSEHOLD, NOW) == Snapshot(profile=None)
    assert repository.rituals(HOUSEHOLD, NOW) == []


def test_profile_round_trip_and_version_conflict(repository):
    # Given a first profile, saved from version 0
    first = Profile(names=("Ana", "Sam"), named=True, turn_seconds=180, time_zone="Europe/Paris")
    saved = repository.save_profile(HOUSEHOLD, first)
    assert saved.version == 1
    assert repository.load(HOUSEHOLD, NOW).profile == saved

    # When it is saved again from version 1, it becomes version 2
    again = repository.save_profile(HOUSEHOLD, Profile(names=("Ana", "Sam"), version=1))
    assert again.version == 2

    # Then a writer still holding version 1, or a second "first" writer, conflicts
    with pytest.raises(ConflictError):
        repository.save_profile(HOUSEHOLD, saved)
    with pytest.raises(ConflictError):
        repository.save_profile(HOUSEHOLD, Profile())
    assert repository.load(HOUSEHOLD, NOW).profile == again


def test_checkpoint_round_trip_clear_and_ttl(repository, dynamodb_client, table_name):
    saved = checkpoint(3, device="Zoë <b>&")  # any text survives the round trip
    expires_at = NOW + 6 * 3600
    repository.save_checkpoint(HOUSEHOLD, saved, NOW, expires_at)

    assert repository.load(HOUSEHOLD, NOW) == Snapshot(profile=None, checkpoints=(saved,))
    stored = raw_items(dynamodb_client, table_name, HOUSEHOLD)[checkpoint_sort_key(saved)]
    assert stored[TTL_ATTRIBUTE] == {"N": str(expires_at)}

    repository.clear_checkpoint(HOUSEHOLD, "r1")
    repository.clear_checkpoint(HOUSEHOLD, "r1")  # clearing twice is fine
    assert repository.load(HOUSEHOLD, NOW).checkpoint is None


def test_checkpoint_past_its_ttl_is_not_resumed(dynamodb_client, table_name):
    # DynamoDB deletes expired items only eventually, so load must ignore them itself.
    # Expiry is judged at the request's time, whatever the process clock says.
    repository = HouseholdRepository(dynamodb_client, table_name)
    written = NOW - 86_400
    repository.save_checkpoint(HOUSEHOLD, checkpoint(2), written, expires_at=NOW)
    assert repository.load(HOUSEHOLD, NOW - 1).checkpoint == checkpoint(2)
    assert repository.load(HOUSEHOLD, NOW).checkpoint is None
    assert repository.load(HOUSEHOLD, NOW + 86_400).checkpoint is None


def test_load_is_one_query_that_skips_rituals(repository, dynamodb_client):
    profile = repository.save_profile(HOUSEHOLD, Profile())
    repository.record_ritual(HOUSEHOLD, ritual("r1"), profile.after_completion(ritual("r1"), TODAY))
    repository.save_checkpoint(HOUSEHOLD, checkpoint(1), NOW, NOW + 60)
    returned: list[int] = []
    dynamodb_client.meta.events.register(
        "after-call.dynamodb.Query", lambda parsed, **_: returned.append(parsed["Count"]))
    calls = count_calls(dynamodb_client)

    snapshot = repository.load(HOUSEHOLD, NOW)

    assert calls == ["Query"]
    assert returned == [2]  # profile and checkpoint, not the ritual
    assert snapshot.profile.completed == 1 and snapshot.checkpoint == checkpoint(1)


def test_checks_are_numbers_kept_one_a_day_as_long_as_ritual_records(
        dynamodb_client, table_name):
    repository = HouseholdRepository(dynamodb_client, table_name, retention_days=30)
    morning = CheckRecord(NOW - 12 * 3600, "2026-11-26", signs=(1,), partly=(3,))
    evening = CheckRecord(NOW, "2026-11-26", signs=(1, 2), partly=(), answered=4)
    repository.record_check(HOUSEHOLD, morning)
    repository.record_check(HOUSEHOLD, evening)  # the same day: the later one stands
    assert repository.checks(HOUSEHOLD, NOW) == [evening]
    stored = raw_items(dynamodb_client, table_name, HOUSEHOLD)[CHECK_PREFIX + "2026-11-26"]
    assert stored[TTL_ATTRIBUTE] == {"N": str(NOW + 30 * 86_400)}
    assert decode(stored["data"]) == {"at": NOW, "on": "2026-11-26", "signs": [1, 2],
                                      "partly": [], "count": 2, "answered": 4}
    # past the retention it is not read, whether or not DynamoDB has deleted it yet
    assert repository.checks(HOUSEHOLD, NOW + 30 * 86_400) == []
    assert repository.load(HOUSEHOLD, NOW + 30 * 86_400).checks == ()


def test_load_brings_the_latest_checks_in_its_one_query(repository, dynamodb_client):
    for day in range(RECENT_CHECKS + 3):
        repository.record_check(HOUSEHOLD, CheckRecord(NOW - day * 86_400, f"2026-10-{day:02d}"))
    repository.save_checkpoint(HOUSEHOLD, checkpoint(1), NOW, NOW + 60)
    calls = count_calls(dynamodb_client)
    snapshot = repository.load(HOUSEHOLD, NOW)
    assert calls == ["Query"]
    assert len(snapshot.checks) == RECENT_CHECKS and snapshot.checks[-1].at == NOW
    assert [c.at for c in snapshot.checks] == sorted(c.at for c in snapshot.checks)
    assert snapshot.checkpoint == checkpoint(1)
    assert repository.delete_household(HOUSEHOLD) == RECENT_CHECKS + 4
    assert repository.checks(HOUSEHOLD, NOW) == []


def test_record_ritual_writes_record_profile_and_clears_checkpoint(
        repository, dynamodb_client, table_name):
    # Given a household mid-ritual
    profile = repository.save_profile(HOUSEHOLD, Profile())
    repository.save_checkpoint(HOUSEHOLD, checkpoint(5), NOW, NOW + 60)
    record = ritual("r1")

    # When the ritual is recorded with its completion applied to the profile
    assert repository.record_ritual(HOUSEHOLD, record, profile.after_completion(record, TODAY))

    # Then all three changes happened, and the record carries its retention TTL
    snapshot = repository.load(HOUSEHOLD, NOW)
    assert snapshot.checkpoint is None
    assert (snapshot.profile.completed, snapshot.profile.version) == (1, 2)
    assert snapshot.profile.total_seconds == record.seconds == (300, 300)
    assert repository.rituals(HOUSEHOLD, NOW) == [record]
    stored = raw_items(dynamodb_client, table_name, HOUSEHOLD)[ritual_sort_key(record)]
    assert stored[TTL_ATTRIBUTE] == {"N": str(record.ended_at + 730 * 86_400)}
    assert ritual_sort_key(record) == f"RITUAL#{record.started_at:012d}#r1"


def test_record_ritual_twice_counts_once(repository):
    # Given a ritual already recorded
    profile = repository.save_profile(HOUSEHOLD, Profile())
    record = ritual("r1")
    assert repository.record_ritual(HOUSEHOLD, record, profile.after_completion(record, TODAY))

    # When it is recorded again: with the same stale profile (an Alexa or Lambda retry), and
    # with a reloaded one (a double "I'm done" in a new request)
    assert repository.record_ritual(HOUSEHOLD, record, profile.after_completion(record, TODAY)) \
        is False
    reloaded = repository.load(HOUSEHOLD, NOW).profile
    assert repository.record_ritual(HOUSEHOLD, record, reloaded.after_completion(record, TODAY)) \
        is False

    # Then there is one record, and the profile was counted once
    assert repository.rituals(HOUSEHOLD, NOW) == [record]
    assert repository.load(HOUSEHOLD, NOW).profile == reloaded
    assert reloaded.completed == 1


def test_record_ritual_without_profile(repository):
    repository.save_checkpoint(HOUSEHOLD, checkpoint(1), NOW, NOW + 60)
    assert repository.record_ritual(HOUSEHOLD, ritual("r1"), None) is True
    assert repository.record_ritual(HOUSEHOLD, ritual("r1"), None) is False
    assert repository.load(HOUSEHOLD, NOW) == Snapshot(profile=None)


def test_record_ritual_with_a_stale_profile_conflicts_and_writes_nothing(repository):
    stale = repository.save_profile(HOUSEHOLD, Profile())
    current = repository.save_profile(HOUSEHOLD, stale)  # another device moved it on
    repository.save_checkpoint(HOUSEHOLD, checkpoint(6), NOW, NOW + 60)
    record = ritual("r1")

    with pytest.raises(ConflictError):
        repository.record_ritual(HOUSEHOLD, record, stale.after_completion(record, TODAY))

    assert repository.rituals(HOUSEHOLD, NOW) == []
    assert repository.load(HOUSEHOLD, NOW) == Snapshot(profile=current,
                                                       checkpoints=(checkpoint(6),))


def test_concurrent_completions_with_reload_and_retry_give_exact_counts(repository):
    # Given two devices that both loaded version 1 of the profile
    repository.save_profile(HOUSEHOLD, Profile())
    records = [ritual("kitchen", seconds=100), ritual("bedroom", seconds=50)]
    both_loaded = threading.Barrier(2)
    conflicts: list[str] = []
    results: dict[str, bool] = {}
    errors: list[BaseException] = []

    def complete(record: RitualRecord) -> None:
        try:
            snapshot = repository.load(HOUSEHOLD, NOW)
            both_loaded.wait(timeout=10)
            for _ in range(5):  # the caller's pattern: on conflict, reload and reapply
                try:
                    profile = snapshot.profile.after_completion(record, TODAY)
                    results[record.ritual_id] = repository.record_ritual(HOUSEHOLD, record,
                                                                         profile)
                    return
                except ConflictError:
                    conflicts.append(record.ritual_id)
                    snapshot = repository.load(HOUSEHOLD, NOW)
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)

    # When both record their own ritual at the same moment
    threads = [threading.Thread(target=complete, args=(r,)) for r in records]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # Then at most one first attempt won, and after retries both are counted exactly once
    assert errors == []
    assert len(conflicts) >= 1
    assert results == {"kitchen": True, "bedroom": True}
    profile = repository.load(HOUSEHOLD, NOW).profile
    assert profile.completed == 2
    assert profile.version == 3
    assert profile.total_seconds == (450, 450)
    assert sorted(r.ritual_id for r in repository.rituals(HOUSEHOLD, NOW)) == ["bedroom", "kitchen"]


def test_rituals_and_delete_household_page_through_everything(
        repository, dynamodb_client, table_name):
    # Given 30 rituals, a profile and a checkpoint, read back in pages of 4
    for i in range(30):
        repository.record_ritual(HOUSEHOLD, ritual(f"r{i:02d}", ended_ago=10_000 - i * 100), None)
    repository.save_profile(HOUSEHOLD, Profile())
    repository.save_checkpoint(HOUSEHOLD, checkpoint(1), NOW, NOW + 60)
    repository.save_profile(OTHER_HOUSEHOLD, Profile())

    def small_pages(params, **_):
        params["Limit"] = 4  # returns None: botocore would take a return value as new params

    dynamodb_client.meta.events.register("provide-client-params.dynamodb.Query", small_pages)
    calls = count_calls(dynamodb_client)

    # rituals() pages and keeps start-time order
    ids = [r.ritual_id for r in repository.rituals(HOUSEHOLD, NOW)]
    assert ids == [f"r{i:02d}" for i in range(30)]
    assert calls.count("Query") >= 8

    # When the household is deleted
    assert repository.delete_household(HOUSEHOLD) == 32

    # Then nothing of it is left, in batches of at most 25, and the neighbour is untouched
    assert calls.count("BatchWriteItem") == 2
    assert raw_items(dynamodb_client, table_name, HOUSEHOLD) == {}
    assert repository.load(OTHER_HOUSEHOLD, NOW).profile is not None
    assert repository.delete_household(HOUSEHOLD) == 0


def test_numbers_are_stored_as_dynamodb_numbers(repository, dynamodb_client, table_name):
    profile = repository.save_profile(HOUSEHOLD, Profile(total_seconds=(61, 59)))
    stored = raw_items(dynamodb_client, table_name, HOUSEHOLD)[PROFILE_SK]
    assert stored["version"] == {"N": "1"}
    assert stored["data"]["M"]["total_seconds"] == {"L": [{"N": "61"}, {"N": "59"}]}
    assert profile.version == 1


MISSING_TABLE_CALLS = {
    "load": lambda r: r.load(HOUSEHOLD, NOW),
    "save_profile": lambda r: r.save_profile(HOUSEHOLD, Profile()),
    "save_checkpoint": lambda r: r.save_checkpoint(HOUSEHOLD, checkpoint(0), NOW, NOW + 1),
    "clear_checkpoint": lambda r: r.clear_checkpoint(HOUSEHOLD),
    "record_ritual": lambda r: r.record_ritual(HOUSEHOLD, ritual("r1"), Profile()),
    "rituals": lambda r: r.rituals(HOUSEHOLD, NOW),
    "record_check": lambda r: r.record_check(HOUSEHOLD, CheckRecord(NOW, "2026-11-26")),
    "checks": lambda r: r.checks(HOUSEHOLD, NOW),
    "delete_household": lambda r: r.delete_household(HOUSEHOLD),
}


@pytest.mark.parametrize("method", MISSING_TABLE_CALLS)
def test_missing_table_raises_store_error(dynamodb_client, method):
    repository = HouseholdRepository(dynamodb_client, "no-such-table-here")
    with pytest.raises(StoreError) as raised:
        MISSING_TABLE_CALLS[method](repository)
    assert type(raised.value) is StoreError
    assert raised.value.code == "ResourceNotFoundException"


def test_unstorable_checkpoint_raises_store_error(repository):
    fractional = checkpoint(1)
    fractional = replace(fractional, ritual=replace(fractional.ritual, spoken=1.5))
    with pytest.raises(StoreError):
        repository.save_checkpoint(HOUSEHOLD, fractional, NOW, NOW + 60)


def test_an_unreadable_checkpoint_is_skipped_and_the_rest_still_loads(
        repository, dynamodb_client, table_name):
    # Given a profile, a good checkpoint and one written by some other hand that cannot be read
    profile = repository.save_profile(HOUSEHOLD, Profile(names=("Ana", "Sam")))
    repository.save_checkpoint(HOUSEHOLD, checkpoint(2), NOW - 5, NOW + 60)
    dynamodb_client.put_item(TableName=table_name, Item=encode_item({
        "pk": HOUSEHOLD, "sk": CHECKPOINT_PREFIX + "odd", "data": {"turn": 3},
        "written_at": NOW, TTL_ATTRIBUTE: NOW + 60}))

    # When the household is loaded, then the launch goes on with what can be read
    assert repository.load(HOUSEHOLD, NOW) == Snapshot(profile=profile,
                                                       checkpoints=(checkpoint(2),))


def test_template_grants_exactly_the_actions_the_repository_uses(repository, dynamodb_client):
    # Given every repository method, exercised with the operations recorded
    operations: set[str] = set()

    def record(model, params, **_):
        if model.name == "TransactWriteItems":  # IAM checks each action inside it
            for action in params["TransactItems"]:
                (kind,) = action
                operations.add({"Put": "PutItem", "Delete": "DeleteItem", "Update": "UpdateItem",
                                "ConditionCheck": "ConditionCheckItem"}[kind])
        else:
            operations.add(model.name)

    dynamodb_client.meta.events.register("provide-client-params.dynamodb", record)
    for call in MISSING_TABLE_CALLS.values():
        with contextlib.suppress(ConflictError):  # record_ritual's Profile() is stale by then
            call(repository)

    # Then the function's policy grants those and nothing more
    granted = set()
    for resource in load_template()["Resources"].values():
        for policy in resource.get("Properties", {}).get("Policies", []):
            for statement in policy.get("Statement", []):
                granted |= {a.removeprefix("dynamodb:") for a in statement["Action"]
                            if a.startswith("dynamodb:")}
    assert granted == operations


def server_clock(client, table: str) -> int:
    """DynamoDB Local's own time, from the Date header of its answer: it judges TTL by its
    clock, not by this process's, which a test may have moved."""
    response = client.describe_table(TableName=table)
    return int(parsedate_to_datetime(response["ResponseMetadata"]["HTTPHeaders"]["date"])
               .timestamp())


@only_dynamodb_local
def test_expired_items_disappear_in_dynamodb_local(repository, dynamodb_client, table_name):
    # Given a ritual past its retention and a checkpoint past its TTL by DynamoDB Local's clock
    # (moto never expires items), in a table with TTL on as the template has it
    enable_ttl(dynamodb_client, table_name, table_definition_from_template())
    now = server_clock(dynamodb_client, table_name)
    old = ritual("old", ended_ago=NOW - now + 730 * 86_400 + 60)
    repository.record_ritual(HOUSEHOLD, old, None)
    repository.save_checkpoint(HOUSEHOLD, checkpoint(1), now - 120, now - 60)
    assert len(raw_items(dynamodb_client, table_name, HOUSEHOLD)) == 2

    # When DynamoDB Local's TTL sweep runs (seconds; bounded wait)
    deadline = time.monotonic() + 90
    while raw_items(dynamodb_client, table_name, HOUSEHOLD) and time.monotonic() < deadline:
        time.sleep(0.5)

    # Then both are gone
    assert raw_items(dynamodb_client, table_name, HOUSEHOLD) == {}


def test_store_items_are_plain_dynamodb_json():
    # The codec's output is what botocore sends: no Python-only types sneak through.
    assert encode_item({"a": [1, "b", None, True, {"c": 2}]}) == {"a": {"L": [
        {"N": "1"}, {"S": "b"}, {"NULL": True}, {"BOOL": True}, {"M": {"c": {"N": "2"}}}]}}


def test_each_ritual_keeps_its_own_checkpoint(dynamodb_client, table_name):
    # A ritual begun while the store could not be read must not overwrite another's checkpoint.
    repository = HouseholdRepository(dynamodb_client, table_name)
    later = checkpoint(1, ritual_id="r0")
    earlier = checkpoint(3, ritual_id="r9")
    repository.save_checkpoint(HOUSEHOLD, earlier, NOW - 2, NOW + 86_400)
    repository.save_checkpoint(HOUSEHOLD, later, NOW - 1, NOW + 86_400)
    assert repository.load(HOUSEHOLD, NOW).checkpoints == (earlier, later)  # in the order written
    assert repository.load(HOUSEHOLD, NOW).checkpoint == later

    assert repository.record_ritual(HOUSEHOLD, ritual("r0"), None)
    assert repository.load(HOUSEHOLD, NOW).checkpoints == (earlier,)
