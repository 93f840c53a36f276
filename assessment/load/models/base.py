"""Shared model settings and small value types."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

# Ids end up in file names and URLs: a strict alphabet keeps "../" and friends out.
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
ClauseId = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z.]{0,19}$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
UserText = Annotated[str, StringConstraints(max_length=20_000)]
# An item of a list that spreadsheets and the form show one per line (evidence, assessors).
LINE_PATTERN = r"^[^\r\n]*$"
ListItem = Annotated[str, StringConstraints(max_length=20_000, pattern=LINE_PATTERN)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Model):
    """A text in both languages of the product."""

    zh: NonEmpty
    en: NonEmpty

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


# Dates become build timestamps (SOURCE_DATE_EPOCH, file times), which must lie in what a
# 32-bit unsigned epoch holds.
EARLIEST, LATEST = dt.date(1970, 1, 1), dt.date(2105, 12, 31)


def _in_range(day: dt.date) -> dt.date:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"must lie between {EARLIEST} and {LATEST}")
    return day


Date = Annotated[dt.date, AfterValidator(_in_range)]


def has_words(text: str | None) -> bool:
    """Whether text says anything: not only blanks, zero-width or other invisible characters."""
    return text is not None and any(
        not ch.isspace() and unicodedata.category(ch) not in {"Cf", "Cc", "Zs", "Zl", "Zp"}
        for ch in text
    )
