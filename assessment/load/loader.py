"""Load stage: find and read a bank and an answers file, structure then cross references."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from assessment.common import resources
from assessment.common.collector import collector_paused
from assessment.common.errors import InputError, Problem
from assessment.common.files import outside_problem
from assessment.common.parallel import parallel_map, workers
from assessment.load import bank_store
from assessment.load.bank import Bank, clause_nodes, content_hash
from assessment.load.crossref import check_answers, check_manifest, check_questions
from assessment.load.models.answers import AnswersFile
from assessment.load.models.bank import Manifest, QuestionFile
from assessment.load.structure import parse, parse_partial
from assessment.load.survey import Survey, read_survey
from assessment.load.yamlio import Located, load_yaml_file

MAX_QUESTION_FILES = 500
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Assessment:
    """One organisation's validated answers against the bank they name."""

    bank: Bank
    answers: AnswersFile
    source: str
    survey: Survey | None = None
    inputs: tuple[Path, ...] = ()  # the files read: the answers file, its survey


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_bank(ref: str | Path, search: Sequence[Path] = ()) -> Bank:
    """A bank by id (e.g. "gbt42509") or by folder path; every problem reported at once."""
    with collector_paused():
        return _load_bank(ref, search)


def _load_bank(ref: str | Path, search: Sequence[Path]) -> Bank:
    folder = resources.bank_dir(ref, search)
    paths = sorted((folder / "questions").glob("*.yaml"))
    stored = None
    if paths and len(paths) <= MAX_QUESTION_FILES:  # otherwise the reading below reports it
        stored = bank_store.key([folder / "manifest.yaml", *paths])
    if stored is not None:
        bank = bank_store.kept(stored)
        if bank is not None:
            return bank
    problems: list[Problem] = []
    manifest_src = _read(folder / "manifest.yaml", problems)
    manifest = _parse(manifest_src, Manifest, problems)
    if manifest is not None and manifest_src is not None:
        problems += check_manifest(manifest, manifest_src)
    files: list[tuple[QuestionFile, Located]] = []
    if not paths:
        problems.append(
            Problem(_display(folder), 0, 0, "", "no questions/*.yaml files in the bank")
        )
    if len(paths) > MAX_QUESTION_FILES:
        message = f"more than {MAX_QUESTION_FILES} question files"
        raise InputError([*problems, Problem(_display(folder), 0, 0, "", message)])
    for path in paths:
        src = _read(path, problems)
        qfile = _parse(src, QuestionFile, problems)
        if qfile is not None and src is not None:
            files.append((qfile, src))
    if manifest is not None and not problems:
        problems += check_questions(manifest, files)
    if problems or manifest is None:
        raise InputError(problems)
    order = {node.id: i for i, node in enumerate(clause_nodes(manifest))}
    questions = tuple(
        sorted((q for qfile, _ in files for q in qfile.questions), key=lambda q: order[q.clause])
    )
    bank = Bank(
        manifest=manifest, questions=questions, content_hash=content_hash(manifest, questions)
    )
    if stored is not None:
        bank_store.keep(stored, bank)
    return bank


# The two helpers below collect problems and carry on, so every file is reported at once.
def _read(path: Path, problems: list[Problem]) -> Located | None:
    try:
        return load_yaml_file(path, _display(path), keep_going=True)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def _parse(src: Located | None, model: type[M], problems: list[Problem]) -> M | None:
    if src is None:
        return None
    try:
        return parse(src, model)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def load_answers_file(path: Path) -> tuple[AnswersFile, Located]:
    src = load_yaml_file(path, _display(path), keep_going=True)
    return parse(src, AnswersFile), src


def _survey_path(
    path: Path, answers: AnswersFile, src: Located, root: Path | None
) -> Path | Problem:
    """The survey an answers file names: beside it, and inside `root` (the project's folder)
    unless root is None (the user allowed files outside it)."""
    assert answers.survey is not None  # noqa: S101 - only called when the file names one
    survey = path.parent / answers.survey
    if (
        root is not None
        and (problem := outside_problem(survey, root, f"survey {answers.survey!r}")) is not None
    ):
        return src.problem(("survey",), problem)
    if not survey.exists():
        return src.problem(
            ("survey",), f"no survey file {survey} (paths are read from {path.name}'s folder)"
        )
    return survey


class Banks:
    """The banks read while loading one workspace, by folder: a portfolio's answers files
    mostly name the same bank, which is read and checked once (about 0.1 s for the full bank)
    instead of once per file."""

    def __init__(self) -> None:
        self._loaded: dict[Path, Bank] = {}

    def get(self, ref: str | Path, search: Sequence[Path] = ()) -> Bank:
        folder = resources.bank_dir(ref, search).resolve()
        bank = self._loaded.get(folder)
        if bank is None:
            bank = self._loaded[folder] = load_bank(folder)
        return bank

    def folder(self, bank: Bank) -> Path:
        return next(folder for folder, kept in self._loaded.items() if kept is bank)

    def folders(self) -> tuple[Path, ...]:
        return tuple(self._loaded)


HERE = Path()  # load_assessment's default root: the answers file's own folder


def load_assessment(
    path: Path,
    search: Sequence[Path] = (),
    bank: Bank | None = None,
    banks: Banks | None = None,
    *,
    root: Path | None = HERE,
) -> Assessment:
    """Read an answers file and the bank it names (bank, if it is that bank; else from
    banks, or read afresh); raise InputError with every problem, of structure and of cross
    references at once. Files it names (the survey) must lie inside root (by default the
    answers file's folder; None: anywhere)."""
    if root is HERE:
        root = path.parent
    src = load_yaml_file(path, _display(path), keep_going=True)
    answers, problems = parse_partial(src, AnswersFile)
    if answers is None:
        raise InputError(problems)
    if bank is None or bank.id != answers.bank:
        try:
            bank = (banks or Banks()).get(answers.bank, search)
        except resources.UnknownBankError as exc:
            raise InputError([*problems, src.problem(("bank",), str(exc))]) from None
    problems += check_answers(answers, src, bank)
    survey = None
    survey_path: Path | Problem | None = None
    if answers.survey is not None:
        survey_path = _survey_path(path, answers, src, root)
        if isinstance(survey_path, Problem):
            problems.append(survey_path)
        else:
            try:
                survey = read_survey(survey_path, _display(survey_path))
            except InputError as exc:
                problems += exc.problems
    if problems:
        raise InputError(problems)
    inputs = (path, *([survey_path] if isinstance(survey_path, Path) else []))
    return Assessment(bank=bank, answers=answers, source=src.file, survey=survey, inputs=inputs)


# An answers file of a project: where it is, where the bank it names is looked for, and the
# folder the files it names must lie in (None: anywhere).
AnswersRef = tuple[Path, tuple[Path, ...], Path | None]
# What forked workers load with: the files and the banks read so far (they inherit both).
_LOADING: tuple[Sequence[AnswersRef], Banks] | None = None
# Fewer files than this load here: starting workers costs more than they save.
_PARALLEL_FROM = 8


@dataclass(frozen=True)
class _Loaded:
    """A worker's result: an assessment without its bank (this process has its own copy),
    or the file's problems."""

    answers: AnswersFile | None
    source: str = ""
    survey: Survey | None = None
    bank_folder: Path | None = None
    problems: tuple[Problem, ...] = ()
    inputs: tuple[Path, ...] = ()


def load_assessments(files: Sequence[AnswersRef], banks: Banks) -> list[Assessment | InputError]:
    """load_assessment for each (answers file, bank search path), the error in place of the
    assessment for a file that has problems. A portfolio's files are read on every core:
    the first here (so the workers start with the bank it names), the others in workers,
    which send back the answers alone; each assessment gets this process's bank object."""
    global _LOADING
    if len(files) < _PARALLEL_FROM or workers(len(files)) == 1:
        return [_load_here(file, banks) for file in files]
    results = [_load_here(files[0], banks)]
    _LOADING = (files, banks)
    try:
        loaded = parallel_map(_load_in_worker, range(1, len(files)), inherits=True)
    finally:
        _LOADING = None
    for found in loaded:
        if found.answers is None or found.bank_folder is None:
            results.append(InputError(found.problems))
        else:
            bank = banks.get(found.bank_folder)
            results.append(
                Assessment(bank, found.answers, found.source, found.survey, found.inputs)
            )
    return results


def _load_here(file: AnswersRef, banks: Banks) -> Assessment | InputError:
    try:
        return load_assessment(file[0], file[1], banks=banks, root=file[2])
    except InputError as error:
        return error


def _load_in_worker(index: int) -> _Loaded:
    assert _LOADING is not None  # noqa: S101 - set by load_assessments before any task runs
    files, banks = _LOADING
    found = _load_here(files[index], banks)
    if isinstance(found, InputError):
        return _Loaded(None, problems=found.problems)
    folder = banks.folder(found.bank)
    return _Loaded(found.answers, found.source, found.survey, folder, inputs=found.inputs)
