"""A workspace file (cxassess.yaml): organisations, their rounds and respondents, survey data.

A consultant keeps one per client portfolio in git; `cxassess build` with no argument builds
it when it is in the current folder. Paths are relative to the project file.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from assessment.load.models.base import Id, Model, NonEmpty, UserText


class RespondentRef(Model):
    name: NonEmpty
    answers: NonEmpty  # path to an answers file
    lead: bool = False  # the lead assessor, whose file the findings come from (default: first)


class RoundRef(Model):
    """One dated assessment: a single answers file, or several respondents combined."""

    answers: NonEmpty | None = None
    respondents: tuple[RespondentRef, ...] = ()
    bank_path: NonEmpty | None = None  # folder with the bank version this round was answered on

    @model_validator(mode="after")
    def _one_source(self) -> RoundRef:
        if (self.answers is None) == (not self.respondents):
            raise ValueError("give either answers (one file) or respondents (two or more)")
        if self.respondents and len(self.respondents) < 2:
            raise ValueError("respondents needs at least two entries; use answers for one file")
        if sum(r.lead for r in self.respondents) > 1:
            raise ValueError("mark one respondent as lead, not several")
        return self


class OrganisationRef(Model):
    id: Id
    rounds: tuple[RoundRef, ...] = Field(min_length=1)  # oldest first; the last is current


class ReportBranding(Model):
    """How the report file looks for a consultancy: its logo (PNG or JPEG, beside the project
    file), its colour for headings and its name on the cover."""

    logo: NonEmpty | None = None
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None
    firm: UserText | None = None


class ProjectFile(Model):
    title: UserText = "cxassess portfolio"
    default_lang: Literal["zh", "en"] = "zh"
    anonymise: bool = False  # portfolio benchmark shows codes instead of organisation names
    organisations: tuple[OrganisationRef, ...] = Field(min_length=1)
    report: ReportBranding | None = None
