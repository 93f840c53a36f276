"""A consultant's portfolio: each organisation's area scores against the portfolio's quartiles.

Quartiles use the inclusive method (statistics.quantiles(..., method="inclusive")), so with a
single organisation every quartile equals its score. Anonymised portfolios label organisations
ORG-01, ORG-02 … in the order of the project file.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from assessment.score.scoring import Scorecard


@dataclass(frozen=True)
class Quartiles:
    n: int
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float

    def band(self, value: float | None) -> int | None:
        """1 = bottom quartile … 4 = top quartile."""
        if value is None:
            return None
        if value < self.q1:
            return 1
        if value < self.median:
            return 2
        if value < self.q3:
            return 3
        return 4


def quartiles(values: Sequence[float]) -> Quartiles | None:
    if not values:
        return None
    if len(values) == 1:
        v = values[0]
        return Quartiles(1, v, v, v, v, v)
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Quartiles(len(values), min(values), q1, median, q3, max(values))


@dataclass(frozen=True)
class Member:
    id: str
    label: str
    card: Scorecard


@dataclass(frozen=True)
class Portfolio:
    members: tuple[Member, ...]
    overall: Quartiles | None
    areas: dict[str, Quartiles | None]


def build_portfolio(orgs: Sequence[tuple[str, str, Scorecard]], anonymise: bool) -> Portfolio:
    members = tuple(
        Member(org_id, f"ORG-{i:02d}" if anonymise else name, card)
        for i, (org_id, name, card) in enumerate(orgs, start=1)
    )
    area_ids = [a.id for a in members[0].card.areas] if members else []
    areas = {
        area: quartiles([s for m in members if (s := m.card.area(area).score) is not None])
        for area in area_ids
    }
    overall = quartiles([s for m in members if (s := m.card.overall.score) is not None])
    return Portfolio(members=members, overall=overall, areas=areas)
