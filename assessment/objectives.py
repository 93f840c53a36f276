"""CX management objectives (GB/T 42509-2023 6.1.4): targets against actual figures.

Objectives are written in YAML as a list; each item is one of two kinds, told apart by
``kind`` (default ``metric``):

```yaml
objectives:
  - {id: nps-target, metric: nps, op: ">=", value: 30}               # kind: metric
  - {id: smb-csat, metric: csat, op: ">=", value: 85, segment: SMB, period: 2026-Q3,
     title: {zh: 中小企业满意度, en: SMB satisfaction}}
  - {id: reply-24h, kind: manual, op: ">=", target: 95, actual: 97, unit: "%",
     title: {zh: 24 小时内答复, en: Replied within 24 h}}
```

`Objective` is the discriminated union of MetricObjective and ManualObjective; use it as a
field type (``objectives: tuple[Objective, ...] = ()``) or read a list with
parse_objectives. A metric objective is measured on the survey summary (its segment and/or
period if given); a manual one carries its own actual figure. ``met`` is None when there is
nothing to compare (no answers in that group, or no manual actual yet).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from .cxmetrics import METRIC_RANGES, MetricId, Op, SurveySummary
from .errors import InputError, Problem, format_path
from .models.base import Id, Model, Text
from .parse import problems_from
from .survey import MAX_SEGMENT_CHARS
from .yamlio import Located, PathKey

Segment = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_SEGMENT_CHARS, strip_whitespace=True)
]
_PERIOD = re.compile(r"[0-9]{4}-Q[1-4]")


def _check_period(value: str) -> str:
    if not _PERIOD.fullmatch(value):
        raise ValueError("must be a calendar quarter such as 2026-Q3")
    return value


Period = Annotated[str, Field(strict=True), AfterValidator(_check_period)]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Unit = Annotated[str, StringConstraints(max_length=16, strip_whitespace=True)]


class MetricObjective(Model):
    """A target for a survey metric, optionally within one segment and/or quarter."""

    id: Id
    kind: Literal["metric"] = "metric"
    metric: MetricId
    op: Op
    value: Number
    segment: Segment | None = None
    period: Period | None = None
    title: Text | None = None

    @field_validator("value")
    @classmethod
    def _reachable(cls, value: float, info: ValidationInfo) -> float:
        metric = info.data.get("metric")  # absent when the metric itself was refused
        if metric in METRIC_RANGES:
            low, high = METRIC_RANGES[metric]
            if not low <= value <= high:
                raise ValueError(
                    f"{metric} runs from {low:g} to {high:g}, so {value:g} is out of reach"
                )
        return value


class ManualObjective(Model):
    """A target measured outside the survey (e.g. "replied within 24 h >= 95 %")."""

    id: Id
    kind: Literal["manual"]
    title: Text
    op: Op
    target: Number
    actual: Number | None = None
    unit: Unit | None = None


def _kind(value: Any) -> str | None:
    if isinstance(value, MetricObjective | ManualObjective):
        return f"kind[{value.kind}]"
    if not isinstance(value, dict):
        return "kind[metric]"  # let the model say it wanted a mapping
    kind = value.get("kind", "metric")
    return f"kind[{kind}]" if isinstance(kind, str) else None


# Tags hold "[" so that parse.problems_from drops them from error paths like other union tags.
Objective = Annotated[
    Annotated[MetricObjective, Tag("kind[metric]")]
    | Annotated[ManualObjective, Tag("kind[manual]")],
    Discriminator(
        _kind,
        custom_error_type="objective_kind",
        custom_error_message="kind must be 'metric' (the default) or 'manual'",
    ),
]
_OBJECTIVES: Final = TypeAdapter(tuple[Objective, ...])


def parse_objectives(located: Located, path: PathKey = ("objectives",)) -> tuple[Objective, ...]:
    """The list of objectives at `path` in a YAML document (absent: none); raise InputError
    with every problem located, duplicate ids included."""
    node: Any = located.data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return ()
        node = node[part]
    if not isinstance(node, list):
        raise InputError([located.problem(path, "expected a list of objectives")])
    try:
        objectives = _OBJECTIVES.validate_python(node)
    except ValidationError as exc:
        # problems_from reads positions from the document root; give it the list as the root.
        sub = Located(
            located.file,
            node,
            {k[len(path) :]: v for k, v in located.marks.items() if k[: len(path)] == path},
            {k[len(path) :]: v for k, v in located.key_marks.items() if k[: len(path)] == path},
        )
        raise InputError([_rebase(p, path) for p in problems_from(exc, sub)]) from None
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, objective in enumerate(objectives):
        if objective.id in seen:
            problems.append(located.problem((*path, i, "id"), "duplicate objective id"))
        seen.add(objective.id)
    if problems:
        raise InputError(problems)
    return objectives


def _rebase(problem: Problem, prefix: PathKey) -> Problem:
    """A problem found inside the sub-document, with the path from the document root."""
    head = format_path(prefix)
    rest = problem.path
    joined = head + rest if not rest or rest.startswith("[") or not head else f"{head}.{rest}"
    return Problem(problem.file, problem.line, problem.col, joined, problem.message)


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
