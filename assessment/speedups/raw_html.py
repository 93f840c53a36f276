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
import importlib
import re
from typing import Any, NamedTuple

from mkdocs.config.base import LegacyConfig
from mkdocs.plugins import BasePlugin

from assessment.speedups import source_digest

CHECKED = "76897d40a54c6f42d2f2482f015affbd408d380fc17eafabd1dcaa81fe60857f"  # markdown_digest()

# Tags that start a raw block for Python-Markdown (all in its block_level_elements), written
# by the templates at the start of a paragraph.
_BLOCK_TAGS = ("details", "div", "dl", "figure", "form", "ol", "p", "section", "table", "ul")
_START = re.compile(r"<({})[\s>]".format("|".join(_BLOCK_TAGS)))
_BLANK_LINES = re.compile(r"(\n\n+)")
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


class Block(NamedTuple):
    """A run of standalone HTML elements, separated by nothing but blank lines."""

    written: str  # as in the Markdown
    output: str  # as Python-Markdown writes the run: each element stored with a newline,
    # the elements one line apart


_STEM = "cxraw"
_PLACEHOLDER = re.compile(rf"<p>({_STEM}[0-9a-f]{{32}})n(\d+)e</p>|({_STEM}[0-9a-f]{{32}})n(\d+)e")


def set_aside(markdown: str) -> tuple[str, str, list[Block]]:
    """The Markdown with each run of standalone HTML blocks replaced by one placeholder, the
    placeholder stem and the runs."""
    if "```" in markdown or "~~~" in markdown:
        return markdown, "", []  # a fenced block could hold text that looks like HTML
    # Derived from the page itself, so no text on the page can contain it.
    stem = _STEM + hashlib.sha256(markdown.encode("utf-8")).hexdigest()[:32]
    # Paragraphs at even positions, the blank lines between them at odd ones.
    parts = _BLANK_LINES.split(markdown)
    out: list[str] = []
    blocks: list[Block] = []
    run: list[str] = []  # elements of the current run and the blank lines between them
    after_run = ""  # the blank lines after the run's last element

    def end_run() -> None:
        blocks.append(Block("".join(run), "\n\n".join(run[::2]) + "\n"))
        out.append(f"{stem}n{len(blocks) - 1}e" + after_run)
        run.clear()

    for n in range(0, len(parts), 2):
        chunk = parts[n]
        blank = parts[n + 1] if n + 1 < len(parts) else ""
        start = _START.match(chunk)
        element = chunk.rstrip("\n")  # the last paragraph keeps the page's final newline
        if start and _whole_element(element, start.group(1)):
            if run:
                run.append(after_run)
            run.append(element)
            after_run = chunk[len(element) :] + blank
            continue
        if run:
            end_run()
        out.append(chunk + blank)
    if run:
        end_run()
    return ("".join(out) if blocks else markdown), stem, blocks


def put_back(html: str, stem: str, blocks: list[Block]) -> str:
    """What Python-Markdown's raw HTML postprocessor does with stashed blocks: a run alone in
    a paragraph replaces the paragraph; one inside other raw HTML stands as written."""
    if not blocks:
        return html

    def block(match: re.Match[str]) -> str:
        wrapped_stem, wrapped, bare_stem, bare = match.groups()
        if wrapped_stem == stem:
            return blocks[int(wrapped)].output
        if bare_stem == stem:
            return blocks[int(bare)].written
        return match.group()  # another page's placeholder, written on this one as text

    # One pattern for every stem (a pattern per page was compiled for every page).
    return _PLACEHOLDER.sub(block, html).strip()  # Python-Markdown strips its whole output


# MkDocs' BasePlugin.__init_subclass__ carries no annotations. LegacyConfig: no options.
class RawHtmlPassThrough(BasePlugin[LegacyConfig]):  # type: ignore[no-untyped-call]
    """Added to a build's plugins by mkdocs_engine, never named in mkdocs.yml, so the
    configuration stays plain MkDocs + Material (and Zensical) and builds the same without it."""

    def __init__(self) -> None:
        super().__init__()
        self._set_aside: dict[str, tuple[str, list[Block]]] = {}

    def on_page_markdown(self, markdown: str, /, *, page: Any, **kwargs: Any) -> str:
        text, stem, blocks = set_aside(markdown)
        self._set_aside[page.file.src_uri] = (stem, blocks)
        return text

    def on_page_content(self, html: str, /, *, page: Any, **kwargs: Any) -> str:
        stem, blocks = self._set_aside.pop(page.file.src_uri, ("", []))
        return put_back(html, stem, blocks)


def apply(config: Any) -> None:
    """Add the pass-through to this configuration's plugins, where Python-Markdown's raw HTML
    handling is the one checked (otherwise Python-Markdown handles every block)."""
    if usable():
        config.plugins["cxassess/raw-html"] = RawHtmlPassThrough()


def markdown_digest() -> str:
    """Of the Python-Markdown code whose output put_back restates."""
    pre = importlib.import_module("markdown.preprocessors")
    post = importlib.import_module("markdown.postprocessors")
    return source_digest(pre.HtmlBlockPreprocessor, post.RawHtmlPostprocessor)


def usable() -> bool:
    """Whether Python-Markdown's raw-HTML code is the code put_back was checked against."""
    return markdown_digest() == CHECKED
