"""A validated question bank with the indexes every later stage needs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Literal

from assessment.load.models.answers import Answer, AnswersFile
from assessment.load.models.bank import STRENGTHS, Clause, Manifest, Provenance, Question, Strength
from assessment.load.models.base import Text

# What a question scores: a level of the ladder, a choice's value on the same scale (which
# may fall between levels), not applicable, or nothing yet.
Level = int | float | Literal["na"] | None


@dataclass(frozen=True)
class ClauseNode:
    id: str
    title: Text
    area: str | None
    parent: str | None
    depth: int
    children: tuple[str, ...]
    source: Clause

    @property
    def is_leaf(self) -> bool:
        return not self.children


def _walk(
    clauses: tuple[Clause, ...], parent: str | None, area: str | None, depth: int
) -> Iterator[ClauseNode]:
    for clause in clauses:
        effective_area = clause.area or area
        yield ClauseNode(
            id=clause.id,
            title=clause.title,
            area=effective_area,
            parent=parent,
            depth=depth,
            children=tuple(child.id for child in clause.children),
            source=clause,
        )
        yield from _walk(clause.children, clause.id, effective_area, depth + 1)


def clause_nodes(manifest: Manifest) -> tuple[ClauseNode, ...]:
    """Every clause in document order, with its effective area inherited from above."""
    return tuple(_walk(manifest.clauses, None, None, 0))


@dataclass(frozen=True)
class Membership:
    """Which questions (by position in Bank.questions) make up each scored group."""

    clause_rank: Mapping[str, int]
    leaves: tuple[str, ...]  # clauses that hold questions
    clauses: Mapping[
        str, tuple[int, ...]
    ]  # every clause, in document order, with sub-clauses' questions
    areas: Mapping[str, tuple[int, ...]]
    principles: Mapping[str, tuple[int, ...]]
    crosswalks: Mapping[str, Mapping[str, tuple[int, ...]]]
    heatmap_rows: tuple[str, ...]  # the clauses just below the top level
    heatmap: Mapping[tuple[str, str], tuple[int, ...]]  # (clause, principle)


@dataclass(frozen=True)
class Bank:
    manifest: Manifest
    questions: tuple[Question, ...]
    content_hash: str
    clauses: Mapping[str, ClauseNode] = field(init=False)
    question_index: Mapping[str, Question] = field(init=False)

    def __post_init__(self) -> None:
        nodes = clause_nodes(self.manifest)
        object.__setattr__(self, "clauses", MappingProxyType({n.id: n for n in nodes}))
        object.__setattr__(
            self, "question_index", MappingProxyType({q.id: q for q in self.questions})
        )

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(level.level for level in self.manifest.scale)

    @property
    def max_level(self) -> int:
        return max(self.levels)

    def lineage(self, clause_id: str) -> tuple[str, ...]:
        """The clause and its ancestors, nearest first."""
        chain: list[str] = []
        current: str | None = clause_id
        while current is not None:
            chain.append(current)
            current = self.clauses[current].parent
        return tuple(chain)

    def clause_order(self) -> dict[str, int]:
        return dict(self.membership.clause_rank)

    @cached_property
    def strengths(self) -> Mapping[str, Strength | None]:
        """Each question's strength: the strongest of the points it covers (None where the
        bank states no strength for any of them)."""
        out: dict[str, Strength | None] = {}
        for q in self.questions:
            points = {p.id: p for p in self.clauses[q.clause].source.points}
            stated = [points[c].strength for c in q.covers if c in points]
            known = [s for s in stated if s is not None]
            out[q.id] = min(known, key=STRENGTHS.index) if known else None
        return MappingProxyType(out)

    @cached_property
    def has_choices(self) -> bool:
        return any(q.choices for q in self.questions)

    @cached_property
    def presets(self) -> Mapping[str, frozenset[str]]:
        """Each preset's questions, by id."""
        return MappingProxyType(
            {
                p.id: frozenset(q.id for q in self.questions if p.id in q.presets)
                for p in self.manifest.presets
            }
        )

    def answer_level(self, question_id: str, answer: Answer | None) -> Level:
        """What an answer scores: its level, or for a question with choices the picked
        value times the top level (a whole number where it comes out whole)."""
        if answer is None:
            return None
        if not answer.picked:
            return answer.level
        value = self.question_index[question_id].choice_value(answer.picked) * self.max_level
        return int(value) if value.is_integer() else value

    def level_of(self, question_id: str, answers: AnswersFile) -> Level:
        """A question's level for this organisation: outside the preset it picked the
        question does not apply."""
        if answers.preset is not None and question_id not in self.presets[answers.preset]:
            return "na"
        return self.answer_level(question_id, answers.answers.get(question_id))

    def is_option(self, question_id: str) -> bool:
        """A question that covers only `may` provisions: a permitted option, answered and
        shown but never scored as required."""
        return self.strengths[question_id] == "may"

    @cached_property
    def scored(self) -> tuple[int, ...]:
        """Positions in `questions` of the questions that are scored (options are not)."""
        return tuple(i for i, q in enumerate(self.questions) if not self.is_option(q.id))

    @cached_property
    def knockouts(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions if q.knockout)

    def clause_provenance(self, clause_id: str) -> tuple[Provenance, Text | None]:
        """Whether a clause rests on the source text, inherited from the nearest clause that
        says, with that clause's one-line note."""
        for ancestor in self.lineage(clause_id):
            source = self.clauses[ancestor].source
            if source.provenance is not None:
                return source.provenance, source.provenance_note
        return "source", None

    def question_provenance(self, question_id: str) -> tuple[Provenance, Text | None]:
        q = self.question_index[question_id]
        if q.provenance is not None:
            return q.provenance, q.provenance_note
        return self.clause_provenance(q.clause)

    def target_for(self, clause_id: str, answers: AnswersFile) -> int:
        """Nearest ancestor clause with a target wins; then the answers' default; then the
        bank's."""
        for ancestor in self.lineage(clause_id):
            if ancestor in answers.targets.clauses:
                return answers.targets.clauses[ancestor]
        if answers.targets.default is not None:
            return answers.targets.default
        return self.manifest.default_target

    @cached_property
    def membership(self) -> Membership:
        """Computed once per bank: scoring many organisations reuses it."""
        scored = set(self.scored)
        numbered = [(i, q) for i, q in enumerate(self.questions) if i in scored]
        clauses: dict[str, list[int]] = {clause_id: [] for clause_id in self.clauses}
        for i, q in numbered:
            for ancestor in self.lineage(q.clause):
                clauses[ancestor].append(i)
        rows = tuple(c.id for c in self.clauses.values() if c.depth == 1)
        principles = [p.id for p in self.manifest.principles]
        return Membership(
            clause_rank={clause_id: i for i, clause_id in enumerate(self.clauses)},
            leaves=tuple(dict.fromkeys(q.clause for q in self.questions)),
            clauses={c: tuple(members) for c, members in clauses.items()},
            areas={
                a.id: tuple(i for i, q in numbered if self.clauses[q.clause].area == a.id)
                for a in self.manifest.areas
            },
            principles={p: tuple(i for i, q in numbered if p in q.principles) for p in principles},
            crosswalks={
                key: {
                    item.id: tuple(i for i, q in numbered if item.id in q.crosswalk.get(key, ()))
                    for item in crosswalk.items
                }
                for key, crosswalk in self.manifest.crosswalks.items()
            },
            heatmap_rows=rows,
            heatmap={
                (row, p): tuple(i for i in clauses[row] if p in self.questions[i].principles)
                for row in rows
                for p in principles
            },
        )


def content_hash(manifest: Manifest, questions: tuple[Question, ...]) -> str:
    """sha256 over the canonical JSON of the bank as written (fields left at their defaults
    are left out, so a bank keeps its hash when a later cxassess adds an optional field), so
    a report names exactly what it used."""
    payload = {
        "manifest": manifest.model_dump(mode="json", exclude_defaults=True),
        "questions": [q.model_dump(mode="json", exclude_defaults=True) for q in questions],
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
