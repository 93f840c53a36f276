"""The question bank as written in questions/<bank>/: a manifest and question files."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from assessment.load.models.base import ClauseId, Id, Model, NonEmpty, Text

# How binding a provision is, in the standard's own words: 应 shall (a requirement),
# 宜 should (a recommendation), 可 may (a permitted option, never scored as required).
Strength = Literal["shall", "should", "may"]
STRENGTHS: tuple[Strength, ...] = ("shall", "should", "may")  # strongest first
# Whether a clause or question rests on the standard's text as we have it, or was
# reconstructed (from the source's summary tables, or from a related standard).
Provenance = Literal["source", "reconstructed"]


class Standard(Model):
    code: NonEmpty
    title: Text
    issued: dt.date | None = None
    # A guideline can be assessed against, not certified to; a requirements standard can.
    kind: Literal["guideline", "requirements"] = "guideline"


class Scheme(Model):
    """A certification scheme that turns the standard's provisions into requirements; only a
    bank that declares one may call its verdict readiness for certification."""

    id: Id
    name: Text


class BankReadiness(Model):
    """The bank's default readiness thresholds; an answers file may set its own."""

    min_coverage: float = Field(default=1.0, ge=0, le=1)
    min_area_score: float = Field(default=3.0, ge=0)
    max_major: int = Field(default=0, ge=0)
    # Knock-out questions (Question.knockout) below this level block readiness.
    knockout_level: int = Field(default=2, ge=0)


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


class Basis(Model):
    """What a point rests on: a short quote of the clause as printed, or, where the text is
    not available to us, our own paraphrase, marked as such by its field."""

    quote: NonEmpty | None = None
    paraphrase: Text | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Basis:
        if (self.quote is None) == (self.paraphrase is None):
            raise ValueError("give either quote (the wording as printed) or paraphrase")
        return self


class Point(Model):
    """A provision the standard makes under a clause; questions say which points they cover."""

    id: Id
    en: NonEmpty
    zh: NonEmpty | None = None
    strength: Strength | None = None  # None: the bank does not say (any grade may be raised)
    basis: Basis | None = None


class Clause(Model):
    id: ClauseId
    title: Text
    area: Id | None = None
    # Inherited by sub-clauses and questions; the top level defaults to "source".
    provenance: Provenance | None = None
    provenance_note: Text | None = None  # one line: what it was reconstructed from
    points: tuple[Point, ...] = ()
    children: tuple[Clause, ...] = ()


class Preset(Model):
    """A named set of questions that apply together (an implementation group, a tier): an
    answers file that picks one treats the questions outside it as not applicable."""

    id: Id
    title: Text
    description: Text | None = None


class Source(Model):
    """Where an imported bank came from, so a report says exactly what it was scored
    against: the file's format, name and hash, the importer, and its owners' terms."""

    format: Literal["ciso-assistant", "samm"]
    file: NonEmpty
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    importer: NonEmpty  # "cxassess <version>"
    ref: NonEmpty | None = None  # the framework's own id (a URN, a model name)
    provider: NonEmpty | None = None
    copyright: NonEmpty | None = None
    # What the import decided for the user to know: a language filled from another, a
    # score range shifted, the roll-up kept. Shown on the methodology page.
    notes: tuple[Text, ...] = ()


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
    scheme: Scheme | None = None
    readiness: BankReadiness = BankReadiness()
    presets: tuple[Preset, ...] = ()
    source: Source | None = None  # set by `cxassess bank import`
    clauses: tuple[Clause, ...] = Field(min_length=1)


class Evidence(Model):
    kind: Literal["document", "record", "interview", "observation"]
    zh: NonEmpty
    en: NonEmpty


class Choice(Model):
    """A scored answer a question offers instead of a level ladder: choosing it scores the
    question at value x the bank's top level (SAMM's 0 / 0.25 / 0.5 / 1, say)."""

    id: Id
    text: Text
    value: float = Field(ge=0, le=1)


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
    evidence: tuple[Evidence, ...] = ()
    # A question is answered on the bank's level ladder (levels: a descriptor per level) or
    # by picking among scored choices (choices); never both.
    levels: dict[int, Text] = Field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    multiple: bool = False  # several choices may be picked: their values add up, capped at 1
    presets: tuple[Id, ...] = ()  # the presets (Manifest.presets) this question belongs to
    # A knock-out question below the bank's knockout_level blocks readiness and cannot be na.
    knockout: bool = False
    provenance: Provenance | None = None  # default: its clause's
    provenance_note: Text | None = None
    # Ids this question takes over from an earlier bank version (renamed, split or merged),
    # so rounds answered on that version stay comparable.
    replaces: tuple[Id, ...] = ()

    @model_validator(mode="after")
    def _levels_or_choices(self) -> Question:
        if bool(self.levels) == bool(self.choices):
            raise ValueError("give either levels (a descriptor per level) or choices, not both")
        if self.multiple and not self.choices:
            raise ValueError("multiple: true needs choices")
        return self

    def choice_value(self, picked: tuple[str, ...]) -> float:
        """The value of the picked choices: one choice's value, or several added up and
        capped at 1."""
        values = {c.id: c.value for c in self.choices}
        return min(1.0, sum(values[p] for p in picked))


class QuestionFile(Model):
    questions: tuple[Question, ...] = Field(min_length=1)
