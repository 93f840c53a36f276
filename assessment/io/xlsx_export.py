"""A questionnaire workbook: an Info sheet, then one sheet per area with a row per question."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from assessment.common.errors import InputError, Problem
from assessment.common.zipdate import dated_archive
from assessment.io.template import placeholder_title
from assessment.io.xlsx_layout import (
    CELL_MAX,
    COLUMNS,
    FILL,
    FINDING_ORDER,
    INFO_COLUMNS,
    INFO_FIELDS,
    INFO_INDEX,
    INFO_SHEET,
    OBJECTIVE_COLUMNS,
    OBJECTIVE_NUMBERS,
    OBJECTIVES_SHEET,
    OPTIONAL_FILL,
    TARGET_PREFIX,
    encode_text,
    pick,
    sheet_titles,
)
from assessment.io.xlsx_records import SHEETS, write_records
from assessment.load.bank import Bank
from assessment.load.models.answers import Answer, AnswersFile, Readiness
from assessment.load.models.bank import Question

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")
# Excel (and LibreOffice) read a typed cell starting with these as a formula.
FORMULA_START = ("=", "+", "-", "@")
WIDTHS = {"id": 12, "clause": 8, "question": 48, "level": 8, "reason": 24, "evidence": 36}
WIDTHS |= {"note": 30, "finding": 13, "decided_by": 16}
DESCRIPTOR_WIDTH = 30
PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "organisation.id": ("my-organisation", "my-organisation"),
    "organisation.name": ("My organisation", "我的组织"),
}
EXCEL_EPOCH = dt.date(1900, 3, 1)  # before this Excel's date serials are unreliable


class _Writer:
    """Puts values into cells and collects what cannot be stored, to report it all at once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def text(self, cell: Any, value: str | None, where: str = "") -> None:
        if value is None:
            return
        encoded = encode_text(value)
        if len(encoded) > CELL_MAX:
            message = f"too long for a spreadsheet cell ({len(encoded)} > {CELL_MAX} characters)"
            self.problems.append(Problem(self.source, 0, 0, where, message))
            return
        cell.value = encoded
        # Assigning "=…" makes openpyxl write a formula; the answer is text, so say so.
        cell.data_type = "s"
        if encoded.startswith(FORMULA_START):
            cell.quotePrefix = True

    def number(self, cell: Any, value: float) -> None:
        # openpyxl writes numbers with 16 significant digits; a value that needs more is
        # written as text, which import reads back exactly.
        exact = abs(value) < 10**15 if isinstance(value, int) else float(f"{value:.16g}") == value
        if exact:
            cell.value = value
        else:
            self.text(cell, repr(value))

    def lines(self, cell: Any, items: tuple[str, ...], where: str) -> None:
        if items:
            self.text(cell, "\n".join(items), where)


def _header(ws: Any, labels: list[str], widths: list[float]) -> None:
    for col, (label, width) in enumerate(zip(labels, widths, strict=True), 1):
        cell = ws.cell(row=1, column=col, value=label)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        ws.column_dimensions[get_column_letter(col)].width = width


def _info_values(bank: Bank, lang: str, answers: AnswersFile | None) -> list[tuple[str, object]]:
    values: dict[str, object] = {
        "bank": bank.id,
        "bank.version": bank.version,
        "bank.content_hash": bank.content_hash,
    }
    if answers is None:
        values |= {key: pick(pair, lang) for key, pair in PLACEHOLDERS.items()}
        values["assessment.title"] = placeholder_title(bank, lang)
        values["targets.default"] = bank.manifest.default_target
        answers_readiness = Readiness()
    else:
        org, info = answers.organisation, answers.assessment
        values |= {"organisation.id": org.id, "organisation.name": org.name}
        values |= {"organisation.sector": org.sector, "assessment.title": info.title}
        values |= {"assessment.date": info.date, "assessment.assessors": info.assessors}
        values |= {"assessment.scope": info.scope, "targets.default": answers.targets.default}
        values["survey"], values["preset"] = answers.survey, answers.preset
        answers_readiness = answers.readiness
    values |= {f"readiness.{k}": v for k, v in answers_readiness.model_dump().items()}
    rows = [(field.key, values.get(field.key)) for field in INFO_FIELDS]
    if answers is not None:
        rows += [(TARGET_PREFIX + c, t) for c, t in answers.targets.clauses.items()]
    return rows


def _write_info(ws: Any, w: _Writer, bank: Bank, lang: str, answers: AnswersFile | None) -> None:
    _header(ws, [pick(p, lang) for p in INFO_COLUMNS.values()], [26, 34, 48, 30])
    top = f"0..{bank.max_level}"
    hints = {"targets.default": top, "readiness.min_area_score": top}
    for row, (key, value) in enumerate(_info_values(bank, lang, answers), 2):
        field = INFO_INDEX.get(key)
        clause = key.removeprefix(TARGET_PREFIX)
        label = (
            pick(field.label, lang)
            if field
            else pick((f"Target for clause {clause}", f"条款 {clause} 目标等级"), lang)
        )
        hint = hints.get(key, pick(field.hint, lang) if field else top)
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=label)
        ws.cell(row=row, column=4, value=hint)
        cell = ws.cell(row=row, column=3)
        cell.alignment = WRAP
        if field is None or not key.startswith("bank"):
            cell.fill = INPUT_FILL
        where = key if answers is not None else ""
        if isinstance(value, str):
            w.text(cell, value, where)
        elif isinstance(value, tuple):
            w.lines(cell, value, where)
        elif isinstance(value, dt.date) and value < EXCEL_EPOCH:
            w.text(cell, value.isoformat(), where)
        elif isinstance(value, dt.date):
            cell.value, cell.number_format = value, "yyyy-mm-dd"
        elif isinstance(value, int | float):
            w.number(cell, value)
    ws.freeze_panes = "A2"


def _area_groups(bank: Bank, lang: str) -> list[tuple[str, list[Question]]]:
    groups: dict[str | None, list[Question]] = {area.id: [] for area in bank.manifest.areas}
    for q in bank.questions:
        groups.setdefault(bank.clauses[q.clause].area, []).append(q)
    titles = {area.id: area.title.get(lang) for area in bank.manifest.areas}
    other = pick(("Other", "其他"), lang)
    return [(titles.get(area, other) if area else other, qs) for area, qs in groups.items()]


def _descriptors(q: Question, levels: list[int], top: int, lang: str) -> list[str | None]:
    """The cells under the level headings: a question's descriptor per level, or for a
    question answered by choice its choices in turn ("id: text (= level)"), the rest of
    them in the last cell when there are more choices than levels."""
    if not q.choices:
        return [q.levels[n].get(lang) if n in q.levels else None for n in levels]
    shown = [f"{c.id}: {c.text.get(lang)} (= {c.value * top:g})" for c in q.choices]
    cells: list[str | None] = list(shown[: len(levels) - 1])
    cells.append("\n".join(shown[len(levels) - 1 :]) or None)
    return cells + [None] * (len(levels) - len(cells))


def _validation(ws: Any, options: list[str], column: int, rows: list[int], lang: str) -> None:
    if not rows:
        return
    listed = ", ".join(options)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(options) + '"',
        allow_blank=True,
        showErrorMessage=True,
        error=pick((f"Choose one of: {listed}", f"请选择：{listed}"), lang),
    )
    letter = get_column_letter(column)
    start = previous = rows[0]
    for row in [*rows[1:], None]:  # one range per run of consecutive rows
        if row is not None and row == previous + 1:
            previous = row
            continue
        dv.add(f"{letter}{start}:{letter}{previous}")
        if row is not None:
            start = previous = row
    ws.add_data_validation(dv)


def _write_answer(ws: Any, w: _Writer, row: int, cols: dict[str, int], qid: str, a: Answer) -> None:
    where = f"answers.{qid}"
    if a.level is not None:
        ws.cell(row=row, column=cols["level"], value=a.level)
    elif a.picked:
        w.text(ws.cell(row=row, column=cols["level"]), ", ".join(a.picked), f"{where}.choice")
    w.text(ws.cell(row=row, column=cols["reason"]), a.reason, f"{where}.reason")
    w.lines(ws.cell(row=row, column=cols["evidence"]), a.evidence, f"{where}.evidence")
    w.text(ws.cell(row=row, column=cols["note"]), a.note, f"{where}.note")
    w.text(ws.cell(row=row, column=cols["finding"]), a.grade, f"{where}.finding")
    w.text(ws.cell(row=row, column=cols["decided_by"]), a.decided_by, f"{where}.decided_by")


def _write_questions(
    ws: Any,
    w: _Writer,
    bank: Bank,
    lang: str,
    questions: list[Question],
    answers: AnswersFile | None,
) -> None:
    levels = sorted(bank.levels)
    names = {s.level: s.name.get(lang) for s in bank.manifest.scale}
    roles = ["id", "clause", "question", *[f"level{n}" for n in levels], *FILL, *OPTIONAL_FILL]
    labels = [pick(COLUMNS[r], lang) if r in COLUMNS else "" for r in roles]
    labels[3 : 3 + len(levels)] = [f"{n} {names[n]}" for n in levels]
    _header(ws, labels, [WIDTHS.get(r, DESCRIPTOR_WIDTH) for r in roles])
    cols = {role: i for i, role in enumerate(roles, 1)}
    given = answers.answers if answers is not None else {}
    for row, q in enumerate(questions, 2):
        fixed: list[str | None] = [q.id, q.clause, q.text.get(lang)]
        fixed += _descriptors(q, levels, bank.max_level, lang)
        for col, value in enumerate(fixed, 1):
            cell = ws.cell(row=row, column=col)
            cell.alignment = WRAP
            w.text(cell, value)
        for role in (*FILL, *OPTIONAL_FILL):
            cell = ws.cell(row=row, column=cols[role])
            cell.fill, cell.alignment = INPUT_FILL, WRAP
        if q.id in given:
            _write_answer(ws, w, row, cols, q.id, given[q.id])
    laddered = [row for row, q in enumerate(questions, 2) if not q.choices]
    _validation(ws, [*map(str, levels), "na"], cols["level"], laddered, lang)
    for row, q in enumerate(questions, 2):
        if q.choices and not q.multiple:
            _validation(ws, [*(c.id for c in q.choices), "na"], cols["level"], [row], lang)
    rows = list(range(2, len(questions) + 2))
    _validation(ws, list(FINDING_ORDER), cols["finding"], rows, lang)
    ws.freeze_panes = "D2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(roles))}{len(questions) + 1}"


def _write_objectives(ws: Any, w: _Writer, lang: str, answers: AnswersFile | None) -> None:
    roles = list(OBJECTIVE_COLUMNS)
    _header(ws, [pick(OBJECTIVE_COLUMNS[r], lang) for r in roles], [18] * len(roles))
    objectives = answers.objectives if answers is not None else ()
    for row, objective in enumerate(objectives, 2):
        data = objective.model_dump(mode="python", exclude_none=True)
        title = data.pop("title", None) or {}
        data |= {f"title.{lang_}": text for lang_, text in title.items()}
        for col, role in enumerate(roles, 1):
            cell = ws.cell(row=row, column=col)
            cell.fill, cell.alignment = INPUT_FILL, WRAP
            value = data.get(role)
            if value is None:
                continue
            if role in OBJECTIVE_NUMBERS:
                w.number(cell, value)
            else:
                w.text(cell, str(value), f"objectives[{row - 2}].{role}")
    ws.freeze_panes = "B2"


def _stamp(answers: AnswersFile | None) -> dt.datetime:
    day = answers.assessment.date if answers is not None else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)  # OOXML wants naive UTC


def export_workbook(
    bank: Bank, lang: str, answers: AnswersFile | None = None, *, source: str = "answers"
) -> bytes:
    """The questionnaire workbook, prefilled from `answers` if given; same inputs, same bytes.

    import_workbook reads it back unchanged, with these caveats. Evidence items and assessors
    are written one per line and read back one item per line, so an item containing a line
    break comes back split and an empty item is dropped. Empty texts and answers with nothing
    in them come back absent, which means the same.

    Characters XML cannot hold (control characters) are escaped as Excel does (_xHHHH_) and
    survive the trip; text starting with "=" stays text, never a formula. A text too long for
    a cell (32,767 characters) is an InputError naming the field, with `source` as the file.
    """
    w = _Writer(source)
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # start empty, so every sheet is one we created and typed
    info = wb.create_sheet(INFO_SHEET)
    _write_info(info, w, bank, lang, answers)
    groups = _area_groups(bank, lang)
    titles = sheet_titles([name for name, _ in groups], taken=[INFO_SHEET])
    for title, (_, questions) in zip(titles, groups, strict=True):
        _write_questions(wb.create_sheet(title), w, bank, lang, questions, answers)
    objectives_title = sheet_titles([pick(OBJECTIVES_SHEET, lang)], taken=[INFO_SHEET, *titles])[0]
    _write_objectives(wb.create_sheet(objectives_title), w, lang, answers)
    taken = [INFO_SHEET, *titles, objectives_title]
    for sheet, title in zip(
        SHEETS, sheet_titles([pick(s.title, lang) for s in SHEETS], taken=taken), strict=True
    ):
        write_records(wb.create_sheet(title), w.text, _header, lang, sheet, answers)
    if w.problems:
        raise InputError(w.problems)
    stamp = _stamp(answers)
    wb.properties.creator = wb.properties.lastModifiedBy = "cxassess"
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    # ExcelWriter rather than wb.save(), which would stamp the current time as "modified".
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return dated_archive(buffer.getvalue(), stamp.date())
