"""Shared model settings and small value types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

# Ids end up in file names and URLs: a strict alphabet keeps "../" and friends out.
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
ClauseId = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z.]{0,19}$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
UserText = Annotated[str, StringConstraints(max_length=20_000)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Model):
    """A text in both languages of the product."""

    zh: NonEmpty
    en: NonEmpty

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en
