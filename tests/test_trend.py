"""Rounds over time on the mini bank, including a bank change between rounds."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment.load.loader import Assessment
from assessment.score.scoring import score
from assessment.score.trend import build_trend
from tests.conftest import make_answers


def round_of(bank, answers, day):
    a = make_answers("mini", answers).model_copy()
    info = a.assessment.model_copy(update={"date": day})
    a = a.model_copy(update={"assessment": info})
    assessment = Assessment(bank=bank, answers=a, source="x.yaml")
    return assessment, score(bank, a)


def test_deltas_regressions_and_answer_changes(mini_bank):
    old = round_of(
        mini_bank, {"q1": {"level": 1}, "q2": {"level": 2}, "q4": {"level": 3}}, dt.date(2026, 1, 1)
    )
    new = round_of(
        mini_bank, {"q1": {"level": 3}, "q2": {"level": 2}, "q4": {"level": 1}}, dt.date(2026, 7, 1)
    )
    trend = build_trend([old, new])
    by = {(d.kind, d.id): d for d in trend.deltas}
    # alpha: (1 + 4) / 3 -> (3 + 4) / 3; beta: 3 -> 1
    assert by[("area", "alpha")].change == pytest.approx(2 / 3)
    assert by[("area", "beta")].change == pytest.approx(-2.0)
    assert [(d.kind, d.id) for d in trend.regressions] == [
        ("overall", "overall"),
        ("area", "beta"),
        ("principle", "P1"),
    ]
    assert [(c.id, c.before, c.after, c.kind) for c in trend.changes] == [
        ("q1", 1, 3, "answer"),
        ("q4", 3, 1, "answer"),
    ]
    assert not trend.bank_changed
    assert build_trend([old]) is None


def test_bank_changes_are_told_apart(mini_bank):
    from assessment.load.bank import Bank, content_hash

    q1 = mini_bank.question_index["q1"]
    changed = q1.model_copy(
        update={"text": q1.text.model_copy(update={"en": "Reworded question 1?"})}
    )
    newer_questions = tuple(
        changed if q.id == "q1" else q for q in mini_bank.questions if q.id != "q5"
    )
    manifest = mini_bank.manifest.model_copy(update={"version": "0.2"})
    newer = Bank(
        manifest=manifest,
        questions=newer_questions,
        content_hash=content_hash(manifest, newer_questions),
    )
    old = round_of(mini_bank, {"q1": {"level": 1}, "q5": {"level": 2}}, dt.date(2026, 1, 1))
    new = round_of(newer, {"q1": {"level": 3}}, dt.date(2026, 7, 1))
    trend = build_trend([old, new])
    kinds = {c.id: c.kind for c in trend.changes}
    assert kinds == {"q1": "bank-changed", "q5": "bank-removed"}
    assert trend.bank_changed
    assert trend.points[-1].bank_version == "0.2"


def test_a_split_question_is_compared_with_the_one_it_replaces(mini_bank):
    from assessment.load.bank import Bank

    # The later bank splits q2 into q2a and q2b and merges q4 and q5 into q45.
    later = []
    for q in mini_bank.questions:
        if q.id == "q2":
            later += [
                q.model_copy(update={"id": "q2a", "replaces": ("q2",)}),
                q.model_copy(update={"id": "q2b", "replaces": ("q2",)}),
            ]
        elif q.id == "q4":
            later.append(q.model_copy(update={"id": "q45", "replaces": ("q4", "q5")}))
        elif q.id != "q5":
            later.append(q)
    manifest = mini_bank.manifest.model_copy(update={"version": "0.2"})
    bank = Bank(manifest, tuple(later), content_hash="mini-0.2")
    old = round_of(
        mini_bank,
        {"q1": {"level": 1}, "q2": {"level": 2}, "q4": {"level": 3}, "q5": {"level": 1}},
        dt.date(2026, 1, 1),
    )
    new = round_of(
        bank,
        {"q1": {"level": 1}, "q2a": {"level": 3}, "q2b": {"level": 2}, "q45": {"level": 2}},
        dt.date(2026, 7, 1),
    )
    trend = build_trend([old, new])
    assert trend.bank_changed
    assert [(c.id, c.before, c.after, c.kind) for c in trend.changes] == [
        ("q2a", 2, 3, "bank-replaced"),
        ("q2b", 2, 2, "bank-replaced"),
        ("q45", 1, 2, "bank-replaced"),  # the lower of the merged q4 (3) and q5 (1)
    ]


@pytest.mark.parametrize(
    ("before", "after", "moved"),
    [(1, 2, True), (1.25, 2.5, True), (2, 1.5, False), (2.5, 2.5, False), ("na", 3, False),
     (None, 3, False), (3, None, False)],
)  # fmt: skip
def test_a_follow_up_moved_when_the_level_rose_by_any_amount(before, after, moved):
    from assessment.score.trend import FollowUp

    assert FollowUp("q1", "done", None, before, after).moved is moved


def test_the_trend_page_prints_levels_as_every_page_does():
    from assessment.api import load_workspace
    from assessment.render.lanes import render_site
    from tests.conftest import FIXTURES

    workspace = load_workspace(FIXTURES / "project" / "cxassess.yaml", [FIXTURES])
    trend = {
        s.lang: next(p.text for p in s.pages if p.path == "trend.md")
        for s in render_site(workspace)
        if s.prefix == "tiny/"
    }
    q3 = {lang: next(line for line in text.splitlines() if "| q3" in line or "[q3]" in line)
          for lang, text in trend.items()}  # fmt: skip
    assert "| 1 | Not applicable |" in q3["en"]  # q3 went from level 1 to na
    assert "| 1 | 不适用 |" in q3["zh"]
