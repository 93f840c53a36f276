"""Sheets of a questionnaire workbook that hold one record per question, beside the question
sheets: Findings (the rest of a finding written the audit way; the grade stays in the question
sheets' Finding column) and Actions (the action plan: owner, due, status, note)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from assessment.io.xlsx_layout import (
    ACTION_COLUMNS,
    ACTIONS_SHEET,
    FINDING_COLUMNS,
    FINDINGS_SHEET,
    pick,
)
from assessment.load.models.answers import (
    ACTION_STATUSES,
    FINDING_STATUSES,
    AnswersFile,
    FindingRecord,
)

Loc = tuple[str | int, ...]
Text = Callable[[Any, str | None, str], None]
Header = Callable[[Any, list[str], list[float]], None]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one of SHEETS
class RecordSheet:
    key: str  # where a record sits in an answers file: answers.<id>.finding or actions.<id>
    title: tuple[str, str]
    columns: dict[str, tuple[str, str]]  # the first is the question id
    dates: tuple[str, ...]
    statuses: tuple[str, ...]

    def records(self, answers: AnswersFile | None) -> Iterable[tuple[str, dict[str, Any]]]:
        if answers is None:
            return
        if self.key == "finding":
            for qid, a in answers.answers.items():
                if isinstance(a.finding, FindingRecord):
                    yield qid, a.finding.model_dump(mode="python", exclude={"grade"})
        else:
            for qid, action in answers.actions.items():
                yield qid, action.model_dump(mode="python")

    def where(self, qid: str) -> Loc:
        return ("answers", qid, "finding") if self.key == "finding" else ("actions", qid)


FINDINGS = RecordSheet(
    "finding", FINDINGS_SHEET, FINDING_COLUMNS, ("due", "closed", "verified"), FINDING_STATUSES
)
ACTIONS = RecordSheet("action", ACTIONS_SHEET, ACTION_COLUMNS, ("due",), ACTION_STATUSES)
SHEETS = (FINDINGS, ACTIONS)


def write_records(
    ws: Any, text: Text, header: Header, lang: str, sheet: RecordSheet, answers: AnswersFile | None
) -> None:
    roles = list(sheet.columns)
    header(ws, [pick(sheet.columns[r], lang) for r in roles], [16.0] + [28.0] * (len(roles) - 1))
    for row, (qid, data) in enumerate(sheet.records(answers), 2):
        data["question"] = qid
        where = ".".join(map(str, sheet.where(qid)))
        for col, role in enumerate(roles, 1):
            value = data.get(role)
            if value is not None:
                text(ws.cell(row=row, column=col), str(value), f"{where}.{role}")
    ws.freeze_panes = "B2"


def read_records(
    sheet: RecordSheet,
    rows: list[tuple[dict[str, object], dict[str, str]]],
    problem: Callable[[str, str], None],
    cell_text: Callable[[object], str | None],
    data: dict[str, Any],
    where: dict[Loc, str],
) -> None:
    """Each row's record into `data` (the answers file being rebuilt): a finding completes the
    grade its question sheet gives; an action goes under actions. Rows are (cells by role,
    cell references by role)."""
    for cells, refs in rows:
        values: dict[str, str] = {}
        for role, raw in cells.items():
            if role in sheet.dates and isinstance(raw, dt.date):
                values[role] = raw.isoformat()[:10]  # a date cell (datetime too): its day
            elif text := (cell_text(raw) or "").strip():
                values[role] = text
        qid = values.pop("question", "")
        if not qid:
            if values:
                problem(refs["question"], "a row without a question id")
            continue
        if "status" in values:
            values["status"] = values["status"].casefold()
            if values["status"] not in sheet.statuses:
                problem(refs["status"], f"status is not one of {', '.join(sheet.statuses)}")
                continue
        if sheet.key == "finding":
            answer = data["answers"].get(qid)
            grade = None if answer is None else answer.get("finding")
            if answer is None or not isinstance(grade, str):
                problem(
                    refs["question"], f"question {qid} has no finding grade on its question sheet"
                )
                continue
            answer["finding"] = {"grade": grade, **values}
        else:
            data.setdefault("actions", {})[qid] = values
        at = sheet.where(qid)
        where[at] = refs["question"]
        where |= {(*at, role): refs[role] for role in values}
