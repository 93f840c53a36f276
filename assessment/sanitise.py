"""nh3 over every HTML block the templates build around user text, as a second line of
defence behind escape_text.

Most of those blocks are tables, and most rows of a portfolio's tables repeat from one
organisation to the next (a question at the same level and target, an area's counts). A
table is therefore cleaned piece by piece: its frame once, and each row in the context of a
table body, each distinct piece once per process. Every piece still passes through nh3, and
the result is what cleaning the whole block gives (tests/test_sanitise.py); a block that is
not one table of whole rows, or whose pieces do not come back as they went in, is cleaned
whole.
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
_ADJACENT_CELLS = re.compile(r"(</t[dh]>)(?=<t[dh][\s>])")


def _clean(fragment: str) -> str:
    return _ADJACENT_CELLS.sub("\\1\n", _cleaner().clean(fragment))


# One table whose body is whole rows, one per line, as the templates write them: the frame
# (anything before and after, holding no other table) and the rows.
_ONE_TABLE = re.compile(
    r"((?:(?!<t(?:able|body|r)[\s>]).)*<table[\s>](?:(?!<t(?:able|body)[\s>]).)*?<tbody>\n)"
    r"((?:<tr[\s>][^\n]*</tr>\n)+)"
    r"(</tbody></table>(?:(?!<t(?:able|body|r)[\s>]).)*)\Z",
    re.DOTALL,
)
_EMPTY_BODY = "<tbody>\n</tbody>"
_ROW_OPEN, _ROW_CLOSE = "<table><tbody>", "</tbody></table>"

# Cleaned frames and rows, kept for the life of the process; None: the piece did not come
# back from nh3 as the piece it was, so its block is cleaned whole.
_FRAMES: dict[tuple[str, str], tuple[str, str] | None] = {}
_ROWS: dict[str, str | None] = {}
_LIMIT = 1 << 16


def _frame(before: str, after: str) -> tuple[str, str] | None:
    if (before, after) not in _FRAMES:
        if len(_FRAMES) >= _LIMIT:
            _FRAMES.clear()
        # The frame with an empty body: before ends in "<tbody>\n", after starts "</tbody>".
        parts = _clean(before + after).split(_EMPTY_BODY)
        _FRAMES[(before, after)] = (
            (parts[0] + "<tbody>\n", "</tbody>" + parts[1]) if len(parts) == 2 else None
        )
    return _FRAMES[(before, after)]


def _row(row: str) -> str | None:
    if row not in _ROWS:
        if len(_ROWS) >= _LIMIT:
            _ROWS.clear()
        cleaned = _clean(_ROW_OPEN + row + _ROW_CLOSE)
        inner = cleaned[len(_ROW_OPEN) : -len(_ROW_CLOSE)]
        alone = (
            cleaned.startswith(_ROW_OPEN + "<tr")
            and cleaned.endswith("</tr>" + _ROW_CLOSE)
            and not any(tag in inner for tag in ("<table", "</table", "<tbody", "</tbody"))
        )
        _ROWS[row] = inner if alone else None
    return _ROWS[row]


def _clean_table(match: re.Match[str]) -> str | None:
    frame = _frame(match.group(1), match.group(3))
    if frame is None:
        return None
    rows = []
    for line in match.group(2).splitlines():
        row = _row(line)
        if row is None:
            return None
        rows.append(row)
    return frame[0] + "\n".join(rows) + "\n" + frame[1]


def sanitise(fragment: str) -> Markup:
    """An HTML block around escaped user text, cleaned by nh3, with table cells one per line
    as Python-Markdown writes them. Python-Markdown leaves raw HTML blocks alone, so nothing
    in them is read as Markdown."""
    table = _ONE_TABLE.match(fragment) if "<tbody>\n<tr" in fragment else None
    cleaned = None if table is None else _clean_table(table)
    return Markup(_clean(fragment) if cleaned is None else cleaned)  # noqa: S704 - nh3 output
