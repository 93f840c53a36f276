"""Opening a filled questionnaire workbook: size and unpacked-size caps, each sheet's header
and filled rows, and the sheets told apart by their header rows.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from assessment.common.errors import InputError, Problem
from assessment.common.files import read_user_file
from assessment.io.xlsx_cells import cell_text
from assessment.io.xlsx_layout import (
    COLUMNS,
    FILL,
    column_role,
    info_role,
    objective_role,
    pick,
    record_role,
)
from assessment.io.xlsx_records import SHEETS, RecordSheet

MAX_BYTES = 50 * 1024 * 1024  # far above any questionnaire; keeps a stray huge file out
MAX_UNPACKED = 500 * 1024 * 1024  # a small file that unpacks to gigabytes is a zip bomb
MAX_ROWS = 100_000  # filled rows in one sheet
# A user may put a title, a logo or a note above the header row; it is looked for this far down.
HEADER_SEARCH = 10
Loc = tuple[str | int, ...]
Found = list[tuple["Sheet", dict[str, int]]]


@dataclass(frozen=True)
class Sheet:
    """One worksheet as read: its header row and its filled rows below (by row number), each
    as wide as the header. Only filled rows are kept, so a stray cell far down (row 1048576)
    costs a skip over empty rows, not a million rows of cells."""

    title: str
    header: tuple[object, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]
    header_row: int = 1

    def ref(self, row: int, column: int) -> str:
        return f"{self.title}!{get_column_letter(column)}{row}"


def _names_a_column(value: object) -> bool:
    """Whether a cell holds the label that marks a header row of some kind of sheet."""
    return (
        column_role(value) == "id"
        or info_role(value) == "key"
        or objective_role(value) == "id"
        or any(record_role(kind.key, value) == "question" for kind in SHEETS)
    )


def _find_header(ws: Any) -> tuple[int, tuple[object, ...]]:
    """The first of the top rows that carries a known label; else row 1 (an unknown sheet)."""
    top = list(ws.iter_rows(min_row=1, max_row=HEADER_SEARCH, values_only=True))
    for number, row in enumerate(top, 1):
        if any(_names_a_column(value) for value in row if value is not None):
            return number, tuple(row)
    return 1, tuple(top[0]) if top else ()


# A formula the workbook holds no result for: written by a program that does not calculate.
NO_RESULT = (
    "a formula with no calculated value in the file; type the value itself, or open and save"
    " the workbook in a spreadsheet program (Excel, LibreOffice, WPS) so it is calculated"
)


def _is_formula(written: object) -> bool:
    return (isinstance(written, str) and written.startswith("=")) or isinstance(
        written, ArrayFormula | DataTableFormula
    )


def _read_sheet(ws: Any, formulas: Any, name: str, problems: list[Problem]) -> Sheet:
    """The sheet's filled rows as the user sees them: a formula is its calculated value,
    which `ws` (read with data_only) holds; `formulas`, the same sheet read as written, tells
    which cells are formulas, so that one without a value is reported, not read as empty."""
    header_row, header = _find_header(ws)
    width = max((i for i, value in enumerate(header, 1) if value is not None), default=0)
    if width == 0:
        return Sheet(ws.title, (), ())
    empty = (None,) * width
    rows = []
    first = header_row + 1
    shown = ws.iter_rows(min_row=first, max_col=width, values_only=True)
    written = formulas.iter_rows(min_row=first, max_col=width, values_only=True)
    for number, (row, as_written) in enumerate(zip(shown, written, strict=False), first):
        if as_written != row:
            for column, (value, cell) in enumerate(zip(row, as_written, strict=False), 1):
                if value is None and _is_formula(cell):
                    ref = f"{ws.title}!{get_column_letter(column)}{number}"
                    problems.append(Problem(name, 0, 0, ref, NO_RESULT))
        if row != empty:
            rows.append((number, tuple(row) + (None,) * (width - len(row))))
            if len(rows) > MAX_ROWS:
                message = f"sheet {ws.title} has more than {MAX_ROWS} filled rows"
                raise InputError([Problem(name, 0, 0, "", message)])
    return Sheet(ws.title, tuple(header[:width]), tuple(rows), header_row)


@dataclass
class Book:
    """An opened workbook's sheets and the problems found in it so far."""

    sheets_read: tuple[Sheet, ...]
    name: str
    problems: list[Problem] = field(default_factory=list)
    reported: set[Loc] = field(default_factory=set)
    cells: dict[Loc, str] = field(default_factory=dict)  # where each value read came from

    def problem(self, ref: str, message: str, loc: Loc = ()) -> None:
        self.problems.append(Problem(self.name, 0, 0, ref, message))
        if loc:
            self.reported.add(loc)

    @cached_property
    def sheets(self) -> tuple[Found, Found, Found, list[tuple[Sheet, dict[str, int], RecordSheet]]]:
        """(Info, question, objectives, record sheets), each with its columns by role (record
        sheets with which kind they are)."""
        infos: Found = []
        questions: Found = []
        objectives: Found = []
        records: list[tuple[Sheet, dict[str, int], RecordSheet]] = []
        for sheet in self.sheets_read:
            cells = list(enumerate(sheet.header, 1))[::-1]  # the first of a repeated label wins
            roles = {column_role(value): col for col, value in cells}
            info = {info_role(value): col for col, value in cells}
            goals = {objective_role(value): col for col, value in cells}
            kinds = {k: {record_role(k.key, v): c for c, v in cells} for k in SHEETS}
            if "id" in roles:
                missing = [pick(COLUMNS[r], "en") for r in FILL if r not in roles]
                if missing:
                    self.problem(
                        sheet.ref(sheet.header_row, 1),
                        f"header lacks column(s): {', '.join(missing)}",
                    )
                else:
                    questions.append((sheet, {k: v for k, v in roles.items() if k}))
            elif "key" in info and "value" in info:
                infos.append((sheet, {k: v for k, v in info.items() if k}))
            elif "id" in goals:
                objectives.append((sheet, {k: v for k, v in goals.items() if k}))
            else:
                for kind, roles_of in kinds.items():
                    if "question" in roles_of:
                        records.append((sheet, {k: v for k, v in roles_of.items() if k}, kind))
        return infos, questions, objectives, records

    def bank_id(self) -> str:
        infos = self.sheets[0]
        if len(infos) == 1:
            sheet, cols = infos[0]
            for _, row in sheet.rows:
                if cell_text(row[cols["key"] - 1]) == "bank":
                    bank = cell_text(row[cols["value"] - 1])
                    if bank:
                        return bank.strip()
        message = (
            "no Info sheet naming the bank (a sheet headed Key | Field | Value with a row 'bank')"
        )
        raise InputError([Problem(self.name, 0, 0, "", message)])


def _unpacked_size(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0  # not a zip at all: openpyxl says so below


def open_workbook(path: Path) -> Book:
    name = path.name
    data = read_user_file(path, name, MAX_BYTES)
    if _unpacked_size(data) > MAX_UNPACKED:
        message = f"unpacks to more than {MAX_UNPACKED} bytes; not a questionnaire"
        raise InputError([Problem(name, 0, 0, "", message)])
    try:
        # rich_text: the plain inline-string reader skips the "x005F_" handling the shared
        # string reader does; this way every string is read the same way (see encode_text).
        shown = load_workbook(io.BytesIO(data), read_only=True, rich_text=True, data_only=True)
        written = load_workbook(io.BytesIO(data), read_only=True, rich_text=True)
        problems: list[Problem] = []
        try:
            sheets = tuple(
                _read_sheet(ws, formulas, name, problems)
                for ws, formulas in zip(shown.worksheets, written.worksheets, strict=True)
            )
        finally:
            shown.close()
            written.close()
    except InputError:
        raise
    # openpyxl fails on damaged files with whatever its parsers raise; any of it means the same.
    except Exception as exc:
        message = f"not an Excel workbook (.xlsx): {exc}"
        raise InputError([Problem(name, 0, 0, "", message)]) from None
    return Book(sheets, name, problems)
