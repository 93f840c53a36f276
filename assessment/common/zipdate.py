"""Zip archives (xlsx, docx) with every member dated one given day: zip entries otherwise carry
the clock, so the same inputs would give different files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile


def dated_archive(data: bytes, day: dt.date) -> bytes:
    """The same archive with every member dated `day` (midnight)."""
    # The zip format counts years from 1980 to 2107.
    year = min(max(day.year, 1980), 2107)
    date_time = (year, day.month, day.day, 0, 0, 0) if year == day.year else (year, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=date_time)
            info.compress_type, info.create_system = zipfile.ZIP_DEFLATED, 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()
