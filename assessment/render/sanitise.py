"""nh3 over every HTML block the templates build around user text, as a second line of
defence behind escape_text.

Most of those blocks are tables, and most rows of a portfolio's tables repeat from one
organisation to the next (a question at the same level and target, an area's counts). So
when a table is cleaned, what nh3 made of its frame and of each row is kept, and a later
table whose frame and most of whose rows have been cleaned before is put together from them,
its new rows cleaned alone (each in a table body of its own), instead of cleaning it
whole. Every piece has been through nh3, each kept row is a whole row with
no table tags of its own, and the result is what cleaning the block gives
(tests/test_sanitise.py).
"""

from __future__ import annotations

import re
from functools import cache

import nh3
from markupsafe import Markup

# The tags and attributes our HTML blocks use; nh3 removes anything else from them.
_HTML_TAGS = {
    "div", "span", "p", "ul", "ol", "li", "strong", "em", "br", "small", "code", "a", "mark",
    "table", "thead", "tbody", "tr", "th", "td", "details", "summary",
}  # fmt: skip
_HTML_ATTRS = {"*": {"class", "id"}, "a": {"href"}, "th": {"scope"}}


@cache
def _cleaner() -> nh3.Cleaner:
    # Built once: handing nh3.clean the allowlists converts them on every call, which was most
    # of the cost of the many small blocks of a portfolio.
    return nh3.Cleaner(
        tags=_HTML_TAGS, attributes=_HTML_ATTRS, url_schemes={"https", "http"}, link_rel=None
    )


# A table cell closed right before the next one opens: Material's search index takes the
# text of a page as written, so the words of neighbouring cells would run together.
# (A plain replacement, no group to copy back: that keeps the substitution in C.)
_ADJACENT_CELLS = re.compile(r"(?<=</t[dh]>)(?=<t[dh][\s>])")


# One table whose body is whole rows, one per line, as the templates write them: the frame
# (anything before and after, holding no other table) and the rows.
_ONE_TABLE = re.compile(
    r"((?:(?!<t(?:able|body|r)[\s>]).)*<table[\s>](?:(?!<t(?:able|body)[\s>]).)*?<tbody>\n)"
    r"((?:<tr[\s>][^\n]*</tr>\n)+)"
    r"(</tbody></table>(?:(?!<t(?:able|body|r)[\s>]).)*)\Z",
    re.DOTALL,
)
_BODY_OPEN, _BODY_CLOSE = "<tbody>\n", "</tbody>"
_ROW_OPEN, _ROW_CLOSE = "<table><tbody>", "</tbody></table>"  # a row cleaned alone
_TABLE_TAGS = ("<table", "</table", "<tbody", "</tbody")

# What nh3 made of each frame and row seen in a whole table, kept for the life of the process.
_FRAMES: dict[tuple[str, str], tuple[str, str]] = {}
_ROWS: dict[str, str] = {}
_LIMIT = 1 << 16


def _learn(before: str, rows: list[str], after: str, cleaned: str) -> None:
    """Keep the frame and rows of a cleaned table, if nh3 gave back one table with the same
    rows, each a whole row on its own line (so each can stand in any table body)."""
    start = cleaned.find(_BODY_OPEN)
    end = cleaned.rfind(_BODY_CLOSE)
    if start < 0 or end < start:
        return
    head, tail = cleaned[: start + len(_BODY_OPEN)], cleaned[end:]
    lines = cleaned[start + len(_BODY_OPEN) : end].split("\n")
    if len(lines) != len(rows) + 1 or lines[-1] != "":
        return
    if head.count("<table") != 1 or head.count("<tbody") != 1 or tail.count("</table") != 1:
        return
    for line in lines[:-1]:
        if not (line.startswith("<tr") and line.endswith("</tr>")):
            return
        if any(tag in line for tag in _TABLE_TAGS):
            return
    if len(_ROWS) + len(rows) > _LIMIT:
        _ROWS.clear()
        _FRAMES.clear()
    _FRAMES[(before, after)] = (head, tail)
    _ROWS.update(zip(rows, lines[:-1], strict=True))


def _row_alone(row: str) -> bool:
    """Clean one row in a table body of its own and keep it, if it comes back as one whole
    row with no table tags of its own."""
    cleaned = _cleaner().clean(_ROW_OPEN + row + _ROW_CLOSE)
    inner = cleaned[len(_ROW_OPEN) : -len(_ROW_CLOSE)]
    alone = (
        cleaned.startswith(_ROW_OPEN + "<tr")
        and cleaned.endswith("</tr>" + _ROW_CLOSE)
        and "\n" not in inner
        and not any(tag in inner for tag in _TABLE_TAGS)
    )
    if alone:
        _ROWS[row] = inner
    return alone


def _nh3(fragment: str) -> str:
    table = _ONE_TABLE.match(fragment) if "<tbody>\n<tr" in fragment else None
    if table is None:
        return _cleaner().clean(fragment)
    before, body, after = table.groups()
    rows = body.split("\n")[:-1]
    frame = _FRAMES.get((before, after))
    if frame is not None:
        unknown = [row for row in rows if row not in _ROWS]
        # Mostly known rows: clean the others alone. Mostly new ones: the table at once.
        if len(unknown) * 2 <= len(rows) and all(_row_alone(row) for row in unknown):
            return frame[0] + "\n".join(_ROWS[row] for row in rows) + "\n" + frame[1]
    cleaned = _cleaner().clean(fragment)
    _learn(before, rows, after, cleaned)
    return cleaned


def sanitise(fragment: str) -> Markup:
    """An HTML block around escaped user text, cleaned by nh3, with table cells one per line
    as Python-Markdown writes them. Python-Markdown leaves raw HTML blocks alone, so nothing
    in them is read as Markdown."""
    return Markup(_ADJACENT_CELLS.sub("\n", _nh3(fragment)))  # noqa: S704 - nh3 output
