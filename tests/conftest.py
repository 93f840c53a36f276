"""Shared fixtures: the tiny hand-checkable bank in tests/fixtures/mini and helpers."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessment.load.bank import Bank
from assessment.load.loader import load_bank
from assessment.load.models.answers import AnswersFile

FIXTURES = Path(__file__).parent / "fixtures"
MINI_ANSWERS = FIXTURES / "mini-answers.yaml"


@pytest.fixture(scope="session")
def mini_bank() -> Bank:
    return load_bank("mini", [FIXTURES])


@pytest.fixture(scope="session")
def gbt_bank() -> Bank:
    return load_bank("gbt42509")


def make_answers(
    bank_id: str, answers: dict[str, Any], targets: dict[str, Any] | None = None
) -> AnswersFile:
    return AnswersFile.model_validate(
        {
            "bank": bank_id,
            "organisation": {"id": "org", "name": "Org"},
            "assessment": {"title": "t", "date": dt.date(2026, 11, 1)},
            "targets": targets or {},
            "answers": answers,
        }
    )


def start_serving(
    args: list[str], env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], list[str]]:
    """`cxassess serve ARGS` in a process of its own, read until it watches its inputs (or
    ends); returns the process and the lines it printed. The caller terminates it."""
    server = subprocess.Popen(
        [sys.executable, "-m", "assessment.cli", "serve", *args],
        cwd=Path(__file__).parent.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    said = []
    assert server.stdout is not None
    for line in server.stdout:  # ends when the process does
        said.append(line)
        if line.startswith("watching"):
            break
    return server, said


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium for the browser tests of one module (skips without it)."""
    from tests.browser import launched

    with launched() as instance:
        yield instance
