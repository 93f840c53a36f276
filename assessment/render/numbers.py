"""Numbers as pages print them: rounded half up (1.25 → 1.3, as people round), and never to
a figure on the other side of a line the reader compares it with.

Stages are whole levels (a score of 2.96 is stage 2) and readiness thresholds are numbers
such as 3.0 or 100 %: a score of 2.96 printed "3.0" beside "failed", or a coverage of 99.6 %
printed "100 %", would contradict the verdict next to it. Where rounding would lift a value
onto or over such a line, one more place is shown (2.96, 99.6 %), up to three more.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup

from assessment.render.escape import escape_text

_MORE_PLACES = 3


# Arithmetic leaves float noise in the last digits (2.6 - 2.75 is -0.1499999999999999):
# figures are cut to this many places first, far below any place printed.
_NOISE_PLACES = 9


def _half_up(value: float, places: int) -> Decimal:
    # repr: the shortest text that reads back as this float, so 1.25 rounds as 1.25.
    exact = Decimal(repr(round(value, _NOISE_PLACES)))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def shown(
    value: float, places: int, lines: Iterable[float] = (), *, levels: bool = True
) -> Decimal:
    """value rounded half up to `places`, with more places where the rounded figure would
    reach one of `lines` from either side, or (levels: a value on the level scale) the next
    whole number from below."""
    lines = tuple(lines)
    whole = math.floor(value) + 1 if levels else math.inf
    rounded = _half_up(value, places)
    for more in range(1, _MORE_PLACES + 1):
        figure = float(rounded)
        reaches = figure >= whole > value or any(
            figure >= line > value or figure <= line < value for line in lines
        )
        if not reaches:
            break
        rounded = _half_up(value, places + more)
    return rounded


def fmt(value: float | None, digits: int = 1, against: float | None = None) -> Markup:
    """A score or mean; against: the threshold it is compared with, where there is one."""
    if value is None:
        return Markup("—")
    lines = () if against is None else (against,)
    return Markup(str(shown(value, digits, lines)))  # noqa: S704 - a number


def fmt_level(value: float | str | None) -> Markup:
    """A level as the answer gave it: a whole level as it is, a choice's value between
    levels to two places at most (0.75, 1.5), "na" as it is."""
    if value is None:
        return Markup("—")
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, int) or float(value).is_integer():
        return Markup(str(int(value)))  # noqa: S704 - a number
    return Markup(f"{value:.2f}".rstrip("0"))  # noqa: S704 - a number


def fmt_pct(value: float | None, against: float | None = None) -> Markup:
    """A share as a whole percentage (more places near `against`, a share as well)."""
    if value is None:
        return Markup("—")
    lines = () if against is None else (against * 100,)
    return Markup(f"{shown(value * 100, 0, lines, levels=False)}&#160;%")  # noqa: S704 - a number


def fmt_signed(value: float | None) -> Markup:
    """A change or gap with its sign; one that is not zero is never printed as zero."""
    if value is None:
        return Markup("—")
    rounded = shown(abs(value), 1)
    for more in range(1, _MORE_PLACES + 1):
        if rounded or not value:
            break
        rounded = shown(abs(value), 1 + more)
    sign = "+" if value >= 0 else "−"
    return Markup(f"{sign}{rounded}")  # noqa: S704 - a number


def heat_class(value: float | None) -> Markup:
    if value is None:
        return Markup("cx-heat-none")
    return Markup(f"cx-heat-{min(5, max(0, int(value)))}")  # noqa: S704 - a number
