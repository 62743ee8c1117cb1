"""checkin.ritual.frozen.replace gives exactly what dataclasses.replace gives, or refuses."""
from __future__ import annotations

import dataclasses

import pytest

from checkin.ritual.frozen import replace
from checkin.ritual.household import Profile
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
