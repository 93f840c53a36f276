"""A loaded workspace scored: every round of every organisation, workshops combined, trends
over rounds and the portfolio; what the render stage shows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from assessment.load.branding import Branding
from assessment.load.loader import Assessment
from assessment.load.project import LoadedRound, Project
from assessment.score.cxmetrics import SurveySummary, summarise
from assessment.score.objectives import ObjectiveResult, evaluate_objectives
from assessment.score.portfolio import Portfolio, build_portfolio
from assessment.score.respondents import Consensus, Respondent, combine
from assessment.score.scoring import Scorecard, score
from assessment.score.trend import Trend, build_trend


@dataclass(frozen=True)
class Round:
    assessment: Assessment
    card: Scorecard
    consensus: Consensus | None = None

    @cached_property
    def survey(self) -> SurveySummary | None:
        return summarise(self.assessment.survey) if self.assessment.survey else None

    @cached_property
    def objectives(self) -> tuple[ObjectiveResult, ...]:
        return evaluate_objectives(self.assessment.answers.objectives, self.survey)


@dataclass(frozen=True)
class OrgReport:
    id: str
    rounds: tuple[Round, ...]  # oldest first
    trend: Trend | None

    @property
    def current(self) -> Round:
        return self.rounds[-1]

    @property
    def name(self) -> str:
        return self.current.assessment.answers.organisation.name

    @property
    def workshop(self) -> Round | None:
        """The latest round answered by several respondents (the consensus page shows it)."""
        return next((r for r in reversed(self.rounds) if r.consensus is not None), None)


@dataclass(frozen=True)
class Workspace:
    title: str
    default_lang: str
    orgs: tuple[OrgReport, ...]
    portfolio: Portfolio | None  # only for more than one organisation
    # Every file and bank folder it was read from: a build must never write over one.
    inputs: tuple[Path, ...] = ()
    branding: Branding | None = None  # the report file's, from the project file

    @property
    def single(self) -> bool:
        return len(self.orgs) == 1


def _prepared(loaded: LoadedRound) -> tuple[Assessment, Consensus | None]:
    """The assessment a round is scored on: its answers, or its respondents' combined."""
    if loaded.assessment is not None:
        return loaded.assessment, None
    people = [
        Respondent(r.name, r.assessment.answers, r.assessment.source, r.lead)
        for r in loaded.respondents
    ]
    first = loaded.respondents[0].assessment
    merged, consensus = combine(people, first.bank)
    assessment = Assessment(
        bank=first.bank,
        answers=merged,
        source=first.source,
        survey=first.survey,
        inputs=tuple(p for r in loaded.respondents for p in r.assessment.inputs),
    )
    return assessment, consensus


def score_workspace(project: Project) -> Workspace:
    """Every round of every organisation scored (rounds by date, the latest current), with
    workshops combined, trends over rounds and, for several organisations, the portfolio."""
    prepared = [[_prepared(r) for r in org.rounds] for org in project.orgs]
    orgs = []
    for org, rounds_prepared in zip(project.orgs, prepared, strict=True):
        rounds = [Round(a, score(a.bank, a.answers), c) for a, c in rounds_prepared]
        rounds.sort(key=lambda r: r.assessment.answers.assessment.date)
        trend = build_trend([(r.assessment, r.card) for r in rounds])
        orgs.append(OrgReport(org.id, tuple(rounds), trend))
    portfolio = None
    if len(orgs) > 1:
        portfolio = build_portfolio(
            [(o.id, o.name, o.current.card) for o in orgs], project.anonymise
        )
    return Workspace(
        project.title,
        project.default_lang,
        tuple(orgs),
        portfolio,
        project.inputs,
        project.branding,
    )
