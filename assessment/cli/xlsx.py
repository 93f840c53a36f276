"""`cxassess xlsx`: a questionnaire workbook out, a filled one back in as an answers file."""

from __future__ import annotations

from pathlib import Path

import click

from assessment.cli.base import ALLOW_OUTSIDE, BANK_PATH, REPLACE_FILE, Group, wrote


@click.group(cls=Group)
def xlsx() -> None:
    """Spreadsheets: export a questionnaire workbook, import a filled one as an answers file.

    \b
    Example:
      cxassess xlsx export --bank gbt42509 --lang zh --out questionnaire.xlsx
      cxassess xlsx import questionnaire.xlsx --out acme.yaml
    """


@xlsx.command("export")
@click.option("--bank", "bank", default=None, help="Bank id or folder [default: gbt42509].")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Workbook (.xlsx) to create.",
)
@click.option(
    "--answers",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Answers file to prefill; its bank is used.",
)
@REPLACE_FILE
@BANK_PATH
@ALLOW_OUTSIDE
def xlsx_export(
    bank: str | None,
    lang: str,
    out: Path,
    answers: Path | None,
    force: bool,
    bank_path: tuple[Path, ...],
    allow_outside: bool,
) -> None:
    """Write a questionnaire workbook: an Info sheet, then a sheet per area, a row per question.

    \b
    Example:
      cxassess xlsx export --bank gbt42509 --lang zh --out questionnaire.xlsx
      cxassess xlsx export --answers acme.yaml --out acme.xlsx
    """
    from assessment.io.xlsx import export_file

    backup = export_file(
        out,
        lang=lang,
        bank_ref=bank,
        answers=answers,
        force=force,
        search=bank_path,
        allow_outside=allow_outside,
    )
    click.echo(wrote(out, backup))


@xlsx.command("import")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Answers file to write.",
)
@REPLACE_FILE
@BANK_PATH
def xlsx_import(workbook: Path, out: Path, force: bool, bank_path: tuple[Path, ...]) -> None:
    """Read a filled questionnaire workbook into an answers file; every bad cell is reported.

    \b
    Example:
      cxassess xlsx import questionnaire.xlsx --out acme.yaml
    """
    from assessment.io.xlsx import import_file

    result = import_file(workbook, out, force=force, search=bank_path)
    answered = f" ({result.answered}/{result.total} questions answered)"
    click.echo(wrote(out, result.backup, answered))
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
