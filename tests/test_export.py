"""Export for other tools: JSON and CSV carry the same numbers as the scorecard."""

from __future__ import annotations

import csv
import io
import json

import pytest

from assessment import api
from assessment.io.export import export_files
from tests.conftest import FIXTURES, MINI_ANSWERS


def test_json_and_csv(tmp_path):
    scored = api.score_file(MINI_ANSWERS, [FIXTURES])
    files = export_files(scored.assessment, scored.card)
    data = json.loads(files["tiny.json"])
    assert data["bank"]["content_hash"] == scored.card.bank_hash
    assert data["overall"]["score"] == pytest.approx(13 / 6)
    assert data["readiness"]["ready"] is False
    assert [r["id"] for r in data["roadmap"]] == ["q4", "q1"]
    assert {f["id"]: f["finding"] for f in data["findings"]} == {"q2": "observation", "q4": "major"}
    rows = list(csv.DictReader(io.StringIO(files["tiny.csv"])))
    assert [r["question"] for r in rows] == ["q1", "q2", "q3", "q4", "q5"]
    q4 = rows[3]
    assert (q4["level"], q4["target"], q4["priority"], q4["roadmap_rank"], q4["phase"]) == (
        "1",
        "3",
        "6.0",
        "1",
        "0-3",
    )
    assert rows[2]["level"] == "na"
    assert rows[2]["reason"] == "not offered"
    assert rows[2]["decided_by"] == "Lead assessor"
    assert rows[4]["level"] == ""
    # Every field of a finding written as a record, in both files.
    assert (q4["finding"], q4["finding_status"], q4["finding_owner"], q4["finding_due"]) == (
        "major",
        "open",
        "Operations",
        "2026-10-15",
    )
    assert q4["finding_statement"] == "No record of the reviews the procedure asks for"
    major = next(f for f in data["findings"] if f["id"] == "q4")
    assert major["requirement"] == "2.1: the point as printed"
    assert major["corrective_action"] == "Review log with a monthly check"
    assert (major["status"], major["closed"], major["verified"]) == ("open", None, None)
    rules = {r["id"]: r for r in data["readiness"]["rules"]}
    assert data["readiness"]["against"] == "guideline"
    assert rules["major"]["failing"] == ["q4"]
    assert (rules["areas"]["own"], rules["areas"]["default"]) == (False, 3.0)


def test_score_json_carries_every_field_of_a_finding():
    from click.testing import CliRunner

    from assessment.cli import main

    result = CliRunner().invoke(
        main, ["score", "--bank-path", str(FIXTURES), str(MINI_ANSWERS), "--json"]
    )
    assert result.exit_code == 0, result.output
    questions = {q["id"]: q for q in json.loads(result.output)["questions"]}
    assert (
        questions["q4"]["finding_record"]["evidence"]
        == "REC-7 / duty manager / 2026-10-30 / 4 of 10 cases"
    )
    assert questions["q3"]["decided_by"] == "Lead assessor"
    assert questions["q2"]["finding_record"] == {
        "grade": "observation", "requirement": None, "evidence": None, "statement": None,
        "correction": None, "root_cause": None, "corrective_action": None, "owner": None,
        "due": None, "status": "open", "closed": None, "verified": None,
    }  # fmt: skip


def test_csv_defuses_spreadsheet_formulas(tmp_path):
    text = MINI_ANSWERS.read_text().replace("- minutes", "- '=HYPERLINK(\"http://x\")'")
    path = tmp_path / "a.yaml"
    path.write_text(text)
    scored = api.score_file(path, [FIXTURES])
    rows = list(
        csv.DictReader(io.StringIO(export_files(scored.assessment, scored.card)["tiny.csv"]))
    )
    assert rows[0]["evidence"].startswith("'=HYPERLINK")


def test_a_conforming_grade_is_not_listed_as_a_finding(tmp_path):
    answers = tmp_path / "a.yaml"
    text = MINI_ANSWERS.read_text(encoding="utf-8")
    answers.write_text(
        text.replace("    - minutes\n", "    - minutes\n    finding: conforming\n", 1)
    )
    scored = api.score_file(answers, [FIXTURES])
    assert scored.card.questions[0].finding == "conforming"
    data = json.loads(export_files(scored.assessment, scored.card)["tiny.json"])
    assert {f["id"]: f["finding"] for f in data["findings"]} == {"q2": "observation", "q4": "major"}
