"""What pages show an auditor beyond the scores: findings as records with their life cycle,
each provision's strength, what rests on the standard's text and what was reconstructed.

A mixin of render.view.View: it reads the view's bank, card, answers and labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assessment.load.models.answers import (
    ACTION_STATUSES,
    FINDINGS,
    NONCONFORMITIES,
    Action,
    FindingRecord,
)
from assessment.load.models.base import Text

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

    from assessment.load.bank import Bank
    from assessment.load.models.answers import Answer
    from assessment.score.scoring import QuestionScore, Scorecard


@dataclass(frozen=True)
class Finding:
    """One graded finding on the register, the audit way."""

    score: QuestionScore
    record: FindingRecord
    overdue: bool  # open past its due date, as of the assessment date
    # A nonconformity, or any finding written as a record, has a life cycle to follow; an
    # observation given as a grade alone has none.
    tracked: bool


class AuditView:
    # Given by View, which this is mixed into.
    if TYPE_CHECKING:

        @property
        def bank(self) -> Bank: ...

        @property
        def card(self) -> Scorecard: ...

        def answer(self, question_id: str) -> Answer | None: ...

        def _assessed_on(self) -> dt.date: ...

        def _rank_of(self, clause_id: str) -> int: ...

        def _actions(self) -> Mapping[str, Action]: ...

    # -- findings -----------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        """Graded findings (conformity is not a finding), gravest first, then clause order."""
        rank = {grade: i for i, grade in enumerate(FINDINGS)}
        today = self._assessed_on()
        out = []
        for q in self.card.questions:
            answer = self.answer(q.id)
            record = None if answer is None else answer.record
            if answer is None or record is None or record.grade == "conforming":
                continue
            late = record.status == "open" and record.due is not None and record.due < today
            tracked = record.grade in NONCONFORMITIES or isinstance(answer.finding, FindingRecord)
            out.append(Finding(q, record, late and tracked, tracked))
        return sorted(
            out, key=lambda f: (rank[f.record.grade], self._rank_of(f.score.clause), f.score.id)
        )

    def finding_counts(self, area_id: str | None = None) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(FINDINGS, 0)
        for q in self.card.questions:
            if q.finding and (area_id is None or q.area == area_id):
                counts[q.finding] += 1
        return counts

    def status_counts(self) -> dict[str, int]:
        """Nonconformities by life-cycle state: open (overdue among them), closed, verified."""
        counts = {"open": 0, "overdue": 0, "closed": 0, "verified": 0}
        for found in self.findings():
            if found.record.grade not in NONCONFORMITIES:
                continue
            counts[found.record.status] += 1
            counts["overdue"] += found.overdue
        return counts

    def finding_record(self, question_id: str) -> FindingRecord | None:
        answer = self.answer(question_id)
        return None if answer is None else answer.record

    # -- the action plan ----------------------------------------------------------------
    def action(self, question_id: str) -> Action | None:
        return self._actions().get(question_id)

    def action_overdue(self, question_id: str) -> bool:
        found = self.action(question_id)
        return found is not None and found.overdue(self._assessed_on())

    def action_counts(self) -> dict[str, int]:
        """Actions of the plan by status, with the overdue ones counted apart."""
        counts = dict.fromkeys((*ACTION_STATUSES, "overdue"), 0)
        for qid, found in self._actions().items():
            counts[found.status] += 1
            counts["overdue"] += self.action_overdue(qid)
        return counts

    # -- provisions ---------------------------------------------------------------------
    def strength_of(self, question_id: str) -> str | None:
        return self.bank.strengths[question_id]

    def is_option(self, question_id: str) -> bool:
        return self.bank.is_option(question_id)

    def reconstructed(self, question_id: str) -> Text | None:
        """The one-line note where a question rests on reconstructed text, else None."""
        provenance, note = self.bank.question_provenance(question_id)
        if provenance == "source":
            return None
        return note or Text(zh="重构内容", en="Reconstructed")

    def clause_reconstructed(self, clause_id: str) -> Text | None:
        provenance, note = self.bank.clause_provenance(clause_id)
        if provenance == "source":
            return None
        return note or Text(zh="重构内容", en="Reconstructed")

    def reconstructed_clauses(self) -> list[str]:
        """The highest clauses marked reconstructed (their sub-clauses inherit it)."""
        return [c.id for c in self.bank.clauses.values() if c.source.provenance == "reconstructed"]

    def reconstructed_questions(self) -> list[str]:
        return [q.id for q in self.bank.questions if q.provenance == "reconstructed"]

    def exclusions(self) -> list[tuple[str, Answer]]:
        """Every question excluded as not applicable, with its answer (reason, who decided)."""
        given = ((q.id, self.answer(q.id)) for q in self.card.questions if q.level == "na")
        return [(qid, a) for qid, a in given if a is not None]
