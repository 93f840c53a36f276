"""Answers files written by the tool (spreadsheet import, offline form) in the public format."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from assessment.common.errors import BuildError
from assessment.common.files import safe_write
from assessment.load import yamlio
from assessment.load.models.answers import AnswersFile


def answers_data(answers: AnswersFile) -> dict[str, Any]:
    """Plain data for YAML: defaults and empty values left out so files stay short."""
    data: dict[str, Any] = answers.model_dump(mode="python", exclude_defaults=True)
    data["bank"] = answers.bank
    # An unanswered question keeps its entry, written as `cxassess new` writes it.
    data["answers"] = {
        qid: answer.model_dump(mode="python", exclude_defaults=True) or {"level": None}
        for qid, answer in answers.answers.items()
    }
    return data


class _Dumper(yaml.SafeDumper):
    """Readable UTF-8 YAML that still round-trips every string exactly."""


# YAML folds these into plain line breaks unless they are escaped in a double-quoted scalar;
# a line feed is escaped too, so that every value stays on its key's line, where the offline
# form's reader (templates/assets/cxyaml.js) looks for it.
_BREAKS = frozenset("\n\r\x85\u2028\u2029")
# Folding long text over several lines would be legal YAML that the form cannot read.
_NEVER_FOLD = 1 << 30
# Plain `-x`, `?x`, `:x` are YAML, but offline forms saved before they could read them refuse
# the whole file: quoted, every copy of the form takes them.
_QUOTE_FIRST = frozenset("-?:")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if _BREAKS.intersection(value):
        style = '"'
    elif value[:1] in _QUOTE_FIRST:
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_answers(answers: AnswersFile) -> str:
    body = yaml.dump(
        answers_data(answers),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=_NEVER_FOLD,
        default_flow_style=False,
    )
    return f"# cxassess answers file (bank {answers.bank})\n{body}"


def write_answers_file(out: Path, text: str, *, force: bool) -> Path | None:
    """safe_write for an answers file, which is refused before anything is written if it is
    larger than cxassess reads back: the user would get a file no command takes."""
    size = len(text.encode("utf-8"))
    if size > yamlio.MAX_FILE_BYTES:
        raise BuildError(
            f"{out}: the answers file would be {size} bytes, more than cxassess reads "
            f"({yamlio.MAX_FILE_BYTES} bytes); nothing was written"
        )
    return safe_write(out, text, force=force)


def moved(answers: AnswersFile, source: Path, out: Path) -> AnswersFile:
    """`answers`, read from `source`, as written to `out`: a survey named relative to the
    first file is named relative to the second, so the copy still finds it."""
    if answers.survey is None:
        return answers
    survey = (source.parent / answers.survey).resolve()
    relative = os.path.relpath(survey, out.parent.resolve())
    return answers.model_copy(update={"survey": Path(relative).as_posix()})
