"""The Findings sheet of a questionnaire workbook: one row per finding written the audit way
(requirement, evidence, statement, action, owner, due, status and its dates). The grade stays
in the question sheets' Finding column; a row here completes that finding's record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from assessment.io.xlsx_layout import FINDING_COLUMNS, FINDING_DATES, pick
from assessment.load.models.answers import FINDING_STATUSES, AnswersFile, FindingRecord

Loc = tuple[str | int, ...]


def write_findings(
    ws: Any,
    text: Callable[[Any, str | None, str], None],
    header: Callable[[Any, list[str], list[float]], None],
    lang: str,
    answers: AnswersFile | None,
) -> None:
    roles = list(FINDING_COLUMNS)
    header(ws, [pick(FINDING_COLUMNS[r], lang) for r in roles], [16.0] + [28.0] * (len(roles) - 1))
    given = answers.answers.items() if answers is not None else ()
    records = [(qid, a.finding) for qid, a in given if isinstance(a.finding, FindingRecord)]
    for row, (qid, record) in enumerate(records, 2):
        data = record.model_dump(mode="python", exclude={"grade"}) | {"question": qid}
        for col, role in enumerate(roles, 1):
            value = data.get(role)
            if value is not None:
                text(ws.cell(row=row, column=col), str(value), f"answers.{qid}.finding.{role}")
    ws.freeze_panes = "B2"


def read_findings(
    rows: list[tuple[dict[str, object], dict[str, str]]],
    problem: Callable[[str, str], None],
    cell_text: Callable[[object], str | None],
    found: dict[str, Any],
    where: dict[Loc, str],
) -> None:
    """Attach each row's record to the grade its question sheet gives; rows are (cells by
    role, cell references by role)."""
    for cells, refs in rows:
        values: dict[str, str] = {}
        for role, raw in cells.items():
            if role in FINDING_DATES and isinstance(raw, dt.date):
                values[role] = raw.isoformat()[:10]  # a date cell (datetime too): its day
            elif text := (cell_text(raw) or "").strip():
                values[role] = text
        qid = values.pop("question", "")
        if not qid:
            if values:
                problem(refs["question"], "a finding in a row without a question id")
            continue
        answer = found.get(qid)
        grade = None if answer is None else answer.get("finding")
        if answer is None or not isinstance(grade, str):
            problem(refs["question"], f"question {qid} has no finding grade on its question sheet")
            continue
        if "status" in values:
            values["status"] = values["status"].casefold()
            if values["status"] not in FINDING_STATUSES:
                problem(refs["status"], f"status is not one of {', '.join(FINDING_STATUSES)}")
                continue
        answer["finding"] = {"grade": grade, **values}
        where[("answers", qid, "finding")] = refs["question"]
        where |= {("answers", qid, "finding", role): refs[role] for role in values}
