"""Readiness rules with the mini bank's numbers worked by hand."""

from __future__ import annotations

import pytest

from assessment.load.models.answers import Readiness
from assessment.score.readiness import assess_readiness
from assessment.score.scoring import score
from tests.conftest import make_answers

FULL = {
    "q1": {"level": 3},
    "q2": {"level": 4},
    "q3": {"level": 3},
    "q4": {"level": 3},
    "q5": {"level": 3},
}


def test_ready_when_every_rule_passes(mini_bank):
    verdict = assess_readiness(score(mini_bank, make_answers("mini", FULL)), Readiness())
    assert verdict.ready
    assert [r.id for r in verdict.rules] == ["coverage", "areas", "major"]
    # alpha = (3 + 8 + 3) / 4 = 3.5; beta = (9 + 3) / 4 = 3.0 -> lowest area 3.0
    assert verdict.rules[1].actual == pytest.approx(3.0)


def test_each_rule_can_fail_on_its_own(mini_bank):
    missing = {k: v for k, v in FULL.items() if k != "q5"}
    verdict = assess_readiness(score(mini_bank, make_answers("mini", missing)), Readiness())
    assert not verdict.ready
    assert verdict.rules[0].failing == ("q5",)
    assert verdict.rules[0].actual == pytest.approx(0.8)

    low = {**FULL, "q4": {"level": 2}}  # beta = (6 + 3) / 4 = 2.25
    verdict = assess_readiness(score(mini_bank, make_answers("mini", low)), Readiness())
    assert verdict.rules[1].failing == ("beta",)
    assert not verdict.rules[1].passed

    major = {**FULL, "q2": {"level": 4, "finding": "major"}}
    verdict = assess_readiness(score(mini_bank, make_answers("mini", major)), Readiness())
    assert verdict.rules[2].failing == ("q2",)
    assert not verdict.ready


def test_thresholds_are_configurable(mini_bank):
    low = {**FULL, "q4": {"level": 2}}
    settings = Readiness(min_area_score=2.0, max_major=1)
    assert assess_readiness(score(mini_bank, make_answers("mini", low)), settings).ready
