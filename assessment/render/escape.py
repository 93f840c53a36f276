"""The one escape for user text on its way into Markdown or HTML.

Every character that Markdown, the extensions the site enables (tables, attr_list, toc,
admonition, details) or HTML could read as syntax becomes a numeric character reference.
Python-Markdown leaves references alone and browsers show them as the character, so the same
escaped text is safe in a Markdown paragraph, a table cell, raw HTML and SVG alike. Line
breaks become <br>, so user text never starts a Markdown line of its own.

Characters that are syntax anywhere in a line are always escaped. Characters that are syntax
only at the start of a line (headings, lists, quotes, rules, definition lists) are escaped
there. Fewer references keep pages small and Markdown conversion fast; tests/test_render.py
and tests/test_injection.py hold the payloads that must stay text.
"""

from __future__ import annotations

import re

from markupsafe import Markup

# HTML (& < > " '), emphasis and code (* _ `), escapes (\\), links and images ([ ]),
# attribute lists ({ }) and table cells (|).
_SIGNIFICANT = frozenset("&<>\"'`\\*_{}[]|")
# Syntax only at the start of a line: headings, lists, quotes, rules, setext underlines,
# definition lists, abbreviations (*[), admonitions (!!!) and details (???).
_LINE_START = re.compile(r"^(\s*)([-+#=>:!?~]|\d+[.)])")
_TABLE = str.maketrans({c: f"&#{ord(c)};" for c in _SIGNIFICANT} | {"\t": " "})


# Pages print the same bank sentences and labels for every organisation: escaping each
# distinct string once saves a fifth of the render stage on a portfolio.
_ESCAPED: dict[str, Markup] = {}
_ESCAPED_LIMIT = 1 << 17


def escape_text(value: object) -> Markup:
    """Escape any value for Markdown + HTML; Markup (our own trusted output) passes unchanged."""
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    escaped = _ESCAPED.get(text)
    if escaped is None:
        if len(_ESCAPED) >= _ESCAPED_LIMIT:
            _ESCAPED.clear()
        escaped = _ESCAPED[text] = _escape(text)
    return escaped


def _escape(text: str) -> Markup:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        # Leading blanks would make an indented code block; HTML shows them as nothing anyway.
        escaped = line.lstrip(" \t").translate(_TABLE)
        escaped = _LINE_START.sub(_escape_marker, escaped)
        lines.append(escaped)
    return Markup("<br>".join(lines))  # noqa: S704 - every significant character is escaped above


def _escape_marker(match: re.Match[str]) -> str:
    marker = match.group(2)
    return match.group(1) + marker[:-1] + f"&#{ord(marker[-1])};"
