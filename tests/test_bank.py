"""The default bank gbt42509 is complete: every rule of the bank issue, enforced."""

from __future__ import annotations

import re
from collections import Counter

from assessment.load.bank import Bank

ZH_ASCII_PUNCTUATION = re.compile(r"[\u4e00-\u9fff][,;:?!]|[,;:?!][\u4e00-\u9fff]")


def leaves(bank: Bank):
    return [c for c in bank.clauses.values() if c.is_leaf]


def test_size(gbt_bank):
    assert 110 <= len(gbt_bank.questions) <= 150


def test_every_leaf_clause_has_two_questions(gbt_bank):
    """Two at least, except where a clause makes one requirement and lists options for it
    (6.1.4: objectives are set; the kinds of objective are options), asked in one question."""
    counts = Counter(q.clause for q in gbt_bank.questions)
    thin = {
        c.id: counts[c.id]
        for c in leaves(gbt_bank)
        if counts[c.id] < 2 and len([p for p in c.source.points if p.strength != "may"]) > 1
    }
    assert thin == {}
    assert all(counts[c.id] >= 1 for c in leaves(gbt_bank))


def test_every_point_of_every_clause_is_asked_about(gbt_bank):
    covered = {(q.clause, point) for q in gbt_bank.questions for point in q.covers}
    missing = [
        f"{c.id}:{p.id}"
        for c in leaves(gbt_bank)
        for p in c.source.points
        if (c.id, p.id) not in covered
    ]
    assert missing == []
    assert all(q.covers for q in gbt_bank.questions)


def test_issue_named_point_lists_are_complete(gbt_bank):
    points = {c.id: len(c.source.points) for c in leaves(gbt_bank)}
    assert points["5.4"] == 8  # the eight duties of top management
    kinds = [p for p in gbt_bank.clauses["6.1.4"].source.points if p.strength == "may"]
    assert len(kinds) == 7  # seven kinds of CXM objective, offered as options
    assert points["6.1.4"] == 8  # and the requirement to set objectives
    assert points["6.2"] == 8  # seven kinds of resource plus the needs assessment
    # cases, content and methods for externally provided CX, as the standard's 7.2.4.1-7.2.4.3
    assert gbt_bank.clauses["7.2.4"].children == ("7.2.4.1", "7.2.4.2", "7.2.4.3")
    assert all(points[f"7.2.4.{n}"] for n in (1, 2, 3))


def test_every_principle_is_tagged_at_least_ten_times(gbt_bank):
    counts = Counter(p for q in gbt_bank.questions for p in q.principles)
    assert {p.id: counts[p.id] for p in gbt_bank.manifest.principles if counts[p.id] < 10} == {}


def test_questions_are_auditor_grade(gbt_bank):
    for q in gbt_bank.questions:
        assert len(q.evidence) >= 2, q.id
        assert sorted(q.levels) == [0, 1, 2, 3, 4, 5], q.id
        assert q.text.zh != q.text.en, q.id
        assert set(q.crosswalk) == {"qmp", "forrester", "cxpa"}, q.id
        assert all(q.crosswalk.values()), q.id
        if q.weight != 1:
            assert q.weight_rationale is not None, q.id


def test_level_descriptors_are_specific_to_each_question(gbt_bank):
    seen = Counter(
        text
        for q in gbt_bank.questions
        for level in q.levels.values()
        for text in (level.zh, level.en)
    )
    assert [text for text, n in seen.items() if n > 1] == []
    for q in gbt_bank.questions:
        per_question = [q.levels[i].en for i in range(6)]
        assert len(set(per_question)) == 6, q.id


def test_chinese_uses_full_width_punctuation(gbt_bank):
    offenders = []
    for q in gbt_bank.questions:
        texts = [
            q.text.zh,
            q.guidance.zh,
            *(e.zh for e in q.evidence),
            *(lv.zh for lv in q.levels.values()),
        ]
        offenders += [q.id for t in texts if ZH_ASCII_PUNCTUATION.search(t)]
    assert offenders == []


def test_ids_are_stable_and_readable(gbt_bank):
    for q in gbt_bank.questions:
        assert q.id.startswith(q.clause + "-"), q.id


def test_metric_definitions_in_both_languages(gbt_bank):
    metrics = {m.id: m for m in gbt_bank.manifest.metrics}
    assert set(metrics) == {"nps", "csat", "ces"}
    assert (metrics["nps"].scale.min, metrics["nps"].scale.max) == (0, 10)
    for m in metrics.values():
        assert m.formula.zh
        assert m.formula.en
        assert m.bands


def test_second_bank_uses_the_same_engine(tmp_path):
    from assessment import api
    from assessment.load.loader import load_bank

    cxcap = load_bank("cxcap")
    assert {a.id for a in cxcap.manifest.areas} == {
        "culture", "vision", "research", "design", "measurement", "optimisation",
    }  # fmt: skip
    counts = Counter(cxcap.clauses[q.clause].area for q in cxcap.questions)
    assert all(3 <= n <= 4 for n in counts.values())
    assert api.score_file(
        api.resources.data_dir("questions") / "cxcap" / "demo" / "answers.yaml"
    ).card.overall.score
