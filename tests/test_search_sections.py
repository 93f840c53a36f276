"""search_sections must cut a page into exactly the sections Material's search Parser does.

Each case runs both on the same HTML: Material's Parser (Python's HTMLParser underneath) and
search_sections.sections(). Where sections() declines a page (None), Material's Parser gets it
in a build; where it takes one, every section must match: element, attributes, depth, id,
title and text, or both must raise the same error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import api
from assessment.speedups import search_sections
from tests.conftest import FIXTURES

search: Any = pytest.importorskip("material.plugins.search.plugin")


def material(html: str) -> Any:
    parser = search.Parser()
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # the error itself is what is compared
        return ("error", type(exc))
    return view(parser.data)


def ours(html: str) -> Any:
    try:
        found = search_sections.sections(search, html)
    except Exception as exc:
        return ("error", type(exc))
    return None if found is None else view(found)


def view(data: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (
            s.el.tag,
            dict(s.el.attrs),
            s.is_excluded(),
            s.depth,
            s.id,
            "".join(s.title),
            "".join(s.text),
        )
        for s in data
    ]


def check(html: str) -> bool:
    """Same sections as Material's Parser; True if sections() took the page."""
    got = ours(html)
    if got is None:
        return False
    assert got == material(html), html
    return True


TAKEN = [
    "",
    "plain text only",
    '<p>before any heading</p><h2 id="x">second level</h2>',
    '<h2 id="first">Second level first</h2><p>a</p><h1 id="t">Title</h1><p>b</p>',
    '<h1 id="t">T<a class="headerlink" href="#t" title="Permanent link">&para;</a></h1>\n<p>x</p>',
    '<h2 id="a">A</h2>\n<p>one &amp; two &lt;three&gt; &#39;q&#39; &nbsp;&copy</p>',
    '<div><h2 id="in">Nested</h2><p>inner</p></div><p>after the div</p><h3 id="n">N</h3>',
    '<div data-search-exclude><h2 id="hid">Hidden</h2><p>gone</p></div><p>back</p>',
    '<div class="linenodiv"><pre>1\n2</pre></div><pre><code>  keep\n\n  spaces </code></pre>',
    "<ul>\n<li>one</li>\n<li>\n</li>\n<li><p>two</p></li>\n</ul><ol><li><ul><li>x</li></ul></li></ol>",
    '<P>Upper <B>case</B></P><BR><Br/><IMG SRC="x">',
    '<p>line<br>break<br/>and <img alt="a &amp; b" src="x.png"> image</p><div/>after',
    "<p>sub<sub>2</sub> sup<sup> </sup> <code></code></p>",
    "<table>\n<tr>\n<th>Level</th>\n<td>2</td>\n</tr>\n</table>",
    '<svg viewBox="0 0 10 10" role="img"><title>Chart</title><rect x="0" width="5"/></svg>',
    '<h2 id="e">E</h2></div></p><p>end tags that close nothing</p></h2>',
    "<p>unclosed <em>emphasis<p>and paragraph",
    "<p>ends with an ampersand &",
    "<p>ends with a reference cut &am",
    "<p>ends &amp no semicolon</p>",
    '<p data-x="&lt;b&gt;" hidden>attribute values</p>',
    '<h4>heading without id</h4><p>text</p><h5 id="five">five</h5>',
    "<p>\r\nCRLF\r\n</p>\u3000<p>\u200bzero\u200fwidth\u202erlo</p>",
    "<pre>  pre\n  <span>kept</span>\n</pre>\n\n\n<p>   </p>",
    "<script>plain text</script><p>after the script</p>",
    '<style>p { color: red }</style><object data="x"><p>in object</p></object><p>after</p>',
    "<noscript>no script</noscript><p>x</p><textarea>area</textarea>",
    "<div data-search-exclude><div>inner</div>out of the inner div</div><p>p</p>",
    "<li><p>li start</p></li></li><li>",
]

DECLINED = [
    "<p>a < b</p>",
    "<!-- a comment --><p>x</p>",
    "<!DOCTYPE html><p>x</p>",
    "<?php echo 1 ?><p>x</p>",
    "<p class='single quotes'>x</p>",
    '<p title="a > b">x</p>',
    "<p title=bare>x</p>",
    '<custom-element data-a="1">x</custom-element>',
    "<script>if (a < b && c) {}</script>",
    "<script>a &amp;&amp; b</script>",
    "<script><p>markup inside</p></script>",
    "<title/>",
    "<script>unterminated",
    "<p",
    "<p>text</p><",
]


@pytest.mark.parametrize("html", TAKEN)
def test_pages_in_the_plain_subset_give_materials_sections(html):
    assert check(html), "declined a page of the plain subset"


@pytest.mark.parametrize("html", DECLINED)
def test_other_html_is_left_to_materials_parser(html):
    assert ours(html) is None


WORDS = st.sampled_from(
    [
        "word",
        "two words",
        " ",
        "\n",
        "\n\n",
        "  \t",
        "&amp;",
        "&lt;",
        "&#169;",
        "&nbsp;",
        "&bogus;",
        "& ",
        "&",
        "\u4e2d\u6587",
        "a\nb",
        "\u3000",
    ]
)
START_TAGS = st.sampled_from(
    [
        "<p>",
        "<li>",
        "<ul>",
        "<ol>",
        "<pre>",
        "<code>",
        "<sub>",
        "<sup>",
        "<div>",
        "<span>",
        "<em>",
        "<table>",
        "<td>",
        "<h1>",
        '<h1 id="t">',
        '<h2 id="s">',
        '<h2 id="s2">',
        '<h3 id="u">',
        "<h2>",
        '<div data-search-exclude="">',
        "<div data-search-exclude>",
        '<div class="linenodiv">',
        '<a class="headerlink" href="#s">',
        "<a>",
        "<br>",
        "<br/>",
        "<img/>",
        "<hr>",
        "<div/>",
        "<p/>",
        "<object>",
        "<svg>",
        "<title>",
        "<hx>",
        '<p class="x" id="y" data-search-exclude>',
        # Attributes HTMLParser unescapes or lower-cases before the handlers see them.
        '<div class="&#108;inenodiv">',
        "<DIV DATA-SEARCH-EXCLUDE>",
        '<A CLASS="headerlink" href="#s">',
        '<H2 ID="s3">',
        '<h2 id="&#115;4">',
    ]
)
END_TAGS = st.sampled_from(
    [
        "</p>",
        "</li>",
        "</ul>",
        "</ol>",
        "</pre>",
        "</code>",
        "</sub>",
        "</sup>",
        "</div>",
        "</span>",
        "</em>",
        "</table>",
        "</td>",
        "</h1>",
        "</h2>",
        "</h3>",
        "</a>",
        "</br>",
        "</object>",
        "</svg>",
        "</title>",
        "</hx>",
        "</script>",
    ]
)
NOISE = st.sampled_from(["<", "<!-- c -->", "<script>", "<p title='q'>", " < ", "<!x>"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(WORDS, START_TAGS, END_TAGS), max_size=40))
def test_generated_tag_soup_gives_materials_sections(pieces):
    html = "".join(pieces)
    assert check(html) or "<title>" in html, html


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(WORDS, START_TAGS, END_TAGS, NOISE), max_size=40))
def test_generated_soup_with_other_html_is_right_or_declined(pieces):
    check("".join(pieces))


@pytest.fixture(scope="module")
def indexed_pages(tmp_path_factory) -> list[str]:
    """The HTML of every page Material's search plugin indexes in a build of the demo."""
    demo = Path(__file__).parent.parent / "examples" / "demo" / "cxassess.yaml"
    pages: list[str] = []
    original = search.SearchIndex.add_entry_from_context

    def recorded(index: Any, page: Any) -> None:
        pages.append(page.content)
        original(index, page)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CXASSESS_BUILD_WORKERS", "1")  # every site in this process
        patch.setattr(search.SearchIndex, "add_entry_from_context", recorded)
        api.build_site(demo, tmp_path_factory.mktemp("demo") / "site", search=[FIXTURES])
    return pages


def test_every_page_of_the_demo_is_cut_as_material_cuts_it(indexed_pages):
    taken = [check(html) for html in indexed_pages]
    assert len(taken) > 150
    # The templates write the plain subset: every page of the demo takes the fast path.
    declined = [html[:200] for html, ok in zip(indexed_pages, taken, strict=True) if not ok]
    assert declined == []


def test_builds_use_it_only_with_the_material_code_it_restates(monkeypatch):
    assert search_sections.fingerprint(search) == search_sections.CHECKED, (
        "Material's search Parser changed: compare it with search_sections.sections(), "
        "then update CHECKED"
    )
    fast = search_sections.parser_class(search)
    assert issubclass(fast, search.Parser)
    assert fast is not search.Parser
    parser = fast()
    parser.feed('<h1 id="t">T</h1><p>x</p>')
    parser.close()
    assert view(parser.data) == material('<h1 id="t">T</h1><p>x</p>')

    monkeypatch.setattr(search_sections, "CHECKED", "another version of Material")
    assert not search_sections.usable()
    material_parser = search.Parser
    with search_sections.fast_sections():
        assert search.Parser is material_parser
