"""Audit rules an answers file must keep, each pinned with a hand-written file against a copy
of the mini bank whose provisions say how binding they are.

The copy: clause 1.1 has points `p` (shall) and `opt` (may); q1 covers p (a requirement),
q2 covers opt only (an option); clause 2.1 gains a point `rec` (should) covered by q4,
which is also a knock-out. Targets: default 3.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from assessment.common.errors import InputError
from assessment.load.loader import load_assessment
from assessment.score.readiness import assess_readiness
from assessment.score.scoring import score
from tests.conftest import FIXTURES

HEAD = """bank: mini
organisation: {id: tiny, name: Tiny}
assessment: {title: T, date: 2026-11-01}
targets: {default: 3}
answers:
"""


@pytest.fixture(scope="module")
def banks(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("banks")
    shutil.copytree(FIXTURES / "mini", root / "mini")
    manifest_path = root / "mini" / "manifest.yaml"
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    one, two = manifest["clauses"]
    one["children"][0]["points"] = [
        {"id": "p", "en": "point", "strength": "shall", "basis": {"quote": "应……"}},
        {"id": "opt", "en": "an option", "strength": "may", "basis": {"quote": "可……"}},
    ]
    two["children"][0]["points"] = [{"id": "rec", "en": "advice", "strength": "should"}]
    manifest_path.write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    questions_path = root / "mini" / "questions" / "all.yaml"
    questions = yaml.safe_load(questions_path.read_text(encoding="utf-8"))
    for q in questions["questions"]:
        q["covers"] = {"q1": ["p"], "q2": ["opt"], "q4": ["rec"]}.get(q["id"], [])
        q["knockout"] = q["id"] == "q4"
    questions_path.write_text(yaml.safe_dump(questions, allow_unicode=True), encoding="utf-8")
    return root


def problems(tmp_path: Path, banks: Path, answers: str) -> list[str]:
    path = tmp_path / "answers.yaml"
    path.write_text(HEAD + answers, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_assessment(path, [banks])
    return [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems]


def loads(tmp_path: Path, banks: Path, answers: str):
    path = tmp_path / "answers.yaml"
    path.write_text(HEAD + answers, encoding="utf-8")
    return load_assessment(path, [banks])


def test_a_nonconformity_needs_a_shall(tmp_path, banks):
    assert problems(tmp_path, banks, "  q4: {level: 1, finding: minor}\n") == [
        "answers.yaml:6:27: answers.q4.finding: a minor nonconformity needs a 'shall' provision;"
        " this question covers 'should' provisions only, so grade it observation or ofi"
    ]
    assert (
        loads(tmp_path, banks, "  q4: {level: 1, finding: ofi}\n").answers.answers["q4"].grade
        == "ofi"
    )
    assert loads(tmp_path, banks, "  q1: {level: 1, finding: major}\n")


def test_no_nonconformity_at_or_above_target_and_no_major_from_level_4(tmp_path, banks):
    assert problems(tmp_path, banks, "  q1: {level: 3, finding: minor}\n") == [
        "answers.yaml:6:27: answers.q1.finding: a minor nonconformity on level 3, at or above its"
        " target 3: there is no shortfall to grade"
    ]
    found = problems(tmp_path, banks, "  q1: {level: 4, finding: major}\n")
    assert found == [
        "answers.yaml:6:27: answers.q1.finding: a major nonconformity on level 4 (4 or more)",
        "answers.yaml:6:27: answers.q1.finding: a major nonconformity on level 4, at or above its"
        " target 3: there is no shortfall to grade",
    ]
    found = problems(tmp_path, banks, "  q1: {finding: minor}\n")
    assert found == [
        "answers.yaml:6:17: answers.q1.finding: a minor nonconformity needs a level (0..5)"
    ]


def test_a_knockout_cannot_be_na(tmp_path, banks):
    assert problems(tmp_path, banks, "  q4: {level: na, reason: we have no shops}\n") == [
        "answers.yaml:6:15: answers.q4.level: a knock-out question cannot be na: it always applies"
        " (give a level)"
    ]


def test_an_na_reason_must_say_something(tmp_path, banks):
    found = problems(tmp_path, banks, '  q3: {level: na, reason: "\\u200b \\t"}\n')
    assert found == [
        "answers.yaml:6:7: answers.q3: level 'na' (not applicable) needs a reason: say why it does"
        " not apply"
    ]


def test_a_finding_record_and_its_life_cycle(tmp_path, banks):
    record = (
        "  q1:\n    level: 1\n    finding:\n      grade: minor\n      requirement: '1.1 应……'\n"
        "      evidence: 'REC-12 / CX lead / 2026-10-30 / 5 of 20 files'\n"
        "      statement: no review kept\n      owner: Ops\n      due: 2027-01-31\n"
    )
    loaded = loads(tmp_path, banks, record)
    kept = loaded.answers.answers["q1"].record
    assert (kept.grade, kept.status, kept.owner, str(kept.due)) == (
        "minor",
        "open",
        "Ops",
        "2027-01-31",
    )
    assert problems(tmp_path, banks, record + "      status: verified\n") == [
        "answers.yaml:9:7: answers.q1.finding: status 'verified' needs the date it was verified"
        " (verified: YYYY-MM-DD)"
    ]
    late = record + "      status: closed\n      closed: 2026-12-01\n      verified: 2026-11-20\n"
    assert problems(tmp_path, banks, late.replace("status: closed", "status: verified")) == [
        "answers.yaml:9:7: answers.q1.finding: verified (2026-11-20) is before closed (2026-12-01)"
    ]
    early = record + "      status: closed\n      closed: 2026-10-01\n"
    assert problems(tmp_path, banks, early) == [
        "answers.yaml:16:15: answers.q1.finding.closed: closed 2026-10-01 is before the assessment"
        " date 2026-11-01"
    ]


def test_an_option_is_shown_but_never_scored(tmp_path, banks):
    loaded = loads(tmp_path, banks, "  q1: {level: 2}\n  q2: {level: 0}\n")
    card = score(loaded.bank, loaded.answers)
    q2 = card.question("q2")
    assert (q2.option, q2.strength, q2.priority) == (True, "may", 0.0)
    assert card.question("q1").strength == "shall"
    # Clause 1.1 counts q1 alone: 2, not (2 + 0 * 2) / 3.
    assert card.clause("1.1").score == 2.0
    assert card.clause("1.1").total == 1
    assert "q2" not in [q.id for q in card.roadmap]


def test_the_two_gaming_cases_come_out_not_ready(tmp_path, banks):
    # Everything high but the knock-out at 0.
    high = "".join(f"  {q}: {{level: 4}}\n" for q in ("q1", "q2", "q3", "q5"))
    loaded = loads(tmp_path, banks, high + "  q4: {level: 0}\n")
    verdict = assess_readiness(score(loaded.bank, loaded.answers), loaded.answers, loaded.bank)
    assert not verdict.ready
    assert [r.id for r in verdict.rules if not r.passed] == ["areas", "knockouts"]
    # A whole area marked not applicable: q5 na and q4 (a knock-out) cannot be.
    na = "  q5: {level: na, reason: not offered}\n"
    loaded = loads(tmp_path, banks, high.replace("  q5: {level: 4}\n", na) + "  q4: {level: 4}\n")
    assert assess_readiness(score(loaded.bank, loaded.answers), loaded.answers, loaded.bank).ready
