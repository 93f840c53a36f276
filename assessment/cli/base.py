"""What every command shares: library errors mapped to exit codes, and common options."""

from __future__ import annotations

from pathlib import Path

import click

from assessment.common.errors import BuildError, InputError
from assessment.common.resources import UnknownBankError

EXIT_FAILURE, EXIT_BAD_INPUT = 1, 2


class Command(click.Command):
    """Library errors become messages and exit codes, never tracebacks."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(exc.problems)} problem(s) found; nothing was written.", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except UnknownBankError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except BuildError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_FAILURE)
        except OSError as exc:  # a disk full, a folder we may not write: not the input's fault
            where = f" {exc.filename}" if exc.filename else ""
            click.echo(f"error:{where}: {exc.strerror or exc}", err=True)
            ctx.exit(EXIT_FAILURE)


def wrote(path: Path, backup: Path | None, detail: str = "") -> str:
    """The line a command prints for a file it wrote, naming the copy kept of the old one."""
    kept = f" (previous file kept as {backup})" if backup else ""
    return f"wrote {path}{detail}{kept}"


class Group(click.Group):
    command_class = Command


ANSWERS = click.argument("answers", type=click.Path(path_type=Path, dir_okay=False))
# Every command that writes a user's file refuses to replace one unless told, and keeps a copy.
REPLACE_FILE = click.option(
    "--force", is_flag=True, help="Replace existing files (a .bak copy is kept)."
)
# A site goes only where nothing is or a site of ours was; a user's folder is moved aside.
REPLACE_SITE = click.option(
    "--force",
    is_flag=True,
    help="Build even where a folder cxassess did not make is; it is moved aside to OUT.bak.",
)
BANK_PATH = click.option(
    "--bank-path",
    "bank_path",
    multiple=True,
    envvar="CXASSESS_BANK_PATH",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Extra folder holding banks (repeatable; env CXASSESS_BANK_PATH).",
)


# Files that answers and project files name (surveys, answers, bank folders) are read only
# from the folder of the file that names them, unless the user says otherwise.
ALLOW_OUTSIDE = click.option(
    "--allow-outside",
    "allow_outside",
    is_flag=True,
    help="Read surveys, answers and bank folders that a file names even outside its folder.",
)
