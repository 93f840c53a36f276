"""Material's search indexing of a page, same result, without Python's HTMLParser.

Material's search plugin feeds each page's HTML to a subclass of html.parser.HTMLParser that
cuts it into sections at headings and keeps their text. In a portfolio build that was the
largest single cost of MkDocs (about a third of it in benchmarks.phases): the pure-Python
tokeniser walks every tag, and the plugin's handlers compare Element objects through their
__eq__ and __hash__ for every tag and every piece of text.

sections() reads the pages MkDocs writes from our sources in one regular expression and
applies the plugin's handlers (Material 9.7's Parser, restated below rule by rule) to the
tokens. It only takes HTML in a plain subset: tags with alphanumeric names and double-quoted
attribute values that hold no '<' or '>', no comments, declarations or stray '<', and raw-text
elements (script, style, ...) only when they hold plain text. Any other page goes to
Material's own Parser, as does every page when Material's parser is not the one this was
written against (CHECKED). tests/test_search_sections.py compares both on built pages,
the injection corpus and generated tag soup; tests/test_build.py compares whole sites.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import inspect
import re
from collections.abc import Iterator
from html import escape, unescape
from typing import Any

# sha256 of the source of Material's Parser, Element, Section and void list (9.7.0 to 9.8.x).
CHECKED = "5df7bdb5cc1761c338a5481ddf8345c7d5401051ff87c83ff0fc04558a0b6dc9"

_KEEP = frozenset(("p", "code", "pre", "li", "ol", "ul", "sub", "sup"))
_HEADINGS = frozenset(f"h{x}" for x in range(1, 7))
# Elements whose inside some Python version reads as raw text (CDATA_CONTENT_ELEMENTS, and
# the RCDATA ones newer releases add), with a margin: they are read here only when the
# inside is plain text, which every version reads alike.
_RAW_TEXT = frozenset(
    (
        "script",
        "style",
        "textarea",
        "title",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
    )
)
_SPACE = "[ \t\n\r\f]"
_NAME = "[a-zA-Z][a-zA-Z0-9]*"
_ATTR_NAME = "[a-zA-Z_:][-a-zA-Z0-9_:.]*"

# One match per token: text, a start tag (name, attributes, "/" if self-closing) or an end tag.
_TOKEN = re.compile(
    rf'([^<]+)|<(?:({_NAME})((?:{_SPACE}+{_ATTR_NAME}(?:="[^"<>]*")?)*){_SPACE}*(/?)>|/({_NAME})>)'
)
_ATTR = re.compile(rf'({_ATTR_NAME})(?:="([^"]*)")?')


@functools.lru_cache(maxsize=4096)
def _attributes(source: str) -> dict[str, str | None]:
    # As HTMLParser gives them: names lower-cased, values unescaped, None for a bare name.
    # Shared between tags with the same source: sections() only reads it, and gives the
    # sections it makes a copy.
    return {
        m.group(1).lower(): unescape(m.group(2)) if m.group(2) else m.group(2)
        for m in _ATTR.finditer(source)
    }


def sections(search: Any, html: str) -> list[Any] | None:
    """Material's `Parser(); feed(html); close()` for html, as its list of sections (the
    parser's data), or None when html is outside the plain subset.

    HTMLParser (convert_charrefs) hands the handlers all text between two tags at once,
    unescaped; the handlers below are Material's handle_data, handle_starttag and
    handle_endtag in that order. Material's Element compares and hashes by tag name alone,
    so its context is a list of tag names here, its skip set and `in self.context` tests are
    sets and counts of names: `skipped` counts the elements in the context whose name is in
    `skip`. Element objects are only made for the sections, whose attributes Material reads.
    One function, not methods: this runs for every tag of every page."""
    tokens = _TOKEN.findall(html)
    # Every token but text holds exactly one "<", and text holds none: a "<" that starts no
    # tag of the subset is the only thing findall steps over.
    if len(tokens) - sum(1 for token in tokens if token[0]) != html.count("<"):
        return None
    element, section_type = search.Element, search.Section
    skip = {"object", "script", "style"}
    skipped = 0
    context: list[str] = []
    links: list[bool] = []  # per <a> in the context: is it a headerlink
    open_tags: dict[str, int] = {}
    headerlinks = 0  # <a class="headerlink"> in the context: text there is not title
    section: Any = None
    data: list[Any] = []
    raw_text = ""  # an open raw-text element: at most one plain text, then its end
    raw_text_filled = False
    void = search.void
    for text, name, attrs_source, self_closing, end_name in tokens:
        if raw_text:
            if text and not raw_text_filled and "&" not in text:
                raw_text_filled = True
            elif end_name and end_name.lower() == raw_text:
                raw_text = ""
            else:
                return None
        if text:
            if "&" in text:
                text = unescape(text)
            # handle_data
            if skipped:
                continue
            in_pre = open_tags.get("pre")
            if not in_pre:
                text = " " if text.isspace() else text.replace("\n", " ")
            if section is None:
                section = section_type(element("hx"))
                data.append(section)
            if open_tags.get(section.el.tag):
                if not headerlinks:
                    section.title.append(escape(text, quote=False))
            elif text.isspace():
                body = section.text
                if not body or not body[-1].isspace() or in_pre:
                    body.append(text)
            else:
                section.text.append(escape(text, quote=False))
            continue
        if name:
            # handle_starttag
            tag = name.lower()
            if tag in _RAW_TEXT:
                if self_closing:
                    return None
                raw_text, raw_text_filled = tag, False
            if tag in void:
                continue
            attrs = _attributes(attrs_source) if attrs_source and _read(tag, attrs_source) else {}
            context.append(tag)
            open_tags[tag] = open_tags.get(tag, 0) + 1
            if tag in skip:
                skipped += 1
            if tag == "a":
                link = attrs.get("class") == "headerlink"
                links.append(link)
                headerlinks += link
            if tag in _HEADINGS and "id" in attrs:
                depth = len(context)
                if tag != "h1" and not data:
                    data.append(section_type(element("hx"), depth))
                section = section_type(element(tag, dict(attrs)), depth)  # its own copy
                if data:
                    section.id = attrs["id"]
                data.append(section)
            if section is None:
                section = section_type(element("hx"))
                data.append(section)
            if "data-search-exclude" in attrs or attrs.get("class") == "linenodiv":
                if tag not in skip:
                    skip.add(tag)
                    skipped += open_tags[tag]
            elif tag in _KEEP and not skipped:
                (section.title if open_tags.get(section.el.tag) else section.text).append(
                    f"<{tag}>"
                )
            if not self_closing:
                continue
            end_name = tag  # <tag/>: HTMLParser reports a start and then an end
        # handle_endtag
        tag = end_name.lower()
        if not context or context[-1] != tag:
            continue
        depth = len(context)
        if section.depth > depth:
            for earlier in reversed(data):
                if earlier.depth <= depth:
                    section.depth = float("inf")
                    section = earlier
                    break
        context.pop()
        open_tags[tag] -= 1
        if tag == "a" and links.pop():
            headerlinks -= 1
        if tag in skip:
            skipped -= 1
            if tag not in ("script", "style", "object"):
                skip.remove(tag)
                skipped -= open_tags[tag]
            continue
        if tag in _KEEP and not skipped:
            target = section.title if open_tags.get(section.el.tag) else section.text
            index = target.index(f"<{tag}>")
            for i in range(index + 1, len(target)):
                if not target[i].isspace():
                    index = len(target)
                    break
            if len(target) > index:
                del target[index:]
            else:
                target.append(f"</{tag}>")
    if raw_text:
        return None
    return data


def _read(tag: str, attrs_source: str) -> bool:
    """Whether the handlers read this tag's attributes: a link's class, a heading's id and
    the attributes its section keeps, or the attributes that exclude an element (in any case
    of name, or spelled with character references)."""
    if tag == "a" or tag in _HEADINGS or "&" in attrs_source:
        return True
    lowered = attrs_source.lower()
    return "data-search-exclude" in lowered or "linenodiv" in lowered


def fingerprint(search: Any) -> str:
    """Of the Material code sections() restates; compared with CHECKED before use."""
    return _fingerprint(search.Parser, search.Element, search.Section, tuple(sorted(search.void)))


# Once per process and classes: reading their source is ~45 ms, paid by every build before.
@functools.cache
def _fingerprint(parser: Any, element: Any, section: Any, void: tuple[str, ...]) -> str:
    parts = [inspect.getsource(obj) for obj in (parser, element, section)]
    parts.append(repr(list(void)))
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def parser_class(search: Any) -> Any:
    """A subclass of Material's Parser that takes pages of the plain subset through sections()."""
    base: type[Any] = search.Parser

    class Parser(base):  # type: ignore[misc]
        data: list[Any]  # Material's: the sections found so far

        def feed(self, data: str) -> None:
            found = None if self.data or self.rawdata else sections(search, data)
            if found is None:
                super().feed(data)
            else:
                self.data = found

    return Parser


@functools.cache
def _fast_parser() -> Any:
    search = importlib.import_module("material.plugins.search.plugin")
    return search, parser_class(search)


@contextlib.contextmanager
def fast_sections() -> Iterator[None]:
    """Material's search plugin cuts each page into sections with its HTMLParser subclass,
    the largest cost left in a build; search_sections gives the same sections faster."""
    if not usable():
        yield
        return
    search, parser = _fast_parser()
    original = search.Parser
    search.Parser = parser
    try:
        yield
    finally:
        search.Parser = original


def usable() -> bool:
    """Whether Material's search Parser is the code sections() was written against."""
    try:
        search = importlib.import_module("material.plugins.search.plugin")
    except ImportError:
        return False
    return fingerprint(search) == CHECKED
