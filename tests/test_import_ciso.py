"""CISO Assistant libraries imported as banks, on the invented libraries in tests/data/ciso.

mini-a (locale en, zh and en translations, scores 0..3, groups IG1 and IG2):
  GOV  -> GOV.1 (assessable, weight 3, unique choice 0/1/2/3, IG1 IG2)
          GOV.2 (assessable, IG2) -> GOV.2.1 (assessable, multiple choice 1/1/2, IG1 IG2)
                                     GOV.2.2 (not assessable)
  OPS  -> OPS.1 (assessable, IG1 IG2), OPS.2 (assessable, IG2)
  (no ref_id) "About this baseline" (not assessable)
mini-b (locale fr, en translations only, scores 0..100 unnamed): B1 -> B1.1, B1.2; B2 -> B2.1.
mapping-a-b: GOV.1 = B1.1, GOV.1 ∩ B1.2, GOV.2.1 ⊂ B1.2, OPS.1 not related to B2.1,
OPS.2 ⊃ B2.1, GOV (not assessable) = B1.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessment.common.errors import InputError, Problem
from assessment.io.bank_import.ciso import convert
from assessment.io.bank_import.write import Imported, source_hash, write_bank
from assessment.load.models.answers import AnswersFile
from assessment.score.scoring import score

DATA = Path(__file__).parent / "data" / "ciso"
MINI_A, MINI_B, MAPPING = DATA / "mini-a.yaml", DATA / "mini-b.yaml", DATA / "mapping-a-b.yaml"


def _import(tmp: Path, library: Path = MINI_A, **kwargs: Any) -> Imported:
    draft, files = convert(library, **kwargs)
    return write_bank(draft, "ciso-assistant", library.name, files, tmp / "bank", force=False)


@pytest.fixture(scope="module")
def mini_a(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    return _import(tmp_path_factory.mktemp("a"))


@pytest.fixture(scope="module")
def mapped(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    return _import(tmp_path_factory.mktemp("ab"), mapping=MAPPING, target=MINI_B)


def _answers(bank: str, answers: dict[str, Any], preset: str | None = None) -> AnswersFile:
    return AnswersFile.model_validate(
        {
            "bank": bank,
            "organisation": {"id": "org", "name": "Org"},
            "assessment": {"title": "t", "date": dt.date(2026, 11, 1)},
            "preset": preset,
            "answers": answers,
        }
    )


def _library(path: Path = MINI_A) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _write(path: Path, data: dict[str, Any]) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    path.write_text(text, encoding="utf-8")
    return text


def _nodes(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """mini-a's nodes by the last part of their urn."""
    return {
        n["urn"].rsplit(":", 1)[-1]: n for n in data["objects"]["framework"]["requirement_nodes"]
    }


def _line(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth of the lines holding needle (where there is one more)."""
    found = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(found) == max(nth, 1), (needle, found)
    return found[nth - 1]


# ---------------------------------------------------------------- the tree


def test_top_level_nodes_are_areas_and_top_clauses(mini_a):
    manifest = mini_a.bank.manifest
    assert [a.id for a in manifest.areas] == ["gov", "ops", "about-this-baseline"]
    # The node without a ref_id is numbered by its place: the third at the top.
    assert [(c.id, c.area) for c in manifest.clauses] == [
        ("GOV", "gov"),
        ("OPS", "ops"),
        ("3", "about-this-baseline"),
    ]
    assert manifest.areas[0].title.zh == "GOV 治理"
    assert manifest.clauses[2].title.en == "About this baseline"


def test_an_assessed_node_with_children_gets_a_leaf_clause_for_its_question(mini_a):
    bank = mini_a.bank
    assert bank.clauses["GOV"].children == ("GOV.1", "GOV.2")
    assert bank.clauses["GOV.2"].children == ("GOV.2.0", "GOV.2.1", "GOV.2.2")
    assert bank.clauses["GOV.2.0"].title == bank.clauses["GOV.2"].title
    assert bank.question_index["gov.2"].clause == "GOV.2.0"
    assert bank.question_index["gov.2.1"].clause == "GOV.2.1"
    # The node that is not assessed stays a clause, with the area of its top clause.
    assert bank.clauses["GOV.2.2"].is_leaf
    assert bank.clauses["GOV.2.2"].area == "gov"
    assert not [q for q in bank.questions if q.clause == "GOV.2.2"]
    assert [q.id for q in bank.questions] == ["gov.1", "gov.2", "gov.2.1", "ops.1", "ops.2"]


def test_question_files_are_named_by_area(mini_a):
    stems = sorted(p.stem for p in (mini_a.out / "questions").glob("*.yaml"))
    assert stems == ["gov", "ops"]  # "about" asks nothing: no file


# ---------------------------------------------------------------- texts


def test_both_languages_come_from_the_translations(mini_a):
    bank = mini_a.bank
    gov1 = bank.question_index["gov.1"]
    assert gov1.text.zh == "图书馆有经理事会批准的书面借阅制度。"
    assert gov1.text.en == "The library has a written lending policy that the board approved."
    assert bank.clauses["GOV.1"].title.zh == "GOV.1 借阅制度"
    assert bank.manifest.standard.title.zh == "社区图书馆基线"
    assert bank.manifest.standard.code == "MINI-A"
    assert bank.manifest.version == "2"
    assert gov1.choices[2].text.zh == "已批准"
    assert not [n for n in mini_a.notes if "text in the library" in n]  # nothing filled in


def test_guidance_evidence_and_weight(mini_a):
    q = mini_a.bank.question_index
    assert q["gov.1"].guidance.en.splitlines() == [
        "Ask for the signed copy and the date of the last board minute on it.",
        "The choices answer: How far has the policy got?",
    ]
    assert q["gov.1"].guidance.zh.startswith("查看签字版本")
    # No annotation: a sentence naming the node; a second question of the library is asked too.
    assert q["gov.2.1"].guidance.en.splitlines()[0].endswith("“GOV.2.1 Role descriptions”.")
    assert "Also ask: Who signs the role descriptions off?" in q["gov.2.1"].guidance.en
    assert "另请询问：岗位说明由谁签批？" in q["gov.2.1"].guidance.zh
    evidence = q["gov.1"].evidence
    assert [(e.kind, e.zh, e.en) for e in evidence] == [
        ("record", "签字的借阅制度", "The signed lending policy")
    ]
    assert q["ops.2"].evidence == ()
    assert q["gov.1"].weight == 3
    assert q["gov.1"].weight_rationale is not None
    assert q["gov.1"].weight_rationale.en == "Weight from the library"
    assert [q[i].weight for i in ("gov.2", "gov.2.1", "ops.1", "ops.2")] == [1, 1, 1, 1]


def test_presets_from_implementation_groups(mini_a):
    bank = mini_a.bank
    presets = bank.manifest.presets
    assert [(p.id, p.title.zh) for p in presets] == [("ig1", "小型分馆"), ("ig2", "总馆")]
    assert presets[0].description is not None
    assert presets[1].description is None
    assert bank.presets["ig1"] == {"gov.1", "gov.2.1", "ops.1"}
    assert bank.presets["ig2"] == {"gov.1", "gov.2", "gov.2.1", "ops.1", "ops.2"}


def test_source_is_recorded(mini_a):
    source = mini_a.bank.manifest.source
    assert source is not None
    assert source.format == "ciso-assistant"
    assert source.ref == "urn:test:risk:library:mini-a"
    assert source.provider == "cxassess tests"
    assert source.copyright
    assert source.copyright.startswith("Invented")
    assert source.sha256 == hashlib.sha256(MINI_A.read_bytes()).hexdigest()


# ---------------------------------------------------------------- scale and choices


def test_scale_from_scores_definition(mini_a):
    manifest = mini_a.bank.manifest
    assert [(s.level, s.name.en, s.name.zh) for s in manifest.scale] == [
        (0, "Absent", "缺失"),
        (1, "Started", "起步"),
        (2, "Routine", "常规"),
        (3, "Reviewed", "评审"),
    ]
    assert manifest.scale[2].meaning.en == "Done every time, with records."
    assert manifest.default_target == 2  # 3 / 2 rounded up
    ops1 = mini_a.bank.question_index["ops.1"]
    assert sorted(ops1.levels) == [0, 1, 2, 3]
    assert ops1.levels[2].en == "Routine: Done every time, with records."
    assert ops1.levels[2].zh == "常规：每次都做并有记录。"


def test_choices_score_add_score_over_the_range(mini_a):
    q = mini_a.bank.question_index
    gov1 = q["gov.1"]
    assert [c.id for c in gov1.choices] == ["none", "draft", "approved", "reviewed"]
    assert [c.value for c in gov1.choices] == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert not gov1.multiple
    assert not gov1.levels
    gov21 = q["gov.2.1"]
    assert gov21.multiple
    assert [c.value for c in gov21.choices] == pytest.approx([1 / 3, 1 / 3, 2 / 3])


def test_a_shifted_range_starts_at_level_zero(tmp_path):
    data = _library()
    framework = data["objects"]["framework"]
    framework["min_score"], framework["max_score"] = 1, 4
    for definition in framework["scores_definition"]:
        definition["score"] += 1
    _write(tmp_path / "shifted.yaml", data)
    imported = _import(tmp_path, tmp_path / "shifted.yaml")
    scale = imported.bank.manifest.scale
    assert [(s.level, s.name.en) for s in scale] == [
        (0, "Absent"),
        (1, "Started"),
        (2, "Routine"),
        (3, "Reviewed"),
    ]
    assert [n for n in imported.notes if "minus 1" in n and "1..4" in n]
    # add_score 2 of a range 1..4 is 2 / 3 of the top level.
    assert imported.bank.question_index["gov.1"].choices[2].value == pytest.approx(2 / 3)


def test_an_unnamed_wide_range_is_cut_into_fifths(tmp_path):
    imported = _import(tmp_path, MINI_B)
    scale = imported.bank.manifest.scale
    assert [s.level for s in scale] == [0, 1, 2, 3, 4, 5]
    assert scale[1].name.en == "Score 20"
    assert imported.bank.manifest.default_target == 3
    assert [n for n in imported.notes if "0..100" in n and "0..5" in n]


def test_choices_without_scores_are_answered_on_the_scale(tmp_path):
    data = _library()
    question = next(iter(_nodes(data)["gov.1"]["questions"].values()))
    for choice in question["choices"]:
        del choice["add_score"]
    _write(tmp_path / "unscored.yaml", data)
    imported = _import(tmp_path, tmp_path / "unscored.yaml")
    gov1 = imported.bank.question_index["gov.1"]
    assert not gov1.choices
    assert sorted(gov1.levels) == [0, 1, 2, 3]
    assert (
        "Also ask: How far has the policy got? (No policy / A draft / Approved" in gov1.guidance.en
    )
    assert [n for n in imported.notes if "without add_score" in n]


# ---------------------------------------------------------------- scoring


def test_scores_by_hand_with_a_preset(mini_a):
    bank = mini_a.bank
    answers = {
        "gov.1": {"choice": "approved"},  # 2/3 of level 3 -> 2
        "gov.2": {"level": 3},  # outside IG1: not applicable
        "gov.2.1": {"choice": ["written", "posted"]},  # 1/3 + 1/3 of level 3 -> 2
        "ops.1": {"level": 1},
    }
    card = score(bank, _answers("mini-a", answers, preset="ig1"))
    assert card.question("gov.2").level == "na"
    assert card.question("ops.2").level == "na"
    assert card.question("gov.1").level == pytest.approx(2)
    # (3*2 + 1*2 + 1*1) / (3 + 1 + 1)
    assert card.overall.score == pytest.approx(9 / 5)
    assert card.area("gov").score == pytest.approx((3 * 2 + 2) / 4)
    assert card.area("ops").score == pytest.approx(1)
    assert card.overall.applicable == 3


def test_scores_by_hand_without_a_preset(mini_a):
    answers = {
        "gov.1": {"choice": "reviewed"},  # 1 -> 3, weight 3
        "gov.2": {"level": 2},
        "gov.2.1": {"choice": ["written", "posted", "signed"]},  # 4/3 capped at 1 -> 3
        "ops.1": {"level": 0},
        "ops.2": {"level": 3},
    }
    card = score(mini_a.bank, _answers("mini-a", answers))
    # (3*3 + 2 + 3 + 0 + 3) / (3 + 1 + 1 + 1 + 1)
    assert card.overall.score == pytest.approx(17 / 7)
    assert card.clause("GOV.2").score == pytest.approx((2 + 3) / 2)
    assert card.area("gov").score == pytest.approx(14 / 5)


# ---------------------------------------------------------------- languages filled in


def test_a_french_library_fills_chinese_from_english(tmp_path):
    imported = _import(tmp_path, MINI_B)
    q = imported.bank.question_index
    assert q["b1.1"].text.zh == q["b1.1"].text.en == "The house rules are displayed."
    # The annotation is only in French: both languages show it.
    assert q["b2.1"].guidance.zh == q["b2.1"].guidance.en
    assert q["b2.1"].guidance.en.startswith("Vérifier")
    notes = [n for n in imported.notes if "text in the library" in n]
    # Filled from English: the standard's title, the five node titles and three question texts.
    assert [
        n for n in notes if n.startswith("No Chinese") and "(9 texts)" in n and "English text" in n
    ]
    assert [n for n in notes if n.startswith("No Chinese") and "library's fr text" in n]
    assert [n for n in notes if n.startswith("No English") and "library's fr text" in n]
    assert len(notes) == 3  # one a direction


# ---------------------------------------------------------------- mapping


def test_mapping_becomes_a_crosswalk(mapped):
    bank = mapped.bank
    crosswalk = bank.manifest.crosswalks["mini-b"]
    assert crosswalk.title.en == "Media library framework"
    assert [(i.id, i.title.en) for i in crosswalk.items] == [
        ("b1.1", "B1.1 House rules"),
        ("b1.2", "B1.2 Volunteers"),
        ("b2.1", "B2.1 Returns"),
    ]
    q = bank.question_index
    assert q["gov.1"].crosswalk == {"mini-b": ("b1.1", "b1.2")}
    assert q["gov.2.1"].crosswalk == {"mini-b": ("b1.2",)}
    assert q["ops.2"].crosswalk == {"mini-b": ("b2.1",)}
    assert q["ops.1"].crosswalk == {}  # not_related: left out
    assert q["gov.2"].crosswalk == {}
    [counts] = [n for n in mapped.notes if "mappings kept" in n]
    assert "4 mappings kept" in counts
    assert "1 not_related" in counts
    assert "1 from requirements that are not assessed" in counts


def test_mapping_hashes_every_file_read(mapped):
    source = mapped.bank.manifest.source
    assert source is not None
    files = [(p.name, p.read_bytes()) for p in (MINI_A, MAPPING, MINI_B)]
    assert source.sha256 == source_hash(files)
    assert source.sha256 != hashlib.sha256(MINI_A.read_bytes()).hexdigest()


def test_crosswalk_scores(mapped):
    answers = {"gov.1": {"choice": "draft"}, "gov.2.1": {"choice": ["signed"]}}
    card = score(mapped.bank, _answers("mini-a", answers))
    items = {g.id: g for g in card.crosswalks["mini-b"]}
    # b1.2: gov.1 (weight 3) at 1/3 of 3 = 1 and gov.2.1 at 2/3 of 3 = 2: (3*1 + 2) / 4
    assert items["b1.2"].score == pytest.approx(5 / 4)
    assert items["b1.1"].score == pytest.approx(1)


# ---------------------------------------------------------------- problems


def _located(problems: tuple[Problem, ...], file: Path, fragment: str) -> Problem:
    found = [p for p in problems if p.file == str(file) and fragment in p.message]
    assert len(found) == 1, (fragment, [str(p) for p in problems])
    assert str(found[0]).startswith(f"{file}:{found[0].line}:{found[0].col}:")
    return found[0]


def test_every_problem_is_reported_at_once_with_its_place(tmp_path):
    data = _library()
    nodes = _nodes(data)
    framework = data["objects"]["framework"]
    framework["scores_definition"].append({"score": 5, "name": "Beyond"})
    nodes["ops.2"]["parent_urn"] = "urn:test:risk:req_node:mini-a:opz"
    nodes["gov.2.2"]["ref_id"] = "GOV.2.1"  # the same as its sibling
    nodes["ops.1"]["ref_id"] = "GOV-1"  # cleans to GOV.1, which is taken
    nodes["gov.2.1"]["depth"] = 4  # below a node of depth 2
    nodes["gov.1"]["weight"] = 0
    question = next(iter(nodes["gov.2.1"]["questions"].values()))
    del question["choices"]
    twin = copy.deepcopy(nodes["about"])
    twin["name"] = "About again"
    framework["requirement_nodes"].append(twin)
    library = tmp_path / "broken.yaml"
    text = _write(library, data)

    mapping = _library(MAPPING)
    good = mapping["objects"].pop("requirement_mapping_set")
    bad = copy.deepcopy(good)
    good["requirement_mappings"][0]["source_requirement_urn"] += "x"
    good["requirement_mappings"][1]["target_requirement_urn"] = "urn:test:risk:req_node:mini-b:b9"
    bad["source_framework_urn"] = "urn:test:risk:framework:other"
    bad["target_framework_urn"] = "urn:test:risk:framework:mini-c"
    mapping["objects"]["requirement_mapping_sets"] = [good, bad]
    mapping_path = tmp_path / "mapping.yaml"
    mapping_text = _write(mapping_path, mapping)

    with pytest.raises(InputError) as caught:
        convert(library, mapping=mapping_path, target=MINI_B)
    problems = caught.value.problems

    def at(fragment: str, needle: str, file: Path = library, nth: int = 1) -> None:
        source = text if file == library else mapping_text
        assert _located(problems, file, fragment).line == _line(source, needle, nth), fragment

    at("names no node (did you mean 'urn:test:risk:req_node:mini-a:ops'?)", ":opz")
    at("duplicate ref_id 'GOV.2.1' (first on line", "ref_id: GOV.2.1", nth=2)
    at("gives clause id 'GOV.1'", "ref_id: GOV-1")
    at("duplicate urn", "- urn: urn:test:risk:req_node:mini-a:about", nth=2)
    at("a multiple_choice question needs choices", "type: multiple_choice")
    at("depth 4 below its parent's depth 2: expected 3", "depth: 4")
    at("score 5 lies outside min_score..max_score (0..3)", "score: 5")
    at("weight must be a number above 0", "weight: 0")
    at("source_requirement_urn 'urn:test:risk:req_node:mini-a:gov.1x'", ":gov.1x", mapping_path)
    at("names no requirement of urn:test:risk:framework:mini-b", ":b9", mapping_path)
    at("source framework 'urn:test:risk:framework:other'", ":framework:other", mapping_path)
    at("target framework 'urn:test:risk:framework:mini-c'", ":mini-c", mapping_path)
    assert all(p.line > 0 and p.col > 0 for p in problems)
    assert len(problems) == 12


def test_a_library_without_framework_and_a_mapping_without_target(tmp_path):
    library = tmp_path / "empty.yaml"
    data = _library()
    data["objects"] = {"risk_matrix": {"urn": "urn:test:risk:matrix:x"}}
    text = _write(library, data)
    with pytest.raises(InputError) as caught:
        convert(library, mapping=MAPPING)
    problems = caught.value.problems
    assert _located(problems, library, "no framework in objects").line == _line(text, "objects:")
    needs_target = _located(problems, MAPPING, "needs the library of its target framework")
    assert needs_target.line == _line(MAPPING.read_text(encoding="utf-8"), "target_framework_urn")
    assert len(problems) == 2


def test_a_target_without_mapping_is_refused():
    with pytest.raises(InputError) as caught:
        convert(MINI_A, target=MINI_B)
    assert [p.message for p in caught.value.problems] == [
        "a target library is read only with a mapping library (--mapping)"
    ]


def test_the_target_library_has_its_problems_reported_too(tmp_path):
    data = _library(MINI_B)
    data["objects"]["framework"]["requirement_nodes"][2]["parent_urn"] = "urn:nowhere"
    target = tmp_path / "target.yaml"
    text = _write(target, data)
    with pytest.raises(InputError) as caught:
        convert(MINI_A, mapping=MAPPING, target=target)
    problem = _located(caught.value.problems, target, "parent_urn 'urn:nowhere' names no node")
    assert problem.line == _line(text, "urn:nowhere")


# ---------------------------------------------------------------- the source hash


def test_source_hash_follows_the_library(tmp_path):
    copy_path = tmp_path / "mini-a.yaml"
    copy_path.write_bytes(MINI_A.read_bytes())
    _, files = convert(copy_path)
    _, again = convert(copy_path)
    assert source_hash(files) == source_hash(again)
    assert files == [("mini-a.yaml", MINI_A.read_bytes())]
    changed = MINI_A.read_text(encoding="utf-8").replace("Same-day returns", "Next-day returns")
    copy_path.write_text(changed, encoding="utf-8")
    draft, changed_files = convert(copy_path)
    assert source_hash(changed_files) != source_hash(files)
    assert draft.manifest["clauses"][1]["children"][1]["title"]["en"] == "OPS.2 Next-day returns"


# ---------------------------------------------------------------- what published libraries do


def test_what_published_libraries_do_imports(tmp_path):
    data = _library()
    framework = data["objects"]["framework"]
    nodes = framework["requirement_nodes"]
    # A wrapper without depth above nodes of depth 1 (the tree follows parent_urn).
    core = {"urn": "urn:test:risk:req_node:mini-a:core", "assessable": False, "name": "Core"}
    for node in nodes:
        node.setdefault("parent_urn", core["urn"])
    ops = "urn:test:risk:req_node:mini-a:ops"
    # ANSSI's reinforced and lighter variants of one recommendation.
    variants = [
        {"urn": f"{ops}.3{tail}", "parent_urn": ops, "depth": 2, "assessable": True, "ref_id": ref}
        for tail, ref in (("p", "OPS.3+"), ("", "OPS.3"), ("m", "OPS.3 (-)"))
    ]
    variants[0]["implementation_groups"] = ["IG1", "IG9", ""]  # IG9 is defined nowhere
    # Without ref_ids, named by urns that clean alike.
    unnamed = [
        {"urn": f"{ops}:x:1", "parent_urn": ops, "assessable": True, "name": "First"},
        {"urn": f"{ops}:x-1", "parent_urn": ops, "assessable": True, "name": "Second"},
    ]
    framework["requirement_nodes"] = [core, *nodes, *variants, *unnamed]
    _write(tmp_path / "quirks.yaml", data)
    imported = _import(tmp_path, tmp_path / "quirks.yaml")
    bank = imported.bank
    assert [a.id for a in bank.manifest.areas] == ["core"]
    assert bank.clauses["GOV"].parent == "1"  # the wrapper, numbered: it has no ref_id
    # The two without ref_id are numbered by their place: the sixth and seventh below OPS.
    assert bank.clauses["OPS"].children == (
        "OPS.1",
        "OPS.2",
        "OPS.3.plus",
        "OPS.3",
        "OPS.3.minus",
        "OPS.6",
        "OPS.7",
    )
    assert bank.clauses["1"].children == ("GOV", "OPS", "1.3")
    q = bank.question_index
    assert [q[i].clause for i in ("ops.3-plus", "ops.3", "ops.3-minus")] == [
        "OPS.3.plus",
        "OPS.3",
        "OPS.3.minus",
    ]
    assert q["ops-x-1"].text.en == "First"
    assert q["ops-x-1-2"].text.en == "Second"
    assert q["ops.3-plus"].presets == ("ig1",)
    assert [n for n in imported.notes if "(IG9)" in n]


def test_a_mapping_library_holding_both_directions(tmp_path):
    mapping = _library(MAPPING)
    forward = mapping["objects"].pop("requirement_mapping_set")
    backward = copy.deepcopy(forward)
    backward["source_framework_urn"], backward["target_framework_urn"] = (
        forward["target_framework_urn"],
        forward["source_framework_urn"],
    )
    for item in backward["requirement_mappings"]:
        item["source_requirement_urn"], item["target_requirement_urn"] = (
            item["target_requirement_urn"],
            item["source_requirement_urn"],
        )
    mapping["objects"]["requirement_mapping_sets"] = [backward, forward]
    _write(tmp_path / "both.yaml", mapping)
    imported = _import(tmp_path, mapping=tmp_path / "both.yaml", target=MINI_B)
    assert imported.bank.question_index["gov.1"].crosswalk == {"mini-b": ("b1.1", "b1.2")}
    assert [n for n in imported.notes if "other way round were left out" in n]
    # Given the other way round, the only set is refused with what to do.
    mapping["objects"]["requirement_mapping_sets"] = [backward]
    _write(tmp_path / "back.yaml", mapping)
    with pytest.raises(InputError) as caught:
        convert(MINI_A, mapping=tmp_path / "back.yaml", target=MINI_B)
    [problem] = caught.value.problems
    assert problem.message.endswith("give them the other way round")
