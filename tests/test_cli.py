"""The CLI through click's CliRunner: exit codes, messages, never a traceback."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from assessment.cli import main
from tests.conftest import FIXTURES, MINI_ANSWERS

BANKS = ["--bank-path", str(FIXTURES)]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_every_command_has_help_with_an_example(runner):
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output, name
        assert f"cxassess {name}" in result.output, name


def test_validate_ok(runner):
    result = runner.invoke(main, ["validate", *BANKS, str(MINI_ANSWERS)])
    assert result.exit_code == 0
    assert "valid (4/5 questions answered, bank mini 0.1)" in result.output


def test_validate_checks_a_project_and_every_answers_file_it_names(runner, tmp_path):
    project = FIXTURES / "project" / "cxassess.yaml"
    result = runner.invoke(main, ["validate", *BANKS, str(project)])
    assert result.exit_code == 0, result.output
    assert "valid (project: 2 organisation(s), 3 round(s), 5 answers file(s)" in result.output
    broken = tmp_path / "project"
    broken.mkdir()
    for path in project.parent.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    cx = broken / "big-cx.yaml"
    cx.write_text(cx.read_text(encoding="utf-8").replace("level: 2", "level: 9", 1), "utf-8")
    result = runner.invoke(main, ["validate", *BANKS, str(broken / "cxassess.yaml")])
    assert result.exit_code == 2
    assert "big-cx.yaml:" in result.output
    assert "level must be 0..5 or na" in result.output


def test_validate_bad_input_exits_2_with_every_problem(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI_ANSWERS.read_text().replace("level: 2", "level: 9").replace("q4:", "q44:"))
    result = runner.invoke(main, ["validate", *BANKS, str(bad)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines[-1] == "2 problem(s) found; nothing was written."
    assert any(":15:12: answers.q1.level: level must be 0..5 or na" in line for line in lines)
    assert any(": answers.q44: unknown question 'q44' in bank mini" in line for line in lines)
    assert "Traceback" not in result.output


def test_missing_file_is_bad_input(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "cannot read file" in result.output


def test_score_json_matches_hand_computed(runner):
    result = runner.invoke(main, ["score", *BANKS, "--json", str(MINI_ANSWERS)])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["bank"]["id"] == "mini"
    assert data["bank"]["version"] == "0.1"
    assert data["overall"]["score"] == pytest.approx(13 / 6)
    assert data["overall"]["coverage"] == pytest.approx(0.75)
    assert set(data["overall"]) == {
        "id",
        "score",
        "percent",
        "stage",
        "coverage",
        "answered",
        "applicable",
        "target",
        "gap",
    }
    q3 = next(q for q in data["questions"] if q["id"] == "q3")
    assert q3["level"] == "na"
    assert q3["priority"] is None
    assert [q["id"] for q in data["questions"]] == ["q1", "q2", "q3", "q4", "q5"]
    assert data["roadmap"] == ["q4", "q1"]


def test_score_table(runner):
    result = runner.invoke(main, ["score", *BANKS, str(MINI_ANSWERS)])
    assert result.exit_code == 0
    assert "overall" in result.output
    assert "2.17" in result.output


def test_the_score_table_rounds_as_the_pages_do():
    from assessment.render.table import _row
    from assessment.score.scoring import GroupScore

    # 1/40 and 1/8 are halves at the printed place; 2.6 - 2.75 is -0.1499999999999999.
    g = GroupScore("x", 2.995, 59.9, 2, 0.125, 1, 8, 8, 3.0, 2.6 - 2.75)
    assert _row("x", g) == ["x", "2.995", "2", "3.00", "-0.15", "13%"]
    assert _row("x", g._replace(coverage=0.025))[-1] == "3%"


def test_new_writes_valid_template_and_never_overwrites_silently(runner, tmp_path):
    out = tmp_path / "acme.yaml"
    result = runner.invoke(main, ["new", *BANKS, "--bank", "mini", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text())
    assert list(data["answers"]) == ["q1", "q2", "q3", "q4", "q5"]
    assert runner.invoke(main, ["validate", *BANKS, str(out)]).exit_code == 0

    out.write_text(out.read_text().replace("level: null", "level: 3", 1))
    edited = out.read_text()
    again = runner.invoke(main, ["new", *BANKS, "--bank", "mini", "--out", str(out)])
    assert again.exit_code == 2
    assert "use --force" in again.output
    assert out.read_text() == edited

    forced = runner.invoke(main, ["new", *BANKS, "--bank", "mini", "--out", str(out), "--force"])
    assert forced.exit_code == 0
    assert (tmp_path / "acme.yaml.bak").read_text() == edited
    runner.invoke(main, ["new", *BANKS, "--bank", "mini", "--out", str(out), "--force"])
    assert (tmp_path / "acme.yaml.bak.1").exists()


def test_unknown_bank_is_bad_input(runner, tmp_path):
    result = runner.invoke(main, ["new", "--bank", "nosuch", "--out", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2
    assert "unknown bank 'nosuch'" in result.output


def test_bank_listing_and_json(runner):
    listing = runner.invoke(main, ["bank", *BANKS])
    assert listing.exit_code == 0
    assert "mini\t0.1\t5 questions" in listing.output
    dump = runner.invoke(main, ["bank", *BANKS, "mini", "--json"])
    data = json.loads(dump.output)
    assert data["questions"][0]["id"] == "q1"
    assert data["questions"][0]["area"] == "alpha"
    assert data["manifest"]["scale"][5]["level"] == 5
    assert len(data["content_hash"]) == 64


def test_build_refuses_a_folder_it_did_not_make(runner, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    result = runner.invoke(main, ["build", *BANKS, str(MINI_ANSWERS), "--out", str(out)])
    assert result.exit_code == 2
    assert "not made by cxassess" in result.output
    assert (out / "thesis.docx").read_text() == "precious"


def test_export_writes_json_and_csv_and_keeps_backups(runner, tmp_path):
    out = tmp_path / "export"
    first = runner.invoke(main, ["export", *BANKS, str(MINI_ANSWERS), "--out", str(out)])
    assert first.exit_code == 0, first.output
    assert sorted(p.name for p in out.iterdir()) == ["tiny.csv", "tiny.json"]
    again = runner.invoke(main, ["export", *BANKS, str(MINI_ANSWERS), "--out", str(out)])
    assert again.exit_code == 2
    forced = runner.invoke(
        main, ["export", *BANKS, str(MINI_ANSWERS), "--out", str(out), "--force"]
    )
    assert forced.exit_code == 0
    assert (out / "tiny.json.bak").exists()


def test_combine_respondents(runner, tmp_path):
    project = FIXTURES / "project"
    files = [str(project / name) for name in ("big-lead.yaml", "big-front.yaml", "big-cx.yaml")]
    out = tmp_path / "combined.yaml"
    result = runner.invoke(main, ["combine", *BANKS, *files, "--out", str(out)])
    assert result.exit_code == 0, result.output
    # q1 (4, 1, 2) and q4 (4, 2, 3) are 2+ levels apart; q5 is na for the front line only
    assert "respondents diverge on 3 question(s)" in result.output
    assert result.output.split("\n")[1:4] == ["  q1", "  q4", "  q5"]
    combined = yaml.safe_load(out.read_text())
    assert combined["answers"]["q1"]["level"] == 2
    assert runner.invoke(main, ["validate", *BANKS, str(out)]).exit_code == 0
    lonely = runner.invoke(main, ["combine", *BANKS, files[0], "--out", str(tmp_path / "x.yaml")])
    assert lonely.exit_code == 2


def test_every_command_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    for name, command in main.commands.items():
        subcommands = getattr(command, "commands", {})
        for full in [f"cxassess {name} {sub}" for sub in subcommands] or [f"cxassess {name}"]:
            assert full in readme, f"{full} is not documented in README.md"
