"""Reading a filled questionnaire workbook back into an answers file, every bad cell at once.

Sheets are recognised by their header row (in either language), never by name or position,
and questions by the id column, so renamed sheets and sorted or moved rows still import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assessment.common.errors import InputError, Problem, did_you_mean
from assessment.io.xlsx_book import Book, Loc, Sheet, open_workbook
from assessment.io.xlsx_cells import (
    cell_date,
    cell_integer,
    cell_number,
    cell_text,
    choice_cell,
    level_cell,
)
from assessment.io.xlsx_layout import (
    FILL,
    FINDING_ORDER,
    INFO_INDEX,
    OBJECTIVE_NUMBERS,
    OPTIONAL_FILL,
    TARGET_PREFIX,
    split_lines,
)
from assessment.io.xlsx_records import read_records
from assessment.load.bank import Bank
from assessment.load.crossref import check_answers
from assessment.load.models.answers import AnswersFile
from assessment.load.models.base import has_words
from assessment.load.yamlio import Located, PathKey

TEXTS = frozenset(
    {
        *("organisation.id", "organisation.name", "organisation.sector"),
        *("assessment.title", "assessment.scope", "bank", "bank.version", "bank.content_hash"),
        *("survey", "preset"),
    }
)
# Names a spreadsheet user types, where a stray space is never meant.
CODES = frozenset({"organisation.id", "survey", "preset"})


def _info_value(key: str, raw: object, bank: Bank) -> tuple[object, str | None]:
    """(value, problem) for one Info field; a None value means the field is left out."""
    text, top = cell_text(raw), bank.max_level
    if key in TEXTS:
        return (text.strip() if text and key in CODES else text), None
    if key == "assessment.assessors":
        return split_lines(text or ""), None
    if text is None or not text.strip():
        return None, None
    if key == "assessment.date":
        day = cell_date(raw)
        return (day, None) if day else (None, "date must be YYYY-MM-DD")
    if key == "readiness.max_major":
        count = cell_integer(raw)
        return (count, None) if count is not None else (None, "must be a whole number")
    if key == "readiness.knockout_level":
        level = cell_integer(raw)
        if level is None or not 0 <= level <= top:
            return None, f"must be a whole number in 0..{top}"
        return level, None
    if key.startswith("readiness."):
        number = cell_number(raw)
        if number is None:
            return None, "must be a number"
        if key == "readiness.min_area_score" and number > top:
            return None, f"must lie in 0..{top}"
        return number, None
    level = cell_integer(raw)  # targets.default and targets.clauses.*
    if level is None or not 0 <= level <= top:
        return None, f"target must be a whole number in 0..{top}"
    return level, None


def _loc(key: str) -> Loc:
    if key in ("survey", "preset"):
        return (key,)
    if key.startswith(TARGET_PREFIX):
        return ("targets", "clauses", key.removeprefix(TARGET_PREFIX))
    first, _, rest = key.partition(".")
    return (first, rest) if first in ("organisation", "assessment", "targets", "readiness") else ()


def _read_info(
    book: Book, ws: Sheet, cols: dict[str, int], bank: Bank
) -> tuple[dict[str, Any], dict[Loc, str]]:
    values: dict[str, tuple[object, str]] = {}
    for row, cells in ws.rows:
        key = (cell_text(cells[cols["key"] - 1]) or "").strip()
        if not key:
            continue
        if key in values:
            book.problem(ws.ref(row, cols["key"]), f"Info field {key} appears twice")
        elif key not in INFO_INDEX and not key.startswith(TARGET_PREFIX):
            book.problem(ws.ref(row, cols["key"]), f"unknown Info field {key!r}")
        else:
            values[key] = (cells[cols["value"] - 1], ws.ref(row, cols["value"]))
    raw_bank, bank_ref = values.get("bank", (None, ws.title))
    if (cell_text(raw_bank) or "").strip() != bank.id:
        other = f"workbook is for bank {cell_text(raw_bank)!r}, not {bank.id!r}"
        raise InputError([Problem(book.name, 0, 0, bank_ref, other)])
    data: dict[str, Any] = {"bank": bank.id}
    where: dict[Loc, str] = {}
    for key, (raw, ref) in values.items():
        loc = _loc(key)
        value, message = _info_value(key, raw, bank)
        if key.startswith(TARGET_PREFIX) and loc[-1] not in bank.clauses:
            value, message = None, f"unknown clause {loc[-1]!r}"
        if message:
            book.problem(ref, message, loc)
            continue
        if loc:
            where[loc] = ref
        if loc and value is not None:
            node = data
            for part in loc[:-1]:
                node = node.setdefault(str(part), {})
            node[str(loc[-1])] = value
    for info in INFO_INDEX.values():
        if info.required and cell_text(values.get(info.key, (None, ""))[0]) is None:
            ref = values[info.key][1] if info.key in values else ws.title
            book.problem(ref, f"missing {info.label[0]} ({info.key})", _loc(info.key))
    return data, where


def _read_rows(
    book: Book,
    ws: Sheet,
    cols: dict[str, int],
    bank: Bank,
    seen: dict[str, str],
    data: dict[str, Any],
    where: dict[Loc, str],
) -> None:
    for row, values in ws.rows:
        cells = {role: values[col - 1] for role, col in cols.items()}
        refs = {role: ws.ref(row, col) for role, col in cols.items()}
        qid = (cell_text(cells["id"]) or "").strip()
        if not qid:
            if any(cell_text(cells[r]) for r in FILL):
                book.problem(refs["id"], "answers in a row without a question id")
            continue
        if qid not in bank.question_index:
            book.problem(
                refs["id"],
                f"unknown question {qid!r} in bank {bank.id}"
                + did_you_mean(qid, bank.question_index),
            )
            continue
        if qid in seen:
            book.problem(refs["id"], f"question {qid} appears twice (also at {seen[qid]})")
            continue
        seen[qid] = refs["id"]
        before = len(book.problems)
        question = bank.question_index[qid]
        picked: tuple[str, ...] | None = None
        level_text = (cell_text(cells["level"]) or "").strip()
        if question.choices and level_text and level_text.casefold() != "na":
            level, (picked, message) = None, choice_cell(level_text, question)
        else:
            level, message = level_cell(cells["level"], bank)
        if message:
            book.problem(refs["level"], message)
        reason = cell_text(cells["reason"])
        if level == "na" and not has_words(reason):
            book.problem(refs["reason"], "level na (not applicable) needs a reason")
        finding = (cell_text(cells["finding"]) or "").strip().casefold() or None
        if finding is not None and finding not in FINDING_ORDER:
            book.problem(
                refs["finding"], f"finding {finding!r} is not one of {', '.join(FINDING_ORDER)}"
            )
        if len(book.problems) > before:
            continue
        data[qid] = {
            "level": level,
            "choice": (picked[0] if len(picked) == 1 and not question.multiple else list(picked))
            if picked
            else None,
            "reason": reason,
            "evidence": split_lines(cell_text(cells["evidence"]) or ""),
            "note": cell_text(cells["note"]),
            "finding": finding,
        }
        if "decided_by" in cells and (decided_by := cell_text(cells["decided_by"])):
            data[qid]["decided_by"] = decided_by
        where[("answers", qid)] = refs["id"]
        where |= {
            ("answers", qid, role): refs[role] for role in (*FILL, *OPTIONAL_FILL) if role in refs
        }


def _validated(book: Book, data: dict[str, Any], where: dict[Loc, str]) -> AnswersFile | None:
    try:
        return AnswersFile.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            # A field already reported (or the section it left empty) needs no second message.
            if any(loc[: len(done)] == done or done[: len(loc)] == loc for done in book.reported):
                continue
            ref = next((where[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in where), "")
            book.problem(ref, error["msg"])
        return None


def _read_objectives(
    book: Book, ws: Sheet, cols: dict[str, int], data: list[dict[str, Any]], where: dict[Loc, str]
) -> None:
    for row, values in ws.rows:
        objective: dict[str, Any] = {}
        for role, col in cols.items():
            raw, ref = values[col - 1], ws.ref(row, col)
            if role in OBJECTIVE_NUMBERS:
                value: object = cell_number(raw)
                if value is None and cell_text(raw):
                    book.problem(ref, "must be a number")
                    continue
            else:
                value = (cell_text(raw) or "").strip() or None
            if value is None:
                continue
            where[("objectives", len(data), *role.split("."))] = ref
            if role.startswith("title."):
                objective.setdefault("title", {})[role.removeprefix("title.")] = value
            else:
                objective[role] = value
        if objective:
            where[("objectives", len(data))] = ws.ref(row, cols["id"])
            data.append(objective)


def import_book(book: Book, bank: Bank) -> AnswersFile:
    infos, question_sheets, objective_sheets, record_sheets = book.sheets
    if not infos:
        book.problem("", "no Info sheet (a sheet headed Key | Field | Value)")
        raise InputError(book.problems)
    for ws, _ in infos[1:]:
        book.problem(
            ws.ref(ws.header_row, 1), f"a second Info sheet (the first is {infos[0][0].title})"
        )
    data, where = _read_info(book, *infos[0], bank)
    if not question_sheets:
        book.problem("", "no question sheets (sheets headed ID … Level … Finding)")
    seen: dict[str, str] = {}
    found: dict[str, Any] = {}
    for ws, cols in question_sheets:
        _read_rows(book, ws, cols, bank, seen, found, where)
    data["answers"] = found
    for ws, cols, kind in record_sheets:
        rows = [
            (
                {r: values[c - 1] for r, c in cols.items()},
                {r: ws.ref(row, c) for r, c in cols.items()},
            )
            for row, values in ws.rows
        ]
        read_records(kind, rows, book.problem, cell_text, data, where)
    # Every question of the bank, the untouched ones as empty entries, as `cxassess new`
    # lists them: the answers file stays a complete form to go on filling in.
    data["answers"] = {qid: found.get(qid, {}) for qid in bank.question_index}
    objectives: list[dict[str, Any]] = []
    for ws, cols in objective_sheets:
        _read_objectives(book, ws, cols, objectives, where)
    if objectives:
        data["objectives"] = objectives
    answers = _validated(book, data, where)
    if book.problems or answers is None:
        raise InputError(book.problems)
    book.cells = where
    return answers


def rule_problems(book: Book, answers: AnswersFile, bank: Bank) -> list[Problem]:
    """What validate would still refuse in answers imported from book (the audit rules,
    knock-outs, targets), each at the cell its value came from. The import keeps what the
    workbook holds and says so, rather than dropping or changing a user's entries."""
    return check_answers(answers, _InWorkbook(book.name, {}, cells=book.cells), bank)


@dataclass(frozen=True)
class _InWorkbook(Located):
    """Answers read from a workbook: a problem is placed at the cell its value came from."""

    cells: dict[Loc, str] = field(default_factory=dict)

    def problem(self, path: PathKey, message: str, *, key: bool = False) -> Problem:
        ref = next(
            (self.cells[path[:n]] for n in range(len(path), 0, -1) if path[:n] in self.cells), ""
        )
        return Problem(self.file, 0, 0, ref, message)


def import_workbook(path: Path, bank: Bank) -> AnswersFile:
    """The answers in a filled questionnaire workbook; InputError lists every bad cell.

    Evidence and assessors are read one item per line (empty lines left out); other texts are
    kept exactly. Empty cells are absent values; every question of the bank gets an entry,
    empty where nothing was filled in. Levels may be numbers, numbers stored as text, or na.
    """
    return import_book(open_workbook(path), bank)
