"""SnapStart runtime hooks (lambda/checkin/snapstart.py)."""
from __future__ import annotations

import random
import sys
import types
import uuid

from checkin import snapstart
from checkin.store.client import make_dynamodb_client
from devtools.table import create_table


class FakeRuntimeHooks(types.ModuleType):
    """What the Lambda runtime's snapshot_restore_py offers, recording registrations."""

    def __init__(self):
        super().__init__("snapshot_restore_py")
        self.before, self.after = [], []
        self.register_before_snapshot = lambda fn, *a, **k: self.before.append((fn, a, k))
        self.register_after_restore = lambda fn, *a, **k: self.after.append((fn, a, k))


def test_nothing_is_registered_outside_a_snapstart_init(monkeypatch):
    hooks = FakeRuntimeHooks()
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", hooks)

    for kind in (None, "on-demand", "provisioned-concurrency"):
        environ = {} if kind is None else {snapstart.INITIALIZATION_TYPE: kind}
        assert snapstart.register_hooks(object(), environ) is False

    assert hooks.before == [] and hooks.after == []


def test_missing_runtime_library_is_not_an_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # import raises ImportError

    assert snapstart.register_hooks(object(), {snapstart.INITIALIZATION_TYPE: "snap-start"}) \
        is False


def test_hooks_registered_for_the_client_during_a_snapstart_init(monkeypatch):
    hooks = FakeRuntimeHooks()
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", hooks)
    client = object()

    assert snapstart.register_hooks(client, {snapstart.INITIALIZATION_TYPE: "snap-start"})

    assert hooks.before == [(snapstart.before_snapshot, (client,), {})]
    assert hooks.after == [(snapstart.after_restore, (client,), {})]


def test_client_works_after_the_hooks_drop_its_connections(moto_server):
    # Given a client that has used a pooled connection
    client = make_dynamodb_client(endpoint_url=moto_server)
    table = f"snapstart-{uuid.uuid4().hex[:8]}"
    create_table(client, table)

    # When the snapshot is taken and restored
    snapstart.before_snapshot(client)
    snapstart.after_restore(client)

    # Then the same client answers on a fresh connection
    assert client.describe_table(TableName=table)["Table"]["TableStatus"] == "ACTIVE"


def test_restore_reseeds_random(monkeypatch):
    random.seed(1234)
    snapshot_sequence = [random.random() for _ in range(3)]
    random.seed(1234)  # every restored copy starts from the same snapshot state...

    snapstart.after_restore(types.SimpleNamespace(close=lambda: None))

    assert [random.random() for _ in range(3)] != snapshot_sequence  # ...but draws its own
