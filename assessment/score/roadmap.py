"""Roadmap phases from the scored roadmap (which is already in priority order).

Phase rules, published on the roadmap and methodology pages:
- 0–3 months: actions on questions with a major or minor nonconformity, and foundations
  (current level 0 or 1): the first step is cheap and the rest builds on it;
- 3–6 months: the remaining actions at least two levels below target;
- 6–12 months: everything else (one level below target).
Within a phase, actions keep the roadmap order: priority, then clause order, then id.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.score.scoring import QuestionScore, Scorecard

PHASES = ("0-3", "3-6", "6-12")


@dataclass(frozen=True)
class Phase:
    id: str
    actions: tuple[QuestionScore, ...]


def phase_of(action: QuestionScore) -> str:
    assert isinstance(action.level, int | float)  # noqa: S101 - only answered questions reach the roadmap
    if action.finding in ("major", "minor") or action.level <= 1:
        return "0-3"
    if action.target - action.level >= 2:
        return "3-6"
    return "6-12"


def plan_phases(card: Scorecard) -> tuple[Phase, ...]:
    return tuple(
        Phase(id=phase, actions=tuple(a for a in card.roadmap if phase_of(a) == phase))
        for phase in PHASES
    )
