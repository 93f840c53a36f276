"""Each run of Chinese text segmented by jieba once per process, not once per site.

Material's search plugin (SearchIndex._segment_chinese) runs jieba over every run of Han
characters in every section's title and text; most runs are bank text, the same on every
organisation's site. This is the same function, computing each distinct run once.

Checked against mkdocs-material 9.8.2. Used only while SearchIndex._segment_chinese's source
is the one checked; otherwise Material segments as it comes.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import Any

from assessment.speedups import source_digest

CHECKED = "34cab54f4ab639446c78f7922b3e678e6580739c1934c823e5388be830740d6b"  # its source


# Segmented runs of Han characters, kept for the life of the process: the search plugin's
# jieba settings come from mkdocs.yml (none are set), the same for every site.
_SEGMENTED: dict[str, str] = {}
_SEGMENTED_LIMIT = 1 << 16


@contextlib.contextmanager
def memoised() -> Iterator[None]:
    """Material's search plugin (SearchIndex._segment_chinese) runs jieba over every run of
    Han characters in every section's title and text; most runs are bank text, the same on
    every organisation's site. This is the same function, computing each distinct run once."""
    try:
        search: Any = importlib.import_module("material.plugins.search.plugin")
    except ImportError:
        yield
        return
    if not getattr(search, "jieba", None):
        yield  # without jieba the plugin segments nothing
        return
    if not usable():
        yield
        return
    han = search.bre.compile(r"(\p{script: Han}+)", search.bre.UNICODE)  # as the plugin has it
    cut = search.jieba.cut

    def segmented(match: Any) -> str:
        run: str = match.group(0)
        words = _SEGMENTED.get(run)
        if words is None:
            if len(_SEGMENTED) >= _SEGMENTED_LIMIT:
                _SEGMENTED.clear()
            words = "".join(["\u200b", "\u200b".join(cut(run.encode("utf-8"))), "\u200b"])
            _SEGMENTED[run] = words
        return words

    def segment(index: Any, data: str) -> str:
        if data.isascii():
            return data  # no Han characters, and no zero-width space to strip
        text: str = han.sub(segmented, data)
        return text.strip("\u200b")

    original = search.SearchIndex._segment_chinese
    search.SearchIndex._segment_chinese = segment
    try:
        yield
    finally:
        search.SearchIndex._segment_chinese = original


def usable() -> bool:
    """Whether Material's _segment_chinese is the code this speed-up was checked against."""
    try:
        search = importlib.import_module("material.plugins.search.plugin")
    except ImportError:
        return False
    return source_digest(search.SearchIndex._segment_chinese) == CHECKED
