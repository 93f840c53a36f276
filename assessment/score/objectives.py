"""Objectives checked against actual figures (GB/T 42509-2023 6.1.4): target against actual.

The objectives themselves (metric or manual) are part of the answers file format
(assessment.load.models.objectives); here they are evaluated on the survey summary.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from assessment.load.models.objectives import ManualObjective, MetricObjective
from assessment.score.cxmetrics import SurveySummary


@dataclass(frozen=True)
class ObjectiveResult:
    """`actual` is at full precision; `n` is the number of answers behind it (None: manual)."""

    objective: MetricObjective | ManualObjective
    actual: float | None
    target: float
    met: bool | None
    n: int | None


def compare(actual: float, op: str, target: float) -> bool:
    """`actual op target`, with equality up to float noise: 0.1 + 0.2 typed in YAML, or a mean
    of many answers, must still meet "== 0.3" or ">= 0.3"."""
    close = math.isclose(actual, target, rel_tol=1e-9, abs_tol=1e-9)
    if op == "==":
        return close
    if op == ">=":
        return close or actual > target
    if op == "<=":
        return close or actual < target
    if op == ">":
        return not close and actual > target
    if op == "<":
        return not close and actual < target
    raise ValueError(f"unknown operator {op!r}")


def evaluate_objective(
    objective: MetricObjective | ManualObjective, summary: SurveySummary | None
) -> ObjectiveResult:
    """Target against actual. A metric objective with no answers in its group (or no survey at
    all) gives actual None and met None, as does a manual one with no actual yet."""
    if isinstance(objective, ManualObjective):
        actual = objective.actual
        met = None if actual is None else compare(actual, objective.op, objective.target)
        return ObjectiveResult(objective, actual, objective.target, met, None)
    metrics = summary.find(objective.segment, objective.period) if summary else None
    result = metrics.get(objective.metric) if metrics else None
    if result is None or result.value is None:
        return ObjectiveResult(objective, None, objective.value, None, 0)
    met = compare(result.value, objective.op, objective.value)
    return ObjectiveResult(objective, result.value, objective.value, met, result.n)


def evaluate_objectives(
    objectives: Iterable[MetricObjective | ManualObjective], summary: SurveySummary | None
) -> tuple[ObjectiveResult, ...]:
    return tuple(evaluate_objective(o, summary) for o in objectives)
