"""The ritual's table (checkin.ritual.stages) against its own rules, the engine, and the docs."""
from __future__ import annotations

import pytest

from checkin.records import replace
from checkin.ritual import stages
from checkin.ritual.events import Event, Kind
from checkin.ritual.stages import ANYWHERE, STAGES, On, problems, route, targets
from checkin.ritual.state import Goes, Stage
from devtools import diagram
from tests.ritual.test_ritual_machine import TABLE, VALUES
from tests.ritual_helpers import player_at


def test_every_event_is_answered_at_every_stage_and_every_stage_reached_and_left():
    assert problems(STAGES, ANYWHERE) == []


def test_the_checks_find_an_unanswered_event_an_unreachable_stage_and_a_dead_end():
    without_fallback = tuple(r for r in ANYWHERE if Kind.FALLBACK not in r.events)
    assert "fallback is not answered at consent" in problems(STAGES, without_fallback)
    # Only a stop or a session's end leave "when would be better?": it can still end.
    nowhere = tuple(replace(r, to=(Goes.SAME,)) for r in ANYWHERE
                    if Kind.STOP not in r.events and Kind.SESSION_ENDED not in r.events)
    stuck = {s: replace(spec, on=tuple(replace(r, to=(Goes.SAME,)) for r in spec.on))
             for s, spec in STAGES.items()}
    stuck[Stage.CONSENT] = replace(stuck[Stage.CONSENT], on=(
        On(tuple(Kind), lambda state, event, now: None, to=(Goes.SAME,)),))
    found = problems(stuck, nowhere + tuple(r for r in ANYWHERE if Kind.STOP in r.events
                                            or Kind.SESSION_ENDED in r.events))
    assert "offer_extra cannot be reached" in found
    assert "consent is a dead end" in found


def test_session_end_is_answered_alike_everywhere():
    broken = dict(STAGES, turn=replace(STAGES[Stage.TURN], on=STAGES[Stage.TURN].on + (
        On((Kind.SESSION_ENDED,), lambda state, event, now: None, to=(Stage.ENDED,)),)))
    assert "turn answers session_ended itself" in problems(broken, ANYWHERE)


@pytest.mark.parametrize(
    ("stage", "kind", "expected"),
    [(stage, Kind[kind], nxt) for stage, row in TABLE.items() for kind, nxt in row.items()],
    ids=lambda v: v.name if hasattr(v, "name") else str(v),
)
def test_each_transition_leads_where_the_table_says_it_may(stage, kind, expected):
    # The engine's oracle (TABLE) agrees with what the table declares in `to`
    play = player_at(stage)
    rule = route(play.state, Event(kind, VALUES.get(kind)), play.now + 3)
    step = play(kind, VALUES.get(kind))
    assert step.state.stage is expected
    assert expected in targets(stage, rule) or Goes.BACK in rule.to, (rule.do, rule.to)


def test_the_committed_diagram_is_drawn_from_the_table():
    # Stale? Run `make diagram`
    assert diagram.PATH.read_text(encoding="utf-8") == diagram.document()


def test_the_diagram_names_every_stage():
    drawn = diagram.mermaid()
    assert all(f" {stage.value}" in drawn for stage in Stage)
    assert stages.STAGES.keys() == set(Stage)
