"""Every request and response in the suite is also read and written by ask-sdk's own serializer.

The skill uses FastSerializer (checkin.alexa.serializer). This plugin swaps in a subclass that
does the same work, and also runs DefaultSerializer on the same input; any difference (in the
objects read, the JSON written, or whether it failed) fails the test that produced it.
"""
from __future__ import annotations

import json
from datetime import datetime
from enum import Enum

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from checkin.alexa import skill
from checkin.alexa.serializer import FastSerializer


def _outcome(action):
    try:
        return "ok", action()
    except Exception as error:  # the comparison is whether both fail, not how
        return "failed", type(error).__name__


class CheckedSerializer(FastSerializer):
    def __init__(self) -> None:
        super().__init__()
        self.reference = DefaultSerializer()
        self.differences: list[str] = []

    def deserialize(self, payload, obj_type):
        fast = _outcome(lambda: super(CheckedSerializer, self).deserialize(payload, obj_type))
        slow = _outcome(lambda: self.reference.deserialize(payload, obj_type))
        if (fast[0], comparable(fast[1])) != (slow[0], comparable(slow[1])):
            self.differences.append(f"read {payload[:300]}: {fast} != {slow}")
        if fast[0] == "failed":
            return super().deserialize(payload, obj_type)  # raises as it did
        return fast[1]

    def top_level_serialize(self, obj):
        fast, slow = self.serialize(obj), self.reference.serialize(obj)
        if json.dumps(fast) != json.dumps(slow):
            self.differences.append(f"wrote {fast} != {slow}")
        return fast


def comparable(value):
    """Plain nested data that keeps what == would blur: every value's type, and each
    datetime's UTC offset."""
    if hasattr(value, "deserialized_types") and not isinstance(value, Enum):
        return type(value), {key: comparable(item) for key, item in vars(value).items()}
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [comparable(item) for item in value]
    if isinstance(value, datetime):
        return value, value.utcoffset()
    return type(value), value


class _Facade:
    """Stands in for skill._serializer: handle_event calls deserialize and serialize once each."""

    def __init__(self, checked: CheckedSerializer) -> None:
        self.checked = checked

    def deserialize(self, payload, obj_type):
        return self.checked.deserialize(payload, obj_type)

    def serialize(self, obj):
        return self.checked.top_level_serialize(obj)


@pytest.fixture(autouse=True)
def serializer_matches_ask_sdk(monkeypatch):
    checked = CheckedSerializer()
    monkeypatch.setattr(skill, "_serializer", _Facade(checked))
    yield checked
    assert not checked.differences, "\n".join(d[:600] for d in checked.differences[:3])
