"""A CISO Assistant framework's score range as a bank's level scale.

A bank's levels run 0, 1, 2 … and at most to 10; a library scores min_score..max_score,
often 0..100 with no names. Levels are the scores shifted to start at 0; a range too wide
for the scale is cut into fifths.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from assessment.io.bank_import.ciso_text import Languages, Reader
from assessment.io.bank_import.draft import Data
from assessment.load.yamlio import PathKey

MAX_LEVELS = 11  # the bank's scale: levels 0..10
WIDE_TOP = 5  # the top level a range too wide for the scale is mapped onto


@dataclass
class Scale:
    low: int
    high: int
    levels: list[Data]  # ScaleLevel as data
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def span(self) -> int:
        return self.high - self.low

    @property
    def default_target(self) -> int:
        return math.ceil((len(self.levels) - 1) / 2)


def _whole(r: Reader, framework: dict[str, Any], at: PathKey, key: str) -> int | None:
    value = framework.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        r.add((*at, key), f"{key} must be a whole number")
        return None
    return value


def read_scale(r: Reader, lang: Languages, framework: dict[str, Any], at: PathKey) -> Scale | None:
    raw = framework.get("scores_definition")
    defs_at = (*at, "scores_definition")
    if raw is not None and not isinstance(raw, list):
        r.add(defs_at, "expected a list of scores (score, name, description)")
        raw = None
    defined: dict[int, tuple[int, dict[str, Any]]] = {}  # score -> (position, definition)
    for j, item in enumerate(raw or []):
        score = item.get("score") if isinstance(item, dict) else None
        if not isinstance(item, dict) or isinstance(score, bool) or not isinstance(score, int):
            r.add((*defs_at, j, "score"), "a score definition needs a whole-number score")
        elif score in defined:
            r.add((*defs_at, j, "score"), f"score {score} is defined twice")
        else:
            defined[score] = (j, item)
    low = _whole(r, framework, at, "min_score")
    high = _whole(r, framework, at, "max_score")
    low = low if low is not None else min(defined, default=0)
    high = high if high is not None else max(defined, default=100)
    if high <= low:
        r.add((*at, "max_score"), f"max_score {high} must lie above min_score {low}")
        return None
    if not defined:
        return _unnamed(low, high)
    ok = True
    for score, (j, _) in defined.items():
        if not low <= score <= high:
            ok = False
            r.add(
                (*defs_at, j, "score"),
                f"score {score} lies outside min_score..max_score ({low}..{high})",
            )
    missing = [str(s) for s in range(low, high + 1) if s not in defined]
    if high - low >= MAX_LEVELS:
        ok = False
        r.add(defs_at, f"{high - low + 1} scores; a bank's scale holds at most {MAX_LEVELS} levels")
    elif missing:
        ok = False
        r.add(
            defs_at,
            f"no definition for score {', '.join(missing)}: define every score from min_score to max_score",
        )
    if not ok:
        return None
    levels = []
    for score in range(low, high + 1):
        item = defined[score][1]
        name = lang.both(item, "name", f"Score {score}")
        # A copy, not the same object: the YAML writer would give it an anchor, which the
        # bank's reader refuses.
        meaning = (
            lang.both(item, "description", "") if lang.has(item, "description") else dict(name)
        )
        levels.append({"level": score - low, "name": name, "meaning": meaning})
    scale = Scale(low, high, levels)
    if low:
        scale.notes.append(_shift_note(low, high))
    return scale


def _shift_note(low: int, high: int) -> tuple[str, str]:
    return (
        f"库的得分 {low}..{high} 在本题库中为等级 0..{high - low}（每个得分减 {low}）。",
        f"The library scores {low}..{high}: here these are levels 0..{high - low} "
        f"(each score minus {low}).",
    )


def _unnamed(low: int, high: int) -> Scale:
    """Levels for a library that names no scores: one a score, or fifths of a wide range."""
    span = high - low
    if span < MAX_LEVELS:
        points = [float(low + n) for n in range(span + 1)]
    else:
        points = [low + span * n / WIDE_TOP for n in range(WIDE_TOP + 1)]
    levels = [
        {
            "level": n,
            "name": {"zh": f"得分 {point:g}", "en": f"Score {point:g}"},
            "meaning": {
                "zh": f"库中得分 {low}..{high} 中的 {point:g} 分",
                "en": f"{point:g} on the library's {low}..{high}",
            },
        }
        for n, point in enumerate(points)
    ]
    scale = Scale(low, high, levels)
    if span >= MAX_LEVELS:
        scale.notes.append(
            (
                f"库的得分为 {low}..{high} 且未命名：本题库使用等级 0..{WIDE_TOP}，"
                f"每级为该范围的五分之一（等级 {WIDE_TOP} 即 {high} 分）。",
                f"The library scores {low}..{high} and names no score: the bank uses levels "
                f"0..{WIDE_TOP}, each a fifth of that range (level {WIDE_TOP} is {high}).",
            )
        )
    elif low:
        scale.notes.append(_shift_note(low, high))
    return scale
