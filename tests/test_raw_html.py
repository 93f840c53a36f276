"""Raw HTML blocks carried past Python-Markdown come out as Python-Markdown writes them."""

from __future__ import annotations

import markdown
import pytest

from assessment.raw_html import put_back, set_aside

EXTENSIONS = ["tables", "attr_list", "admonition", "def_list", "toc", "pymdownx.details"]

CASES = {
    "alone": "<table><tr><td>a</td></tr></table>",
    "between paragraphs": '# T\n\ntext\n\n<div class="x">\n<p>a</p>\n</div>\n\nmore *text*',
    "nested same tag": "<div><div>a</div>\n<div>b</div></div>\n\n## H {: #h }\n\nx",
    "two elements in one paragraph": "<div>a</div>\n<div>b</div>\n\nx",
    "closed before the end": "<div>a</div>\n<p>b</p>\n\nx",
    "text after the close": "<div>a</div> tail\n\nx",
    "inside an unclosed block": "<div>\n\n<p>inner</p>\n\n</div>\n\nx",
    "attr list after": "<p>a</p>\n{: .c }\n\nx",
    "in a list": "- item\n\n<ul><li>a</li></ul>\n\n- other",
    "in an admonition": '!!! note "n"\n\n    <div>a</div>\n\nx',
    "details and figure": "<details><summary>s</summary>\n<p>b</p>\n</details>\n\n"
    '<figure><svg viewBox="0 0 1 1"><title>t</title></svg></figure>',
    "fenced": "```\n<div>a</div>\n```\n\n<div>b</div>",
    "empty": "",
    "many": "\n\n".join(f"<p>{n}</p>" for n in range(12)),
    "escaped look-alike": "&lt;div&gt;a&lt;/div&gt;\n\n<div>b</div>",
}


def convert(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_a_page_converts_to_the_same_html_with_its_blocks_set_aside(text):
    shortened, stem, blocks = set_aside(text)
    assert put_back(convert(shortened), stem, blocks) == convert(text)


def test_only_whole_standalone_elements_are_set_aside():
    assert len(set_aside(CASES["between paragraphs"])[2]) == 1
    for name in ("closed before the end", "text after the close", "fenced", "attr list after"):
        assert set_aside(CASES[name])[2] == [], name
    assert set_aside(CASES["many"])[2] == [f"<p>{n}</p>" for n in range(12)]


def test_the_placeholder_cannot_be_written_by_the_page():
    text = "<div>a</div>"
    _, stem, _ = set_aside(text)
    page = f"{stem}n0e\n\n{text}"  # a page that quotes the first page's placeholder
    shortened, other, blocks = set_aside(page)
    assert other != stem
    assert put_back(convert(shortened), other, blocks) == convert(page)
