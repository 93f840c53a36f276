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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from .bank import Bank
from .models.answers import AnswersFile, Finding
from .models.bank import Question

Level = int | Literal["na"] | None


@dataclass(frozen=True)
class QuestionScore:
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


@dataclass(frozen=True)
class GroupScore:
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


def score_question(question: Question, bank: Bank, answers: AnswersFile) -> QuestionScore:
    answer = answers.answers.get(question.id)
    level: Level = answer.level if answer is not None else None
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


def score_group(group_id: str, members: Iterable[QuestionScore], max_level: int) -> GroupScore:
    members = tuple(members)
    applicable = [q for q in members if q.applicable]
    answered = [q for q in applicable if isinstance(q.level, int)]
    weight = sum(q.weight for q in answered)
    score = target = gap = percent = None
    stage = None
    if answered:
        score = sum(q.weight * q.level for q in answered if isinstance(q.level, int)) / weight
        target = sum(q.weight * q.target for q in answered) / weight
        gap = target - score
        percent = score / max_level * 100
        stage = math.floor(score)
    coverage = len(answered) / len(applicable) if applicable else None
    return GroupScore(
        id=group_id,
        score=score,
        percent=percent,
        stage=stage,
        coverage=coverage,
        answered=len(answered),
        applicable=len(applicable),
        total=len(members),
        target=target,
        gap=gap,
    )


def score(bank: Bank, answers: AnswersFile) -> Scorecard:
    order = bank.clause_order()
    questions = tuple(score_question(q, bank, answers) for q in bank.questions)
    top = bank.max_level
    by_clause: dict[str, list[QuestionScore]] = {clause_id: [] for clause_id in bank.clauses}
    for q in questions:
        for ancestor in bank.lineage(q.clause):
            by_clause[ancestor].append(q)
    roadmap = sorted(
        (q for q in questions if q.priority),
        key=lambda q: (-(q.priority or 0.0), order[q.clause], q.id),
    )
    return Scorecard(
        bank_id=bank.id,
        bank_version=bank.version,
        bank_hash=bank.content_hash,
        max_level=top,
        overall=score_group("overall", questions, top),
        areas=tuple(
            score_group(a.id, (q for q in questions if q.area == a.id), top)
            for a in bank.manifest.areas
        ),
        clauses=tuple(score_group(cid, members, top) for cid, members in by_clause.items()),
        principles=tuple(
            score_group(p.id, (q for q in questions if p.id in q.principles), top)
            for p in bank.manifest.principles
        ),
        questions=questions,
        roadmap=tuple(roadmap),
        crosswalks=MappingProxyType(_crosswalk_groups(bank, questions)),
        heatmap=MappingProxyType(_heatmap(bank, questions, by_clause)),
    )


def _crosswalk_groups(
    bank: Bank, questions: tuple[QuestionScore, ...]
) -> dict[str, tuple[GroupScore, ...]]:
    """The same answers seen through each crosswalk (e.g. ISO 9000 QMPs), same scoring rule."""
    tags = {q.id: q.crosswalk for q in bank.questions}
    return {
        key: tuple(
            score_group(
                item.id,
                (q for q in questions if item.id in tags[q.id].get(key, ())),
                bank.max_level,
            )
            for item in crosswalk.items
        )
        for key, crosswalk in bank.manifest.crosswalks.items()
    }


def heatmap_rows(bank: Bank) -> tuple[str, ...]:
    """Rows of the clause x principle heat map: the clauses just below the top level."""
    return tuple(c.id for c in bank.clauses.values() if c.depth == 1)


def _heatmap(
    bank: Bank,
    questions: tuple[QuestionScore, ...],
    by_clause: dict[str, list[QuestionScore]],
) -> dict[tuple[str, str], GroupScore]:
    return {
        (clause_id, p.id): score_group(
            f"{clause_id}/{p.id}",
            (q for q in by_clause[clause_id] if p.id in q.principles),
            bank.max_level,
        )
        for clause_id in heatmap_rows(bank)
        for p in bank.manifest.principles
    }
