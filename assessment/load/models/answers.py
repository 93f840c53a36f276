"""An organisation's answers file: the public format users write and tools exchange."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictFloat, StrictInt, model_validator

from assessment.load.models.base import ClauseId, Date, Id, Model, NonEmpty, UserText, has_words
from assessment.load.models.objectives import Objective

Finding = Literal["conforming", "observation", "ofi", "minor", "major"]
FINDINGS: tuple[Finding, ...] = ("major", "minor", "observation", "ofi", "conforming")


class Organisation(Model):
    id: Id
    name: NonEmpty
    sector: UserText | None = None


class AssessmentInfo(Model):
    title: NonEmpty
    date: Date
    assessors: tuple[UserText, ...] = ()
    scope: UserText | None = None


class Targets(Model):
    default: StrictInt | None = None
    clauses: dict[ClauseId, StrictInt] = Field(default_factory=dict)


class Readiness(Model):
    """Thresholds for the certification-readiness verdict."""

    min_coverage: StrictFloat | StrictInt = Field(default=1.0, ge=0, le=1)
    min_area_score: StrictFloat | StrictInt = Field(default=3.0, ge=0)
    max_major: StrictInt = Field(default=0, ge=0)


class Answer(Model):
    level: StrictInt | Literal["na"] | None = None
    reason: UserText | None = None
    evidence: tuple[UserText, ...] = ()
    note: UserText | None = None
    finding: Finding | None = None

    @model_validator(mode="after")
    def _na_needs_reason(self) -> Answer:
        if self.level == "na" and not has_words(self.reason):
            raise ValueError(
                "level 'na' (not applicable) needs a reason: say why it does not apply"
            )
        return self

    @property
    def answered(self) -> bool:
        return self.level is not None


class AnswersFile(Model):
    bank: Id
    organisation: Organisation
    assessment: AssessmentInfo
    targets: Targets = Targets()
    readiness: Readiness = Readiness()
    survey: NonEmpty | None = None  # a survey CSV, relative to this file (nps, csat, ces …)
    objectives: tuple[Objective, ...] = ()  # CXM objectives of GB/T 42509 6.1.4
    answers: dict[str, Answer] = Field(default_factory=dict)
