"""The action plan in an answers file: owners, due dates and status on roadmap actions, shown
on the roadmap, carried by every export, followed up on the next round's trend page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from assessment import api
from assessment.common.errors import InputError
from assessment.io.export import export_files
from assessment.load.loader import Assessment, load_assessment
from assessment.load.models.answers import Action
from assessment.score.scoring import score
from assessment.score.trend import build_trend
from tests.conftest import FIXTURES, make_answers

HEAD = """bank: mini
organisation: {id: tiny, name: Tiny}
assessment: {title: T, date: 2026-11-01}
answers:
  q1: {level: 1}
  q4: {level: 2}
"""


def load(tmp_path, text):
    path = tmp_path / "answers.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    return load_assessment(path, [FIXTURES])


def problems(tmp_path, text):
    with pytest.raises(InputError) as info:
        load(tmp_path, text)
    return [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems]


def test_every_field_is_optional_and_status_defaults_to_planned(tmp_path):
    loaded = load(tmp_path, "actions:\n  q1: {owner: Ops}\n  q4: {}\n")
    assert loaded.answers.actions["q1"] == Action(owner="Ops")
    assert loaded.answers.actions["q4"].status == "planned"


def test_bad_actions_are_located(tmp_path):
    found = problems(tmp_path, "actions:\n  q1: {status: finished, owner: [a]}\n")
    assert found == [
        "answers.yaml:8:16: actions.q1.status: Input should be 'planned', 'in_progress', 'done'"
        " or 'dropped'",
        "answers.yaml:8:33: actions.q1.owner: Input should be a valid string",
    ]
    found = problems(tmp_path, "actions:\n  q1: {due: 2027-13-01}\n")
    assert found == ["answers.yaml:8:13: actions.q1.due: invalid value: month must be in 1..12"]
    found = problems(tmp_path, "actions:\n  q1x: {owner: Ops}\n")
    assert found == [
        "answers.yaml:8:3: actions.q1x: an action for unknown question 'q1x' in bank mini"
        " (did you mean 'q1'?)"
    ]


def test_an_open_action_past_its_due_date_is_overdue():
    day = dt.date(2026, 11, 1)
    assert Action(due=dt.date(2026, 10, 31)).overdue(day)
    assert Action(due=dt.date(2026, 10, 31), status="in_progress").overdue(day)
    assert not Action(due=dt.date(2026, 11, 1)).overdue(day)  # due today is not late
    assert not Action(due=dt.date(2026, 10, 31), status="done").overdue(day)
    assert not Action(due=dt.date(2026, 10, 31), status="dropped").overdue(day)
    assert not Action().overdue(day)


def test_exports_carry_the_plan(tmp_path):
    text = (
        "actions:\n  q1: {owner: Ops, due: 2026-10-01, status: in_progress, note: started}\n"
        "  q2: {owner: QA, status: done}\n"
    )
    loaded = load(tmp_path, text)
    card = score(loaded.bank, loaded.answers)
    files = export_files(loaded, card)
    data = json.loads(files["tiny.json"])
    q1 = next(r for r in data["roadmap"] if r["id"] == "q1")
    assert q1["action"] == {
        "owner": "Ops", "due": "2026-10-01", "status": "in_progress", "note": "started",
        "overdue": True,
    }  # fmt: skip
    assert data["actions"]["q2"]["status"] == "done"  # q2 is not on the roadmap: still exported
    rows = {r["question"]: r for r in csv.DictReader(io.StringIO(files["tiny.csv"]))}
    assert (rows["q1"]["action_owner"], rows["q1"]["action_overdue"]) == ("Ops", "yes")
    assert rows["q3"]["action_status"] == ""


def test_the_roadmap_page_shows_owner_due_and_status(tmp_path):
    text = "actions:\n  q1: {owner: Ops 运营, due: 2026-10-01}\n"
    path = tmp_path / "answers.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    site = tmp_path / "site"
    api.build_site(path, site, search=[FIXTURES], cache=False)
    page = (site / "en" / "roadmap" / "index.html").read_text(encoding="utf-8")
    assert "Ops 运营" in page
    assert "2026-10-01" in page
    assert "Overdue" in page


def round_of(bank, answers, day, actions=None):
    a = make_answers("mini", answers)
    a = a.model_copy(
        update={
            "assessment": a.assessment.model_copy(update={"date": day}),
            "actions": {k: Action.model_validate(v) for k, v in (actions or {}).items()},
        }
    )
    return Assessment(bank=bank, answers=a, source="x.yaml"), score(bank, a)


def test_the_next_round_follows_up_the_plan(mini_bank):
    before = round_of(
        mini_bank,
        {"q1": {"level": 1}, "q4": {"level": 2}, "q5": {"level": 3}},
        dt.date(2026, 1, 1),
        {"q1": {"owner": "Ops", "status": "done"}, "q4": {"status": "in_progress"}, "q5": {}},
    )
    after = round_of(mini_bank, {"q1": {"level": 3}, "q4": {"level": 2}}, dt.date(2026, 7, 1))
    trend = build_trend([before, after])
    seen = [(f.id, f.status, f.owner, f.before, f.after, f.moved) for f in trend.follow_ups]
    assert seen == [
        ("q1", "done", "Ops", 1, 3, True),
        ("q4", "in_progress", None, 2, 2, False),
        ("q5", "planned", None, 3, None, False),  # not answered again: no level to compare
    ]
