"""Write an imported bank: into a hidden folder beside the target, checked there by the load
stage exactly as `cxassess validate` would check it, then moved into place in one step. A
folder already at the target is kept, renamed aside, and only with --force."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from assessment import __version__
from assessment.common.errors import InputError, Problem
from assessment.common.files import backup_path
from assessment.io.bank_import.draft import Data, Draft
from assessment.load.bank import Bank
from assessment.load.loader import load_bank


@dataclass(frozen=True)
class Imported:
    bank: Bank
    out: Path
    backup: Path | None  # where a folder that stood at `out` was moved, with --force
    notes: tuple[str, ...]  # in English, for the terminal


def source_hash(files: Sequence[tuple[str, bytes]]) -> str:
    """sha256 of the source: of the one file's bytes, or over (relative name, bytes) pairs in
    name order for a model spread over many files."""
    if len(files) == 1:
        return hashlib.sha256(files[0][1]).hexdigest()
    digest = hashlib.sha256()
    for name, data in sorted(files):
        for part in (name.encode("utf-8"), data):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return digest.hexdigest()


class _PlainDumper(yaml.SafeDumper):
    """Writes a value met twice in full both times: the bank loader refuses anchors and
    aliases in any file a user may edit, so the import must not write them."""

    def ignore_aliases(self, data: object) -> bool:
        return True


HEADER = "# Written by `cxassess bank import`; edit freely. manifest.yaml names the source.\n"


def _dump(data: Data | dict[str, list[Data]]) -> str:
    body = yaml.dump(
        data,
        Dumper=_PlainDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return HEADER + body


def _as_written(problem: Problem, staging: Path, out: Path) -> Problem:
    """A problem in the staged bank, named by where the file would have been written."""
    name = problem.file.replace(str(staging), str(out), 1)
    message = f"{problem.message} (in the bank the import made; nothing was written)"
    return Problem(name, problem.line, problem.col, problem.path, message)


def write_bank(
    draft: Draft,
    fmt: str,
    source_name: str,
    files: Sequence[tuple[str, bytes]],
    out: Path,
    *,
    force: bool,
    inputs: Sequence[Path] = (),
) -> Imported:
    """`inputs` are the files the import read: a folder that holds one of them is never
    replaced, --force or not (moved aside, it would take the source with it)."""
    for path in inputs:
        if path.resolve().is_relative_to(out.resolve()):
            message = f"holds {path}, which the import reads; give another folder for the bank"
            raise InputError([Problem(str(out), 0, 0, "", message)])
    if out.exists() and not force:
        raise InputError(
            [Problem(str(out), 0, 0, "", "exists; use --force to replace it (it is kept aside)")]
        )
    if out.exists() and not out.is_dir():
        raise InputError([Problem(str(out), 0, 0, "", "is a file; give a folder for the bank")])
    source: Data = {
        "format": fmt,
        "file": source_name,
        "sha256": source_hash(files),
        "importer": f"cxassess {__version__}",
    }
    for key in ("ref", "provider", "copyright"):
        if getattr(draft, key):
            source[key] = getattr(draft, key)
    if draft.notes:
        source["notes"] = draft.notes
    manifest = dict(draft.manifest)
    # The bundled banks' readiness default (every area at level 3) is the top of a 0..3
    # scale such as SAMM's: an imported bank asks for its own default target instead.
    manifest.setdefault("readiness", {"min_area_score": manifest.get("default_target", 3)})
    clauses = manifest.pop("clauses")
    manifest["source"] = source
    manifest["clauses"] = clauses
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=out.parent))
    try:
        (staging / "manifest.yaml").write_text(_dump(manifest), encoding="utf-8")
        (staging / "questions").mkdir()
        for stem, questions in draft.questions.items():
            text = _dump({"questions": questions})
            (staging / "questions" / f"{stem}.yaml").write_text(text, encoding="utf-8")
        try:
            bank = load_bank(staging)  # the same checks as any bank, every problem at once
        except InputError as exc:
            raise InputError([_as_written(p, staging, out) for p in exc.problems]) from None
        backup = None
        if out.exists():
            backup = backup_path(out)
            out.rename(backup)
        staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    notes = tuple(n["en"] for n in draft.notes)
    return Imported(bank=bank, out=out, backup=backup, notes=notes)
