"""An organisation's answers file: the public format users write and tools exchange."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StrictFloat, StrictInt, model_validator
from pydantic.config import JsonDict

from assessment.load.models.base import (
    ClauseId,
    Date,
    Id,
    ListItem,
    Model,
    NonEmpty,
    UserText,
    has_words,
)
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


# Bounds on each member of the union (not on the union), so the JSON Schema says minimum and
# maximum where an editor can check them.
Number01 = Annotated[StrictFloat, Field(ge=0, le=1)] | Annotated[StrictInt, Field(ge=0, le=1)]
NonNegative = Annotated[StrictFloat, Field(ge=0)] | Annotated[StrictInt, Field(ge=0)]
# A level or target lies in 0..the bank's top level (checked against the bank); the schema
# carries the widest scale a bank may have.
LEVEL_BOUNDS: JsonDict = {"minimum": 0, "maximum": 10}


ActionStatus = Literal["planned", "in_progress", "done", "dropped"]
ACTION_STATUSES: tuple[ActionStatus, ...] = ("planned", "in_progress", "done", "dropped")


class Action(Model):
    """Who does a roadmap action, by when, and how far it has got."""

    owner: UserText | None = None
    due: Date | None = None
    status: ActionStatus = "planned"
    note: UserText | None = None

    @property
    def open(self) -> bool:
        return self.status in ("planned", "in_progress")

    def overdue(self, on: dt.date) -> bool:
        """Still open after its due date, as of `on` (the assessment date)."""
        return self.open and self.due is not None and self.due < on


class Organisation(Model):
    id: Id
    name: NonEmpty
    sector: UserText | None = None


class AssessmentInfo(Model):
    title: NonEmpty
    date: Date
    assessors: tuple[ListItem, ...] = ()
    scope: UserText | None = None


class Targets(Model):
    default: StrictInt | None = Field(default=None, json_schema_extra=LEVEL_BOUNDS)
    clauses: dict[ClauseId, Annotated[StrictInt, Field(json_schema_extra=LEVEL_BOUNDS)]] = Field(
        default_factory=dict
    )


class Readiness(Model):
    """The organisation's own thresholds for the readiness verdict; a field left out takes
    the bank's default (BankReadiness), and the site shows which is which."""

    min_coverage: Number01 | None = None
    min_area_score: NonNegative | None = None
    max_major: StrictInt | None = Field(default=None, ge=0)
    knockout_level: StrictInt | None = Field(default=None, ge=0)


class Answer(Model):
    level: StrictInt | Literal["na"] | None = Field(default=None, json_schema_extra=LEVEL_BOUNDS)
    # For a question with scored choices: the id of the choice picked (a list where the
    # question allows several).
    choice: Id | tuple[Id, ...] | None = None
    reason: UserText | None = None
    evidence: tuple[ListItem, ...] = ()
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
        if self.choice is not None and self.level is not None:
            raise ValueError("give a level or a choice, not both")
        return self

    @property
    def answered(self) -> bool:
        return self.level is not None or self.choice is not None

    @property
    def picked(self) -> tuple[str, ...]:
        """The choices picked, as a tuple whether one was given or several."""
        if self.choice is None:
            return ()
        return (self.choice,) if isinstance(self.choice, str) else self.choice

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
    # A preset of the bank (an implementation group): questions outside it do not apply.
    preset: Id | None = None
    survey: NonEmpty | None = None  # a survey CSV, relative to this file (nps, csat, ces …)
    objectives: tuple[Objective, ...] = ()  # CXM objectives of GB/T 42509 6.1.4
    answers: dict[str, Answer] = Field(default_factory=dict)
    actions: dict[str, Action] = Field(default_factory=dict)  # by question id: the action plan
