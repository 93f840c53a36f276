"""Charts as inline SVG drawn here: no JavaScript, nothing fetched, readable in print.

Every chart carries <title> and <desc>; pages put the same numbers in a table beside it.
Colours come from CSS classes so light, dark and print palettes can restyle them, and the
series differ by line style as well as colour.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup

from assessment.render.escape import escape_text
from assessment.render.numbers import shown


@dataclass(frozen=True)
class Axis:
    label: str
    value: float | None
    target: float | None


def _num(value: float) -> str:
    text = str(shown(value, 1))
    return text.rstrip("0").rstrip(".") if "." in text else text


def _chart_id(kind: str, title: str) -> str:
    return f"cx-{kind}-" + hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest()[:8]


def _one_line(text: str) -> Markup:
    return escape_text(" ".join(str(text).split()))


def wrap_label(label: str, width: int = 18) -> list[str]:
    """Break a label into lines of about `width` characters: at spaces for words, anywhere
    for CJK text (a CJK character counts double)."""

    def size(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    lines: list[str] = []
    current = ""
    tokens = label.split(" ") if " " in label else list(label)
    joiner = " " if " " in label else ""
    for token in tokens:
        candidate = f"{current}{joiner}{token}" if current else token
        if current and size(candidate) > width:
            lines.append(current)
            current = token
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines[:3]


def radar(axes: list[Axis], maximum: int, title: str, desc: str, legend: tuple[str, str]) -> Markup:
    """A radar (spider) chart of current against target on 0..maximum; axis labels wrap onto
    short lines so long area names (English ones especially) stay inside the picture."""
    width, height, radius = 600, 440, 140
    cx, cy = width / 2, 200
    count = max(len(axes), 3)
    chart_id = _chart_id("radar", title)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / count
        r = radius * max(0.0, min(value, maximum)) / maximum
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts = [
        f'<svg class="cx-chart cx-radar" viewBox="0 0 {width} {height}" width="{width}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{_one_line(title)}</title>',
        f'<desc id="{chart_id}-d">{_one_line(desc)}</desc>',
    ]
    for ring in range(1, maximum + 1):
        ring_points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(count))
        )
        parts.append(f'<polygon class="cx-grid" points="{ring_points}"/>')
    for i, axis in enumerate(axes):
        x, y = point(i, maximum)
        parts.append(f'<line class="cx-grid" x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}"/>')
        lx, ly = point(i, maximum * 1.12)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        lines = wrap_label(axis.label)
        if abs(lx - cx) >= 20:
            top = ly - 7 * (len(lines) - 1)  # beside the axis: centred on it
        elif ly < cy:
            top = ly - 14 * (len(lines) - 1) - 8  # above the top axis, clear of its tick
        else:
            top = ly + 6
        spans = "".join(
            f'<tspan x="{lx:.1f}" y="{top + 14 * n:.1f}">{_one_line(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(
            f'<text class="cx-label" text-anchor="{anchor}" dominant-baseline="middle">{spans}</text>'
        )
    for ring in range(1, maximum + 1):
        _, y = point(0, ring)
        parts.append(f'<text class="cx-tick" x="{cx + 4}" y="{y:.1f}">{ring}</text>')
    for series, css in (("target", "cx-target"), ("value", "cx-current")):
        values = [getattr(axis, series) for axis in axes]
        if all(v is None for v in values):
            continue
        pts = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, v or 0.0) for i, v in enumerate(values))
        )
        parts.append(f'<polygon class="{css}" points="{pts}"/>')
        for i, v in enumerate(values):
            if v is not None:
                x, y = point(i, v)
                parts.append(f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="3.5"/>')
    parts.append(
        f'<g class="cx-legend"><line class="cx-current" x1="12" y1="{height - 34}" x2="40" y2="{height - 34}"/>'
        f'<text x="46" y="{height - 30}">{_one_line(legend[0])}</text>'
        f'<line class="cx-target" x1="12" y1="{height - 14}" x2="40" y2="{height - 14}"/>'
        f'<text x="46" y="{height - 10}">{_one_line(legend[1])}</text></g>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers are ours, every text went through escape_text


def bars(rows: list[tuple[str, float]], maximum: float, title: str, desc: str) -> Markup:
    """Horizontal bars (e.g. gaps), largest first as given; the value is printed on each bar."""
    row_height, label_width, bar_width = 26, 230, 300
    height = row_height * len(rows) + 16
    chart_id = _chart_id("bars", title)
    parts = [
        f'<svg class="cx-chart cx-bars" viewBox="0 0 {label_width + bar_width + 60} {height}" '
        f'width="{label_width + bar_width + 60}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{_one_line(title)}</title>',
        f'<desc id="{chart_id}-d">{_one_line(desc)}</desc>',
    ]
    for i, (label, value) in enumerate(rows):
        y = 8 + i * row_height
        width = bar_width * max(0.0, value) / maximum if maximum else 0.0
        parts.append(
            f'<text class="cx-label" x="{label_width - 8}" y="{y + 14}" text-anchor="end">{_one_line(label)}</text>'
            f'<rect class="cx-bar" x="{label_width}" y="{y + 2}" width="{width:.1f}" height="{row_height - 8}"/>'
            f'<text class="cx-value" x="{label_width + width + 6:.1f}" y="{y + 14}">{_num(value)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers are ours, every text went through escape_text


def _text_width(text: str, size: float = 11) -> float:
    """How wide a label draws, near enough: a full-width (CJK) character takes the font's
    size, anything else about 0.6 of it (a sans-serif's average; a little generous)."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return size * (wide + 0.6 * (len(text) - wide))


def lines(
    series: list[tuple[str, list[float | None]]],
    labels: list[str],
    maximum: int,
    title: str,
    desc: str,
) -> Markup:
    """One line per series across rounds (x = round); each series has its own dash pattern.
    The chart widens to fit the longest legend entry, so no name is cut off."""
    height, left, top, plot_w, plot_h = 300, 40, 16, 340, 220
    longest = max((_text_width(name) for name, _ in series), default=0.0)
    width = max(560, int(left + plot_w + 46 + longest + 8))
    chart_id = _chart_id("lines", title)
    step = plot_w / max(1, len(labels) - 1)
    dashes = ["", "6 3", "2 3", "8 3 2 3", "1 4", "10 4"]

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + plot_h * (1 - v / maximum)

    parts = [
        f'<svg class="cx-chart cx-lines" viewBox="0 0 {width} {height}" width="{width}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{_one_line(title)}</title>',
        f'<desc id="{chart_id}-d">{_one_line(desc)}</desc>',
    ]
    for level in range(maximum + 1):
        _, y = xy(0, level)
        parts.append(
            f'<line class="cx-grid" x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="cx-tick" x="{left - 6}" y="{y + 3:.1f}" text-anchor="end">{level}</text>'
        )
    for i, label in enumerate(labels):
        x, _ = xy(i, 0)
        parts.append(
            f'<text class="cx-tick" x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{_one_line(label)}</text>'
        )
    for n, (name, values) in enumerate(series):
        points = [xy(i, v) for i, v in enumerate(values) if v is not None]
        dash = dashes[n % len(dashes)]
        style = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline class="cx-series cx-series-{n % 6}" points="{path}"{style}/>')
        legend_y = top + 14 * n + 6
        parts.append(
            f'<line class="cx-series cx-series-{n % 6}" x1="{left + plot_w + 16}" y1="{legend_y}" '
            f'x2="{left + plot_w + 40}" y2="{legend_y}"{style}/>'
            f'<text class="cx-label" x="{left + plot_w + 46}" y="{legend_y + 4}">{_one_line(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers are ours, every text went through escape_text
