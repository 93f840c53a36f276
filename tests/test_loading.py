"""Loading and validation: safe YAML, every problem at once, file:line:col: path: message."""

from __future__ import annotations

import gc

import pytest

from assessment.common.errors import InputError
from assessment.load import yamlio
from assessment.load.loader import load_assessment, load_bank
from tests.conftest import FIXTURES, MINI_ANSWERS


def problems_of(tmp_path, text: str, name: str = "answers.yaml") -> list[str]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with pytest.raises(InputError) as info:
        load_assessment(path, [FIXTURES])
    return [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems]


HEAD = """bank: mini
organisation: {id: tiny, name: Tiny}
assessment: {title: T, date: 2026-11-01}
"""


def test_fixture_is_valid():
    assessment = load_assessment(MINI_ANSWERS, [FIXTURES])
    assert assessment.answers.organisation.name == "Tiny Co"


def test_cross_reference_errors_all_reported_with_positions(tmp_path):
    text = (
        HEAD
        + """answers:
  q1: {level: 7}
  nope: {level: 2}
  q2: {level: 3}
targets:
  clauses: {"9.9": 3, "1": 8}
"""
    )
    assert problems_of(tmp_path, text) == [
        "answers.yaml:5:15: answers.q1.level: level must be 0..5 or na",
        "answers.yaml:6:3: answers.nope: unknown question 'nope' in bank mini",
        "answers.yaml:9:13: targets.clauses['9.9']: unknown clause '9.9'",
        "answers.yaml:9:28: targets.clauses.1: target must lie in 0..5",
    ]


def test_structure_errors_all_reported(tmp_path):
    text = """bank: mini
organisation: {id: "../evil", name: Tiny, colour: red}
assessment: {title: T}
answers:
  q1: {level: "three"}
  q2: {level: na}
  q3: {level: 2, finding: awful}
  q4: {level: true}
"""
    assert problems_of(tmp_path, text) == [
        "answers.yaml:2:20: organisation.id: must be an id of lowercase letters, digits, '.', '_' or '-'"
        " (no spaces or slashes)",
        "answers.yaml:2:43: organisation.colour: unknown field",
        "answers.yaml:3:13: assessment.date: required field is missing",
        "answers.yaml:5:15: answers.q1.level: Input should be a valid integer or 'na'",
        "answers.yaml:6:7: answers.q2: level 'na' (not applicable) needs a reason: say why it does not apply",
        "answers.yaml:7:27: answers.q3.finding: Input should be 'conforming', 'observation', 'ofi',"
        " 'minor' or 'major'",
        "answers.yaml:8:15: answers.q4.level: Input should be a valid integer or 'na'",
    ]


def test_list_items_are_one_line_each(tmp_path):
    text = """bank: mini
organisation: {id: tiny, name: Tiny}
assessment: {title: T, date: 2026-11-01, assessors: ["Liu Yang\\nlead assessor"]}
answers:
  q1:
    level: 2
    evidence:
      - minutes
      - |
        survey report
        of March
"""
    one_line = (
        "one line per item (spreadsheets and the form list items one per line): make it"
        " several items, or put the detail in note"
    )
    assert problems_of(tmp_path, text) == [
        f"answers.yaml:3:54: assessment.assessors[0]: {one_line}",
        f"answers.yaml:9:9: answers.q1.evidence[1]: {one_line}",
    ]


def test_unknown_bank(tmp_path):
    got = problems_of(tmp_path, HEAD.replace("bank: mini", "bank: nosuch"))
    assert len(got) == 1
    assert got[0].startswith("answers.yaml:1:7: bank: unknown bank 'nosuch'")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: &x [1]\nb: *x\n",
            [
                "f.yaml:1:4: (document): anchors (&name) are not allowed",
                "f.yaml:2:4: (document): aliases (*name) are not allowed",
            ],
        ),
        ("a: 1\na: 2\n", ["f.yaml:2:1: a: duplicate key"]),
        ("d: 2026-13-45\n", ["f.yaml:1:4: d: invalid value: month must be in 1..12"]),
        ("a: [1,\n", ["f.yaml:2:1: (document): invalid YAML: did not find expected node content"]),
        ("", ["f.yaml:1:1: (document): the file is empty"]),
        ("<<: {a: 1}\n", ["f.yaml:1:1: (document): merge keys (<<) are not allowed"]),
    ],
)
def test_yaml_safety(text, expected):
    with pytest.raises(InputError) as info:
        yamlio.load_yaml(text, "f.yaml")
    assert [str(p) for p in info.value.problems] == expected


def test_billion_laughs_is_refused_before_expansion():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(ord("b"), ord("j")):
        prev = chr(i - 1)
        lines.append(f"{chr(i)}: &{chr(i)} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(InputError) as info:
        yamlio.load_yaml("\n".join(lines), "bomb.yaml")
    assert all("not allowed" in p.message for p in info.value.problems)


def test_deep_nesting_refused():
    with pytest.raises(InputError, match="nested deeper"):
        yamlio.load_yaml("a: " + "[" * 100 + "]" * 100, "deep.yaml")


def test_size_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.yaml"
    path.write_text("a: 12345678901\n")
    with pytest.raises(InputError, match="the limit is 10"):
        yamlio.load_yaml_file(path, "big.yaml")


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINI_ANSWERS.read_bytes().replace(b"\n", b"\r\n"))
    assert load_assessment(path, [FIXTURES]).answers.organisation.id == "tiny"


def test_non_utf8_reports_position_and_what_to_do(tmp_path):
    got = problems_of(tmp_path, b"bank: mini\nname: \xff\xfe\n")
    assert len(got) == 1
    assert got[0].startswith("answers.yaml:2:7: (document): not valid UTF-8 (byte 0xff); ")
    assert "save it as UTF-8" in got[0]


def test_a_gbk_file_is_named_as_such(tmp_path):
    got = problems_of(tmp_path, "bank: mini\nname: 蓝枫家居\n".encode("gbk"))
    assert "GBK/GB18030" in got[0]
    assert "save it as UTF-8" in got[0]


def test_bank_errors_are_located(tmp_path):
    from assessment.load.loader import load_bank

    bank = tmp_path / "broken"
    (bank / "questions").mkdir(parents=True)
    (bank / "manifest.yaml").write_text((FIXTURES / "mini" / "manifest.yaml").read_text())
    original = (FIXTURES / "mini" / "questions" / "all.yaml").read_text()
    broken = original.replace("clause: '2.1'", "clause: '2'", 1).replace("- P2\n", "- P9\n", 1)
    (bank / "questions" / "a.yaml").write_text(broken)
    (bank / "questions" / "b.yaml").write_text(original)  # every id again
    with pytest.raises(InputError) as info:
        load_bank(bank)
    messages = [p.message for p in info.value.problems]
    assert "clause 2 has sub-clauses; use a leaf clause" in messages
    assert "unknown principle 'P9'" in messages
    assert sum("duplicate question id" in m for m in messages) == 5


def test_committed_json_schemas_are_current():
    from assessment.load.schema import FOLDER, SCHEMAS, render_schema

    for name, model in SCHEMAS.items():
        assert (FOLDER / name).read_text("utf-8") == render_schema(model), (
            f"run python -m assessment.schema ({name})"
        )


@pytest.mark.parametrize(
    "text",
    [
        "".join(" " * i + f"k{i}:\n" for i in range(45)) + " " * 45 + "v: 1\n",
        "- " * 45 + "x\n",
        "a:\n" + "".join(" " * (2 * i + 2) + "- b:\n" for i in range(22)) + " " * 48 + "c: 1\n",
    ],
)
def test_deep_nesting_is_refused_without_any_flow_or_anchor_character(text):
    """Such files skip the event pre-scan only when they cannot nest that deep."""
    from assessment.load.yamlio import MAX_DEPTH, load_yaml

    assert not any(c in text for c in "&*[{")
    with pytest.raises(InputError) as caught:
        load_yaml(text, "deep.yaml")
    assert f"nested deeper than {MAX_DEPTH} levels" in str(caught.value.problems[0])


def test_a_missing_survey_is_located_in_the_answers_file(tmp_path):
    text = HEAD + "survey: gone.csv\nanswers: {}\n"
    assert problems_of(tmp_path, text) == [
        "answers.yaml:4:9: survey: no survey file gone.csv"
        " (paths are read from answers.yaml's folder)",
    ]


def _collections_while(read) -> list[int]:
    """The generation of each pass of the cycle collector that starts while read() runs."""
    started: list[int] = []

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(callback)
    try:
        read()
    finally:
        gc.callbacks.remove(callback)
    return started


def test_reading_a_bank_starts_no_pass_of_the_cycle_collector(tmp_path, monkeypatch) -> None:
    """Passes while reading (a full one among them) cost a quarter of reading the bank. One
    young pass may start as the reader ends: the one that was due, over what is left."""
    monkeypatch.setenv("CXASSESS_TEMPLATE_CACHE", str(tmp_path))  # nothing kept: read it all
    assert gc.isenabled()
    # As a check that the count can be above zero: the same allocations outside the pause.
    assert len(_collections_while(lambda: [[{}] for _ in range(50_000)])) > 1
    gc.collect()  # not one left due just before the reader pauses the collector
    assert _collections_while(lambda: load_bank("gbt42509")) in ([], [0])
    assert gc.isenabled()


def test_the_collector_is_left_as_it_was_found_after_a_failed_read() -> None:
    with pytest.raises(InputError):
        yamlio.load_yaml("a: [1\n", "bad.yaml")
    assert gc.isenabled()
    gc.disable()
    try:
        yamlio.load_yaml("a: 1\n", "good.yaml")
        assert not gc.isenabled()  # not switched on by the reader
    finally:
        gc.enable()
