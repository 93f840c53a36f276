"""An organisation's answers file: the public format users write and tools exchange."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictFloat, StrictInt, model_validator

from assessment.load.models.base import ClauseId, Date, Id, Model, NonEmpty, UserText, has_words
from assessment.load.models.objectives import Objective

Finding = Literal["conforming", "observation", "ofi", "minor", "major"]
FINDINGS: tuple[Finding, ...] = ("major", "minor", "observation", "ofi", "conforming")
NONCONFORMITIES: tuple[Finding, ...] = ("major", "minor")
FindingStatus = Literal["open", "closed", "verified"]
FINDING_STATUSES: tuple[FindingStatus, ...] = ("open", "closed", "verified")


class FindingRecord(Model):
    """A finding written the audit way: what requirement, on what evidence, what was found,
    and what is done about it, with its life cycle (open -> closed -> verified)."""

    grade: Finding
    requirement: UserText | None = None  # the clause wording the finding is raised against
    evidence: UserText | None = None  # record id, interviewee role, date, sample
    statement: UserText | None = None
    correction: UserText | None = None
    root_cause: UserText | None = None
    corrective_action: UserText | None = None
    owner: UserText | None = None
    due: Date | None = None
    status: FindingStatus = "open"
    closed: Date | None = None
    verified: Date | None = None

    @model_validator(mode="after")
    def _life_cycle(self) -> FindingRecord:
        if self.status == "verified" and self.verified is None:
            raise ValueError(
                "status 'verified' needs the date it was verified (verified: YYYY-MM-DD)"
            )
        if self.status == "closed" and self.closed is None:
            raise ValueError("status 'closed' needs the date it was closed (closed: YYYY-MM-DD)")
        if self.status == "open" and (self.closed or self.verified):
            raise ValueError("an open finding has no closed or verified date; set status")
        if self.closed and self.verified and self.verified < self.closed:
            raise ValueError(f"verified ({self.verified}) is before closed ({self.closed})")
        return self


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
    """The organisation's own thresholds for the readiness verdict; a field left out takes
    the bank's default (BankReadiness), and the site shows which is which."""

    min_coverage: StrictFloat | StrictInt | None = Field(default=None, ge=0, le=1)
    min_area_score: StrictFloat | StrictInt | None = Field(default=None, ge=0)
    max_major: StrictInt | None = Field(default=None, ge=0)
    knockout_level: StrictInt | None = Field(default=None, ge=0)


class Answer(Model):
    level: StrictInt | Literal["na"] | None = None
    reason: UserText | None = None
    evidence: tuple[UserText, ...] = ()
    note: UserText | None = None
    # A grade alone (finding: minor), or the whole record (finding: {grade: minor, ...}).
    finding: Finding | FindingRecord | None = None
    decided_by: UserText | None = None  # who decided a question does not apply

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

    @property
    def grade(self) -> Finding | None:
        return self.finding.grade if isinstance(self.finding, FindingRecord) else self.finding

    @property
    def record(self) -> FindingRecord | None:
        """The finding as a record; a grade alone is an open record with nothing else said."""
        if self.finding is None or isinstance(self.finding, FindingRecord):
            return self.finding
        return FindingRecord(grade=self.finding)


class AnswersFile(Model):
    bank: Id
    organisation: Organisation
    assessment: AssessmentInfo
    targets: Targets = Targets()
    readiness: Readiness = Readiness()
    survey: NonEmpty | None = None  # a survey CSV, relative to this file (nps, csat, ces …)
    objectives: tuple[Objective, ...] = ()  # CXM objectives of GB/T 42509 6.1.4
    answers: dict[str, Answer] = Field(default_factory=dict)
