"""The readiness verdict: explicit rules, each printed with its threshold, whose threshold it
is (the organisation's own or the bank's default) and its result.

GB/T 42509 is a guideline: an organisation is assessed against it, not certified to it. The
verdict is therefore readiness against the guideline, unless the bank names a certification
scheme that turns its provisions into requirements. Ready only when every rule passes:

- coverage: answered / applicable scored questions >= min_coverage;
- areas: every area scores >= min_area_score; an area with no applicable question fails
  (an assessment cannot be ready on a part of the guideline it left out);
- knockouts: every knock-out question is answered with a level >= knockout_level;
- major: major nonconformities not yet closed and verified <= max_major.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assessment.load.bank import Bank
from assessment.load.models.answers import AnswersFile
from assessment.score.scoring import Scorecard

RuleId = Literal["coverage", "areas", "knockouts", "major"]


@dataclass(frozen=True)
class Rule:
    id: RuleId
    threshold: float
    default: float  # the bank's threshold
    own: bool  # the organisation set this threshold itself
    actual: float | None
    passed: bool
    failing: tuple[str, ...] = ()  # area ids or question ids that break the rule


@dataclass(frozen=True)
class Verdict:
    ready: bool
    rules: tuple[Rule, ...]
    # "guideline": readiness against the guideline; "scheme": against the bank's named scheme.
    against: Literal["guideline", "scheme"]
    scheme: str | None  # the scheme's id where against == "scheme"


def assess_readiness(card: Scorecard, answers: AnswersFile, bank: Bank) -> Verdict:
    own, default = answers.readiness, bank.manifest.readiness

    def setting(key: str) -> tuple[float, float, bool]:
        mine = getattr(own, key)
        base = float(getattr(default, key))
        return (base if mine is None else float(mine)), base, mine is not None

    rules = (
        _coverage(card, *setting("min_coverage")),
        _areas(card, *setting("min_area_score")),
        _knockouts(card, bank, *setting("knockout_level")),
        _majors(answers, *setting("max_major")),
    )
    scheme = bank.manifest.scheme
    return Verdict(
        ready=all(r.passed for r in rules),
        rules=rules,
        against="guideline" if scheme is None else "scheme",
        scheme=None if scheme is None else scheme.id,
    )


def _coverage(card: Scorecard, threshold: float, default: float, own: bool) -> Rule:
    coverage = card.overall.coverage
    unanswered = tuple(
        q.id for q in card.questions if q.applicable and not q.answered and not q.option
    )
    passed = coverage is not None and coverage >= threshold - 1e-12
    return Rule("coverage", threshold, default, own, coverage, passed, unanswered)


def _areas(card: Scorecard, threshold: float, default: float, own: bool) -> Rule:
    failing = tuple(a.id for a in card.areas if a.score is None or a.score < threshold)
    scored = [a.score for a in card.areas if a.score is not None]
    actual = min(scored) if scored and len(scored) == len(card.areas) else None
    return Rule("areas", threshold, default, own, actual, not failing, failing)


def _knockouts(card: Scorecard, bank: Bank, threshold: float, default: float, own: bool) -> Rule:
    levels = {q.id: q.level for q in card.questions}
    reached = {qid: lv for qid in bank.knockouts if isinstance(lv := levels[qid], int | float)}
    failing = tuple(qid for qid in bank.knockouts if reached.get(qid, -1) < threshold)
    complete = reached and len(reached) == len(bank.knockouts)
    actual = float(min(reached.values())) if complete else None
    return Rule("knockouts", threshold, default, own, actual, not failing, failing)


def _majors(answers: AnswersFile, threshold: float, default: float, own: bool) -> Rule:
    # A major nonconformity stops blocking only once it is closed and the closure verified.
    open_majors = tuple(
        qid
        for qid, a in answers.answers.items()
        if a.grade == "major" and (a.record is None or a.record.status != "verified")
    )
    count = float(len(open_majors))
    return Rule("major", threshold, default, own, count, count <= threshold, open_majors)
