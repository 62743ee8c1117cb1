"""checkin.records: a record behaves as a frozen dataclass, and replace as dataclasses.replace."""
from __future__ import annotations

import dataclasses
import inspect

import pytest

from checkin.records import record, replace
from checkin.ritual.profile import Profile
from checkin.ritual.reply import Reply, Say
from checkin.ritual.state import Ritual, Stage, State

PROFILE = Profile.from_dict({"names": ["Sam", "Alex"], "named": True, "streak": 3})
RITUAL = Ritual("r1", 100, 0, 0, 120, owed=(30, 0))
STATE = State(Stage.TURN, PROFILE, ritual=RITUAL, grants=frozenset({"timers"}))


@pytest.mark.parametrize(("record", "changes"), [
    (STATE, {"stage": Stage.PAUSED, "paused_from": Stage.TURN}),
    (STATE, {}),
    (PROFILE, {"streak": 4, "names": ("Kai", "Noor")}),
    (RITUAL, {"spoken": 40, "owed": (0, 0)}),
    (Reply(speech=(Say.of("welcome"),)), {"end_session": True}),
])
def test_the_same_record_as_dataclasses_replace(record, changes):
    ours, theirs = replace(record, **changes), dataclasses.replace(record, **changes)
    assert type(ours) is type(theirs)
    assert ours == theirs and hash(ours) == hash(theirs)
    assert vars(ours) == vars(theirs)
    assert ours is not record


def test_the_original_is_untouched_and_the_copy_still_frozen():
    copy = replace(STATE, stage=Stage.ENDED)
    assert STATE.stage is Stage.TURN
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.stage = Stage.NEW  # type: ignore[misc]


def test_an_unknown_field_is_refused_as_dataclasses_would():
    with pytest.raises(TypeError, match="stgae"):
        replace(STATE, stgae=Stage.ENDED)


@dataclasses.dataclass(frozen=True)
class Checked:
    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")


@dataclasses.dataclass(frozen=True, slots=True)
class Slotted:
    value: int


@pytest.mark.parametrize("record", [Checked(1), Slotted(1), object()])
def test_what_it_cannot_copy_faithfully_is_refused(record):
    with pytest.raises(TypeError):
        replace(record, value=2)


# --- record ------------------------------------------------------------------------------


@record
class Pair:
    left: int
    right: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class PlainPair:
    left: int
    right: tuple[str, ...] = ()


@record
class Bag:
    name: str
    size: int = 1
    seen: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class PlainBag:
    name: str
    size: int = 1
    seen: list[int] = dataclasses.field(default_factory=list)


@record
class Other:
    left: int
    right: tuple[str, ...] = ()


def test_a_record_compares_hashes_and_prints_as_a_frozen_dataclass():
    a, b, c = Pair(1, ("x",)), Pair(1, ("x",)), Pair(2)
    plain = PlainPair(1, ("x",))
    assert a == b and a is not b and hash(a) == hash(b) == hash(plain)
    assert a != c and (a == c) is False and (a != b) is False
    assert repr(a) == repr(plain).replace("PlainPair", "Pair") == "Pair(left=1, right=('x',))"
    assert {a, b, c} == {a, c}
    assert a != Other(1, ("x",)) and a != plain and a != (1, ("x",))
    assert [f.name for f in dataclasses.fields(a)] == ["left", "right"]
    assert dataclasses.asdict(a) == {"left": 1, "right": ("x",)}
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.left = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del a.left
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.extra = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        Pair()  # type: ignore[call-arg]


def test_a_record_is_built_as_a_frozen_dataclass_is():
    # the same signature, defaults and factories: each record gets a fresh list
    assert str(inspect.signature(Bag)) == str(inspect.signature(PlainBag))
    assert Bag("a") == Bag(name="a", size=1, seen=[]) and Bag("a").seen is not Bag("a").seen
    assert vars(Bag("a", 2, [3])) == vars(PlainBag("a", 2, [3]))
    assert vars(Bag("a", seen=[3])) == vars(PlainBag("a", seen=[3]))
    assert Bag.__init__.__qualname__ == "Bag.__init__"
    assert Bag.__doc__ == "Bag(name: str, size: int, seen: list[int])"
    with pytest.raises(TypeError):
        Bag("a", 1, [], 4)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Bag("a", name="b")  # type: ignore[misc]


def test_the_skills_own_records_still_compare_by_value():
    assert Profile.from_dict(PROFILE.to_dict()) == PROFILE
    assert State.from_dict(STATE.to_dict()) == replace(STATE, grants=frozenset())
    assert Say.of("welcome") == Say.of("welcome") != Say.of("help")
    assert "Ritual(ritual_id='r1'" in repr(RITUAL)


def test_special_fields_are_refused():
    with pytest.raises(TypeError):
        @record
        class Hidden:
            secret: str = dataclasses.field(default="", repr=False)
    with pytest.raises(TypeError):
        @record
        class Validated:
            value: int

            def __post_init__(self) -> None:
                pass
    with pytest.raises(TypeError):
        @record
        class KeywordOnly:
            value: int = dataclasses.field(default=0, kw_only=True)


def test_every_profile_field_is_in_exactly_one_group():
    # A field missing from the groups would be dropped when a write is rebased on the store's
    import dataclasses

    from checkin.ritual.profile import FIELD_GROUPS, Profile

    grouped = [name for group in FIELD_GROUPS for name in group]
    assert sorted(grouped) == sorted(f.name for f in dataclasses.fields(Profile))


def test_a_one_off_reminder_round_trips_and_reads_its_first_stored_form():
    from checkin.ritual.profile import OnceReminder, Profile

    profile = Profile(once_reminders=(OnceReminder("2026-11-27", "r-1"),))
    assert Profile.from_dict(profile.to_dict()) == profile
    # Profiles stored before the record kept "date|id" strings
    assert Profile.from_dict({"once_reminders": ["2026-11-27|r-1"]}).once_reminders == (
        OnceReminder("2026-11-27", "r-1"),)
