"""A whole workspace read and checked: a project file (organisations, rounds, respondents) or
a single answers file. Nothing is scored here (assessment.score.workspace does that).

A consultant keeps one project file per portfolio; files it names lie in its folder unless
the user allows otherwise, and every problem of every file is reported at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assessment.common.errors import InputError, Problem
from assessment.common.files import outside_problem
from assessment.load.branding import Branding, load_branding
from assessment.load.loader import AnswersRef, Assessment, Banks, load_assessment, load_assessments
from assessment.load.models.project import OrganisationRef, ProjectFile, RoundRef
from assessment.load.structure import parse
from assessment.load.yamlio import Located, load_yaml_file

PROJECT_FILE = "cxassess.yaml"


@dataclass(frozen=True)
class RespondentAnswers:
    name: str
    assessment: Assessment
    lead: bool = False


@dataclass(frozen=True)
class LoadedRound:
    """One dated assessment: a single answers file, or several respondents to combine."""

    assessment: Assessment | None = None
    respondents: tuple[RespondentAnswers, ...] = ()

    @property
    def first(self) -> Assessment:
        return self.assessment or self.respondents[0].assessment


@dataclass(frozen=True)
class LoadedOrg:
    id: str
    rounds: tuple[LoadedRound, ...]  # as listed


@dataclass(frozen=True)
class Project:
    title: str
    default_lang: str
    anonymise: bool
    orgs: tuple[LoadedOrg, ...]
    # Every file and bank folder it was read from: a build must never write over one.
    inputs: tuple[Path, ...] = ()
    branding: Branding | None = None  # the report file's, from the project file


def is_project_file(located: Located) -> bool:
    return isinstance(located.data, dict) and "organisations" in located.data


def load_project(
    path: Path, search: Sequence[Path] = (), *, allow_outside: bool = False
) -> Project:
    """A project file or a single answers file, validated; files named inside it must lie in
    its folder unless allow_outside."""
    src = load_yaml_file(path, keep_going=True)
    if not is_project_file(src):
        return _single(path, search, allow_outside)
    project = parse(src, ProjectFile)
    base = path.resolve().parent
    root = None if allow_outside else base
    branding, problems = load_branding(project.report, base, root, src)
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
    seen: set[str] = set()
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
    problems += _one_bank(orgs, project, src)
    if problems:
        raise InputError(problems)
    read = [a.inputs for a in loaded.values() if isinstance(a, Assessment)]
    inputs = (path, *dict.fromkeys(p for files_read in read for p in files_read), *banks.folders())
    return Project(
        project.title, project.default_lang, project.anonymise, tuple(orgs), inputs, branding
    )


def _one_bank(orgs: list[LoadedOrg], project: ProjectFile, src: Located) -> list[Problem]:
    """A project compares its organisations, and each one's rounds, on one bank (versions of
    it may differ from round to round): the portfolio and the trend line up its areas."""
    index = {ref.id: i for i, ref in enumerate(project.organisations)}
    first: tuple[str, str] | None = None
    out = []
    for org in orgs:
        for j, made in enumerate(org.rounds):
            bank = made.first.bank.id
            if first is None:
                first = (bank, org.id)
            elif bank != first[0]:
                out.append(
                    src.problem(
                        ("organisations", index[org.id], "rounds", j),
                        f"answers for bank {bank!r}, but {first[1]!r} is assessed against"
                        f" {first[0]!r}: a project compares its organisations and rounds on"
                        " one bank",
                    )
                )
    return out


def _single(path: Path, search: Sequence[Path], allow_outside: bool) -> Project:
    banks = Banks()
    assessment = load_assessment(
        path, search, banks=banks, root=None if allow_outside else path.parent
    )
    org = LoadedOrg(assessment.answers.organisation.id, (LoadedRound(assessment),))
    return Project(
        title=assessment.answers.organisation.name,
        default_lang="zh",
        anonymise=False,
        orgs=(org,),
        inputs=(*assessment.inputs, *banks.folders()),
    )


def _round_files(
    ref: RoundRef,
    at: tuple[str | int, ...],
    base: Path,
    search: Sequence[Path],
    root: Path | None,
    src: Located,
    problems: list[Problem],
) -> list[AnswersRef]:
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
    files: list[AnswersRef],
    loaded: dict[AnswersRef, Assessment | InputError],
    problems: list[Problem],
) -> LoadedRound | None:
    if len(files) != (1 if ref.answers is not None else len(ref.respondents)):
        return None  # a file outside the project's folder, already reported
    found = [loaded[file] for file in files]
    failed = [error for error in found if isinstance(error, InputError)]
    if failed:
        problems.extend(p for error in failed for p in error.problems)  # every file's
        return None
    assessments = [a for a in found if isinstance(a, Assessment)]
    if ref.answers is not None:
        return LoadedRound(assessments[0])
    mixed = same_bank_problems(assessments)
    if mixed:
        problems += mixed
        return None
    return LoadedRound(
        respondents=tuple(
            RespondentAnswers(r.name, a, r.lead)
            for r, a in zip(ref.respondents, assessments, strict=True)
        )
    )


def same_bank_problems(respondents: Sequence[Assessment]) -> list[Problem]:
    """Respondents to combine must have answered one bank (the first one's)."""
    bank = respondents[0].bank.id
    return [
        Problem(a.source, 1, 1, "bank", f"respondent answers bank {a.bank.id!r}, not {bank!r}")
        for a in respondents
        if a.bank.id != bank
    ]


def _load_org(
    ref: OrganisationRef,
    index: int,
    files: list[list[AnswersRef]],
    loaded: dict[AnswersRef, Assessment | InputError],
    src: Located,
    problems: list[Problem],
) -> LoadedOrg | None:
    rounds = []
    for i, (round_ref, round_files) in enumerate(zip(ref.rounds, files, strict=True)):
        made = _load_round(round_ref, round_files, loaded, problems)
        if made is None:
            continue
        found = made.first.answers.organisation.id
        if found != ref.id:
            path = ("organisations", index, "rounds", i)
            problems.append(
                src.problem(path, f"answers are for organisation {found!r}, not {ref.id!r}")
            )
            continue
        rounds.append(made)
    if len(rounds) != len(ref.rounds):
        return None
    return LoadedOrg(ref.id, tuple(rounds))
