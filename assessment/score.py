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


# Scores are immutable values, and organisations share most of them (a question's score depends
# on its level, target and finding only; a group's on a few sums), so score() hands out one
# object per distinct value. Each memo stops growing at this size, so that unusual inputs cannot
# grow it without end.
_MEMO_LIMIT = 256

# id, weight in units of the plan's scale, leaf (a position in ScorePlan.lineages), the question
# and its memo of (score, packed sums) by (level, target, finding), all score_question() reads
# from the answers.
_Question = tuple[
    str, int, int, Question, dict[tuple[Level, int, Finding | None], tuple[QuestionScore, int]]
]
# id, the getter of its members' values from the per-question list (see _getter), size and the
# memo by the group's packed sums.
_Group = tuple[str, Callable[[list[int]], tuple[int, ...]], int, dict[int, GroupScore]]


class _Packing(NamedTuple):
    """Everything a group's score needs, summed in one integer per question.

    Bit fields from the lowest: applicable (0/1), answered (0/1), weight, weight x level and
    weight x target, with the weight as a whole number of 1/scale units. Every float is a whole
    number of some power of two, so the units are exact, the sums are exact integers and a
    group's sums are a single sum() that stays in machine integers for ordinary banks. Each
    field is wide enough for the whole bank, so no group's sum spills into the next one; the
    last field is unbounded.
    """

    scale: int  # a power of two
    count_bits: int
    weight_at: int  # where each field starts
    level_at: int
    target_at: int


def _packing(weights: list[float], top: int) -> _Packing:
    scale = max(w.as_integer_ratio()[1] for w in weights) if weights else 1
    units = sum(int(w * scale) for w in weights)
    count_bits = len(weights).bit_length()
    weight_at = 2 * count_bits
    level_at = weight_at + units.bit_length()
    target_at = level_at + (units * top).bit_length()
    return _Packing(scale, count_bits, weight_at, level_at, target_at)


def _packed(packing: _Packing, weight: int, level: Level, target: int) -> int:
    """One question's contribution to the sums of every group it is in."""
    if isinstance(level, int):
        return (
            1
            + (1 << packing.count_bits)
            + (weight << packing.weight_at)
            + (weight * level << packing.level_at)
            + (weight * target << packing.target_at)
        )
    return 1 if level is None else 0


@dataclass(frozen=True, slots=True)
class ScorePlan:
    """What score() needs from a bank, worked out once per bank (Bank.score_plan), so scoring
    an organisation is integer sums over one per-question list."""

    questions: tuple[_Question, ...]
    lineages: tuple[tuple[str, ...], ...]  # per leaf clause, nearest first
    groups: tuple[_Group, ...]  # overall, areas, clauses, principles, crosswalks, heat map
    ends: tuple[int, ...]  # where each run after overall ends in groups
    crosswalks: tuple[str, ...]
    heatmap: tuple[tuple[str, str], ...]
    roadmap: tuple[int, ...]  # question positions by clause order, then id
    packing: _Packing


def plan_score(bank: Bank) -> ScorePlan:
    index = bank.membership
    leaf = {clause: n for n, clause in enumerate(index.leaves)}
    packing = _packing([q.weight for q in bank.questions], bank.max_level)
    questions: list[_Question] = [
        (q.id, int(q.weight * packing.scale), leaf[q.clause], q, {}) for q in bank.questions
    ]
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
        packing=packing,
    )


def _getter(members: tuple[int, ...], pad: int) -> Callable[[list[int]], tuple[int, ...]]:
    """What picks a group's values, in member order, out of the per-question list for sum()."""
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


def _questions(
    plan: ScorePlan, bank: Bank, answers: AnswersFile
) -> tuple[list[QuestionScore], list[int]]:
    """Each question's score, and its packed contribution to its groups' sums (see _Packing),
    in plan order plus the pad slot."""
    leaf_targets = _leaf_targets(plan, bank, answers)
    given = answers.answers.get
    packed = [0] * (len(plan.questions) + 1)
    scores = []
    for i, (qid, weight, leaf, question, memo) in enumerate(plan.questions):
        target = leaf_targets[leaf]
        answer = given(qid)
        key = (None, target, None) if answer is None else (answer.level, target, answer.finding)
        known = memo.get(key)
        if known is None:
            known = (
                score_question(question, bank, answers, target),
                _packed(plan.packing, weight, key[0], target),
            )
            if len(memo) < _MEMO_LIMIT:
                memo[key] = known
        scores.append(known[0])
        packed[i] = known[1]
    return scores, packed


def _groups(plan: ScorePlan, packed: list[int], top: int) -> list[GroupScore]:
    fields = plan.packing
    count_bits, weight_at = fields.count_bits, fields.weight_at
    level_at, target_at = fields.level_at, fields.target_at
    count_mask = (1 << count_bits) - 1
    weight_mask = (1 << level_at - weight_at) - 1
    level_mask = (1 << target_at - level_at) - 1
    scores = []
    for gid, members, total, memo in plan.groups:
        sums = sum(members(packed))
        g = memo.get(sums)
        if g is None:
            applicable = sums & count_mask
            answered = sums >> count_bits & count_mask
            if answered:
                weight = sums >> weight_at & weight_mask
                # Quotients of exact integer sums: the weighted means sum(w * x) / sum(w).
                mean = (sums >> level_at & level_mask) / weight
                goal = (sums >> target_at) / weight
                percent, stage, coverage = mean / top * 100, math.floor(mean), answered / applicable
                head = (gid, mean, percent, stage, coverage, answered, applicable, total, goal)
                g = _new(GroupScore, (*head, goal - mean))
            else:
                none_answered = 0.0 if applicable else None
                empty = (gid, None, None, None, none_answered, 0, applicable, total, None)
                g = _new(GroupScore, (*empty, None))
            if len(memo) < _MEMO_LIMIT:
                memo[sums] = g
        scores.append(g)
    return scores


def score(bank: Bank, answers: AnswersFile) -> Scorecard:
    """Still pure: the plan's memos only ever hand back an equal immutable value."""
    plan = bank.score_plan
    top = bank.max_level
    questions, packed = _questions(plan, bank, answers)
    groups = _groups(plan, packed, top)
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
