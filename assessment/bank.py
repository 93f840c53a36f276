"""A validated question bank with the indexes every later stage needs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .models.bank import Clause, Manifest, Question
from .models.base import Text


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
        return {clause_id: i for i, clause_id in enumerate(self.clauses)}

    def questions_in(self, clause_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if clause_id in self.lineage(q.clause))


def content_hash(manifest: Manifest, questions: tuple[Question, ...]) -> str:
    """sha256 over the canonical JSON of the bank, so a report names exactly what it used."""
    payload = {
        "manifest": manifest.model_dump(mode="json"),
        "questions": [q.model_dump(mode="json") for q in questions],
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
