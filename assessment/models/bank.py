"""The question bank as written in questions/<bank>/: a manifest and question files."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .base import ClauseId, Id, Model, NonEmpty, Text


class Standard(Model):
    code: NonEmpty
    title: Text
    issued: dt.date | None = None


class ScaleLevel(Model):
    level: int = Field(ge=0, le=10)
    name: Text
    meaning: Text


class Area(Model):
    id: Id
    title: Text


class Principle(Model):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")]
    title: Text
    summary: Text
    qmp: tuple[Id, ...] = ()


class CrosswalkItem(Model):
    id: Id
    title: Text


class Crosswalk(Model):
    title: Text
    items: tuple[CrosswalkItem, ...] = Field(min_length=1)


class MetricScale(Model):
    min: int
    max: int


class MetricBand(Model):
    min: float
    max: float
    label: Text


class Metric(Model):
    id: Id
    name: Text
    scale: MetricScale
    formula: Text
    bands: tuple[MetricBand, ...] = ()


class Point(Model):
    """A fact the standard states under a clause; questions say which points they cover."""

    id: Id
    en: NonEmpty
    zh: NonEmpty | None = None


class Clause(Model):
    id: ClauseId
    title: Text
    area: Id | None = None
    points: tuple[Point, ...] = ()
    children: tuple[Clause, ...] = ()


class Manifest(Model):
    id: Id
    version: NonEmpty
    standard: Standard
    languages: tuple[Literal["zh", "en"], ...] = ("zh", "en")
    default_target: int = Field(default=3, ge=0)
    scale: tuple[ScaleLevel, ...] = Field(min_length=2)
    areas: tuple[Area, ...] = Field(min_length=1)
    principles: tuple[Principle, ...] = ()
    crosswalks: dict[Id, Crosswalk] = Field(default_factory=dict)
    metrics: tuple[Metric, ...] = ()
    clauses: tuple[Clause, ...] = Field(min_length=1)


class Evidence(Model):
    kind: Literal["document", "record", "interview", "observation"]
    zh: NonEmpty
    en: NonEmpty


class Question(Model):
    id: Id
    clause: ClauseId
    covers: tuple[Id, ...] = ()
    principles: tuple[str, ...] = ()
    weight: float = Field(default=1.0, gt=0, le=100)
    weight_rationale: Text | None = None
    crosswalk: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)
    text: Text
    guidance: Text
    evidence: tuple[Evidence, ...] = Field(min_length=1)
    levels: dict[int, Text]


class QuestionFile(Model):
    questions: tuple[Question, ...] = Field(min_length=1)
