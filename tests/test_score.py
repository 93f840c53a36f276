"""Every scoring rule pinned with numbers computed by hand on the mini bank.

mini bank: clause 1 (area alpha) -> 1.1 {q1 w1 P1, q2 w2 P1+P2}, 1.2 {q3 w1 P2};
clause 2 (area beta) -> 2.1 {q4 w3 P1, q5 w1 P2}. Scale 0..5, bank default target 3.
"""

from __future__ import annotations

import pytest

from assessment.load.bank import Bank
from assessment.score.scoring import score, target_for
from tests.conftest import make_answers

# The fixture answers: q1=2, q2=4, q3=na, q4=1, q5 unanswered; targets default 3, "1": 4, "1.2": 2
ANSWERS = {
    "q1": {"level": 2},
    "q2": {"level": 4, "finding": "minor"},
    "q3": {"level": "na", "reason": "not offered"},
    "q4": {"level": 1, "finding": "major"},
}
TARGETS = {"default": 3, "clauses": {"1": 4, "1.2": 2}}


@pytest.fixture
def card(mini_bank):
    return score(mini_bank, make_answers("mini", ANSWERS, TARGETS))


def test_overall_is_weighted_mean_of_answered_applicable_questions(card):
    # (1*2 + 2*4 + 3*1) / (1 + 2 + 3) = 13/6
    assert card.overall.score == pytest.approx(13 / 6)
    assert card.overall.percent == pytest.approx(13 / 6 / 5 * 100)
    assert card.overall.stage == 2
    assert card.overall.answered == 3
    assert card.overall.applicable == 4  # q3 is na; q5 unanswered still applicable
    assert card.overall.coverage == pytest.approx(3 / 4)


def test_targets_nearest_ancestor_wins_then_default(mini_bank):
    answers = make_answers("mini", ANSWERS, TARGETS)
    assert target_for("1.1", mini_bank, answers) == 4  # from "1"
    assert target_for("1.2", mini_bank, answers) == 2  # its own
    assert target_for("2.1", mini_bank, answers) == 3  # default
    assert target_for("2.1", mini_bank, make_answers("mini", {})) == 3  # bank default


def test_group_target_and_gap_use_the_same_questions_as_the_score(card):
    # targets q1=4 (w1), q2=4 (w2), q4=3 (w3): (4 + 8 + 9) / 6 = 3.5
    assert card.overall.target == pytest.approx(3.5)
    assert card.overall.gap == pytest.approx(3.5 - 13 / 6)


def test_area_scores(card):
    alpha, beta = card.area("alpha"), card.area("beta")
    assert alpha.score == pytest.approx((2 + 8) / 3)
    assert alpha.target == pytest.approx(4)
    assert alpha.coverage == pytest.approx(1.0)
    assert beta.score == pytest.approx(1.0)
    assert beta.coverage == pytest.approx(0.5)
    assert beta.stage == 1


def test_parent_clause_is_not_a_mean_of_sub_means(mini_bank):
    # 1.1 has q1=0 (w1) and q2=5 (w2) -> 10/3; 1.2 has q3=0 (w1) -> 0.
    # Mean of sub-means would be 5/3; the rule gives (0 + 10 + 0) / 4 = 2.5.
    card = score(
        mini_bank,
        make_answers("mini", {"q1": {"level": 0}, "q2": {"level": 5}, "q3": {"level": 0}}),
    )
    assert card.clause("1.1").score == pytest.approx(10 / 3)
    assert card.clause("1.2").score == pytest.approx(0.0)
    assert card.clause("1").score == pytest.approx(2.5)


def test_question_with_two_principles_counts_fully_in_each(card):
    p1 = next(g for g in card.principles if g.id == "P1")
    p2 = next(g for g in card.principles if g.id == "P2")
    # P1: q1, q2, q4 -> 13/6; P2: q2 (q3 na, q5 unanswered) -> 4
    assert p1.score == pytest.approx(13 / 6)
    assert p2.score == pytest.approx(4.0)
    assert p2.applicable == 2
    assert p2.coverage == pytest.approx(0.5)


def test_group_with_no_answered_question_is_null(card):
    only_na = card.clause("1.2")
    assert only_na.score is None
    assert only_na.target is None
    assert only_na.gap is None
    assert only_na.stage is None
    assert only_na.percent is None
    assert only_na.applicable == 0
    assert only_na.coverage is None


def test_question_gap_and_priority(card):
    q1, q2, q4 = card.question("q1"), card.question("q2"), card.question("q4")
    assert (q1.target, q1.gap, q1.priority) == (4, 2.0, 2.0)
    assert (q2.target, q2.gap, q2.priority) == (4, 0.0, 0.0)
    assert (q4.target, q4.gap, q4.priority) == (3, 2.0, 6.0)  # (3 - 1) * weight 3
    assert card.question("q3").priority is None
    assert card.question("q5").level is None
    assert card.question("q5").priority is None


def test_priority_is_never_negative(mini_bank):
    card = score(mini_bank, make_answers("mini", {"q4": {"level": 5}}))
    assert card.question("q4").gap == -2.0
    assert card.question("q4").priority == 0


def test_roadmap_order_priority_then_clause_then_id(mini_bank):
    # q1 (1.1): (3-1)*1 = 2; q2 (1.1): (3-2)*2 = 2; q5 (2.1): (3-1)*1 = 2; q4 (2.1): (3-0)*3 = 9
    card = score(
        mini_bank,
        make_answers(
            "mini",
            {
                "q5": {"level": 1},
                "q2": {"level": 2},
                "q1": {"level": 1},
                "q4": {"level": 0},
            },
        ),
    )
    assert [q.id for q in card.roadmap] == ["q4", "q1", "q2", "q5"]


def test_stage_is_floor_and_percent_uses_scale_maximum(mini_bank):
    card = score(mini_bank, make_answers("mini", {"q4": {"level": 4}, "q5": {"level": 3}}))
    # beta: (3*4 + 1*3) / 4 = 3.75
    assert card.area("beta").score == pytest.approx(3.75)
    assert card.area("beta").stage == 3
    assert card.area("beta").percent == pytest.approx(75.0)


def test_roadmap_phases(mini_bank):
    from assessment.score.roadmap import plan_phases

    card = score(
        mini_bank,
        make_answers(
            "mini",
            {
                "q1": {"level": 2, "finding": "minor"},  # finding -> 0-3
                "q2": {"level": 1},  # foundation -> 0-3
                "q3": {"level": 2},  # 1.2 target 5: gap 3 -> 3-6
                "q4": {"level": 4},  # gap 1 -> 6-12
                "q5": {"level": 5},  # at target -> not on the roadmap
            },
            {"default": 5, "clauses": {"1.2": 5}},
        ),
    )
    phases = {p.id: [a.id for a in p.actions] for p in plan_phases(card)}
    # priorities: q2 (5-1)*2 = 8, q1 3*1 = 3, q3 3*1 = 3, q4 1*3 = 3
    assert phases == {"0-3": ["q2", "q1"], "3-6": ["q3"], "6-12": ["q4"]}


def test_scores_do_not_depend_on_what_was_scored_before(mini_bank):
    # score() keeps each bank's groups between calls: a fresh bank object must give the same
    # cards, whatever was scored before and in whichever order.
    cases = [
        (ANSWERS, TARGETS),
        ({"q4": {"level": 5}}, None),
        ({}, {"default": 1}),
        ({"q1": {"level": 0}, "q2": {"level": 5}, "q3": {"level": 0}}, TARGETS),
        ({"q1": {"level": 0}, "q5": {"level": "na", "reason": "r"}}, {"clauses": {"2.1": 5}}),
    ]
    answers = [make_answers("mini", a, t) for a, t in cases]
    shared = [score(mini_bank, a) for a in answers + answers[::-1]]
    fresh = Bank(mini_bank.manifest, mini_bank.questions, mini_bank.content_hash)
    alone = [score(fresh, a) for a in answers + answers[::-1]]
    assert shared == alone
    assert shared[: len(cases)] == shared[len(cases) :][::-1]
