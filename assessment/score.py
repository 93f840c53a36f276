"""Scoring: pure functions from a bank and answers to a frozen scorecard.

Rules (published on the site's methodology page, pinned by tests/test_score.py):
- a question's level is on the bank's scale; "na" and unanswered questions are left out of
  every score; unanswered questions count against coverage;
- a group's score (leaf clause, parent clause, area, principle, overall) is the weighted mean
  sum(w * level) / sum(w) over its answered applicable questions, never a mean of sub-means;
  a question with several principles counts fully in each; no answered question gives None;
- percent = score / max_level * 100; stage = floor(score); coverage = answered / applicable;
- a question's target is the target of its nearest clause in answers.targets.clauses, else the
  default; a group's target is sum(w * target) / sum(w) over the questions its score uses;
  gap = target - score;
- priority = max(0, target - level) * weight; the roadmap orders by priority descending, then
  clause order, then id, and leaves out questions with nothing to gain.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, NamedTuple

from .bank import Bank
from .models.answers import AnswersFile, Finding
from .models.bank import Question

Level = int | Literal["na"] | None


class QuestionScore(NamedTuple):
    """Immutable like the rest of the scorecard; a NamedTuple because thousands are made
    when a portfolio is scored."""

    id: str
    clause: str
    area: str
    principles: tuple[str, ...]
    weight: float
    level: Level
    target: int
    gap: float | None
    priority: float | None
    finding: Finding | None

    @property
    def applicable(self) -> bool:
        return self.level != "na"

    @property
    def answered(self) -> bool:
        return isinstance(self.level, int)


class GroupScore(NamedTuple):
    id: str
    score: float | None
    percent: float | None
    stage: int | None
    coverage: float | None
    answered: int
    applicable: int
    total: int
    target: float | None
    gap: float | None


@dataclass(frozen=True)
class Scorecard:
    bank_id: str
    bank_version: str
    bank_hash: str
    max_level: int
    overall: GroupScore
    areas: tuple[GroupScore, ...]
    clauses: tuple[GroupScore, ...]
    principles: tuple[GroupScore, ...]
    questions: tuple[QuestionScore, ...]
    roadmap: tuple[QuestionScore, ...]
    crosswalks: Mapping[str, tuple[GroupScore, ...]]
    heatmap: Mapping[tuple[str, str], GroupScore]

    def area(self, area_id: str) -> GroupScore:
        return next(g for g in self.areas if g.id == area_id)

    def clause(self, clause_id: str) -> GroupScore:
        return next(g for g in self.clauses if g.id == clause_id)

    def question(self, question_id: str) -> QuestionScore:
        return next(q for q in self.questions if q.id == question_id)


def target_for(clause_id: str, bank: Bank, answers: AnswersFile) -> int:
    """Nearest ancestor clause with a target wins; then the answers' default; then the bank's."""
    for ancestor in bank.lineage(clause_id):
        if ancestor in answers.targets.clauses:
            return answers.targets.clauses[ancestor]
    if answers.targets.default is not None:
        return answers.targets.default
    return bank.manifest.default_target


def score_question(
    question: Question, bank: Bank, answers: AnswersFile, target: int | None = None
) -> QuestionScore:
    answer = answers.answers.get(question.id)
    level: Level = answer.level if answer is not None else None
    if target is None:
        target = target_for(question.clause, bank, answers)
    gap: float | None = None
    priority: float | None = None
    if isinstance(level, int):
        gap = float(target - level)
        priority = max(0, target - level) * question.weight
    area = bank.clauses[question.clause].area
    assert area is not None  # noqa: S101 - validate.check_manifest guarantees every leaf an area
    return QuestionScore(
        id=question.id,
        clause=question.clause,
        area=area,
        principles=question.principles,
        weight=question.weight,
        level=level,
        target=target,
        gap=gap,
        priority=priority,
        finding=answer.finding if answer is not None else None,
    )


# What one question adds to a group: (applicable, answered, w, w*level, w*target).
_Contribution = tuple[int, int, float, float, float]


def _contribution(q: QuestionScore) -> _Contribution:
    if q.level == "na":
        return (0, 0, 0.0, 0.0, 0.0)
    if isinstance(q.level, int):
        return (1, 1, q.weight, q.weight * q.level, q.weight * q.target)
    return (1, 0, 0.0, 0.0, 0.0)


def _group(group_id: str, parts: list[_Contribution], max_level: int) -> GroupScore:
    applicable = answered = 0
    weight = weighted_level = weighted_target = 0.0
    for is_applicable, is_answered, w, wl, wt in parts:
        applicable += is_applicable
        answered += is_answered
        weight += w
        weighted_level += wl
        weighted_target += wt
    score = target = gap = percent = None
    stage = None
    if answered:
        score = weighted_level / weight
        target = weighted_target / weight
        gap = target - score
        percent = score / max_level * 100
        stage = math.floor(score)
    return GroupScore(
        id=group_id,
        score=score,
        percent=percent,
        stage=stage,
        coverage=answered / applicable if applicable else None,
        answered=answered,
        applicable=applicable,
        total=len(parts),
        target=target,
        gap=gap,
    )


def score(bank: Bank, answers: AnswersFile) -> Scorecard:
    index = bank.membership
    targets = {clause: target_for(clause, bank, answers) for clause in index.leaves}
    questions = tuple(score_question(q, bank, answers, targets[q.clause]) for q in bank.questions)
    parts = [_contribution(q) for q in questions]
    top = bank.max_level

    def group(group_id: str, members: tuple[int, ...]) -> GroupScore:
        return _group(group_id, [parts[i] for i in members], top)

    roadmap = sorted(
        (q for q in questions if q.priority),
        key=lambda q: (-(q.priority or 0.0), index.clause_rank[q.clause], q.id),
    )
    return Scorecard(
        bank_id=bank.id,
        bank_version=bank.version,
        bank_hash=bank.content_hash,
        max_level=top,
        overall=_group("overall", parts, top),
        areas=tuple(group(area, members) for area, members in index.areas.items()),
        clauses=tuple(group(clause, members) for clause, members in index.clauses.items()),
        principles=tuple(group(p, members) for p, members in index.principles.items()),
        questions=questions,
        roadmap=tuple(roadmap),
        crosswalks=MappingProxyType(
            {
                key: tuple(group(item, members) for item, members in items.items())
                for key, items in index.crosswalks.items()
            }
        ),
        heatmap=MappingProxyType(
            {
                cell: group(f"{cell[0]}/{cell[1]}", members)
                for cell, members in index.heatmap.items()
            }
        ),
    )


def heatmap_rows(bank: Bank) -> tuple[str, ...]:
    """Rows of the clause x principle heat map: the clauses just below the top level."""
    return bank.membership.heatmap_rows
