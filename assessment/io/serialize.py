"""Machine-readable views of the bank and of a scorecard (full precision, stable key order)."""

from __future__ import annotations

from typing import Any

from assessment.load.bank import Bank
from assessment.load.models.answers import AnswersFile
from assessment.score.scoring import GroupScore, Scorecard


def group_json(group: GroupScore) -> dict[str, Any]:
    data = group._asdict()
    del data["total"]
    return data


def scorecard_json(card: Scorecard, answers: AnswersFile) -> dict[str, Any]:
    return {
        "bank": {"id": card.bank_id, "version": card.bank_version, "content_hash": card.bank_hash},
        "organisation": answers.organisation.model_dump(mode="json"),
        "assessment": answers.assessment.model_dump(mode="json"),
        "overall": group_json(card.overall),
        "areas": [group_json(g) for g in card.areas],
        "clauses": [group_json(g) for g in card.clauses],
        "principles": [group_json(g) for g in card.principles],
        "questions": [
            {
                "id": q.id,
                "clause": q.clause,
                "area": q.area,
                "principles": list(q.principles),
                "weight": q.weight,
                "level": q.level,
                "target": q.target,
                "gap": q.gap,
                "priority": q.priority,
                "strength": q.strength,
                "option": q.option,
                "finding": q.finding,
                "finding_record": finding_json(answers, q.id),
                "decided_by": _answer_field(answers, q.id, "decided_by"),
            }
            for q in card.questions
        ],
        "roadmap": [q.id for q in card.roadmap],
    }


def bank_json(bank: Bank) -> dict[str, Any]:
    manifest = bank.manifest.model_dump(mode="json")
    return {
        "id": bank.id,
        "version": bank.version,
        "content_hash": bank.content_hash,
        "manifest": manifest,
        "questions": [
            {**q.model_dump(mode="json"), "area": bank.clauses[q.clause].area}
            for q in bank.questions
        ],
    }


def finding_json(answers: AnswersFile, question_id: str) -> dict[str, Any] | None:
    """Every field of a question's finding (a grade alone is an open record)."""
    answer = answers.answers.get(question_id)
    record = None if answer is None else answer.record
    return None if record is None else record.model_dump(mode="json")


def _answer_field(answers: AnswersFile, question_id: str, key: str) -> Any:
    answer = answers.answers.get(question_id)
    return None if answer is None else getattr(answer, key)
