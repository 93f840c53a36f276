"""Customer survey answers read from CSV (GB/T 42509-2023 6.1.4, 7.3.3, 8.1).

One row per respondent. The header names the columns, in any order and any letter case:

- ``nps``: likelihood to recommend, a whole number 0-10
- ``csat``: satisfaction, a whole number 1-5
- ``ces``: customer effort, a whole number 1-7 (1 = very little, 7 = a great deal: higher is more effort)
- ``segment`` (optional): free text naming the group a respondent belongs to
- ``date`` (optional): when the answer was given, ``YYYY-MM-DD``

At least one of nps, csat, ces must be present. An empty cell means the respondent skipped
that item. The file is comma-separated UTF-8; a BOM and CRLF line ends are accepted, nothing
is sniffed (a sniffer guesses differently on different files of the same export).

Every problem is reported at once as an InputError of Problems located at the CSV line (the
line the row starts on) and the 1-based column number, i.e. the cell's position in the row as
a spreadsheet counts it, with the column name as the path.

The numbers are computed in cxmetrics.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, NoReturn

from assessment.common.errors import InputError, Problem, format_path
from assessment.load.yamlio import read_text

SCORE_RANGES: Final[dict[str, tuple[int, int]]] = {
    "nps": (0, 10),
    "csat": (1, 5),
    "ces": (1, 7),
}
COLUMNS: Final = ("nps", "csat", "ces", "segment", "date")

# Module globals rather than defaults so tests can lower them without writing huge files.
MAX_ROWS = 1_000_000
MAX_PROBLEMS = 1000
MAX_SEGMENT_CHARS = 200

_INTEGER = re.compile(r"[+-]?[0-9]+")
# fromisoformat alone also takes "20260701" and week dates; the brief promises YYYY-MM-DD only.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class Response:
    """One respondent. `line` is the CSV line the row starts on, for tracing a number back."""

    line: int
    nps: int | None = None
    csat: int | None = None
    ces: int | None = None
    segment: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Survey:
    """All responses of one file in file order; `columns` are the header's names, lowercased."""

    source: str
    columns: tuple[str, ...]
    responses: tuple[Response, ...]


def read_survey(path: Path, display: str | None = None) -> Survey:
    """Read a survey CSV; raise InputError listing every problem in the file."""
    name = display or str(path)
    return parse_survey(read_text(path, name), name)


class _Collector:
    """Problems in file order, capped so a million bad rows cannot exhaust memory."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.dropped = 0

    def add(self, line: int, col: int, path: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.name, line, col, path, message))
        else:
            self.dropped += 1

    def fail(self, fallback: str) -> NoReturn:
        """Stop reading; `fallback` is the problem to give when none was recorded."""
        if not self.problems:
            self.add(1, 1, "", fallback)
        self.raise_if_any()
        raise AssertionError("unreachable: raise_if_any raises when there are problems")

    def raise_if_any(self) -> None:
        if self.dropped:
            self.problems.append(
                Problem(
                    self.name,
                    0,
                    0,
                    "",
                    f"{self.dropped} more problems not listed (only the first {MAX_PROBLEMS} are)",
                )
            )
        if self.problems:
            raise InputError(self.problems)


def parse_survey(text: str, name: str) -> Survey:
    """Parse survey CSV text already read (BOM removed); `name` is used in problem messages."""
    if not text.strip():
        raise InputError([Problem(name, 1, 1, "", "the file is empty")])
    out = _Collector(name)
    records = _records(text, out)
    header = next(records, None)
    if header is None:
        out.fail("the file is empty")  # only blank cells, or a first record that is malformed
    columns = _read_header(*header, out)
    if columns is None:
        out.fail("missing header")  # rows cannot be read without knowing their columns
    responses: list[Response] = []
    for line, cells in records:
        if len(responses) >= MAX_ROWS:
            out.add(
                line, 1, "", f"more than {MAX_ROWS:,} rows; split the survey into several files"
            )
            break
        response = _read_row(line, cells, columns, out)
        if response is not None:
            responses.append(response)
    out.raise_if_any()
    return Survey(name, tuple(c or "" for c in columns), tuple(responses))


def _records(text: str, out: _Collector) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records with the line each starts on (a quoted cell may span lines)."""
    # strict: a stray quote in the middle of a cell is an error, not silently glued text.
    reader = csv.reader(io.StringIO(text), strict=True)
    last_line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader cannot resynchronise after a broken quote; stop here.
            out.add(reader.line_num, 1, "", f"malformed CSV: {exc}")
            return
        start, last_line = last_line + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, cells


def _read_header(line: int, cells: list[str], out: _Collector) -> list[str | None] | None:
    """Canonical name per cell position (None where the cell is refused), or None if the
    first record is not a header at all."""
    names = [cell.strip().lower() for cell in cells]
    if all(_INTEGER.fullmatch(n) or _ISO_DATE.fullmatch(n) or not n for n in names):
        out.add(
            line,
            1,
            "header",
            "missing header: the first line must name the columns "
            f"({', '.join(COLUMNS)}) but holds data",
        )
        return None
    columns: list[str | None] = []
    seen: dict[str, int] = {}
    for col, (raw, lowered) in enumerate(zip(cells, names, strict=True), start=1):
        if not lowered:
            out.add(line, col, "header", f"column {col} has no name")
            columns.append(None)
        elif lowered not in COLUMNS:
            out.add(
                line,
                col,
                format_path((raw.strip(),)),
                f"unknown column; expected {', '.join(COLUMNS)}",
            )
            columns.append(None)
        elif lowered in seen:
            out.add(line, col, lowered, f"duplicate column (first at column {seen[lowered]})")
            columns.append(None)
        else:
            seen[lowered] = col
            columns.append(lowered)
    if not any(name in SCORE_RANGES for name in seen):
        out.add(line, 1, "header", "needs at least one score column: nps, csat or ces")
    return columns


def _read_row(
    line: int, cells: list[str], columns: list[str | None], out: _Collector
) -> Response | None:
    if len(cells) != len(columns):
        col = min(len(cells), len(columns)) + 1
        out.add(
            line,
            col,
            "row",
            f"the row has {len(cells)} cells but the header names {len(columns)} columns",
        )
        return None
    scores: dict[str, int] = {}
    segment: str | None = None
    date: dt.date | None = None
    ok = True
    for col, (column, cell) in enumerate(zip(columns, cells, strict=True), start=1):
        value = cell.strip()
        if column is None or not value:
            continue  # refused in the header already, or an item the respondent skipped
        if column == "segment":
            segment = value
            if len(value) > MAX_SEGMENT_CHARS:
                out.add(line, col, column, f"longer than {MAX_SEGMENT_CHARS} characters")
                ok = False
        elif column == "date":
            date, error = _parse_date(value)
            if error:
                out.add(line, col, column, f"{_show(value)} {error}")
                ok = False
        else:
            score = _parse_score(value, column, line, col, out)
            if score is None:
                ok = False
            else:
                scores[column] = score
    if not ok:
        return None
    return Response(
        line=line,
        nps=scores.get("nps"),
        csat=scores.get("csat"),
        ces=scores.get("ces"),
        segment=segment,
        date=date,
    )


def _parse_score(value: str, column: str, line: int, col: int, out: _Collector) -> int | None:
    low, high = SCORE_RANGES[column]
    if not _INTEGER.fullmatch(value):
        out.add(line, col, column, f"{_show(value)} is not a whole number from {low} to {high}")
        return None
    # Long digit strings are out of range anyway; skip int() on them (it refuses > 4300 digits).
    score = int(value) if len(value) <= 6 else high + 1
    if not low <= score <= high:
        out.add(line, col, column, f"{_show(value)} is out of range: {column} is {low} to {high}")
        return None
    return score


def _parse_date(value: str) -> tuple[dt.date | None, str]:
    if not _ISO_DATE.fullmatch(value):
        return None, "is not a date in the form YYYY-MM-DD"
    try:
        return dt.date.fromisoformat(value), ""
    except ValueError:
        return None, "is not a day of the calendar"


def _show(value: str) -> str:
    """The offending cell, quoted so control characters are visible, cut to a readable size."""
    return repr(value if len(value) <= 40 else value[:40] + "…")
