"""Raw HTML blocks of a page carried past Python-Markdown instead of through it.

Most of a generated page is HTML that the templates made and sanitised: descriptor ladders,
summary tables, guidance, charts. Python-Markdown copies a raw HTML block to its output as it
is, but first runs Python's HTMLParser over every tag of it to find where it ends, which was
about half of the Markdown time of a clause page. Here each block that is a whole element
standing alone between blank lines (the only kind the templates write) is swapped for a
one-word placeholder before Python-Markdown runs and put back afterwards, where and as
Python-Markdown would have put it: same bytes, which tests/test_build.py checks by building
with and without this.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from mkdocs.config.base import LegacyConfig
from mkdocs.plugins import BasePlugin

# Tags that start a raw block for Python-Markdown (all in its block_level_elements), written
# by the templates at the start of a paragraph.
_BLOCK_TAGS = ("details", "div", "dl", "figure", "form", "ol", "p", "section", "table", "ul")
_START = re.compile(r"<({})[\s>]".format("|".join(_BLOCK_TAGS)))
_TAG = {tag: re.compile(rf"<(/?){tag}[\s>]") for tag in _BLOCK_TAGS}


def _whole_element(chunk: str, tag: str) -> bool:
    """The chunk is one element: the tag opened at its start closes exactly at its end."""
    if not chunk.endswith(f"</{tag}>"):
        return False
    depth = 0
    for match in _TAG[tag].finditer(chunk):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end() == len(chunk)
    return False


def set_aside(markdown: str) -> tuple[str, str, list[str]]:
    """The Markdown with its standalone HTML blocks replaced by placeholders, the placeholder
    stem and the blocks."""
    if "```" in markdown or "~~~" in markdown:
        return markdown, "", []  # a fenced block could hold text that looks like HTML
    # Derived from the page itself, so no text on the page can contain it.
    stem = "cxraw" + hashlib.sha256(markdown.encode("utf-8")).hexdigest()[:32]
    chunks = markdown.split("\n\n")
    blocks: list[str] = []
    for n, chunk in enumerate(chunks):
        start = _START.match(chunk)
        if start and _whole_element(chunk, start.group(1)):
            chunks[n] = f"{stem}n{len(blocks)}e"
            blocks.append(chunk)
    return ("\n\n".join(chunks) if blocks else markdown), stem, blocks


def put_back(html: str, stem: str, blocks: list[str]) -> str:
    """What Python-Markdown's raw HTML postprocessor does with a stashed block: a block alone
    in a paragraph replaces the paragraph, with the newline it was stored with; one inside
    other raw HTML stands as it is."""
    if not blocks:
        return html

    def block(match: re.Match[str]) -> str:
        wrapped, bare = match.group(1, 2)
        return blocks[int(wrapped)] + "\n" if wrapped is not None else blocks[int(bare)]

    pattern = re.compile(rf"<p>{stem}n(\d+)e</p>|{stem}n(\d+)e")
    return pattern.sub(block, html).strip()  # Python-Markdown strips its whole output


# MkDocs' BasePlugin.__init_subclass__ carries no annotations. LegacyConfig: no options.
class RawHtmlPassThrough(BasePlugin[LegacyConfig]):  # type: ignore[no-untyped-call]
    """Added to a build's plugins by mkdocs_engine, never named in mkdocs.yml, so the
    configuration stays plain MkDocs + Material (and Zensical) and builds the same without it."""

    def __init__(self) -> None:
        super().__init__()
        self._set_aside: dict[str, tuple[str, list[str]]] = {}

    def on_page_markdown(self, markdown: str, /, *, page: Any, **kwargs: Any) -> str:
        text, stem, blocks = set_aside(markdown)
        self._set_aside[page.file.src_uri] = (stem, blocks)
        return text

    def on_page_content(self, html: str, /, *, page: Any, **kwargs: Any) -> str:
        stem, blocks = self._set_aside.pop(page.file.src_uri, ("", []))
        return put_back(html, stem, blocks)
