"""Column widths for the PDF's tables, worked out from their text before WeasyPrint sees them.

WeasyPrint's automatic table layout first measures each cell's narrowest and widest content
by laying its text out; Chinese text may break after any character, so a cell is laid out
once per character, and that was a third of the time of the demo's PDF. Here the same two
measures come from the characters (a CJK character is one em wide, Latin letters about half
of one, as in Noto Sans CJK), the columns are shared out as automatic layout shares them
(CSS 2.1 §17.5.2.2: each column its narrowest, the rest in proportion to how much more its
widest would take), and each table gets a <colgroup> with those widths and fixed layout
(print.css), which lays each cell out once. An estimate a little off only moves a line break;
text is never clipped, as print.css lets a word break where it has to."""

from __future__ import annotations

import html
import re
from functools import cache

# print.css: 8.5pt table text, 4pt padding either side and a 0.5pt rule in each cell. Tables
# are as wide as the text (A4 less the page's 16 mm margins and the body's 8px either side),
# or less inside an admonition (a 3pt rule and 8pt padding either side): widths are worked
# out for the narrower, so that a short column still fits its text there.
_EM = 8.5 * 25.4 / 72  # mm
_CELL_EXTRA = (8 + 0.5) * 25.4 / 72
_TEXT_WIDTH = 210 - 2 * 16 - 2 * 8 * 25.4 / 96 - (3 + 16) * 25.4 / 72
_BOLD = 1.06  # header cells and <strong> text
_SLACK = 1.05  # the estimates below run up to 5 % short
# Automatic layout would let a column of Chinese text shrink to one character, which stands a
# grade or a date on end; text this short (轻微不符合, 2027-01-31) stays on one line instead.
_SHORT = 5.5 * _EM

_TABLE = re.compile(r"(<table[^>]*>)(.*?</table>)", re.DOTALL)
_ROW = re.compile(r"<tr[\s>].*?</tr>", re.DOTALL)
_CELL = re.compile(r"<(t[hd])\b[^>]*>(.*?)</t[hd]>", re.DOTALL)
_LINE_END = re.compile(r"<br\s*/?>|</p>|</li>|</div>")
_TAG = re.compile(r"<[^>]+>")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# Where a line may break: around each CJK character, at spaces (not at a no-break space), after
# a hyphen, dash or slash that a letter follows (so dates and numbers stay whole).
_UNBREAKABLE = re.compile(rf"[{_CJK}]|[^ \n{_CJK}]+?(?:[-–—/](?=[A-Za-z])|(?=[ \n{_CJK}])|$)")


def size_columns(body: str) -> str:
    """Every table of the document with a <colgroup> giving its columns' widths."""
    return _TABLE.sub(_sized, body)


def _sized(match: re.Match[str]) -> str:
    start, rest = match.groups()
    narrowest: list[float] = []
    widest: list[float] = []
    for row in _ROW.findall(rest):
        for column, (tag, content) in enumerate(_CELL.findall(row)):
            scale = _SLACK * (_BOLD if tag == "th" or "<strong>" in content else 1.0)
            lines = [html.unescape(_TAG.sub("", line)) for line in _LINE_END.split(content)]
            high = max((_width(line.strip()) for line in lines), default=0)
            word = max((_width(w) for line in lines for w in _UNBREAKABLE.findall(line)), default=0)
            low = max(word, min(high, _SHORT))
            if column == len(widest):
                narrowest.append(0)
                widest.append(0)
            narrowest[column] = max(narrowest[column], low * scale + _CELL_EXTRA)
            widest[column] = max(widest[column], high * scale + _CELL_EXTRA)
    if not widest:
        return match.group(0)
    cols = "".join(f'<col style="width: {w:.1f}%">' for w in _share(narrowest, widest))
    return f"{start}<colgroup>{cols}</colgroup>{rest}"


def _share(narrowest: list[float], widest: list[float]) -> list[float]:
    """The columns' widths in percent of the table's, as automatic layout gives them."""
    low, high = sum(narrowest), sum(widest)
    if high <= _TEXT_WIDTH:  # all fits on one line: the room left goes to the widest
        widths = [w + (_TEXT_WIDTH - high) * w / high for w in widest]
    elif low >= _TEXT_WIDTH:  # even the narrowest overflow: as narrow as they can be
        widths = narrowest
    else:
        room = (_TEXT_WIDTH - low) / (high - low)
        widths = [n + (w - n) * room for n, w in zip(narrowest, widest, strict=True)]
    total = sum(widths)
    return [100 * w / total for w in widths]


def _width(text: str) -> float:
    """About how wide text is set in Noto Sans CJK at the tables' 8.5pt, in mm."""
    return sum(_ems(char) for char in text) * _EM


@cache
def _ems(char: str) -> float:
    """A character's advance in Noto Sans CJK, in em, by kind (within a few percent)."""
    if char >= "\u2000":
        return 1.0  # CJK, and the dashes, arrows and ticks of the tables
    if char.isspace():
        return 0.23
    if char in ".,;:'!|ijl":
        return 0.28
    if char in "frt()/-":
        return 0.37
    if char in "mwMW%":
        return 0.9
    return 0.64 if char.isupper() else 0.56  # digits, the other letters and signs
