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
    assert rows[4]["level"] == ""


def test_csv_defuses_spreadsheet_formulas(tmp_path):
    text = MINI_ANSWERS.read_text().replace("- minutes", "- '=HYPERLINK(\"http://x\")'")
    path = tmp_path / "a.yaml"
    path.write_text(text)
    scored = api.score_file(path, [FIXTURES])
    rows = list(
        csv.DictReader(io.StringIO(export_files(scored.assessment, scored.card)["tiny.csv"]))
    )
    assert rows[0]["evidence"].startswith("'=HYPERLINK")
