"""CISO Assistant framework libraries (backend/library/libraries/*.yaml) as bank drafts,
with a requirement mapping set between two frameworks as a crosswalk.

Every file is read with the safe YAML reader and every problem in any of them is reported in
one InputError, each at its file, line and column. The parts: ciso_text (languages, names),
ciso_parse (the node tree and its ids), ciso_scale (scores as levels), ciso_build (the
draft), ciso_mapping (the crosswalk).
"""

from __future__ import annotations

import re
from pathlib import Path

from assessment.common.errors import InputError, Problem
from assessment.io.bank_import.ciso_build import build
from assessment.io.bank_import.ciso_mapping import read_mapping
from assessment.io.bank_import.ciso_parse import Library, read_library, read_located
from assessment.io.bank_import.ciso_text import Reader, spelled
from assessment.io.bank_import.draft import Draft, question_id
from assessment.load.models.base import ID_PATTERN


def _bank_id(lib: Library, bank_id: str | None, problems: list[Problem]) -> str:
    r = Reader(lib.src, problems)
    if bank_id is not None:
        if not re.match(ID_PATTERN, bank_id):
            message = f"bank id {bank_id!r}: use lower-case letters, digits, '.', '-' and '_'"
            problems.append(Problem(lib.src.file, 0, 0, "", message))
        return bank_id
    made = question_id(spelled(lib.ref or ""))
    if lib.ref is not None and not made:
        r.add(("ref_id",), f"ref_id {lib.ref!r} gives no usable bank id: give one (--id)")
    return made


def convert(
    library: Path,
    *,
    mapping: Path | None = None,
    target: Path | None = None,
    bank_id: str | None = None,
) -> tuple[Draft, list[tuple[str, bytes]]]:
    """The bank draft of a framework library, and the (name, bytes) of every file read."""
    problems: list[Problem] = []
    files: list[tuple[str, bytes]] = []
    lib = read_library(library, problems, files)
    mapping_src = read_located(mapping, problems, files) if mapping is not None else None
    target_lib = read_library(target, problems, files) if target is not None else None
    if target is not None and mapping is None:
        message = "a target library is read only with a mapping library (--mapping)"
        problems.append(Problem(str(target), 0, 0, "", message))
    crosswalk = None
    if mapping_src is not None:
        crosswalk = read_mapping(mapping_src, problems, lib, target_lib)
    if lib is None:
        raise InputError(problems)
    ident = _bank_id(lib, bank_id, problems)
    r = Reader(lib.src, problems)
    version = r.word(lib.data, (), "version")
    if version is None:
        r.add(("version",), "the library needs a version")
    if lib.nodes and not any(node.assessable for node in lib.order):
        r.add(
            ("objects", "framework", "requirement_nodes"),
            "no requirement is assessable (assessable: true): the bank would ask nothing",
        )
    if problems or lib.scale is None or version is None:
        raise InputError(problems)
    draft = build(lib, lib.scale, ident, version, crosswalk.links if crosswalk else None)
    if crosswalk is not None:
        if crosswalk.entry is not None:
            crosswalks = {crosswalk.key: crosswalk.entry}
            # write_bank moves "clauses" last; the crosswalk goes with the manifest's lists.
            draft.manifest = {
                **{k: v for k, v in draft.manifest.items() if k != "clauses"},
                "crosswalks": crosswalks,
                "clauses": draft.manifest["clauses"],
            }
        for zh, en in crosswalk.notes:
            draft.note(zh, en)
    return draft, files
