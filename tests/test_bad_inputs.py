"""The bad-input corpus in tests/bad_inputs/: every case fails cleanly.

Each case must exit with status 2, name the file (and for text files a line and column),
give the expected message, print no traceback, and leave an existing output folder as it was.
Expected messages live beside the cases in *-cases.yaml.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assessment.build import site as build
from assessment.cli import main
from assessment.load import yamlio
from tests.conftest import FIXTURES

CASES = Path(__file__).parent / "bad_inputs"


def expectations(name: str) -> dict[str, str]:
    return yaml.safe_load((CASES / name).read_text("utf-8"))


@pytest.fixture
def previous_site(tmp_path) -> Path:
    out = tmp_path / "site"  # tmp_path holds nothing else, so leftovers show
    (out / "en").mkdir(parents=True)
    (out / build.MARKER).write_text("old")
    (out / "en" / "index.html").write_text("previous build")
    return out


def run(args: list[str]):
    result = CliRunner().invoke(main, args)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def assert_untouched(out: Path) -> None:
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]  # no temporary folders left
    assert (out / "en" / "index.html").read_text() == "previous build"


@pytest.mark.parametrize(("case", "expected"), sorted(expectations("answers-cases.yaml").items()))
def test_bad_answers_file(case, expected, previous_site):
    path = CASES / case
    checked = run(["validate", "--bank-path", str(FIXTURES), str(path)])
    assert checked.exit_code == 2
    assert expected in checked.output
    assert f"{case}:" in checked.output
    built = run(["build", "--bank-path", str(FIXTURES), str(path), "--out", str(previous_site)])
    assert built.exit_code == 2
    assert_untouched(previous_site)


def test_file_over_the_size_cap(tmp_path_factory, previous_site):
    path = tmp_path_factory.mktemp("huge") / "huge.yaml"
    path.write_bytes(b"bank: mini\n# " + b"x" * yamlio.MAX_FILE_BYTES + b"\n")
    result = run(["build", "--bank-path", str(FIXTURES), str(path), "--out", str(previous_site)])
    assert result.exit_code == 2
    assert "huge.yaml: file is" in result.output
    assert f"the limit is {yamlio.MAX_FILE_BYTES}" in result.output
    assert_untouched(previous_site)


@pytest.mark.parametrize(("case", "expected"), sorted(expectations("project-cases.yaml").items()))
def test_bad_project_file(case, expected, previous_site):
    # The corpus's project files name answers files in tests/fixtures/, outside their folder.
    args = ["build", "--allow-outside", "--bank-path", str(FIXTURES), str(CASES / case)]
    result = run([*args, "--out", str(previous_site)])
    assert result.exit_code == 2
    assert expected in result.output
    assert_untouched(previous_site)
    checked = run(["validate", "--allow-outside", "--bank-path", str(FIXTURES), str(CASES / case)])
    assert checked.exit_code == 2
    assert expected in checked.output
    # pydantic counts only the items that passed; a list as written is not "too short"
    assert "Tuple should have" not in checked.output


@pytest.mark.parametrize(("case", "expected"), sorted(expectations("bank-cases.yaml").items()))
def test_bad_bank(case, expected):
    result = run(["bank", str(CASES / case)])
    assert result.exit_code == 2
    assert expected in result.output
    assert case in result.output


def test_corpus_size():
    total = sum(
        len(expectations(f))
        for f in ("answers-cases.yaml", "project-cases.yaml", "bank-cases.yaml")
    )
    assert total + 1 >= 40  # +1: the generated over-the-cap file


@pytest.mark.parametrize(("case", "expected"), sorted(expectations("xlsx-cases.yaml").items()))
def test_bad_workbook(case, expected, tmp_path):
    out = tmp_path / "answers.yaml"
    result = run(
        ["xlsx", "import", "--bank-path", str(FIXTURES), str(CASES / case), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert expected in result.output
    assert f"{case}:" in result.output
    assert not out.exists()


@pytest.mark.parametrize(("case", "expected"), sorted(expectations("survey-cases.yaml").items()))
def test_bad_survey(case, expected, tmp_path, previous_site):
    answers = tmp_path / "answers.yaml"
    text = (FIXTURES / "mini-answers.yaml").read_text("utf-8")
    answers.write_text(text.replace("answers:\n", f"survey: {case}\nanswers:\n", 1))
    (tmp_path / case).write_bytes((CASES / case).read_bytes())
    result = run(["build", "--bank-path", str(FIXTURES), str(answers), "--out", str(previous_site)])
    assert result.exit_code == 2
    assert expected in result.output
    assert f"{case}:" in result.output
    assert_untouched_besides(previous_site, {"answers.yaml", case, "site"})


def assert_untouched_besides(out: Path, names: set[str]) -> None:
    assert {p.name for p in out.parent.iterdir()} == names
    assert (out / "en" / "index.html").read_text() == "previous build"


def problems_of(
    path: Path, answers: list[str], *, org_id: str = "tiny", date: str = "2026-11-01"
) -> list[str]:
    """Validate an answers file for the mini bank with these answers lines: its problems."""
    head = [
        "bank: mini",
        f"organisation: {{id: {org_id}, name: Tiny}}",
        f"assessment: {{title: T, date: {date}}}",
        "answers:",
    ]
    path.write_text("".join(f"{line}\n" for line in head + answers), encoding="utf-8")
    result = run(["validate", "--bank-path", str(FIXTURES), str(path)])
    assert result.exit_code == 2
    return [line for line in result.output.splitlines() if line.startswith(str(path))]


def test_what_yaml_cannot_read_is_reported_beside_every_other_problem(tmp_path):
    """A bad date or a repeated key does not hide the rest of the file's problems: each is
    said once, at its place, with the levels, fields and ids checked after it."""
    path = tmp_path / "many.yaml"
    found = problems_of(
        path,
        [
            "  q1: {level: 7}",
            "  q2: {level: 1, evidence: [a, 2026-02-30]}",
            "  q2: {level: 2}",
            "  q4: {level: 1, finding: {grade: minor, due: 2026-13-01}}",
            "  q99: {level: 1}",
        ],
    )
    said = "\n".join(found)
    assert len(found) == 5, said
    assert f"{path}:5:15: answers.q1.level: level must be 0..5 or na" in said
    assert f"{path}:6:32: answers.q2.evidence[1]: invalid value: day is out of" in said
    assert f"{path}:7:3: answers.q2: duplicate key" in said
    assert f"{path}:8:47: answers.q4.finding.due: invalid value: month must" in said
    assert "unknown question 'q99'" in said


def test_a_bad_assessment_date_is_said_once_beside_the_other_fields_problems(tmp_path):
    path = tmp_path / "date.yaml"
    found = problems_of(
        path,
        ["  q1: {level: 1, finding: awful}"],
        org_id="Tiny Co",
        date="2026-13-45",
    )
    said = "\n".join(found)
    assert len(found) == 3, said
    assert f"{path}:3:30: assessment.date: invalid value: month must be" in said
    assert f"{path}:2:20: organisation.id: must be an id" in said
    assert "answers.q1.finding" in said
