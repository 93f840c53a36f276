"""Cells of a questionnaire workbook read back as the values they were typed as: Excel
turns typed numbers and dates into values, so text, whole numbers, numbers and dates are
recovered from whatever the cell holds."""

from __future__ import annotations

import datetime as dt
import re

from openpyxl.cell.rich_text import CellRichText

from assessment.io.xlsx_layout import decode_text

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
