"""The one escape for user text on its way into Markdown or HTML.

Every character that Markdown, its extensions (attr_list, tables, pymdownx) or HTML could
read as syntax becomes a numeric character reference. Python-Markdown leaves references
alone and browsers show them as the character, so the same escaped text is safe in a
Markdown paragraph, a table cell, raw HTML and SVG alike. Line breaks become <br>.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_SIGNIFICANT = frozenset("&<>\"'`\\*_{}[]()#+!|~=^:$@")
# '.', '-' and digits only matter at the start of a line (lists, headings, rules).
_LINE_START = re.compile(r"^(\s*)([-.=>]|\d+[.)])")
_TABLE = {c: f"&#{ord(c)};" for c in _SIGNIFICANT} | {"\t": " "}


def escape_text(value: object) -> Markup:
    """Escape any value for Markdown + HTML; Markup (our own trusted output) passes unchanged."""
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        escaped = "".join(_TABLE.get(ch, ch) for ch in line)
        escaped = _LINE_START.sub(_escape_marker, escaped)
        lines.append(escaped)
    return Markup("<br>".join(lines))  # noqa: S704 - every significant character is escaped above


def _escape_marker(match: re.Match[str]) -> str:
    marker = match.group(2)
    return match.group(1) + marker[:-1] + f"&#{ord(marker[-1])};"
