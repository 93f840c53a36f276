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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from operator import attrgetter, itemgetter
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

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


# Scores are immutable values, and organisations share most of them (a question's score depends
# on its level, target and finding only; a small group's on a few sums), so score() hands out one
# object per distinct value. Every object a scorecard keeps alive brings the collector's next full
# pass over all loaded answers nearer, which is most of the cost of scoring a large portfolio.
# Each memo stops growing at this size, so that unusual inputs cannot grow it without end.
_MEMO_LIMIT = 256
# A question counts 1 + _ANSWERED in a group when answered, 1 when only applicable, so that one
# integer sum gives both counts.
_ANSWERED = 1 << 32

# id, weight, leaf (a position in ScorePlan.lineages), the question and its memo of scores by
# (level, target, finding), all score_question() reads from the answers.
_Question = tuple[str, float, int, Question, dict[tuple[Level, int, Finding | None], QuestionScore]]
# id, the getter of its members' values from a per-question list (see _getter), size and the
# memo by the group's sums.
_Group = tuple[str, Callable[[list[Any]], Any], int, dict[object, GroupScore]]


@dataclass(frozen=True, slots=True)
class ScorePlan:
    """What score() needs from a bank, worked out once per bank (Bank.score_plan), so scoring
    an organisation is plain arithmetic over per-question lists."""

    questions: tuple[_Question, ...]
    lineages: tuple[tuple[str, ...], ...]  # per leaf clause, nearest first
    groups: tuple[_Group, ...]  # overall, areas, clauses, principles, crosswalks, heat map
    ends: tuple[int, ...]  # where each run after overall ends in groups
    crosswalks: tuple[str, ...]
    heatmap: tuple[tuple[str, str], ...]
    roadmap: tuple[int, ...]  # question positions by clause order, then id


def plan_score(bank: Bank) -> ScorePlan:
    index = bank.membership
    leaf = {clause: n for n, clause in enumerate(index.leaves)}
    questions: list[_Question] = [(q.id, q.weight, leaf[q.clause], q, {}) for q in bank.questions]
    runs: list[Mapping[str, tuple[int, ...]]] = [
        index.areas,
        index.clauses,
        index.principles,
        *index.crosswalks.values(),
        {f"{row}/{p}": members for (row, p), members in index.heatmap.items()},
    ]
    named = [("overall", tuple(range(len(questions))))]
    ends = []
    for run in runs:
        named.extend(run.items())
        ends.append(len(named))
    pad = len(questions)
    rank = [(index.clause_rank[q.clause], q.id) for q in bank.questions]
    return ScorePlan(
        questions=tuple(questions),
        lineages=tuple(bank.lineage(clause) for clause in index.leaves),
        groups=tuple((gid, _getter(members, pad), len(members), {}) for gid, members in named),
        ends=tuple(ends),
        crosswalks=tuple(index.crosswalks),
        heatmap=tuple(index.heatmap),
        roadmap=tuple(sorted(range(pad), key=rank.__getitem__)),
    )


def _getter(members: tuple[int, ...], pad: int) -> Callable[[list[Any]], Any]:
    """What picks a group's values, in member order, out of a per-question list for sum()."""
    if members and members == tuple(range(members[0], members[-1] + 1)):
        return itemgetter(slice(members[0], members[-1] + 1))
    # Slot pad (past the last question) always holds 0: picked twice, it makes itemgetter give a
    # tuple for a group of one or none too, and adds nothing.
    return itemgetter(pad, pad, *members)


def _leaf_targets(plan: ScorePlan, bank: Bank, answers: AnswersFile) -> list[int]:
    """target_for() of every leaf clause, in plan order."""
    targets = answers.targets
    default = bank.manifest.default_target if targets.default is None else targets.default
    if not targets.clauses:
        return [default] * len(plan.lineages)
    found = []
    for lineage in plan.lineages:
        target = default
        for ancestor in lineage:
            if ancestor in targets.clauses:
                target = targets.clauses[ancestor]
                break
        found.append(target)
    return found


_new = tuple.__new__  # a NamedTuple's own __new__ adds a Python-level call to every miss
_PRIORITY = attrgetter("priority")

# Per question, in plan order plus the pad slot: counts (see _ANSWERED), then w, w * level and
# w * target of the answered ones.
_Lists = tuple[list[int], list[float], list[float], list[float]]


def _questions(
    plan: ScorePlan, bank: Bank, answers: AnswersFile
) -> tuple[list[QuestionScore], _Lists]:
    leaf_targets = _leaf_targets(plan, bank, answers)
    given = answers.answers.get
    size = len(plan.questions) + 1
    counts = [0] * size
    weights, levels, targets = [0.0] * size, [0.0] * size, [0.0] * size
    scores = []
    for i, (qid, weight, leaf, question, memo) in enumerate(plan.questions):
        target = leaf_targets[leaf]
        answer = given(qid)
        level: Level = None
        finding: Finding | None = None
        if answer is not None:
            level, finding = answer.level, answer.finding
        if isinstance(level, int):
            counts[i] = 1 + _ANSWERED
            weights[i], levels[i], targets[i] = weight, weight * level, weight * target
        elif level is None:
            counts[i] = 1
        key = (level, target, finding)
        q = memo.get(key)
        if q is None:
            q = score_question(question, bank, answers, target)
            if len(memo) < _MEMO_LIMIT:
                memo[key] = q
        scores.append(q)
    return scores, (counts, weights, levels, targets)


def _groups(plan: ScorePlan, lists: _Lists, top: int) -> list[GroupScore]:
    counts, weights, levels, targets = lists
    scores = []
    for gid, members, total, memo in plan.groups:
        count = sum(members(counts))
        key: object = count
        weight = weighted_level = weighted_target = 0.0
        if count >= _ANSWERED:
            weight = sum(members(weights))
            weighted_level = sum(members(levels))
            weighted_target = sum(members(targets))
            key = (count, weight, weighted_level, weighted_target)
        g = memo.get(key)
        if g is None:
            answered, applicable = divmod(count, _ANSWERED)
            if answered:
                mean, goal = weighted_level / weight, weighted_target / weight
                head = (gid, mean, mean / top * 100, math.floor(mean), answered / applicable)
                g = _new(GroupScore, (*head, answered, applicable, total, goal, goal - mean))
            else:
                coverage = 0.0 if applicable else None
                g = _new(
                    GroupScore, (gid, None, None, None, coverage, 0, applicable, total, None, None)
                )
            if len(memo) < _MEMO_LIMIT:
                memo[key] = g
        scores.append(g)
    return scores


def score(bank: Bank, answers: AnswersFile) -> Scorecard:
    """Still pure: the plan's memos only ever hand back an equal immutable value."""
    plan = bank.score_plan
    top = bank.max_level
    questions, lists = _questions(plan, bank, answers)
    groups = _groups(plan, lists, top)
    # Ties keep plan.roadmap's clause-then-id order: a reversed sort is still stable.
    gaining = filter(_PRIORITY, map(questions.__getitem__, plan.roadmap))
    roadmap = sorted(gaining, key=_PRIORITY, reverse=True)
    areas, clauses, principles, *crosswalks, heatmap = (
        tuple(groups[start:end]) for start, end in pairwise((1, *plan.ends))
    )
    return Scorecard(
        bank_id=bank.id,
        bank_version=bank.version,
        bank_hash=bank.content_hash,
        max_level=top,
        overall=groups[0],
        areas=areas,
        clauses=clauses,
        principles=principles,
        questions=tuple(questions),
        roadmap=tuple(roadmap),
        crosswalks=MappingProxyType(dict(zip(plan.crosswalks, crosswalks, strict=True))),
        heatmap=MappingProxyType(dict(zip(plan.heatmap, heatmap, strict=True))),
    )


def heatmap_rows(bank: Bank) -> tuple[str, ...]:
    """Rows of the clause x principle heat map: the clauses just below the top level."""
    return bank.membership.heatmap_rows
