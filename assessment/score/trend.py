"""Rounds over time: scores per round, deltas, regressions, and what changed per question.

A change is attributed to the bank, not to the answers, when the question is new in the later
bank, was removed from it, or its text or level descriptors changed between bank versions. A
question that names earlier ids in `replaces` (split, renamed or merged) is compared with the
level those had, as a bank-caused change; the ids it replaces are not reported removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from assessment.load.bank import Level
from assessment.load.loader import Assessment
from assessment.load.models.bank import Question
from assessment.score.scoring import Scorecard

ChangeKind = Literal["answer", "bank-new", "bank-removed", "bank-changed", "bank-replaced"]


@dataclass(frozen=True)
class RoundPoint:
    date: dt.date
    title: str
    bank_version: str
    bank_hash: str
    card: Scorecard


@dataclass(frozen=True)
class Delta:
    kind: str  # overall | area | principle
    id: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def regression(self) -> bool:
        return self.change is not None and self.change < -1e-9


@dataclass(frozen=True)
class QuestionChange:
    id: str
    clause: str
    before: Level
    after: Level
    kind: ChangeKind


@dataclass(frozen=True)
class FollowUp:
    """An action of the previous round's plan, seen from this round: was it done, and did
    the question's level move?"""

    id: str
    status: str  # as the previous round recorded it
    owner: str | None
    before: Level
    after: Level  # the same question now, or the lowest of the questions replacing it

    @property
    def moved(self) -> bool:
        # Levels are numbers (a question answered by choice scores a fraction of the scale),
        # or "na", or None when unanswered.
        before, after = self.before, self.after
        return isinstance(before, int | float) and isinstance(after, int | float) and after > before


@dataclass(frozen=True)
class Trend:
    points: tuple[RoundPoint, ...]  # oldest first
    deltas: tuple[Delta, ...]  # last round against the one before
    changes: tuple[QuestionChange, ...]
    bank_changed: bool
    follow_ups: tuple[FollowUp, ...] = ()

    @property
    def regressions(self) -> tuple[Delta, ...]:
        return tuple(d for d in self.deltas if d.regression)


def _fingerprint(question: Question) -> str:
    payload = question.model_dump(mode="json", include={"text", "levels", "clause"})
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _deltas(before: Scorecard, after: Scorecard) -> tuple[Delta, ...]:
    out = [Delta("overall", "overall", before.overall.score, after.overall.score)]
    for kind, old_groups, new_groups in (
        ("area", before.areas, after.areas),
        ("principle", before.principles, after.principles),
    ):
        old = {g.id: g.score for g in old_groups}
        out += [Delta(kind, g.id, old.get(g.id), g.score) for g in new_groups]
    return tuple(out)


def _changes(before: Assessment, after: Assessment) -> tuple[QuestionChange, ...]:
    old_bank, new_bank = before.bank.question_index, after.bank.question_index
    old_answers, new_answers = before.answers.answers, after.answers.answers
    out: list[QuestionChange] = []
    taken_over: set[str] = set()
    for q in after.bank.questions:
        new_level = after.bank.answer_level(q.id, new_answers.get(q.id))
        if q.id not in old_bank:
            earlier = [old for old in q.replaces if old in old_bank]
            if earlier:
                taken_over.update(earlier)
                levels = [
                    before.bank.answer_level(o, old_answers[o]) for o in earlier if o in old_answers
                ]
                before_level = levels[0] if len(levels) == 1 else _lowest(levels)
                out.append(QuestionChange(q.id, q.clause, before_level, new_level, "bank-replaced"))
            else:
                out.append(QuestionChange(q.id, q.clause, None, new_level, "bank-new"))
            continue
        old_level = before.bank.answer_level(q.id, old_answers.get(q.id))
        if _fingerprint(old_bank[q.id]) != _fingerprint(q):
            out.append(QuestionChange(q.id, q.clause, old_level, new_level, "bank-changed"))
        elif old_level != new_level:
            out.append(QuestionChange(q.id, q.clause, old_level, new_level, "answer"))
    for q in before.bank.questions:
        if q.id not in new_bank and q.id not in taken_over:
            old_level = before.bank.answer_level(q.id, old_answers.get(q.id))
            out.append(QuestionChange(q.id, q.clause, old_level, None, "bank-removed"))
    return tuple(out)


def _follow_ups(before: Assessment, after: Assessment) -> tuple[FollowUp, ...]:
    new_answers = after.answers.answers
    successors: dict[str, list[str]] = {}
    for q in after.bank.questions:
        for old in q.replaces:
            successors.setdefault(old, []).append(q.id)
    out = []
    for qid, action in before.answers.actions.items():
        given = before.answers.answers.get(qid)
        now_ids = [qid] if qid in after.bank.question_index else successors.get(qid, [])
        levels = [after.bank.answer_level(n, new_answers[n]) for n in now_ids if n in new_answers]
        now = levels[0] if len(levels) == 1 else _lowest(levels)
        then = before.bank.answer_level(qid, given) if qid in before.bank.question_index else None
        out.append(FollowUp(qid, action.status, action.owner, then, now))
    return tuple(out)


def _lowest(levels: Sequence[Level]) -> Level:
    """Of several replaced questions' levels, the lowest numeric one (a merge is only as
    strong as its weakest part); None where none was rated."""
    numeric = [lv for lv in levels if isinstance(lv, int | float)]
    return min(numeric) if numeric else None


def build_trend(rounds: Sequence[tuple[Assessment, Scorecard]]) -> Trend | None:
    """None for a single round; rounds must be given oldest first."""
    if len(rounds) < 2:
        return None
    points = tuple(
        RoundPoint(
            a.answers.assessment.date,
            a.answers.assessment.title,
            a.bank.version,
            a.bank.content_hash,
            c,
        )
        for a, c in rounds
    )
    (before, old_card), (after, new_card) = rounds[-2], rounds[-1]
    return Trend(
        points=points,
        deltas=_deltas(old_card, new_card),
        changes=_changes(before, after),
        bank_changed=before.bank.content_hash != after.bank.content_hash,
        follow_ups=_follow_ups(before, after),
    )
