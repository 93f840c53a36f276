"""Readiness rules with the mini bank's numbers worked by hand.

Mini bank: area alpha = q1 (w1), q2 (w2), q3 (w1); area beta = q4 (w3), q5 (w1).
"""

from __future__ import annotations

import pytest

from assessment.load.bank import Bank
from assessment.load.models.answers import AnswersFile, Readiness
from assessment.load.models.bank import Scheme
from assessment.load.models.base import Text
from assessment.score.readiness import Verdict, assess_readiness
from assessment.score.scoring import score
from tests.conftest import make_answers

FULL = {
    "q1": {"level": 3},
    "q2": {"level": 4},
    "q3": {"level": 3},
    "q4": {"level": 3},
    "q5": {"level": 3},
}


def verdict_of(bank: Bank, given: dict, readiness: Readiness | None = None) -> Verdict:
    answers = make_answers(bank.id, given)
    if readiness is not None:
        answers = AnswersFile.model_validate({**answers.model_dump(), "readiness": readiness})
    return assess_readiness(score(bank, answers), answers, bank)


def variant(bank: Bank, name: str, *, knockouts=(), scheme: Scheme | None = None) -> Bank:
    questions = tuple(q.model_copy(update={"knockout": q.id in knockouts}) for q in bank.questions)
    manifest = bank.manifest.model_copy(update={"scheme": scheme})
    return Bank(manifest, questions, content_hash=f"{bank.content_hash}-{name}")


def rule(verdict: Verdict, rule_id: str):
    return next(r for r in verdict.rules if r.id == rule_id)


def test_ready_when_every_rule_passes(mini_bank):
    verdict = verdict_of(mini_bank, FULL)
    assert verdict.ready
    assert [r.id for r in verdict.rules] == ["coverage", "areas", "knockouts", "major"]
    # alpha = (3 + 8 + 3) / 4 = 3.5; beta = (9 + 3) / 4 = 3.0 -> lowest area 3.0
    assert rule(verdict, "areas").actual == pytest.approx(3.0)
    assert verdict.against == "guideline"
    assert verdict.scheme is None


def test_each_rule_can_fail_on_its_own(mini_bank):
    missing = {k: v for k, v in FULL.items() if k != "q5"}
    verdict = verdict_of(mini_bank, missing)
    assert not verdict.ready
    assert rule(verdict, "coverage").failing == ("q5",)
    assert rule(verdict, "coverage").actual == pytest.approx(0.8)

    low = {**FULL, "q4": {"level": 2}}  # beta = (6 + 3) / 4 = 2.25
    verdict = verdict_of(mini_bank, low)
    assert rule(verdict, "areas").failing == ("beta",)
    assert [r.id for r in verdict.rules if not r.passed] == ["areas"]

    major = {**FULL, "q2": {"level": 4, "finding": "major"}}
    verdict = verdict_of(mini_bank, major)
    assert rule(verdict, "major").failing == ("q2",)
    assert [r.id for r in verdict.rules if not r.passed] == ["major"]


def test_an_area_left_out_fails_instead_of_being_skipped(mini_bank):
    reason = {"level": "na", "reason": "not in scope"}
    verdict = verdict_of(mini_bank, {**FULL, "q4": reason, "q5": reason})
    # Coverage is 3 / 3 and alpha scores 3.5: only the empty area fails.
    assert rule(verdict, "coverage").passed
    assert rule(verdict, "areas").failing == ("beta",)
    assert rule(verdict, "areas").actual is None
    assert not verdict.ready


def test_a_knockout_below_its_level_blocks_readiness(mini_bank):
    bank = variant(mini_bank, "ko", knockouts=("q1",))
    # q1 at 1: alpha = (1 + 8 + 3) / 4 = 3.0, still passes; the knock-out (default 2) fails.
    verdict = verdict_of(bank, {**FULL, "q1": {"level": 1}})
    assert [r.id for r in verdict.rules if not r.passed] == ["knockouts"]
    assert rule(verdict, "knockouts").failing == ("q1",)
    assert rule(verdict, "knockouts").actual == 1.0
    assert rule(verdict, "knockouts").threshold == 2.0
    assert verdict_of(bank, {**FULL, "q1": {"level": 2}}).ready
    unanswered = verdict_of(bank, {k: v for k, v in FULL.items() if k != "q1"})
    assert rule(unanswered, "knockouts").failing == ("q1",)
    assert rule(unanswered, "knockouts").actual is None


def test_a_major_blocks_until_closed_and_verified(mini_bank):
    def with_major(**record):
        return {**FULL, "q2": {"level": 2, "finding": {"grade": "major", **record}}}

    low_ok = Readiness(min_area_score=2.0)  # q2 at 2: alpha = (3 + 4 + 3) / 4 = 2.5
    assert not verdict_of(mini_bank, with_major(), low_ok).ready
    closed = with_major(status="closed", closed="2026-11-20")
    assert rule(verdict_of(mini_bank, closed, low_ok), "major").failing == ("q2",)
    verified = with_major(status="verified", closed="2026-11-20", verified="2026-11-30")
    assert verdict_of(mini_bank, verified, low_ok).ready


def test_own_thresholds_are_told_apart_from_the_banks(mini_bank):
    low = {**FULL, "q4": {"level": 2}}
    verdict = verdict_of(mini_bank, low, Readiness(min_area_score=2.0, max_major=1))
    assert verdict.ready
    areas = rule(verdict, "areas")
    assert (areas.threshold, areas.default, areas.own) == (2.0, 3.0, True)
    coverage = rule(verdict, "coverage")
    assert (coverage.threshold, coverage.default, coverage.own) == (1.0, 1.0, False)
    assert rule(verdict, "major").own


def test_a_bank_with_a_scheme_gives_readiness_against_it(mini_bank):
    scheme = Scheme(id="cb-scheme", name=Text(zh="某认证方案", en="A certification scheme"))
    verdict = verdict_of(variant(mini_bank, "scheme", scheme=scheme), FULL)
    assert (verdict.against, verdict.scheme) == ("scheme", "cb-scheme")
