"""Raw HTML blocks carried past Python-Markdown come out as Python-Markdown writes them."""

from __future__ import annotations

import markdown
import pytest

from assessment.speedups.raw_html import put_back, set_aside

EXTENSIONS = ["tables", "attr_list", "admonition", "def_list", "toc", "pymdownx.details"]

CASES = {
    "alone": "<table><tr><td>a</td></tr></table>",
    "last, before the final newline": "text\n\n<div>a</div>\n",
    "last, before blank lines": "text\n\n<div>a</div>\n\n\n",
    "after two blank lines": "text\n\n\n<div>a</div>\n\n\n\n<p>b</p>\n\nc",
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
    "runs between text": "a\n\n<p>1</p>\n\n\n<p>2</p>\n\nb\n\n<p>3</p>\n\n<div>4</div>\n",
    "a run inside an unclosed block": "<div>\n\n<p>1</p>\n\n\n<p>2</p>\n\n</div>\n\nx",
    "escaped look-alike": "&lt;div&gt;a&lt;/div&gt;\n\n<div>b</div>",
}


def convert(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_a_page_converts_to_the_same_html_with_its_blocks_set_aside(text):
    shortened, stem, blocks = set_aside(text)
    assert put_back(convert(shortened), stem, blocks) == convert(text)


def elements(text: str) -> list[str]:
    return [block.written for block in set_aside(text)[2]]


def test_only_whole_standalone_elements_are_set_aside():
    assert len(elements(CASES["between paragraphs"])) == 1
    assert elements(CASES["last, before the final newline"]) == ["<div>a</div>"]
    assert elements(CASES["after two blank lines"]) == ["<div>a</div>\n\n\n\n<p>b</p>"]
    for name in ("closed before the end", "text after the close", "fenced", "attr list after"):
        assert elements(CASES[name]) == [], name
    assert elements(CASES["many"]) == [CASES["many"]]  # one run, one placeholder
    assert elements(CASES["runs between text"]) == [
        "<p>1</p>\n\n\n<p>2</p>",
        "<p>3</p>\n\n<div>4</div>",
    ]


def test_the_placeholder_cannot_be_written_by_the_page():
    text = "<div>a</div>"
    _, stem, _ = set_aside(text)
    page = f"{stem}n0e\n\n{text}"  # a page that quotes the first page's placeholder
    shortened, other, blocks = set_aside(page)
    assert other != stem
    assert put_back(convert(shortened), other, blocks) == convert(page)
