"""Load stage for whole workspaces: a project file (organisations, rounds, respondents) or a
single answers file, into validated, scored organisations ready to render."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .cxmetrics import SurveySummary, summarise
from .errors import InputError, Problem
from .files import outside_problem
from .load import AnswersRef, Assessment, Banks, load_assessment, load_assessments
from .models.project import OrganisationRef, ProjectFile, RoundRef
from .objectives import ObjectiveResult, evaluate_objectives
from .parse import parse
from .portfolio import Portfolio, build_portfolio
from .respondents import Consensus, Respondent, combine
from .score import Scorecard, score
from .trend import Trend, build_trend
from .yamlio import Located, load_yaml_file

PROJECT_FILE = "cxassess.yaml"


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

    @property
    def single(self) -> bool:
        return len(self.orgs) == 1


def is_project_file(located: Located) -> bool:
    return isinstance(located.data, dict) and "organisations" in located.data


def _org_report(org_id: str, rounds: list[Round]) -> OrgReport:
    ordered = sorted(rounds, key=lambda r: r.assessment.answers.assessment.date)
    return OrgReport(
        id=org_id,
        rounds=tuple(ordered),
        trend=build_trend([(r.assessment, r.card) for r in ordered]),
    )


def single_workspace(
    path: Path, search: Sequence[Path] = (), *, allow_outside: bool = False
) -> Workspace:
    banks = Banks()
    assessment = load_assessment(
        path, search, banks=banks, root=None if allow_outside else path.parent
    )
    card = score(assessment.bank, assessment.answers)
    org = _org_report(assessment.answers.organisation.id, [Round(assessment, card)])
    return Workspace(
        title=assessment.answers.organisation.name,
        default_lang="zh",
        orgs=(org,),
        portfolio=None,
        inputs=(*assessment.inputs, *banks.folders()),
    )


_File = AnswersRef


def _round_files(
    ref: RoundRef,
    at: tuple[str | int, ...],
    base: Path,
    search: Sequence[Path],
    root: Path | None,
    src: Located,
    problems: list[Problem],
) -> list[_File]:
    """The answers files of a round (at: its place in the project file), each kept inside
    root (the project's folder) unless root is None."""

    def inside(name: str, where: tuple[str | int, ...], what: str) -> bool:
        problem = outside_problem(base / name, root, f"{what} {name!r}") if root else None
        if problem is not None:
            problems.append(src.problem(where, problem))
        return problem is None

    extra: tuple[Path, ...] = ()
    if ref.bank_path and inside(ref.bank_path, (*at, "bank_path"), "bank_path"):
        extra = (base / ref.bank_path,)
    round_search = (*extra, *search)
    if ref.answers is not None:
        named = [(ref.answers, (*at, "answers"))]
    else:
        named = [
            (r.answers, (*at, "respondents", i, "answers")) for i, r in enumerate(ref.respondents)
        ]
    return [
        (base / name, round_search, root) for name, where in named if inside(name, where, "answers")
    ]


def _load_round(
    ref: RoundRef,
    files: list[_File],
    loaded: dict[_File, Assessment | InputError],
    problems: list[Problem],
) -> Round | None:
    if len(files) != (1 if ref.answers is not None else len(ref.respondents)):
        return None  # a file outside the project's folder, already reported
    found = [loaded[file] for file in files]
    failed = [error for error in found if isinstance(error, InputError)]
    if failed:
        problems.extend(p for error in failed for p in error.problems)  # every file's
        return None
    assessments = [a for a in found if isinstance(a, Assessment)]
    if ref.answers is not None:
        assessment = assessments[0]
        return Round(assessment, score(assessment.bank, assessment.answers))
    bank = assessments[0].bank
    people = [
        Respondent(r.name, a.answers, a.source)
        for r, a in zip(ref.respondents, assessments, strict=True)
    ]
    try:
        merged, consensus = combine(people, bank)
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    first = assessments[0]
    assessment = Assessment(bank=bank, answers=merged, source=first.source, survey=first.survey)
    return Round(assessment, score(bank, merged), consensus)


def _load_org(
    ref: OrganisationRef,
    index: int,
    files: list[list[_File]],
    loaded: dict[_File, Assessment | InputError],
    src: Located,
    problems: list[Problem],
) -> OrgReport | None:
    rounds = []
    for i, (round_ref, round_files) in enumerate(zip(ref.rounds, files, strict=True)):
        made = _load_round(round_ref, round_files, loaded, problems)
        if made is None:
            continue
        if made.assessment.answers.organisation.id != ref.id:
            found = made.assessment.answers.organisation.id
            path = ("organisations", index, "rounds", i)
            problems.append(
                src.problem(path, f"answers are for organisation {found!r}, not {ref.id!r}")
            )
            continue
        rounds.append(made)
    if len(rounds) != len(ref.rounds):
        return None
    return _org_report(ref.id, rounds)


def load_workspace(
    path: Path, search: Sequence[Path] = (), *, allow_outside: bool = False
) -> Workspace:
    """A project file or a single answers file; every problem in every file reported at once.
    Files the project names must lie in its folder unless allow_outside."""
    src = load_yaml_file(path)
    if not is_project_file(src):
        return single_workspace(path, search, allow_outside=allow_outside)
    project = parse(src, ProjectFile)
    base = path.resolve().parent
    root = None if allow_outside else base
    problems: list[Problem] = []
    seen: set[str] = set()
    # Every answers file first (on every core, load_assessments), then each organisation.
    files = [
        [
            _round_files(r, ("organisations", i, "rounds", j), base, search, root, src, problems)
            for j, r in enumerate(ref.rounds)
        ]
        for i, ref in enumerate(project.organisations)
    ]
    every_file = list(dict.fromkeys(f for org in files for round_files in org for f in round_files))
    banks = Banks()
    loaded = dict(zip(every_file, load_assessments(every_file, banks), strict=True))
    orgs = []
    for index, ref in enumerate(project.organisations):
        if ref.id in seen:
            problems.append(
                src.problem(
                    ("organisations", index, "id"), f"organisation {ref.id!r} appears twice"
                )
            )
        seen.add(ref.id)
        org = _load_org(ref, index, files[index], loaded, src, problems)
        if org is not None:
            orgs.append(org)
    if problems:
        raise InputError(problems)
    portfolio = None
    if len(orgs) > 1:
        portfolio = build_portfolio(
            [(o.id, o.name, o.current.card) for o in orgs], project.anonymise
        )
    read = [a.inputs for a in loaded.values() if isinstance(a, Assessment)]
    inputs = (path, *dict.fromkeys(p for files_read in read for p in files_read), *banks.folders())
    return Workspace(project.title, project.default_lang, tuple(orgs), portfolio, inputs)
