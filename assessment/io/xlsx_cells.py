"""Cells of a questionnaire workbook read back as the values they were typed as: Excel
turns typed numbers and dates into values, so text, whole numbers, numbers and dates are
recovered from whatever the cell holds; a level cell as a level of the bank, "na", or the
choices of a question answered by choice."""

from __future__ import annotations

import datetime as dt
import re

from openpyxl.cell.rich_text import CellRichText

from assessment.common.errors import did_you_mean
from assessment.io.xlsx_layout import decode_text
from assessment.load.bank import Bank
from assessment.load.models.bank import Question

_INTEGER = re.compile(r"\s*[+-]?\d+(?:\.0*)?\s*")


def cell_text(value: object) -> str | None:
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


def cell_integer(value: object) -> int | None:
    """3, 3.0 and "3" (a number stored as text) are all 3; anything else is not an integer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = cell_text(value)
    return int(text.strip().split(".")[0]) if text and _INTEGER.fullmatch(text) else None


def cell_number(value: object) -> float | int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    try:
        number = float(cell_text(value) or "")
    except ValueError:
        return None
    return number if number - number == 0 else None  # no inf or nan


def cell_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat((cell_text(value) or "").strip())
    except ValueError:
        return None


def choice_cell(text: str, question: Question) -> tuple[tuple[str, ...] | None, str | None]:
    """(choices, problem) for a question answered by choice: one id, or several
    comma-separated where the question allows them."""
    picked = tuple(part.strip() for part in text.split(",") if part.strip())
    known = [c.id for c in question.choices]
    wrong = [p for p in picked if p not in known]
    if wrong:
        message = f"{wrong[0]!r} is not a choice of this question; use one of {', '.join(known)}"
        return None, message + did_you_mean(wrong[0], known) + " or na"
    if len(picked) > 1 and not question.multiple:
        return None, "this question takes one choice"
    return picked, None


def level_cell(raw: object, bank: Bank) -> tuple[int | str | None, str | None]:
    """(level, problem): na, a level of the bank, or None when the cell is empty."""
    text = (cell_text(raw) or "").strip()
    if not text:
        return None, None
    use = f"use 0..{bank.max_level} or na"
    if isinstance(raw, str | CellRichText) and text.casefold() == "na":
        return "na", None
    number = cell_integer(raw)
    if number is None:
        return None, f"level {text!r} is not a level; {use}"
    if number not in bank.levels:
        return None, f"level {number} is out of range; {use}"
    return number, None
