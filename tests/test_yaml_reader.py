"""The YAML reader's shortcuts: text without anchor, alias or tag marks skips the event
pre-scan and the second tag resolution, and positions are found in the node tree only when a
message asks. Each shortcut must give what the careful path gives."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.common.errors import InputError
from assessment.load import yamlio
from assessment.load.yamlio import MAX_DEPTH, load_yaml

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
    # Text YAML would read as something else if it were not quoted: "yes", "0x1f", "1e3", "~".
    st.sampled_from(["yes", "no", "0x1f", "1e3", "~", "null", "6.10", "2026-01-01", "P & L"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
)
_keys = st.one_of(
    st.text("abcxyz_-.", min_size=1, max_size=6), st.integers(0, 99), st.sampled_from(["no"])
)
_documents = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=25,
)


def _as_names(data: object) -> object:
    """What the formats read: keys are names ("no" stays "no", not False)."""
    if isinstance(data, dict):
        return {k: _as_names(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_as_names(v) for v in data]
    return data


@settings(max_examples=200, deadline=None)
@given(_documents, st.booleans())
def test_reads_what_the_safe_loader_reads(document, flow):
    text = yaml.safe_dump({"root": document}, allow_unicode=True, default_flow_style=flow)
    expected = _as_names(yaml.safe_load(text))
    assert load_yaml(text, "f.yaml").data == expected


@settings(max_examples=100, deadline=None)
@given(_documents)
def test_the_pre_scan_changes_nothing_for_clean_text(document):
    text = yaml.safe_dump({"root": document}, allow_unicode=True)
    fast = load_yaml(text, "f.yaml")
    careful = _careful(text)
    assert fast.data == careful.data
    assert fast.raw == careful.raw


def _careful(text: str) -> yamlio.Located:
    """The slow path on the same text, forced by a comment holding every mark."""
    return load_yaml(text + "# & * !\n", "f.yaml")


POSITIONS = """\
title: Survey
2: two
items:
  - id: a
    level: 3
  - {id: b, level: 6.10}
no: name
"""


@pytest.mark.parametrize(
    ("path", "key", "expected"),
    [
        (("title",), False, (1, 8)),
        (("title",), True, (1, 1)),
        ((2,), True, (2, 1)),
        (("items", 0, "level"), False, (5, 12)),
        (("items", 1, "level"), True, (6, 13)),
        (("items", 1), False, (6, 5)),
        (("items", 1, "missing"), False, (6, 5)),  # a missing field: where its parent is
        (("items", 7), False, (4, 3)),
        (("no",), False, (7, 5)),
        ((), False, (1, 1)),
    ],
)
def test_positions_are_found_where_the_text_has_them(path, key, expected):
    located = load_yaml(POSITIONS, "f.yaml")
    assert located.mark(path, key=key) == expected
    assert located.raw == {("items", 1, "level"): "6.10"}


def test_a_duplicate_key_points_at_the_first_value_and_reports_the_second():
    with pytest.raises(InputError) as caught:
        load_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert [str(p) for p in caught.value.problems] == ["f.yaml:3:1: a: duplicate key"]


@pytest.mark.parametrize(
    "text",
    ["a: R&D\nb: 5*3\nc: wow!\n", "a: 'x & y'\n", "a: text with ! and * and &\n"],
)
def test_marks_inside_words_or_after_spaces_read_as_text(text):
    assert load_yaml(text, "f.yaml").data == yaml.safe_load(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!str 5\n", "f.yaml:1:4: a: tags are not allowed (tag:yaml.org,2002:str)"),
        ("a: [1, !!int '2']\n", "f.yaml:1:8: a[1]: tags are not allowed (tag:yaml.org,2002:int)"),
        ("a: {b: &x 1}\n", "f.yaml:1:8: (document): anchors (&name) are not allowed"),
        ("a: [1,*x]\n", "f.yaml:1:7: (document): aliases (*name) are not allowed"),
    ],
)
def test_marks_at_a_token_start_are_refused(text, message):
    with pytest.raises(InputError) as caught:
        load_yaml(text, "f.yaml")
    assert str(caught.value.problems[0]).startswith(message)


@pytest.mark.parametrize("capped", [True, False])
@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 60 + "]" * 60,
        "a: " + "{b: " * 60 + "1" + "}" * 60,
        "".join(" " * i + f"k{i}:\n" for i in range(45)) + " " * 45 + "v: 1\n",
    ],
)
def test_deep_nesting_is_refused_by_either_check(monkeypatch, capped, text):
    """With a parser that stops at 1,000 levels the reader counts levels itself; without one
    the pre-scan does, before anything is composed."""
    monkeypatch.setattr(yamlio, "_NESTING_CAPPED", capped)
    with pytest.raises(InputError) as caught:
        load_yaml(text, "deep.yaml")
    assert f"nested deeper than {MAX_DEPTH} levels" in str(caught.value.problems[0])


def test_nesting_just_inside_the_limit_is_read():
    depth = MAX_DEPTH - 1  # the top mapping is the first level
    text = "a: " + "[" * depth + "1" + "]" * depth
    data = load_yaml(text, "f.yaml").data["a"]
    for _ in range(depth - 1):
        data = data[0]
    assert data == [1]


def test_this_parser_limits_nesting():
    """The shortcut above is taken only where the parser in use really stops."""
    if yamlio.Loader is yaml.SafeLoader:
        assert not yamlio._NESTING_CAPPED
    else:
        with pytest.raises(yaml.YAMLError):
            yaml.compose("[" * 5000 + "]" * 5000, Loader=yamlio.Loader)
        assert yamlio._NESTING_CAPPED
