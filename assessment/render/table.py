"""A plain-text score table for the terminal (CJK-aware column widths)."""

from __future__ import annotations

import unicodedata

from assessment.load.bank import Bank
from assessment.render.numbers import shown
from assessment.score.scoring import GroupScore, Scorecard


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


# Two places, one more than the pages print, rounded as the pages round (half up, never
# onto the next stage), so the terminal and the site do not disagree.
def _num(value: float | None, *, levels: bool = True) -> str:
    return "—" if value is None else str(shown(value, 2, levels=levels))


def _row(label: str, g: GroupScore) -> list[str]:
    coverage = "—" if g.coverage is None else f"{shown(g.coverage * 100, 0, levels=False)}%"
    return [
        label,
        _num(g.score),
        "—" if g.stage is None else str(g.stage),
        _num(g.target),
        _num(g.gap, levels=False),
        coverage,
    ]


def score_table(bank: Bank, card: Scorecard, lang: str) -> str:
    header = ["", "score", "stage", "target", "gap", "coverage"]
    rows: list[list[str] | None] = [_row("overall", card.overall), None]
    rows += [_row(a.title.get(lang), card.area(a.id)) for a in bank.manifest.areas]
    if bank.manifest.principles:
        rows.append(None)
        rows += [
            _row(f"{p.id} {p.title.get(lang)}", g)
            for p, g in zip(bank.manifest.principles, card.principles, strict=True)
        ]
    rows.append(None)
    rows += [
        _row("  " * bank.clauses[g.id].depth + f"{g.id} {bank.clauses[g.id].title.get(lang)}", g)
        for g in card.clauses
    ]
    real = [r for r in rows if r is not None]
    widths = [max(_width(r[i]) for r in [header, *real]) for i in range(len(header))]
    lines = []
    for r in [header, None, *rows]:
        if r is None:
            lines.append("  ".join("-" * w for w in widths))
        else:
            lines.append("  ".join(_pad(c, widths[i], right=i > 0) for i, c in enumerate(r)))
    return "\n".join(lines)
