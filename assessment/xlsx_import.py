"""Reading a filled questionnaire workbook back into an answers file, every bad cell at once.

Sheets are recognised by their header row (in either language), never by name or position,
and questions by the id column, so renamed sheets and sorted or moved rows still import.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText
from pydantic import ValidationError

from .bank import Bank
from .errors import InputError, Problem
from .models.answers import AnswersFile
from .xlsx_layout import (
    COLUMNS,
    FILL,
    FINDING_ORDER,
    INFO_INDEX,
    TARGET_PREFIX,
    column_role,
    decode_text,
    info_role,
    pick,
    split_lines,
)

MAX_BYTES = 50 * 1024 * 1024  # far above any questionnaire; keeps a stray huge file out
Loc = tuple[str | int, ...]
_INTEGER = re.compile(r"\s*[+-]?\d+(?:\.0*)?\s*")


def _text(value: object) -> str | None:
    """A cell as text; Excel turns typed numbers and dates into values, so turn them back."""
    if value is None:
        return None
    if isinstance(value, CellRichText | str):
        text = decode_text(str(value))
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime) and value.time() == dt.time():
        text = value.date().isoformat()
    else:
        text = str(value)
    return text or None


def _integer(value: object) -> int | None:
    """3, 3.0 and "3" (a number stored as text) are all 3; anything else is not an integer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = _text(value)
    return int(text.strip().split(".")[0]) if text and _INTEGER.fullmatch(text) else None


def _number(value: object) -> float | int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    try:
        number = float(_text(value) or "")
    except ValueError:
        return None
    return number if number - number == 0 else None  # no inf or nan


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat((_text(value) or "").strip())
    except ValueError:
        return None


@dataclass
class Book:
    """An opened workbook and the problems found in it so far."""

    wb: Any
    name: str
    problems: list[Problem] = field(default_factory=list)
    reported: set[Loc] = field(default_factory=set)

    def problem(self, ref: str, message: str, loc: Loc = ()) -> None:
        self.problems.append(Problem(self.name, 0, 0, ref, message))
        if loc:
            self.reported.add(loc)

    @cached_property
    def sheets(self) -> tuple[list[tuple[Any, dict[str, int]]], list[tuple[Any, dict[str, int]]]]:
        """(Info sheets, question sheets), each with its columns by role."""
        infos, questions = [], []
        for ws in self.wb.worksheets:
            cells = [ws.cell(row=1, column=c) for c in range(1, ws.max_column + 1)]
            roles = {column_role(c.value): c.column for c in reversed(cells)}
            info = {info_role(c.value): c.column for c in reversed(cells)}
            if "id" in roles:
                missing = [pick(COLUMNS[r], "en") for r in FILL if r not in roles]
                if missing:
                    self.problem(f"{ws.title}!A1", f"header lacks column(s): {', '.join(missing)}")
                else:
                    questions.append((ws, {k: v for k, v in roles.items() if k}))
            elif "key" in info and "value" in info:
                infos.append((ws, {k: v for k, v in info.items() if k}))
        return infos, questions

    def bank_id(self) -> str:
        infos, _ = self.sheets
        if len(infos) == 1:
            ws, cols = infos[0]
            for row in range(2, ws.max_row + 1):
                if _text(ws.cell(row=row, column=cols["key"]).value) == "bank":
                    bank = _text(ws.cell(row=row, column=cols["value"]).value)
                    if bank:
                        return bank.strip()
        message = (
            "no Info sheet naming the bank (a sheet headed Key | Field | Value with a row 'bank')"
        )
        raise InputError([Problem(self.name, 0, 0, "", message)])


def open_workbook(path: Path) -> Book:
    name = path.name
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_BYTES else b""
    except OSError as exc:
        message = f"cannot read file: {exc.strerror or exc}"
        raise InputError([Problem(name, 0, 0, "", message)]) from None
    if size > MAX_BYTES:
        raise InputError([Problem(name, 0, 0, "", f"larger than {MAX_BYTES} bytes")])
    try:
        # rich_text: the plain inline-string reader skips the "x005F_" handling the shared
        # string reader does; this way every string is read the same way (see encode_text).
        wb = load_workbook(io.BytesIO(data), rich_text=True)
    # openpyxl fails on damaged files with whatever its parsers raise; any of it means the same.
    except Exception as exc:
        message = f"not an Excel workbook (.xlsx): {exc}"
        raise InputError([Problem(name, 0, 0, "", message)]) from None
    return Book(wb, name)


TEXTS = frozenset(
    {
        *("organisation.id", "organisation.name", "organisation.sector"),
        *("assessment.title", "assessment.scope", "bank", "bank.version", "bank.content_hash"),
    }
)


def _info_value(key: str, raw: object, bank: Bank) -> tuple[object, str | None]:
    """(value, problem) for one Info field; a None value means the field is left out."""
    text, top = _text(raw), bank.max_level
    if key in TEXTS:
        return text, None
    if key == "assessment.assessors":
        return split_lines(text or ""), None
    if text is None or not text.strip():
        return None, None
    if key == "assessment.date":
        day = _date(raw)
        return (day, None) if day else (None, "date must be YYYY-MM-DD")
    if key == "readiness.max_major":
        count = _integer(raw)
        return (count, None) if count is not None else (None, "must be a whole number")
    if key.startswith("readiness."):
        number = _number(raw)
        if number is None:
            return None, "must be a number"
        if key == "readiness.min_area_score" and number > top:
            return None, f"must lie in 0..{top}"
        return number, None
    level = _integer(raw)  # targets.default and targets.clauses.*
    if level is None or not 0 <= level <= top:
        return None, f"target must be a whole number in 0..{top}"
    return level, None


def _loc(key: str) -> Loc:
    if key.startswith(TARGET_PREFIX):
        return ("targets", "clauses", key.removeprefix(TARGET_PREFIX))
    first, _, rest = key.partition(".")
    return (first, rest) if first in ("organisation", "assessment", "targets", "readiness") else ()


def _read_info(
    book: Book, ws: Any, cols: dict[str, int], bank: Bank
) -> tuple[dict[str, Any], dict[Loc, str]]:
    values: dict[str, tuple[object, str]] = {}
    for row in range(2, ws.max_row + 1):
        key = (_text(ws.cell(row=row, column=cols["key"]).value) or "").strip()
        value_cell = ws.cell(row=row, column=cols["value"])
        if not key:
            continue
        if key in values:
            book.problem(f"{ws.title}!A{row}", f"Info field {key} appears twice")
        elif key not in INFO_INDEX and not key.startswith(TARGET_PREFIX):
            book.problem(f"{ws.title}!A{row}", f"unknown Info field {key!r}")
        else:
            values[key] = (value_cell.value, f"{ws.title}!{value_cell.coordinate}")
    raw_bank, bank_ref = values.get("bank", (None, ws.title))
    if (_text(raw_bank) or "").strip() != bank.id:
        other = f"workbook is for bank {_text(raw_bank)!r}, not {bank.id!r}"
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
        if info.required and _text(values.get(info.key, (None, ""))[0]) is None:
            ref = values[info.key][1] if info.key in values else ws.title
            book.problem(ref, f"missing {info.label[0]} ({info.key})", _loc(info.key))
    return data, where


def _level(raw: object, bank: Bank) -> tuple[int | str | None, str | None]:
    """(level, problem): na, a level of the bank, or None when the cell is empty."""
    text = (_text(raw) or "").strip()
    if not text:
        return None, None
    use = f"use 0..{bank.max_level} or na"
    if isinstance(raw, str | CellRichText) and text.casefold() == "na":
        return "na", None
    number = _integer(raw)
    if number is None:
        return None, f"level {text!r} is not a level; {use}"
    if number not in bank.levels:
        return None, f"level {number} is out of range; {use}"
    return number, None


def _read_rows(
    book: Book,
    ws: Any,
    cols: dict[str, int],
    bank: Bank,
    seen: dict[str, str],
    data: dict[str, Any],
    where: dict[Loc, str],
) -> None:
    for row in range(2, ws.max_row + 1):
        cells = {role: ws.cell(row=row, column=col) for role, col in cols.items()}
        refs = {role: f"{ws.title}!{cell.coordinate}" for role, cell in cells.items()}
        qid = (_text(cells["id"].value) or "").strip()
        if not qid:
            if any(_text(cells[r].value) for r in FILL):
                book.problem(refs["id"], "answers in a row without a question id")
            continue
        if qid not in bank.question_index:
            book.problem(refs["id"], f"unknown question {qid!r} in bank {bank.id}")
            continue
        if qid in seen:
            book.problem(refs["id"], f"question {qid} appears twice (also at {seen[qid]})")
            continue
        seen[qid] = refs["id"]
        before = len(book.problems)
        level, message = _level(cells["level"].value, bank)
        if message:
            book.problem(refs["level"], message)
        reason = _text(cells["reason"].value)
        if level == "na" and not (reason and reason.strip()):
            book.problem(refs["reason"], "level na (not applicable) needs a reason")
        finding = (_text(cells["finding"].value) or "").strip().casefold() or None
        if finding is not None and finding not in FINDING_ORDER:
            book.problem(
                refs["finding"], f"finding {finding!r} is not one of {', '.join(FINDING_ORDER)}"
            )
        if len(book.problems) > before:
            continue
        answer = {
            "level": level,
            "reason": reason,
            "evidence": split_lines(_text(cells["evidence"].value) or ""),
            "note": _text(cells["note"].value),
            "finding": finding,
        }
        # An untouched row means the same as no entry, and keeps the answers file short.
        if any(answer.values()):
            data[qid] = answer
        where[("answers", qid)] = refs["id"]
        where |= {("answers", qid, role): refs[role] for role in FILL}


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


def import_book(book: Book, bank: Bank) -> AnswersFile:
    infos, question_sheets = book.sheets
    if not infos:
        book.problem("", "no Info sheet (a sheet headed Key | Field | Value)")
        raise InputError(book.problems)
    for ws, _ in infos[1:]:
        book.problem(f"{ws.title}!A1", f"a second Info sheet (the first is {infos[0][0].title})")
    data, where = _read_info(book, *infos[0], bank)
    if not question_sheets:
        book.problem("", "no question sheets (sheets headed ID … Level … Finding)")
    seen: dict[str, str] = {}
    found: dict[str, Any] = {}
    for ws, cols in question_sheets:
        _read_rows(book, ws, cols, bank, seen, found, where)
    data["answers"] = {qid: found[qid] for qid in bank.question_index if qid in found}
    answers = _validated(book, data, where)
    if book.problems or answers is None:
        raise InputError(book.problems)
    return answers


def import_workbook(path: Path, bank: Bank) -> AnswersFile:
    """The answers in a filled questionnaire workbook; InputError lists every bad cell.

    Evidence and assessors are read one item per line (empty lines left out); other texts are
    kept exactly. Empty cells are absent values, and a question row with nothing filled in is
    left out (no entry means unanswered). Levels may be numbers, numbers stored as text, or na.
    """
    return import_book(open_workbook(path), bank)
