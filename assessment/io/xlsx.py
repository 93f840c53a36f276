"""Spreadsheet round trip for auditors who live in Excel: questionnaire out, answers back in.

export_workbook and import_workbook are the library; export_file and import_file are the
user tasks behind `cxassess xlsx export` and `cxassess xlsx import`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assessment.common.errors import InputError, Problem
from assessment.common.files import refuse_inputs, safe_write
from assessment.io.answers import dump_answers, write_answers_file
from assessment.io.xlsx_book import open_workbook
from assessment.io.xlsx_export import export_workbook
from assessment.io.xlsx_import import import_book, import_workbook, rule_problems
from assessment.load.loader import load_assessment, load_bank
from assessment.load.models.answers import AnswersFile

__all__ = ["ImportResult", "export_file", "export_workbook", "import_file", "import_workbook"]

DEFAULT_BANK = "gbt42509"


def export_file(
    out: Path,
    *,
    lang: str = "en",
    bank_ref: str | None = None,
    answers: Path | None = None,
    force: bool = False,
    search: Sequence[Path] = (),
    allow_outside: bool = False,
) -> Path | None:
    """Write a questionnaire; with `answers`, for their bank and prefilled. Returns the backup."""
    if answers is None:
        bank = load_bank(bank_ref or DEFAULT_BANK, search)
        data = export_workbook(bank, lang)
    else:
        assessment = load_assessment(
            answers, search, root=None if allow_outside else answers.parent
        )
        if bank_ref is not None and load_bank(bank_ref, search).id != assessment.bank.id:
            message = f"answers are for bank {assessment.bank.id!r}, not {bank_ref!r}"
            raise InputError([Problem(assessment.source, 0, 0, "bank", message)])
        refuse_inputs([out], assessment.inputs, "the workbook")
        data = export_workbook(assessment.bank, lang, assessment.answers, source=assessment.source)
    return safe_write(out, data, force=force)


@dataclass(frozen=True)
class ImportResult:
    answers: AnswersFile
    total: int
    backup: Path | None
    notes: tuple[str, ...] = ()  # what the user should know about the file written

    @property
    def answered(self) -> int:
        return sum(1 for a in self.answers.answers.values() if a.answered)


def import_file(
    workbook: Path, out: Path, *, force: bool = False, search: Sequence[Path] = ()
) -> ImportResult:
    """Read a filled workbook (its Info sheet names the bank) and write the answers file."""
    book = open_workbook(workbook)
    bank = load_bank(book.bank_id(), search)
    answers = import_book(book, bank)
    refuse_inputs([out], [workbook], "the answers file")
    backup = write_answers_file(out, dump_answers(answers), force=force)
    notes = [
        f"{problem} (validate will refuse this; mend it in the workbook or in {out})"
        for problem in rule_problems(book, answers, bank)
    ]
    if answers.survey is not None and not (out.parent / answers.survey).exists():
        notes.append(
            f"the answers name the survey {answers.survey!r}, which is not beside {out}: copy"
            " it there, or change `survey:` in the file"
        )
    return ImportResult(answers, len(bank.questions), backup, tuple(notes))
