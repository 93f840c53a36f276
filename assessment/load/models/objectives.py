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

`Objective` is the discriminated union of MetricObjective and ManualObjective, used as a
field type (``objectives: tuple[Objective, ...] = ()``). A metric objective is measured on
the survey summary (its segment and/or period if given); a manual one carries its own
actual figure.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
)

from assessment.load.models.base import Id, Model, Text
from assessment.load.survey import MAX_SEGMENT_CHARS

MetricId = Literal["nps", "csat", "ces"]
Op = Literal[">=", ">", "<=", "<", "=="]
# The range each metric's value can take; a target outside it can never be met or missed.
METRIC_RANGES: Final[dict[str, tuple[float, float]]] = {
    "nps": (-100.0, 100.0),
    "csat": (0.0, 100.0),
    "ces": (1.0, 7.0),
}

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
