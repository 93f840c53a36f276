"""Command line: parse arguments, call the library, map its exceptions to exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assessment import __version__, api
from assessment.cli.base import (
    ALLOW_OUTSIDE,
    ANSWERS,
    BANK_PATH,
    REPLACE_FILE,
    REPLACE_SITE,
    Group,
    wrote,
)
from assessment.render.table import score_table


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cxassess")
def main() -> None:
    """GB/T 42509-2023 customer-experience management assessment: validate, score, build a site.

    \b
    Example:
      cxassess new --bank gbt42509 --out acme.yaml
      cxassess build acme.yaml --out site
    """


@main.command()
@click.option("--bank", "bank", default="gbt42509", show_default=True, help="Bank id or folder.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Answers file to create.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="en",
    show_default=True,
    help="Language of the question comments.",
)
@REPLACE_FILE
@BANK_PATH
def new(bank: str, out: Path, lang: str, force: bool, bank_path: tuple[Path, ...]) -> None:
    """Create an answers file listing every question of a bank.

    \b
    Example:
      cxassess new --bank gbt42509 --out acme.yaml
    """
    backup = api.new_answers(bank, out, lang=lang, force=force, search=bank_path)
    click.echo(wrote(out, backup))


@main.command()
@ANSWERS
@BANK_PATH
@ALLOW_OUTSIDE
def validate(answers: Path, bank_path: tuple[Path, ...], allow_outside: bool) -> None:
    """Check an answers file, or a project file and every answers file it names, and report
    every problem at once as file:line:col.

    \b
    Example:
      cxassess validate acme.yaml
      cxassess validate cxassess.yaml   # a project: every answers file it names
    """
    found = api.validate_source(answers, bank_path, allow_outside=allow_outside)
    click.echo(f"{answers}: valid ({found})")


@main.command()
@ANSWERS
@click.option("--json", "as_json", is_flag=True, help="Print the full scorecard as JSON.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@BANK_PATH
@ALLOW_OUTSIDE
def score(
    answers: Path, as_json: bool, lang: str, bank_path: tuple[Path, ...], allow_outside: bool
) -> None:
    """Score an answers file: overall, areas, principles and clauses.

    \b
    Example:
      cxassess score acme.yaml
      cxassess score acme.yaml --json > scores.json
    """
    scored = api.score_file(answers, bank_path, allow_outside=allow_outside)
    if as_json:
        click.echo(json.dumps(scored.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(score_table(scored.assessment.bank, scored.card, lang))


@main.command()
@click.argument("answers", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
)
@click.option(
    "--default-lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language that OUT/index.html leads to (default zh, or the project file's default_lang).",
)
@REPLACE_SITE
@click.option(
    "--no-cache",
    is_flag=True,
    help="Build every site afresh instead of reusing unchanged ones from .OUT.cache.",
)
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="Site generator: MkDocs + Material, or its successor Zensical (pip install 'zensical<0.1').",
)
@click.option(
    "--site-url",
    default="",
    help="Where OUT will be served (https://…): absolute sitemap, 404 page and language links.",
)
@BANK_PATH
@ALLOW_OUTSIDE
def build(
    answers: Path | None,
    out: Path,
    default_lang: str | None,
    force: bool,
    no_cache: bool,
    engine: str,
    site_url: str,
    bank_path: tuple[Path, ...],
    allow_outside: bool,
) -> None:
    """Build the gap-analysis website (zh and en) from an answers file or a project file.

    Without ANSWERS: ./cxassess.yaml if there is one, else the bundled demo workspace.

    \b
    Example:
      cxassess build acme.yaml --out site
      cxassess build cxassess.yaml --engine zensical
      cxassess build cxassess.yaml --site-url https://reports.example.org/cx
      cxassess build            # the bundled demo
    """
    result = api.build_site(
        answers,
        out,
        default_lang=default_lang,
        force=force,
        search=bank_path,
        engine=engine,
        cache=not no_cache,
        allow_outside=allow_outside,
        waiting=click.echo,
        site_url=site_url,
    )
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if result.backup is not None:
        click.echo(f"moved the folder that was at {result.out} aside to {result.backup}")
    reused = (
        f" ({result.reused} of {result.built + result.reused} sites unchanged)"
        if result.reused
        else ""
    )
    click.echo(
        f"built {result.pages} pages in {', '.join(result.languages)} into {result.out}{reused}"
    )


@main.command()
@click.argument("answers", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
)
@REPLACE_SITE
@BANK_PATH
@ALLOW_OUTSIDE
def serve(
    answers: Path | None,
    port: int,
    out: Path,
    force: bool,
    bank_path: tuple[Path, ...],
    allow_outside: bool,
) -> None:
    """Build the site, serve it on 127.0.0.1 and keep it up to date while you edit.

    After each save the pages the change changed are built again and every page open in a
    browser reloads itself (the script that does it is only in pages this server sends).

    \b
    Example:
      cxassess serve acme.yaml --port 8000
    """
    api.serve_site(
        answers,
        out,
        port,
        force=force,
        search=bank_path,
        allow_outside=allow_outside,
        echo=click.echo,
    )


@main.command()
@ANSWERS
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("export"),
    show_default=True,
)
@REPLACE_FILE
@BANK_PATH
@ALLOW_OUTSIDE
def export(
    answers: Path, out: Path, force: bool, bank_path: tuple[Path, ...], allow_outside: bool
) -> None:
    """Write scores, gaps, findings and roadmap as JSON and CSV (one row per question).

    Both name the bank version and content hash, for other tools and spreadsheets.

    \b
    Example:
      cxassess export acme.yaml --out export     # export/acme.json, export/acme.csv
    """
    written = api.export_scores(
        answers, out, force=force, search=bank_path, allow_outside=allow_outside
    )
    for path, backup in written.items():
        click.echo(wrote(path, backup))


@main.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf", show_default=True
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--org", help="The organisation's id, for a project file with several.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@REPLACE_FILE
@BANK_PATH
@ALLOW_OUTSIDE
def report(
    source: Path,
    fmt: str,
    lang: str,
    org: str | None,
    out: Path,
    force: bool,
    bank_path: tuple[Path, ...],
    allow_outside: bool,
) -> None:
    """Write the report file of one organisation: PDF (A4) or Word.

    Cover, executive summary with the readiness verdict, charts, scores by area and clause,
    findings register, statement of applicability, action plan and methodology with the
    bank's content hash. A project file's `report:` sets logo, colour and firm.

    \b
    Example:
      cxassess report acme.yaml --format pdf --lang zh --out acme.pdf
      cxassess report cxassess.yaml --org lanfeng --format docx --lang en --out lanfeng.docx
    """
    backup = api.write_report(
        source,
        out,
        fmt=fmt,
        lang=lang,
        org=org,
        force=force,
        search=bank_path,
        allow_outside=allow_outside,
    )
    click.echo(wrote(out, backup))


@main.command()
@click.argument(
    "respondents", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Combined answers file.",
)
@REPLACE_FILE
@BANK_PATH
@ALLOW_OUTSIDE
def combine(
    respondents: tuple[Path, ...],
    out: Path,
    force: bool,
    bank_path: tuple[Path, ...],
    allow_outside: bool,
) -> None:
    """Combine several respondents' answers files into one (median level per question).

    Respondents are named after their files. Questions where they are 2 or more levels apart,
    or disagree on applicability, are listed.

    \b
    Example:
      cxassess combine leadership.yaml frontline.yaml cxteam.yaml --out combined.yaml
    """
    done = api.combine_files(
        list(respondents), out, force=force, search=bank_path, allow_outside=allow_outside
    )
    summary = f"respondents diverge on {len(done.divergent)} question(s)"
    click.echo(wrote(out, done.backup, f"; {summary} (2+ levels apart or applicability disputed)"))
    for qid in done.divergent:
        click.echo(f"  {qid}")
    if done.survey_outside:
        click.echo(
            f"note: the survey {done.survey_outside} lies outside the folder of {out}: read"
            " the combined file with --allow-outside, or copy the survey beside it"
        )


# The bank and spreadsheet commands live beside: registered here, once main exists.
from assessment.cli.bank import bank  # noqa: E402 - needs main's group to attach to
from assessment.cli.xlsx import xlsx  # noqa: E402 - as above

main.add_command(bank)
main.add_command(xlsx)
