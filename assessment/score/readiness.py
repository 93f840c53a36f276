"""Certification-readiness verdict: explicit rules, each printed with its threshold and result.

Defaults (overridable in the answers file under `readiness:`): coverage 100 %, every area
scores at least 3.0, no open major nonconformity. Ready only when every rule passes.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.load.models.answers import Readiness
from assessment.score.scoring import Scorecard


@dataclass(frozen=True)
class Rule:
    id: str  # coverage | areas | major
    threshold: float
    actual: float | None
    passed: bool
    failing: tuple[str, ...] = ()  # area ids or question ids that break the rule


@dataclass(frozen=True)
class Verdict:
    ready: bool
    rules: tuple[Rule, ...]


def assess_readiness(card: Scorecard, settings: Readiness) -> Verdict:
    coverage = card.overall.coverage
    unanswered = tuple(q.id for q in card.questions if q.applicable and not q.answered)
    coverage_rule = Rule(
        id="coverage",
        threshold=float(settings.min_coverage),
        actual=coverage,
        passed=coverage is not None and coverage >= settings.min_coverage - 1e-12,
        failing=unanswered,
    )
    low_areas = tuple(
        a.id
        for a in card.areas
        if a.applicable and (a.score is None or a.score < settings.min_area_score)
    )
    scored = [a.score for a in card.areas if a.score is not None]
    area_rule = Rule(
        id="areas",
        threshold=float(settings.min_area_score),
        actual=min(scored) if scored else None,
        passed=not low_areas,
        failing=low_areas,
    )
    majors = tuple(q.id for q in card.questions if q.finding == "major")
    major_rule = Rule(
        id="major",
        threshold=float(settings.max_major),
        actual=float(len(majors)),
        passed=len(majors) <= settings.max_major,
        failing=majors,
    )
    rules = (coverage_rule, area_rule, major_rule)
    return Verdict(ready=all(r.passed for r in rules), rules=rules)
