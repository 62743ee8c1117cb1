"""FastSerializer reads every envelope into exactly what ask-sdk's DefaultSerializer would.

The skill answers from what the serializer builds, so "faster" is only worth having if nothing
else changes: the same classes, the same values, the same timestamps, the same failures.
"""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from hypothesis import given, settings
from hypothesis import strategies as st

from checkin.alexa.serializer import FastSerializer
from tests.serializer_check import comparable
from tests.test_fuzz import BASES


def same(left, right) -> None:
    assert comparable(left) == comparable(right)


def read_both(event) -> tuple[object, object]:
    payload = json.dumps(event)
    outcomes = []
    for serializer in (DefaultSerializer(), FastSerializer()):
        try:
            outcomes.append(("ok", serializer.deserialize(payload, RequestEnvelope)))
        except SerializationException:
            outcomes.append(("error", None))
    return outcomes[0], outcomes[1]


def test_the_private_methods_it_replaces_still_exist_in_ask_sdk():
    for name in ("load_class_from_name", "deserialize_datetime", "deserialize_model",
                 "deserialize", "get_obj_by_discriminator"):
        assert callable(getattr(DefaultSerializer, f"_DefaultSerializer__{name}", None)), name


def test_its_caches_are_used_so_the_overrides_are_reached():
    serializer = FastSerializer()
    serializer.deserialize(json.dumps(BASES["intent_request"]), RequestEnvelope)
    assert RequestEnvelope in serializer._plans
    assert "ask_sdk_model.intent_request.IntentRequest" in serializer._classes


@pytest.mark.parametrize("name", sorted(BASES))
def test_every_sample_event_reads_the_same(name):
    default, fast = read_both(BASES[name])
    assert default[0] == fast[0] == "ok"
    same(default[1], fast[1])


moments = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9998, 12, 30))
offsets = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)),
                           timezone(-timedelta(hours=8))])


@settings(max_examples=300, deadline=None)
@given(moments, offsets, st.sampled_from(["seconds", "milliseconds", "microseconds"]),
       st.booleans())
def test_timestamps_read_as_dateutil_reads_them(moment, offset, precision, zulu):
    text = moment.replace(tzinfo=offset).isoformat(timespec=precision)
    if zulu and offset is UTC:
        text = text.replace("+00:00", "Z")
    read = FastSerializer()._DefaultSerializer__deserialize_datetime
    by_dateutil = DefaultSerializer()._DefaultSerializer__deserialize_datetime
    same(read(text, datetime), by_dateutil(text, datetime))


@pytest.mark.parametrize("text", ["2026-11-26", "Nov 26 2026 9pm", "2026-11-26 21:00:00",
                                  "20261126T210000Z", "2026-11-26T21:00:00.1234567Z"])
def test_other_timestamp_shapes_are_left_to_dateutil(text):
    read = FastSerializer()._DefaultSerializer__deserialize_datetime
    by_dateutil = DefaultSerializer()._DefaultSerializer__deserialize_datetime
    for kind in (datetime, date):
        same(read(text, kind), by_dateutil(text, kind))
