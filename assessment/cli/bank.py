"""`cxassess bank`: list and show banks, and import other frameworks as banks."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assessment import api
from assessment.cli.base import BANK_PATH, Group


class BankGroup(Group):
    """`cxassess bank [BANK]` shows, as it always has; a known sub-command name goes to it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group(cls=BankGroup)
def bank() -> None:
    """List, show or import question banks.

    \b
    Example:
      cxassess bank
      cxassess bank gbt42509 --json
      cxassess bank import samm ./samm-core/model --out banks/samm
    """


@bank.command()
@click.argument("bank_ref", metavar="BANK", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the whole bank as JSON.")
@BANK_PATH
def show(bank_ref: str | None, as_json: bool, bank_path: tuple[Path, ...]) -> None:
    """List the bundled banks, or show one bank (by id or folder).

    \b
    Example:
      cxassess bank show
      cxassess bank show gbt42509 --json
    """
    if bank_ref is None:
        for item in api.list_banks(bank_path):
            code = item.manifest.standard.code
            click.echo(f"{item.id}\t{item.version}\t{len(item.questions)} questions\t{code}")
        return
    data = api.bank_data(bank_ref, bank_path)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        count, digest = len(data["questions"]), data["content_hash"]
        click.echo(f"{data['id']} {data['version']}: {count} questions, hash {digest}")


@bank.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(api.IMPORT_FORMATS))
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Bank folder."
)
@click.option("--id", "bank_id", help="The bank's id [default: from the source].")
@click.option(
    "--mapping",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="ciso-assistant: a requirement mapping set from SOURCE's framework to --target's.",
)
@click.option(
    "--target",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="ciso-assistant: the library the mapping set maps onto (becomes a crosswalk).",
)
@click.option("--force", is_flag=True, help="Replace an existing folder (it is kept aside).")
def import_(
    fmt: str,
    source: Path,
    out: Path,
    bank_id: str | None,
    mapping: Path | None,
    target: Path | None,
    force: bool,
) -> None:
    """Turn a CISO Assistant library (a YAML file) or an OWASP SAMM core model (its model/
    folder) into a bank folder that validate, build and xlsx use like a bundled one.

    \b
    Example:
      cxassess bank import ciso-assistant iso27001.yaml --out banks/iso27001
      cxassess bank import ciso-assistant a.yaml --out banks/a --mapping a-to-b.yaml --target b.yaml
      cxassess bank import samm samm-core/model --out banks/samm
    """
    done = api.import_bank(
        fmt, source, out, force=force, bank_id=bank_id, mapping=mapping, target=target
    )
    b = done.bank
    click.echo(f"wrote {out}: bank {b.id} {b.version}, {len(b.questions)} questions")
    click.echo(f"  source sha256 {b.manifest.source.sha256 if b.manifest.source else '-'}")
    for note in done.notes:
        click.echo(f"  note: {note}")
    if done.backup is not None:
        click.echo(f"the folder that was there is kept at {done.backup}")
    # Answers files name their bank by id, found in the --bank-path folders by folder name.
    if out.name == b.id:
        where = f"--bank-path {out.parent}"
        click.echo(f"use it with: cxassess new --bank {b.id} {where} --out answers.yaml")
        click.echo(f"  and give {where} to validate, score, build, serve and report")
    else:
        click.echo(
            f"answers files name this bank {b.id!r}: name its folder {b.id} (not {out.name})"
            " and give its parent folder as --bank-path"
        )
