"""CX metrics from survey answers and objectives checked against them (GB/T 42509-2023
6.1.4 "objectives", 7.3.3 and 8.1 "monitoring and measurement").

Metrics (pure functions, frozen results, full precision; rounding is for the display):

- NPS = % promoters (9-10) - % detractors (0-6), in points -100..100. 95 % interval from the
  variance of a difference of two proportions of one multinomial sample,
  var = (p_pro + p_det - (p_pro - p_det)^2) / n, NPS +- 1.96 * sqrt(var) * 100, clipped to
  [-100, 100].
- CSAT = % of answers 4 or 5, with a Wilson 95 % interval (sensible at 0 % and 100 %, where
  the normal interval collapses to a point).
- CES = mean of the 1-7 answers, mean +- 1.96 * s / sqrt(n) with the sample standard
  deviation s, clipped to the scale [1, 7]; no interval when n < 2.

A metric nobody answered has n = 0 and None for its value and interval: "no data" is not 0.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from assessment.load.survey import Survey

Z95: Final = 1.96


@dataclass(frozen=True)
class NpsResult:
    n: int
    promoters: int
    passives: int
    detractors: int
    value: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class CsatResult:
    n: int
    satisfied: int
    value: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class CesResult:
    n: int
    value: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None


def _histogram(scores: Iterable[int | None], low: int, high: int) -> list[int]:
    counts = [0] * (high - low + 1)
    for score in scores:
        if score is None:
            continue
        if isinstance(score, bool) or not low <= score <= high:
            raise ValueError(f"score {score!r} outside {low}..{high}")
        counts[score - low] += 1
    return counts


def nps_from_counts(promoters: int, passives: int, detractors: int) -> NpsResult:
    n = promoters + passives + detractors
    if n == 0:
        return NpsResult(0, 0, 0, 0, None, None, None)
    p_pro, p_det = promoters / n, detractors / n
    value = (promoters - detractors) * 100 / n
    # max(): float rounding can leave a hair below zero when everyone is a promoter.
    var = max(0.0, (p_pro + p_det - (p_pro - p_det) ** 2) / n)
    half = Z95 * math.sqrt(var) * 100
    return NpsResult(
        n,
        promoters,
        passives,
        detractors,
        value,
        max(-100.0, value - half),
        min(100.0, value + half),
    )


def compute_nps(scores: Iterable[int | None]) -> NpsResult:
    """NPS of 0-10 answers; None entries (skipped items) are left out."""
    return _nps_of(_histogram(scores, 0, 10))


def _nps_of(counts: Sequence[int]) -> NpsResult:
    return nps_from_counts(sum(counts[9:]), sum(counts[7:9]), sum(counts[:7]))


def csat_from_counts(satisfied: int, n: int) -> CsatResult:
    if n == 0:
        return CsatResult(0, 0, None, None, None)
    p = satisfied / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return CsatResult(
        n,
        satisfied,
        satisfied * 100 / n,
        max(0.0, centre - half) * 100,
        min(1.0, centre + half) * 100,
    )


def compute_csat(scores: Iterable[int | None]) -> CsatResult:
    """CSAT of 1-5 answers; None entries (skipped items) are left out."""
    return _csat_of(_histogram(scores, 1, 5))


def _csat_of(counts: Sequence[int]) -> CsatResult:
    return csat_from_counts(counts[3] + counts[4], sum(counts))


def compute_ces(scores: Iterable[int | None]) -> CesResult:
    """CES of 1-7 answers; None entries (skipped items) are left out."""
    return _ces_of(_histogram(scores, 1, 7))


def _ces_of(counts: Sequence[int]) -> CesResult:
    n = sum(counts)
    if n == 0:
        return CesResult(0, None, None, None, None)
    # Integer sums keep the mean exact whenever it is representable.
    mean = sum((i + 1) * c for i, c in enumerate(counts)) / n
    if n < 2:
        return CesResult(n, mean, None, None, None)
    sd = math.sqrt(sum(c * (i + 1 - mean) ** 2 for i, c in enumerate(counts)) / (n - 1))
    half = Z95 * sd / math.sqrt(n)
    return CesResult(n, mean, sd, max(1.0, mean - half), min(7.0, mean + half))


@dataclass(frozen=True)
class Metrics:
    """All three metrics over one group of responses; `responses` counts rows in the group."""

    responses: int
    nps: NpsResult
    csat: CsatResult
    ces: CesResult

    def get(self, metric: str) -> NpsResult | CsatResult | CesResult:
        if metric == "nps":
            return self.nps
        if metric == "csat":
            return self.csat
        if metric == "ces":
            return self.ces
        raise KeyError(metric)


@dataclass(frozen=True)
class Group:
    """Metrics of one segment, one period, or one segment within one period."""

    segment: str | None
    period: str | None
    metrics: Metrics


@dataclass(frozen=True)
class SurveySummary:
    overall: Metrics
    by_segment: tuple[Group, ...]  # sorted by segment name
    by_period: tuple[Group, ...]  # sorted by period, i.e. chronologically
    by_segment_period: tuple[Group, ...]  # sorted by segment, then period
    unsegmented: int  # responses with no segment, left out of by_segment
    undated: int  # responses with no date, left out of by_period

    def find(self, segment: str | None = None, period: str | None = None) -> Metrics | None:
        """Metrics for a segment and/or period; None when no response falls in that group."""
        if segment is None and period is None:
            return self.overall
        groups = (
            self.by_period
            if segment is None
            else self.by_segment
            if period is None
            else self.by_segment_period
        )
        for group in groups:
            if group.segment == segment and group.period == period:
                return group.metrics
        return None


def quarter(date: dt.date) -> str:
    """Calendar quarter of a date as "2026-Q3"."""
    return f"{date.year:04d}-Q{(date.month - 1) // 3 + 1}"


class _Tally:
    """Histograms for one group, so a million rows need no per-group lists."""

    def __init__(self) -> None:
        self.responses = 0
        self.nps = [0] * 11
        self.csat = [0] * 5
        self.ces = [0] * 7

    def metrics(self) -> Metrics:
        return Metrics(self.responses, _nps_of(self.nps), _csat_of(self.csat), _ces_of(self.ces))


def summarise(survey: Survey) -> SurveySummary:
    overall = _Tally()
    segments: dict[str, _Tally] = {}
    periods: dict[str, _Tally] = {}
    both: dict[tuple[str, str], _Tally] = {}
    unsegmented = undated = 0
    for r in survey.responses:
        tallies = [overall]
        period = quarter(r.date) if r.date is not None else None
        if r.segment is None:
            unsegmented += 1
        else:
            tallies.append(segments.setdefault(r.segment, _Tally()))
        if period is None:
            undated += 1
        else:
            tallies.append(periods.setdefault(period, _Tally()))
        if r.segment is not None and period is not None:
            tallies.append(both.setdefault((r.segment, period), _Tally()))
        for tally in tallies:
            tally.responses += 1
            if r.nps is not None:
                tally.nps[r.nps] += 1
            if r.csat is not None:
                tally.csat[r.csat - 1] += 1
            if r.ces is not None:
                tally.ces[r.ces - 1] += 1
    return SurveySummary(
        overall=overall.metrics(),
        by_segment=tuple(Group(s, None, segments[s].metrics()) for s in sorted(segments)),
        by_period=tuple(Group(None, p, periods[p].metrics()) for p in sorted(periods)),
        by_segment_period=tuple(Group(s, p, both[s, p].metrics()) for s, p in sorted(both)),
        unsegmented=unsegmented,
        undated=undated,
    )
