"""Scoring: pure functions from a bank and answers to a frozen scorecard.

The rules, each one line below (published on the site's methodology page, pinned with
hand-computed numbers by tests/test_score.py):

- a question counts in a group when it is answered with a level ("na" and unanswered
  questions are left out of every score); unanswered applicable questions lower coverage;
- an option (a question covering only `may` provisions) belongs to no group and gains nothing
  on the roadmap: it is shown, never scored as required;
- a group (leaf clause, parent clause, area, principle, crosswalk item, heat-map cell,
  overall) scores the weighted mean sum(w * level) / sum(w) over the questions it counts,
  never a mean of sub-means; a question tagged with several principles counts fully in each;
  a group that counts no question scores None;
- percent = score / max_level * 100; stage = floor(score); coverage = answered / applicable;
- a question's target is that of its nearest clause in answers.targets.clauses, else the
  answers' default, else the bank's; a group's target is sum(w * target) / sum(w) over the
  questions its score counts; gap = target - score;
- priority = max(0, target - level) * weight; the roadmap orders by priority descending, then
  clause order, then id, and leaves out questions with nothing to gain.

Every group is a column of one membership matrix (questions x groups, 1 where the question
belongs to the group), so each sum above is a per-question vector times that matrix. Weights
are counted in whole units of their finest binary fraction, so every sum is a whole number
and each quotient is the exact weighted mean rounded once (float sums of 0.1 would not be).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from assessment.load.bank import Bank, Level
from assessment.load.models.answers import AnswersFile, Finding
from assessment.load.models.bank import Strength

Matrix = npt.NDArray[Any]


class QuestionScore(NamedTuple):
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
    strength: Strength | None  # the strongest provision the question covers
    option: bool  # covers only `may` provisions: shown, never scored

    @property
    def applicable(self) -> bool:
        return self.level != "na"

    @property
    def answered(self) -> bool:
        return isinstance(self.level, int | float)


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


_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__ (thousands a card)

# A group's place in the scorecard: overall, an area, a clause, a principle, an item of a
# crosswalk, or a heat-map cell (clause row, principle).
GroupKey = tuple[str, str] | tuple[str, str, str]


@dataclass(frozen=True)
class Groups:
    """Every scored group of a bank and its members: the same for every organisation."""

    keys: tuple[GroupKey, ...]
    labels: tuple[str, ...]  # GroupScore.id: the group's own id ("row/principle" in the heat map)
    members: Matrix  # questions x groups, 1 where the question belongs to the group
    sizes: tuple[int, ...]  # questions per group, applicable or not
    units: Matrix  # each question's weight in whole units of 2**-k
    leaves: tuple[str, ...]  # the clauses that hold questions
    # What a question's score takes from the bank: id, clause, area, principles, weight.
    questions: tuple[tuple[str, str, str, tuple[str, ...], float], ...]
    kinds: tuple[tuple[Strength | None, bool], ...]  # strength, option


def groups_of(bank: Bank) -> Groups:
    index = bank.membership
    named: list[tuple[GroupKey, tuple[int, ...]]] = [(("overall", "overall"), bank.scored)]
    named += [(("area", a), m) for a, m in index.areas.items()]
    named += [(("clause", c), m) for c, m in index.clauses.items()]
    named += [(("principle", p), m) for p, m in index.principles.items()]
    named += [
        (("crosswalk", key, item), m)
        for key, items in index.crosswalks.items()
        for item, m in items.items()
    ]
    named += [(("heat", row, p), m) for (row, p), m in index.heatmap.items()]
    scale = max((q.weight.as_integer_ratio()[1] for q in bank.questions), default=1)
    units = [int(q.weight * scale) for q in bank.questions]
    # Sums of whole units are exact in floats below 2**53; weights with many binary digits
    # (0.1 is 3602879701896397 / 2**55) are summed as Python integers instead.
    exact = sum(units) * max(bank.max_level, 1) < 2**53
    kind = float if exact else object
    members = np.zeros((len(bank.questions), len(named)), dtype=kind)
    for column, (_, questions) in enumerate(named):
        members[list(questions), column] = 1
    keys = tuple(k for k, _ in named)
    labels = tuple("/".join(k[1:]) if k[0] == "heat" else k[-1] for k in keys)
    sizes = tuple(len(m) for _, m in named)
    statics = []
    for q in bank.questions:
        area = bank.clauses[q.clause].area
        assert area is not None  # noqa: S101 - the cross-reference checks give every leaf an area
        statics.append((q.id, q.clause, area, q.principles, q.weight))
    kinds = tuple((bank.strengths[q.id], bank.is_option(q.id)) for q in bank.questions)
    return Groups(
        keys,
        labels,
        members,
        sizes,
        np.array(units, dtype=kind),
        index.leaves,
        tuple(statics),
        kinds,
    )


# Banks are immutable and their content hash names their content: the groups of a bank are
# worked out once, whatever object carries it.
_GROUPS: dict[str, Groups] = {}


def _groups(bank: Bank) -> Groups:
    found = _GROUPS.get(bank.content_hash)
    if found is None:
        found = _GROUPS[bank.content_hash] = groups_of(bank)
    return found


def target_for(clause_id: str, bank: Bank, answers: AnswersFile) -> int:
    """Nearest ancestor clause with a target wins; then the answers' default; then the bank's."""
    return bank.target_for(clause_id, answers)


class _Card(NamedTuple):
    """One organisation's question scores, and per question what its groups' sums read."""

    questions: list[QuestionScore]
    levels: list[float]  # the level where answered with one, else 0
    counted: list[bool]  # answered with a level
    applicable: list[bool]  # not na
    targets: list[int]


def _question_scores(bank: Bank, groups: Groups, answers: AnswersFile) -> _Card:
    targets = {clause: target_for(clause, bank, answers) for clause in groups.leaves}
    given = answers.answers.get
    level_of = bank.level_of
    # Most banks have no choices and most organisations pick no preset: their level is the
    # answer's, read straight off it (scoring 1,000 organisations is dominated by this loop).
    resolve = answers.preset is not None or bank.has_choices
    card = _Card([], [], [], [], [])
    for q, static, kinds in zip(bank.questions, groups.questions, groups.kinds, strict=True):
        answer = given(q.id)
        level = level_of(q.id, answers) if resolve else (None if answer is None else answer.level)
        target = targets[q.clause]
        gap = priority = None
        counted = isinstance(level, int | float)
        if isinstance(level, int | float):
            gap = float(target - level)
            # An option is never required: it gains nothing on the roadmap.
            priority = 0.0 if kinds[1] else max(0, target - level) * q.weight
        finding = None if answer is None else answer.grade
        made = (*static, level, target, gap, priority, finding, *kinds)
        card.questions.append(_new(QuestionScore, made))
        card.levels.append(level if isinstance(level, int | float) else 0)
        card.counted.append(counted)
        card.applicable.append(level != "na")
        card.targets.append(target)
    return card


def _group_scores(groups: Groups, card: _Card, top: int) -> list[GroupScore]:
    kind, m = groups.members.dtype, groups.members
    counted = np.array(card.counted, dtype=kind)
    w = groups.units * counted  # a question's weight where it counts, else 0
    sum_w = w @ m
    sum_wl = (w * np.array(card.levels, dtype=kind)) @ m
    sum_wt = (w * np.array(card.targets, dtype=kind)) @ m
    n = (counted @ m).astype(int)
    n_applicable = (np.array(card.applicable, dtype=kind) @ m).astype(int)
    divisor = np.where(n > 0, sum_w, 1)  # a group that counts nothing scores None below
    mean = (sum_wl / divisor).astype(float)
    goal = (sum_wt / divisor).astype(float)
    coverage = n / np.where(n_applicable > 0, n_applicable, 1)
    columns = (mean, mean / top * 100, np.floor(mean).astype(int), coverage, goal, goal - mean)
    means, percents, stages, coverages, goals, gaps = (c.tolist() for c in columns)
    out = []
    for g, (label, size) in enumerate(zip(groups.labels, groups.sizes, strict=True)):
        counts = (int(n[g]), int(n_applicable[g]), size)
        if counts[0]:
            made = (
                label,
                means[g],
                percents[g],
                stages[g],
                coverages[g],
                *counts,
                goals[g],
                gaps[g],
            )
        else:
            none_counted = 0.0 if counts[1] else None
            made = (label, None, None, None, none_counted, *counts, None, None)
        out.append(_new(GroupScore, made))
    return out


def _roadmap(bank: Bank, questions: list[QuestionScore]) -> tuple[QuestionScore, ...]:
    rank = bank.membership.clause_rank
    gaining = [q for q in questions if q.priority]
    return tuple(sorted(gaining, key=lambda q: (-(q.priority or 0), rank[q.clause], q.id)))


def score(bank: Bank, answers: AnswersFile) -> Scorecard:
    groups = _groups(bank)
    with _collector_paused():
        card = _question_scores(bank, groups, answers)
        found = _group_scores(groups, card, bank.max_level)
        return _scorecard(bank, groups, card.questions, found)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """A scorecard is some 300 small tuples, none of them in a reference cycle; while a
    portfolio is scored the cycle collector would otherwise walk every loaded model again and
    again (half the time of scoring 1,000 organisations, BENCHMARKS.md)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _scorecard(
    bank: Bank, groups: Groups, questions: list[QuestionScore], row: list[GroupScore]
) -> Scorecard:
    by_kind: dict[str, list[GroupScore]] = {}
    crosswalks: dict[str, list[GroupScore]] = {name: [] for name in bank.membership.crosswalks}
    heatmap = {}
    for key, group in zip(groups.keys, row, strict=True):
        by_kind.setdefault(key[0], []).append(group)
        if key[0] == "crosswalk":
            crosswalks[key[1]].append(group)
        elif key[0] == "heat":
            heatmap[(key[1], key[-1])] = group
    return Scorecard(
        bank_id=bank.id,
        bank_version=bank.version,
        bank_hash=bank.content_hash,
        max_level=bank.max_level,
        overall=by_kind["overall"][0],
        areas=tuple(by_kind.get("area", ())),
        clauses=tuple(by_kind.get("clause", ())),
        principles=tuple(by_kind.get("principle", ())),
        questions=tuple(questions),
        roadmap=_roadmap(bank, questions),
        crosswalks=MappingProxyType({k: tuple(v) for k, v in crosswalks.items()}),
        heatmap=MappingProxyType(heatmap),
    )


def heatmap_rows(bank: Bank) -> tuple[str, ...]:
    """Rows of the clause x principle heat map: the clauses just below the top level."""
    return bank.membership.heatmap_rows
