"""Portfolio quartiles worked by hand."""

from __future__ import annotations

import pytest

from assessment.portfolio import build_portfolio, quartiles
from assessment.score import score
from tests.conftest import make_answers


def test_quartiles_inclusive():
    q = quartiles([1.0, 2.0, 3.0, 4.0, 5.0])
    assert (q.minimum, q.q1, q.median, q.q3, q.maximum) == (1.0, 2.0, 3.0, 4.0, 5.0)
    assert [q.band(v) for v in (1.0, 2.0, 2.5, 3.0, 4.0, 5.0)] == [1, 2, 2, 3, 4, 4]
    assert quartiles([]) is None
    single = quartiles([2.5])
    assert single.median == 2.5
    assert single.band(2.5) == 4


def test_portfolio_benchmark_and_anonymising(mini_bank):
    cards = [
        (f"o{i}", f"Org {i}", score(mini_bank, make_answers("mini", {"q4": {"level": i}})))
        for i in range(5)
    ]
    portfolio = build_portfolio(cards, anonymise=True)
    assert [m.label for m in portfolio.members] == [
        "ORG-01",
        "ORG-02",
        "ORG-03",
        "ORG-04",
        "ORG-05",
    ]
    beta = portfolio.areas["beta"]
    assert beta.median == pytest.approx(2.0)
    assert portfolio.areas["alpha"] is None  # nobody answered alpha
    assert build_portfolio(cards, anonymise=False).members[0].label == "Org 0"
