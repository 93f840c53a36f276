"""The gbt42509 bank as an auditor reads it: each provision's strength and basis, what rests on
the source text and what was reconstructed, titles and terms as printed, knock-outs, and
level-5 descriptors that rest on the organisation's own results.
(../shared/reference/gbt42509-titles-and-status.md is the reference.)"""

from __future__ import annotations

import re

from assessment.load.bank import Bank

TITLES = {
    "5.1": "识别顾客体验管理环境和影响因素",
    "5.2": "确定顾客体验管理范围",
    "5.3": "建立顾客体验管理过程",
    "5.4": "领导作用和承诺",
    "6.1.1": "识别顾客体验管理影响因素与环境",
    "6.1.3": "确定顾客体验管理目标的考虑因素",
    "6.1.4": "确定顾客体验管理目标",
    "6.1.5": "顾客体验管理目标实现的策划",
    "7.1.2": "评估顾客体验设计",
    "7.2.1": "概述",
    "7.2.3": "顾客体验的风险管理",
    "7.2.4": "外部提供顾客体验的管理",
    "7.2.4.1": "概述",
    "7.2.4.2": "管理内容",
    "7.2.4.3": "管理方式",
    "7.3.1": "聆听顾客声音",
    "7.4.3": "优化顾客体验行动",
    "8.1": "建立绩效测量和评价机制",
    "8.2": "顾客体验管理的评估",
    "8.3": "持续改进",
}


def prose(bank: Bank) -> list[tuple[str, str]]:
    """(question id, Chinese text) of every question's text, guidance and descriptors."""
    out = []
    for q in bank.questions:
        out += [(q.id, q.text.zh), (q.id, q.guidance.zh)]
        out += [(q.id, text.zh) for text in q.levels.values()]
    return out


def test_clause_titles_as_printed(gbt_bank):
    assert {c: gbt_bank.clauses[c].title.zh for c in TITLES} == TITLES


def test_every_point_states_its_strength_and_basis(gbt_bank):
    unstated = [
        f"{c.id}:{p.id}"
        for c in gbt_bank.clauses.values()
        for p in c.source.points
        if p.strength is None or p.basis is None
    ]
    assert unstated == []


def test_quotes_are_short(gbt_bank):
    quotes = [p.basis.quote for c in gbt_bank.clauses.values() for p in c.source.points if p.basis]
    assert [q for q in quotes if q and len(q) > 80] == []


def test_reconstructed_parts_say_so(gbt_bank):
    for clause in ("7.2.5", "7.3.1", "7.3.6", "7.4.1", "7.4.4", "8.1", "8.2", "8.3"):
        provenance, note = gbt_bank.clause_provenance(clause)
        assert provenance == "reconstructed", clause
        assert note is not None, clause
    for clause in ("5.4", "6.1.4", "7.1.2", "7.2.4.2"):
        assert gbt_bank.clause_provenance(clause)[0] == "source", clause
    assert gbt_bank.question_provenance("5.3-process-interfaces")[0] == "reconstructed"


def test_knockouts(gbt_bank):
    knockouts = set(gbt_bank.knockouts)
    assert {
        "8.2-management-review",
        "8.2-system-assessment",
        "7.2.5-complaint-process",
    } <= knockouts
    assert any(q.startswith("5.4-") for q in knockouts)
    assert len(knockouts) <= 6


def test_options_are_not_scored_as_required(gbt_bank):
    assert gbt_bank.is_option("6.3-dedicated-team")
    assert gbt_bank.is_option("7.2.4.3-provider-audit")
    scored_614 = [
        q.id for q in gbt_bank.questions if q.clause == "6.1.4" and not gbt_bank.is_option(q.id)
    ]
    assert 1 <= len(scored_614) <= 3  # not seven required objectives


def test_terms_as_the_standard_writes_them(gbt_bank):
    wrong = re.compile("倾听|顾客之声")
    assert [(qid, t) for qid, t in prose(gbt_bank) if wrong.search(t)] == []


def test_level_5_rests_on_own_results(gbt_bank):
    peers = re.compile("同行借鉴|行业引用|被同行|行业标杆被|同行学习|被业内")
    assert [q.id for q in gbt_bank.questions if peers.search(q.levels[5].zh)] == []
    en_peers = re.compile(r"\bpeers?\b|cited by the (industry|sector)", re.IGNORECASE)
    assert [q.id for q in gbt_bank.questions if en_peers.search(q.levels[5].en)] == []


def test_p2_only_where_top_management_acts(gbt_bank):
    top = re.compile("最高管理者|高层|管理层|领导|管理评审|决策层|有决策权|经营会|总经理|董事")
    untagged = [
        q.id
        for q in gbt_bank.questions
        if "P2" in q.principles
        and not any(top.search(t) for qid, t in prose(gbt_bank) if qid == q.id)
    ]
    assert untagged == []


def test_weight_rationales_claim_nothing_the_standard_does_not_say(gbt_bank):
    claims = [
        q.id
        for q in gbt_bank.questions
        if q.weight_rationale and "19012" in q.weight_rationale.zh + q.weight_rationale.en
    ]
    assert claims == []


def test_version_bumped_and_replacements_name_old_ids(gbt_bank):
    assert gbt_bank.version.split(".")[0] == "2"
    current = set(gbt_bank.question_index)
    stale = [(q.id, old) for q in gbt_bank.questions for old in q.replaces if old in current]
    assert stale == []


def _verdict(bank: Bank, levels: dict):
    from assessment.score.readiness import assess_readiness
    from assessment.score.scoring import score
    from tests.conftest import make_answers

    answers = make_answers(bank.id, levels)
    return assess_readiness(score(bank, answers), answers, bank)


def test_gaming_with_the_key_duties_at_zero_is_not_ready(gbt_bank):
    """The review's first case: 5.4 accountability and the 8.2 reviews at level 0, everything
    else high. The areas still pass (they average out); the knock-outs do not."""
    key = {"5.4-accountable", "8.2-management-review", "8.2-system-assessment"}
    levels = {q.id: {"level": 0 if q.id in key else 5} for q in gbt_bank.questions}
    verdict = _verdict(gbt_bank, levels)
    assert not verdict.ready
    failed = {r.id: r for r in verdict.rules if not r.passed}
    assert list(failed) == ["knockouts"]
    assert set(failed["knockouts"].failing) == key


def test_gaming_by_leaving_out_a_whole_area_is_not_ready(gbt_bank, tmp_path):
    """The second case: all of 5.4 and chapter 8 marked na. The knock-outs among them cannot
    be na (a located problem each), and the evaluation area, left empty, fails readiness."""
    from assessment.common.errors import InputError
    from assessment.io.answers import dump_answers
    from assessment.load.loader import load_assessment
    from tests.conftest import make_answers

    na = {"level": "na", "reason": "left out on purpose"}
    out = {
        q.id: na if q.clause == "5.4" or q.clause.startswith("8") else {"level": 5}
        for q in gbt_bank.questions
    }
    path = tmp_path / "gaming.yaml"
    path.write_text(dump_answers(make_answers(gbt_bank.id, out)), encoding="utf-8")
    try:
        load_assessment(path)
        raise AssertionError("a knock-out marked na was accepted")
    except InputError as error:
        found = (
            re.search(r"\['([^']+)'\]", p.path) for p in error.problems if "knock-out" in p.message
        )
        refused = {m.group(1) for m in found if m}
    assert refused == {"5.4-accountable", "8.2-management-review", "8.2-system-assessment"}
    verdict = _verdict(gbt_bank, out)
    areas = next(r for r in verdict.rules if r.id == "areas")
    assert "evaluation" in areas.failing
    assert not verdict.ready
