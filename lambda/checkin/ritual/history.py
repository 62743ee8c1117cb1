"""The history of a household's rituals: one record per ritual, never what was said.

Plain frozen records with dict round-trips; the store decides how dicts become items.
"""
from __future__ import annotations

from dataclasses import field

from checkin.records import record

COMPLETED = "completed"
STOPPED = "stopped"
ABANDONED = "abandoned"
OUTCOMES = (COMPLETED, STOPPED, ABANDONED)

HOME = "home"
WALK = "walk"


@record
class TurnRecord:
    partner: int  # 0 or 1
    question: int  # 0 accessibility, 1 responsiveness, 2 engagement
    seconds: int
    skipped: bool = False

    def to_dict(self) -> dict:
        return {"partner": self.partner, "question": self.question,
                "seconds": self.seconds, "skipped": self.skipped}

    @classmethod
    def from_dict(cls, data: dict) -> TurnRecord:
        return cls(int(data["partner"]), int(data["question"]), int(data["seconds"]),
                   bool(data.get("skipped", False)))


@record
class RitualRecord:
    """One ritual as recorded: never what was said, only who spoke and for how long."""

    ritual_id: str
    started_at: int  # epoch seconds
    ended_at: int
    outcome: str
    mode: str = HOME
    turns: tuple[TurnRecord, ...] = field(default_factory=tuple)

    @property
    def seconds(self) -> tuple[int, int]:
        totals = [0, 0]
        for turn in self.turns:
            totals[turn.partner] += turn.seconds
        return totals[0], totals[1]

    @property
    def answered_by_both(self) -> bool:
        """At least one question was answered, not skipped, by both partners."""
        answered = {(t.partner, t.question) for t in self.turns if not t.skipped}
        return any((0, q) in answered and (1, q) in answered for _, q in answered)

    def to_dict(self) -> dict:
        return {
            "ritual_id": self.ritual_id,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "outcome": self.outcome,
            "mode": self.mode,
            "turns": [t.to_dict() for t in self.turns],
            "seconds": list(self.seconds),
        }

    @classmethod
    def from_dict(cls, data: dict) -> RitualRecord:
        return cls(
            ritual_id=str(data["ritual_id"]),
            started_at=int(data["started_at"]),
            ended_at=int(data["ended_at"]),
            outcome=str(data["outcome"]),
            mode=str(data.get("mode", HOME)),
            turns=tuple(TurnRecord.from_dict(t) for t in data.get("turns", [])),
        )
