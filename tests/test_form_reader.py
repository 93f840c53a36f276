"""The offline form's YAML reader (templates/assets/cxyaml.js), run in Chromium, against
PyYAML: whatever PyYAML writes of a text, in any style and at any line width, and the block
scalars and continued lines people write by hand, read back as PyYAML reads them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.common import resources

# YAML's own line breaks NEL, LS and PS written raw are not in the alphabet: PyYAML reads
# them as line breaks, the form as text (cxassess and the form write them escaped).
ALPHABET = st.sampled_from([*"abc xyz\t\n-:#'\"\\,[]{}|>!&*?%@`é中\u00a0", "  ", ": ", " #"])
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)
STYLES = st.sampled_from([None, '"', "'", "|", ">"])


@pytest.fixture(scope="module")
def read(browser):
    """read(text) -> {"ok": value} or {"error": message}, from the form's reader."""
    page = browser.new_page()
    page.set_content("<!doctype html><title>reader</title>")
    script = resources.data_dir("templates") / "assets" / "cxyaml.js"
    page.add_script_tag(content=script.read_text(encoding="utf-8"))
    page.evaluate(
        """() => {
            const T = {syntax: "syntax", line: "line {n}: {msg}", tab: "tab", dup: "dup {key}",
                       indent: "indent"};
            const fmt = (t, v) => t.replace(/\\{(\\w+)\\}/g, (_, k) => String(v[k]));
            window.reader = window.cxYamlReader(T, fmt);
        }"""
    )

    def run(text: str) -> dict[str, Any]:
        result: dict[str, Any] = page.evaluate(
            """(text) => {
                try { return {ok: window.reader.parseYaml(text)}; }
                catch (e) { return {error: e.message}; }
            }""",
            text,
        )
        return result

    yield run
    page.close()


def as_json(value: Any) -> Any:
    """PyYAML's data as the form holds it: dates as their text."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, style=STYLES, width=st.sampled_from([10, 20, 80]))
def test_whatever_pyyaml_writes_reads_back_the_same(read, text, style, width):
    data = {"note": text, "items": [text, "x"], "nested": {"key": text}}
    written = yaml.dump(data, width=width, default_style=style, allow_unicode=True)
    assert read(written) == {"ok": as_json(yaml.safe_load(written))}, written


@pytest.mark.parametrize(
    "written",
    [
        "note: |\n  line one\n  line two\n\n  after an empty line\nnext: x\n",
        "note: >\n  folded one\n  folded two\n\n  paragraph\n    indented\n  back\n",
        "note: |-\n  stripped\n\n\nnext: 1\n",
        "note: |+\n  kept\n\n\nnext: 1\n",
        "note: |2\n    two more\n  base\n",
        "note: |\n  # not a comment\n  text\n",
        "note: |\nnext: 1\n",
        "a:\n  b: >-  # a comment\n    x\n    y\n  c: 2\n",
        "items:\n- |\n  one\n  two\n- plain\n- >\n  f1\n  f2\n",
        "items:\n  - key: |\n      literal\n      more\n    other: 3\n",
        "note: a long plain value that\n  goes on here\n  and here\nx: 1\n",
        "note: plain\n\n  after an empty line\nx: 1\n",
        "evidence:\n- a first item that\n  goes on\n- second\n",
        'note: "double quoted that\n  goes on \\\n  \\ escaped"\nx: 1\n',
        "note: 'single ''quoted'' that\n\n  goes on'\n",
        "objectives:\n  - {id: a, op: '>=', target: 95, unit: ' %',\n     title: {zh: 中, en: 'It''s, [x]'}}\n"
        "  - [one, {two: 2},\n     # a comment between\n     three]\nnext: 1\n",
    ],
)
def test_text_over_several_lines_as_people_write_it(read, written):
    assert read(written) == {"ok": as_json(yaml.safe_load(written))}


@pytest.mark.parametrize(
    ("written", "line"),
    [
        ('note: "never closed\n  still open\n', 1),
        ("a: 1\n  b: 2\n", 2),
        ("organisation: {id: x, name: [open}\n", 1),
        ("note: &anchor text\n", 1),
    ],
)
def test_what_it_cannot_read_is_named_by_line(read, written, line):
    result = read(written)
    assert "error" in result, result
    assert result["error"].startswith(f"line {line}:")
