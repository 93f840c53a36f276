"""Scores, gaps, findings and roadmap for other tools: one JSON document and one CSV row per
question, both naming the bank version and content hash."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from assessment.io.serialize import finding_json, scorecard_json
from assessment.load.loader import Assessment
from assessment.load.models.answers import Action, Answer
from assessment.score.readiness import assess_readiness
from assessment.score.roadmap import phase_of
from assessment.score.scoring import Scorecard

CSV_COLUMNS = [
    "organisation", "bank", "bank_version", "bank_hash", "question", "clause", "area", "principles",
    "weight", "level", "target", "gap", "priority", "roadmap_rank", "phase", "finding", "reason",
    "evidence", "note", "decided_by", "finding_status", "finding_requirement", "finding_evidence",
    "finding_statement", "finding_correction", "finding_root_cause", "finding_corrective_action",
    "finding_owner", "finding_due", "finding_closed", "finding_verified", "action_owner",
    "action_due", "action_status", "action_overdue", "action_note",
]  # fmt: skip
_RECORD_COLUMNS = (
    "status", "requirement", "evidence", "statement", "correction", "root_cause",
    "corrective_action", "owner", "due", "closed", "verified",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe. Line
    breaks become LF: the writer quotes a cell holding one, but not a bare CR, which a
    spreadsheet reads as the start of a new row (whose first cell could be a formula)."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + value if value.startswith(_FORMULA_START) else value


def export_json(assessment: Assessment, card: Scorecard) -> dict[str, Any]:
    data = scorecard_json(card, assessment.answers)
    verdict = assess_readiness(card, assessment.answers, assessment.bank)
    data["readiness"] = {
        "ready": verdict.ready,
        "against": verdict.against,
        "scheme": verdict.scheme,
        "rules": [
            {
                "id": r.id,
                "threshold": r.threshold,
                "default": r.default,
                "own": r.own,
                "actual": r.actual,
                "passed": r.passed,
                "failing": list(r.failing),
            }
            for r in verdict.rules
        ],
    }
    day = assessment.answers.assessment.date
    actions = assessment.answers.actions
    data["roadmap"] = [
        {
            "id": q.id,
            "priority": q.priority,
            "phase": phase_of(q),
            "action": _action_json(actions.get(q.id), day),
        }
        for q in card.roadmap
    ]
    # Actions on questions off the roadmap (already at target, or not answered) are kept too.
    data["actions"] = {qid: _action_json(a, day) for qid, a in actions.items()}
    data["findings"] = [
        {
            "id": q.id,
            "clause": q.clause,
            "area": q.area,
            "finding": q.finding,
            "note": _note(assessment, q.id),
            **(finding_json(assessment.answers, q.id) or {}),
        }
        for q in card.questions
        if q.finding and q.finding != "conforming"  # conformity is not a finding (as the site)
    ]
    return data


def _action_json(action: Action | None, day: dt.date) -> dict[str, Any] | None:
    if action is None:
        return None
    return action.model_dump(mode="json") | {"overdue": action.overdue(day)}


def _note(assessment: Assessment, question_id: str) -> str | None:
    answer = assessment.answers.answers.get(question_id)
    return answer.note if answer else None


def export_csv(assessment: Assessment, card: Scorecard) -> str:
    rank = {q.id: i for i, q in enumerate(card.roadmap, start=1)}
    day = assessment.answers.assessment.date
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for q in card.questions:
        answer = assessment.answers.answers.get(q.id)
        row = [
            assessment.answers.organisation.id, card.bank_id, card.bank_version, card.bank_hash, q.id, q.clause,
            q.area, ";".join(q.principles), q.weight, "" if q.level is None else q.level, q.target,
            "" if q.gap is None else q.gap, "" if q.priority is None else q.priority, rank.get(q.id, ""),
            phase_of(q) if q.id in rank else "", q.finding or "",
            answer.reason or "" if answer else "", " | ".join(answer.evidence) if answer else "",
            answer.note or "" if answer else "", answer.decided_by or "" if answer else "",
            *_record_cells(answer), *_action_cells(assessment.answers.actions.get(q.id), day),
        ]  # fmt: skip
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def _action_cells(action: Action | None, day: dt.date) -> list[object]:
    if action is None:
        return [""] * 5
    due = "" if action.due is None else action.due.isoformat()
    overdue = "yes" if action.overdue(day) else "no"
    return [action.owner or "", due, action.status, overdue, action.note or ""]


def _record_cells(answer: Answer | None) -> list[object]:
    record = None if answer is None else answer.record
    if record is None:
        return [""] * len(_RECORD_COLUMNS)
    values = (getattr(record, key) for key in _RECORD_COLUMNS)
    return ["" if v is None else str(v) for v in values]


def export_files(assessment: Assessment, card: Scorecard) -> dict[str, str]:
    stem = assessment.answers.organisation.id
    return {
        f"{stem}.json": json.dumps(export_json(assessment, card), ensure_ascii=False, indent=2)
        + "\n",
        f"{stem}.csv": export_csv(assessment, card),
    }
