"""The library behind the CLI: each function is one user task, start to finish."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assessment.build.outdir import build_lock, ended_cleanly_on_terminate, plan_destination
from assessment.build.preview import Preview
from assessment.build.report_document import report_document
from assessment.build.report_docx import write_docx
from assessment.build.report_pdf import write_pdf
from assessment.build.serve import serve_site as serve
from assessment.build.site import BuildResult, cache_lookup, workspace_epoch, write_site
from assessment.common import resources
from assessment.common.errors import InputError, Problem, did_you_mean
from assessment.common.files import refuse_inputs, safe_write, safe_write_all
from assessment.io.answers import dump_answers, moved, write_answers_file
from assessment.io.bank_import import ciso, samm
from assessment.io.bank_import.write import Imported, write_bank
from assessment.io.export import export_files
from assessment.io.serialize import bank_json, scorecard_json
from assessment.io.template import answers_template
from assessment.load.bank import Bank
from assessment.load.loader import Assessment, Banks, load_assessment, load_bank
from assessment.load.project import PROJECT_FILE, load_project, same_bank_problems
from assessment.render.lanes import render_site
from assessment.render.pages import LANGUAGES
from assessment.score.respondents import Respondent, combine
from assessment.score.scoring import Scorecard, score
from assessment.score.workspace import Workspace, score_workspace

Search = Sequence[Path]


@dataclass(frozen=True)
class Scored:
    assessment: Assessment
    card: Scorecard

    def to_json(self) -> dict[str, Any]:
        return scorecard_json(self.card, self.assessment.answers)


def new_answers(
    bank_ref: str,
    out: Path,
    *,
    lang: str = "en",
    force: bool = False,
    today: dt.date | None = None,
    search: Search = (),
) -> Path | None:
    """Write an answers template; returns the backup path if an existing file was replaced."""
    bank = load_bank(bank_ref, search)
    return write_answers_file(out, answers_template(bank, lang, today), force=force)


def _root(path: Path, allow_outside: bool) -> Path | None:
    """The folder files named in an answers file must lie in (None: anywhere)."""
    return None if allow_outside else path.parent


def validate_file(path: Path, search: Search = (), *, allow_outside: bool = False) -> Assessment:
    return load_assessment(path, search, root=_root(path, allow_outside))


def validate_source(path: Path, search: Search = (), *, allow_outside: bool = False) -> str:
    """Check an answers file or a project file (every answers file it names, each round's
    bank) and say what was found valid; InputError lists every problem otherwise."""
    project = load_project(path, search, allow_outside=allow_outside)
    rounds = [r for org in project.orgs for r in org.rounds]
    current = project.orgs[-1].rounds[-1].first
    bank = f"bank {current.bank.id} {current.bank.version}"
    if len(project.orgs) == 1 and len(rounds) == 1 and not rounds[0].respondents:
        total = len(current.bank.questions)
        given = sum(1 for a in current.answers.answers.values() if a.answered)
        return f"{given}/{total} questions answered, {bank}"
    files = sum(len(r.respondents) or 1 for r in rounds)
    return (
        f"project: {len(project.orgs)} organisation(s), {len(rounds)} round(s), "
        f"{files} answers file(s), latest round on {bank}"
    )


def score_file(path: Path, search: Search = (), *, allow_outside: bool = False) -> Scored:
    assessment = load_assessment(path, search, root=_root(path, allow_outside))
    return Scored(assessment, score(assessment.bank, assessment.answers))


def default_source() -> Path:
    """What `cxassess build` builds without an argument: ./cxassess.yaml, else the demo."""
    project = Path(PROJECT_FILE)
    return project if project.is_file() else resources.demo_answers()


def load_workspace(path: Path, search: Search = (), *, allow_outside: bool = False) -> Workspace:
    """A project file or an answers file, read, checked and scored."""
    return score_workspace(load_project(path, search, allow_outside=allow_outside))


def build_site(
    path: Path | None,
    out: Path,
    *,
    default_lang: str | None = None,
    force: bool = False,
    search: Search = (),
    engine: str = "mkdocs",
    cache: bool = True,
    allow_outside: bool = False,
    waiting: Callable[[str], None] | None = None,
    site_url: str = "",
) -> BuildResult:
    """Load, score, render and build an answers file or a project file (default: see above).
    site_url: where the output will be served (absolute sitemap, 404 page, language links)."""
    site_url = check_site_url(site_url)
    source = path if path is not None else default_source()
    workspace = load_workspace(source, search, allow_outside=allow_outside)
    return build_workspace(
        workspace,
        out,
        default_lang=default_lang,
        force=force,
        engine=engine,
        cache=cache,
        waiting=waiting,
        site_url=site_url,
    )


def build_workspace(
    workspace: Workspace,
    out: Path,
    *,
    default_lang: str | None = None,
    force: bool = False,
    engine: str = "mkdocs",
    cache: bool = True,
    waiting: Callable[[str], None] | None = None,
    site_url: str = "",
) -> BuildResult:
    """build_site for a workspace loaded already (site_url checked already)."""
    plan_destination(out, workspace.inputs, force=force)  # before any work: nothing written
    epoch = workspace_epoch(workspace)
    with ended_cleanly_on_terminate(), build_lock(out, waiting):
        # Organisations whose built site the cache already holds are not rendered again.
        kept = (
            cache_lookup(out, engine=engine, epoch=epoch, languages=LANGUAGES, site_url=site_url)
            if cache
            else None
        )
        return write_site(
            render_site(workspace, kept),
            out,
            default_lang=default_lang or workspace.default_lang,
            force=force,
            epoch=epoch,
            engine=engine,
            cache=cache,
            inputs=workspace.inputs,
            site_url=site_url,
        )


def check_site_url(site_url: str) -> str:
    """An http(s) address without a trailing slash, or "" for none."""
    url = site_url.strip().rstrip("/")
    if url and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        message = f"--site-url {site_url!r} must be an address such as https://example.org/cx"
        raise InputError([Problem("--site-url", 0, 0, "", message)])
    return url


def write_report(
    path: Path,
    out: Path,
    *,
    fmt: str,
    lang: str,
    org: str | None = None,
    force: bool = False,
    search: Search = (),
    allow_outside: bool = False,
) -> Path | None:
    """The report file (PDF or Word) of one organisation of an answers or project file;
    returns where the file it replaced (with force) was kept, if there was one."""
    workspace = load_workspace(path, search, allow_outside=allow_outside)
    refuse_inputs([out], workspace.inputs, "the report")
    ids = [o.id for o in workspace.orgs]
    if org is None and len(ids) > 1:
        message = (
            f"the project has {len(ids)} organisations: name one with --org ({', '.join(ids)})"
        )
        raise InputError([Problem(str(path), 0, 0, "", message)])
    chosen = org or ids[0]
    if chosen not in ids:
        message = f"no organisation {chosen!r} in this file" + did_you_mean(chosen, ids)
        raise InputError([Problem(str(path), 0, 0, "", message)])
    document = report_document(workspace, chosen, lang)
    data = write_pdf(document) if fmt == "pdf" else write_docx(document)
    return safe_write(out, data, force=force)


def bank_data(ref: str, search: Search = ()) -> dict[str, Any]:
    return bank_json(load_bank(ref, search))


def list_banks(search: Search = ()) -> list[Bank]:
    return [load_bank(ref, search) for ref in resources.bundled_banks(search)]


def export_scores(
    path: Path,
    out: Path,
    *,
    force: bool = False,
    search: Search = (),
    allow_outside: bool = False,
) -> dict[Path, Path | None]:
    """JSON and CSV exports of one answers file into the folder `out`; returns each path
    written, with the backup of the file it replaced (or None)."""
    scored = score_file(path, search, allow_outside=allow_outside)
    files = export_files(scored.assessment, scored.card)
    targets: dict[Path, str | bytes] = {out / name: text for name, text in files.items()}
    refuse_inputs(targets, scored.assessment.inputs, "the export")
    return safe_write_all(targets, force=force)  # both or neither


@dataclass(frozen=True)
class Combined:
    divergent: list[str]  # question ids where respondents are far apart
    backup: Path | None  # the file the combined one replaced, kept
    survey_outside: str | None = None  # the survey, named from a folder above the file's


def combine_files(
    paths: list[Path],
    out: Path,
    *,
    force: bool = False,
    search: Search = (),
    allow_outside: bool = False,
) -> Combined:
    """Write the combined answers of several respondents."""
    if len(paths) < 2:
        raise InputError(
            [Problem(str(paths[0]) if paths else "-", 0, 0, "", "give two respondents or more")]
        )
    resolved = [p.resolve() for p in paths]
    twice = [p for i, p in enumerate(paths) if resolved[i] in resolved[:i]]
    if twice:
        message = "given twice: each respondent counts once"
        raise InputError([Problem(str(p), 0, 0, "", message) for p in twice])
    banks = Banks()
    loaded = [load_assessment(p, search, banks=banks, root=_root(p, allow_outside)) for p in paths]
    mixed = same_bank_problems(loaded)
    if mixed:
        raise InputError(mixed)
    stems = [p.stem for p in paths]
    # Each respondent is named by their file: by its name alone where that tells them apart.
    names = [p.stem if stems.count(p.stem) == 1 else p.as_posix() for p in paths]
    people = [Respondent(n, a.answers, a.source) for n, a in zip(names, loaded, strict=True)]
    merged, consensus = combine(people, loaded[0].bank)
    refuse_inputs([out], [p for a in loaded for p in a.inputs], "the combined file")
    merged = moved(merged, paths[0], out)
    backup = write_answers_file(out, dump_answers(merged), force=force)
    outside = merged.survey if merged.survey and merged.survey.startswith("../") else None
    return Combined([q.id for q in consensus.divergent], backup, outside)


def serve_site(
    path: Path | None,
    out: Path,
    port: int,
    *,
    force: bool = False,
    search: Search = (),
    allow_outside: bool = False,
    echo: Callable[[str], None],
) -> None:
    """Build, serve on 127.0.0.1:port and, whenever an input changes, build again what the
    change changed (build/preview.py) and reload the pages open in a browser. force: as for
    build, for the first build only (after it the folder is the preview's own)."""
    source = path if path is not None else default_source()
    first = [True]

    def load() -> Workspace:
        return load_workspace(source, search, allow_outside=allow_outside)

    def build(workspace: Workspace) -> BuildResult:
        result = build_workspace(workspace, out, waiting=echo, force=force and first[0])
        first[0] = False
        if result.backup is not None:
            echo(f"moved the folder that was at {result.out} aside to {result.backup}")
        return result

    serve(out, port, Preview(out, load, build), echo)


IMPORT_FORMATS = ("ciso-assistant", "samm")


def import_bank(
    fmt: str,
    source: Path,
    out: Path,
    *,
    force: bool = False,
    bank_id: str | None = None,
    mapping: Path | None = None,
    target: Path | None = None,
) -> Imported:
    """A framework in another tool's format, written as a bank folder at `out`."""
    if fmt == "samm":
        if mapping is not None or target is not None:
            message = "--mapping and --target are for ciso-assistant libraries"
            raise InputError([Problem(str(source), 0, 0, "", message)])
        draft, files = samm.convert(source, bank_id or "samm")
    else:
        draft, files = ciso.convert(source, mapping=mapping, target=target, bank_id=bank_id)
    read = [p for p in (source, mapping, target) if p is not None]
    return write_bank(draft, fmt, source.name, files, out, force=force, inputs=read)
