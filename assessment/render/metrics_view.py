"""What pages show of CX measurement: objectives (their titles, operators and figures) and the
survey metrics' table cells.

A mixin of render.view.View: it reads the view's translation of bank and user text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from assessment.load.models.objectives import ManualObjective, MetricObjective
from assessment.render.numbers import shown

if TYPE_CHECKING:
    from assessment.load.models.bank import Evidence
    from assessment.load.models.base import Text
    from assessment.score.cxmetrics import Metrics


class MetricsView:
    if TYPE_CHECKING:

        def tr(self, text: Text | Evidence | None) -> str: ...

    def objective_title(self, objective: MetricObjective | ManualObjective) -> str:
        if objective.title is not None:
            return self.tr(objective.title)
        assert isinstance(objective, MetricObjective)  # noqa: S101 - a manual objective has a title
        where = " · ".join(part for part in (objective.segment, objective.period) if part)
        return objective.metric.upper() + (f" ({where})" if where else "")

    @staticmethod
    def op_symbol(op: str) -> str:
        return {">=": "≥", "<=": "≤", "==": "="}.get(op, op)

    @staticmethod
    def objective_number(
        objective: MetricObjective | ManualObjective,
        value: float | None,
        against: float | None = None,
    ) -> str:
        """against: the objective's target, for its actual value (never rounded onto it)."""
        if value is None:
            return "—"
        unit = objective.unit if isinstance(objective, ManualObjective) and objective.unit else ""
        if isinstance(objective, MetricObjective) and objective.metric == "csat":
            unit = " %"
        lines = () if against is None else (against,)
        return f"{shown(value, 1, lines, levels=False)}{unit}"

    @staticmethod
    def metric_cells(metrics: Metrics) -> Markup:
        """Six table cells: NPS, CSAT and CES, each with its interval (numbers only)."""

        def cells(value: float | None, low: float | None, high: float | None, digits: int) -> str:
            if value is None:
                return "— | —"
            interval = (
                "—" if low is None or high is None else f"{low:.{digits}f} – {high:.{digits}f}"
            )
            return f"{value:.{digits}f} | {interval}"

        nps, csat, ces = metrics.nps, metrics.csat, metrics.ces
        return Markup(" | ").join(
            (
                cells(nps.value, nps.ci_low, nps.ci_high, 0) + f" (n={nps.n})",
                cells(csat.value, csat.ci_low, csat.ci_high, 0),
                cells(ces.value, ces.ci_low, ces.ci_high, 2),
            )
        )  # Markup.join escapes each part for HTML: they hold only digits, signs and "n="
