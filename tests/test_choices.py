"""Questions answered by picking a scored choice, and presets that narrow what applies: the
bank format, the scoring rule (value x top level), the checks, workbooks, the form and the
pages. The bank is tests/fixtures/picks (scale 0..4), written by hand."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessment import api
from assessment.common.errors import InputError
from assessment.io.template import answers_template
from assessment.io.xlsx import export_workbook, import_workbook
from assessment.load.bank import Bank
from assessment.load.loader import load_bank
from assessment.load.models.answers import AnswersFile
from assessment.render.form import form_payload
from assessment.score.scoring import score
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def picks() -> Bank:
    return load_bank("picks", [FIXTURES])


def answers_of(answers: dict[str, Any], **extra: Any) -> AnswersFile:
    return AnswersFile.model_validate(
        {
            "bank": "picks",
            "organisation": {"id": "org", "name": "Org"},
            "assessment": {"title": "t", "date": dt.date(2026, 12, 1)},
            "answers": answers,
            **extra,
        }
    )


def test_a_choice_scores_its_value_times_the_top_level(picks):
    card = score(
        picks,
        answers_of(
            {
                "ladder": {"level": 2},
                "single": {"choice": "half"},  # 0.5 x 4 = 2
                "several": {"choice": ["plan", "owner"]},  # (0.25 + 0.5) x 4 = 3
            }
        ),
    )
    levels = {q.id: q.level for q in card.questions}
    assert levels == {"ladder": 2, "single": 2, "several": 3}
    assert card.clause("1.2").score == pytest.approx((2 + 3) / 2)
    assert card.overall.score == pytest.approx((2 + 2 + 3) / 3)
    # target 3: ladder and single gain 1 each (clause order breaks the tie), several nothing
    assert [(q.id, q.priority) for q in card.roadmap] == [("ladder", 1.0), ("single", 1.0)]


def test_a_value_between_levels_stays_a_fraction_and_whole_ones_are_whole(picks):
    card = score(picks, answers_of({"single": {"choice": "some"}, "several": {"choice": ["plan"]}}))
    single, several = card.question("single"), card.question("several")
    assert single.level == 1
    assert isinstance(single.level, int)
    assert several.level == 1
    assert isinstance(several.level, int)
    card = score(picks, answers_of({"several": {"choice": ["plan", "review"]}}))  # 0.75 x 4
    assert card.question("several").level == 3


def test_several_choices_add_up_to_at_most_the_top(picks):
    card = score(picks, answers_of({"several": {"choice": ["plan", "owner", "review"]}}))
    assert card.question("several").level == 4  # 1.25 capped at 1, x 4
    assert card.question("several").gap == -1.0


def test_a_preset_leaves_the_questions_outside_it_not_applicable(picks):
    given = {"ladder": {"level": 2}, "single": {"choice": "all"}, "several": {"choice": ["plan"]}}
    everything = score(picks, answers_of(given))
    basic = score(picks, answers_of(given, preset="basic"))
    assert everything.overall.score == pytest.approx((2 + 4 + 1) / 3)
    assert basic.question("several").level == "na"
    assert basic.overall.score == pytest.approx((2 + 4) / 2)
    assert (basic.overall.answered, basic.overall.applicable) == (2, 2)


def _problems(tmp_path: Path, data: dict[str, Any]) -> list[str]:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        api.validate_file(path, [FIXTURES])
    return [str(p) for p in excinfo.value.problems]


def test_wrong_choices_are_reported_at_once_with_their_place(tmp_path):
    data = answers_of({}).model_dump(mode="json", exclude_defaults=True)
    data["preset"] = "basik"
    data["answers"] = {
        "ladder": {"choice": "all"},
        "single": {"choice": "hlf"},
        "several": {"choice": ["plan", "ownr"]},
    }
    found = _problems(tmp_path, data)
    text = "\n".join(found)
    assert len(found) == 4, text
    assert re.search(
        r"answers\.yaml:\d+:\d+: preset: bank picks has no preset 'basik' \(did you mean 'basic'\?\)",
        text,
    )
    assert re.search(
        r":\d+:\d+: answers\.ladder\.choice: this question has no choices: give a level", text
    )
    assert re.search(
        r"answers\.single\.choice: unknown choice 'hlf' \(did you mean 'half'\?\)", text
    )
    assert re.search(r"answers\.several\.choice\[1\]: unknown choice 'ownr'", text)


def test_a_level_for_a_choice_question_and_a_list_for_a_single_one_are_refused(tmp_path):
    data = answers_of({}).model_dump(mode="json", exclude_defaults=True)
    data["answers"] = {"single": {"level": 2}, "several": {"choice": "plan"}}
    found = _problems(tmp_path, data)
    assert len(found) == 1
    assert (
        "answers.single.level: this question is answered by choice (all, half, no, some)"
        in found[0]
    )
    data["answers"] = {"single": {"choice": ["half", "all"]}}
    assert "pick one choice" in _problems(tmp_path, data)[0]
    data["answers"] = {"single": {"choice": "half", "level": 2}}
    assert "give a level or a choice, not both" in _problems(tmp_path, data)[0]


def _bank_problems(tmp_path: Path, edit: Any) -> list[str]:
    folder = tmp_path / f"picks-{len(list(tmp_path.iterdir()))}"
    (folder / "questions").mkdir(parents=True)
    (folder / "manifest.yaml").write_bytes((FIXTURES / "picks" / "manifest.yaml").read_bytes())
    data = yaml.safe_load((FIXTURES / "picks" / "questions" / "1.yaml").read_text("utf-8"))
    edit(data["questions"])
    (folder / "questions" / "1.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        load_bank(folder)
    return [str(p) for p in excinfo.value.problems]


def test_a_bank_question_has_levels_or_choices_with_unique_ids_and_known_presets(tmp_path):
    def spoil(questions: list[dict[str, Any]]) -> None:
        questions[0]["choices"] = copy.deepcopy(questions[1]["choices"])  # levels and choices
        questions[1]["choices"][1]["id"] = "no"  # a duplicate
        questions[1]["presets"] = ["basics"]
        questions[2]["choices"][0]["value"] = 1.5

    found = "\n".join(_bank_problems(tmp_path, spoil))
    assert "questions[0]: give either levels (a descriptor per level) or choices" in found
    assert "questions[2].choices[0].value: " in found
    assert len(found.splitlines()) == 2  # structure first: cross references wait for it

    def cross(questions: list[dict[str, Any]]) -> None:
        questions[1]["choices"][1]["id"] = "no"
        questions[1]["presets"] = ["basics"]

    found = "\n".join(_bank_problems(tmp_path, cross))
    assert "questions[1].choices[1].id: duplicate id 'no'" in found
    assert "questions[1].presets[0]: unknown preset 'basics' (did you mean 'basic'?)" in found


def test_workbook_round_trip_keeps_choices(picks, tmp_path):
    answers = answers_of(
        {
            "ladder": {"level": 3},
            "single": {"choice": "half", "note": "seen"},
            "several": {"choice": ["plan", "review"]},
        }
    )
    for lang in ("en", "zh"):
        path = tmp_path / f"{lang}.xlsx"
        path.write_bytes(export_workbook(picks, lang, answers))
        back = import_workbook(path, picks)
        assert back.answers["single"].choice == "half"
        assert back.answers["several"].choice == ("plan", "review")
        assert back.answers["ladder"].level == 3
        assert score(picks, back).overall.score == score(picks, answers).overall.score


def test_a_workbook_with_a_wrong_choice_names_the_cell(picks, tmp_path):
    import openpyxl

    path = tmp_path / "book.xlsx"
    path.write_bytes(export_workbook(picks, "en", answers_of({})))
    wb = openpyxl.load_workbook(path)
    ws = next(ws for ws in wb.worksheets if ws.cell(row=1, column=1).value == "ID")
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    header = [c.value for c in ws[1]]
    column = header.index("Level") + 1
    ws.cell(row=rows["single"], column=column, value="hlf")
    ws.cell(row=rows["several"], column=column, value="plan, owner")
    wb.save(path)
    with pytest.raises(InputError) as excinfo:
        import_workbook(path, picks)
    (problem,) = excinfo.value.problems
    assert problem.path.endswith(f"{openpyxl.utils.get_column_letter(column)}{rows['single']}")
    assert "'hlf' is not a choice of this question" in problem.message
    assert "did you mean 'half'?" in problem.message


def test_a_fresh_answers_file_lists_the_choices_and_validates_once_picked(picks, tmp_path):
    text = answers_template(picks, "en", dt.date(2026, 12, 1))
    assert "#   half: Half (= 2)" in text
    assert "choice: null" in text
    path = tmp_path / "a.yaml"
    path.write_text(text.replace("choice: null", "choice: all", 1), encoding="utf-8")
    done = api.validate_file(path, [FIXTURES])
    assert done.answers.answers["single"].picked == ("all",)


def test_the_form_offers_the_choices(picks):
    payload = form_payload(picks, "zh")
    questions = {q["id"]: q for c in payload["clauses"] for q in c["questions"]}
    assert [c["id"] for c in questions["single"]["choices"]] == ["no", "some", "half", "all"]
    assert questions["single"]["choices"][2] == {"id": "half", "text": "一半", "value": 0.5}
    assert "choices" not in questions["ladder"]


def test_pages_show_the_choice_picked_and_the_next_better_one(tmp_path):
    path = tmp_path / "a.yaml"
    answers = answers_of({"ladder": {"level": 1}, "single": {"choice": "half"}})
    path.write_text(yaml.safe_dump(answers.model_dump(mode="json", exclude_defaults=True)), "utf-8")
    api.build_site(path, tmp_path / "site", search=[FIXTURES])
    pages = list((tmp_path / "site" / "en").rglob("index.html"))
    clause = next(p for p in pages if p.parent.name == "1.2").read_text("utf-8")
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", clause))
    assert re.search(r"Half 2 ◀ picked", plain)
    assert "The next better choice ): All" in plain or "The next better choice): All" in plain
    roadmap = (tmp_path / "site" / "en" / "roadmap" / "index.html").read_text("utf-8")
    assert "The next better choice:</strong> All" in roadmap
    method = (tmp_path / "site" / "en" / "methodology" / "index.html").read_text("utf-8")
    assert "scores the choice" in method
    assert "value (0–1) × 4" in method


def test_respondents_choices_combine_to_the_choice_at_the_lower_median(picks):
    from assessment.score.respondents import Respondent, combine

    picked = {"ann": "all", "bo": "half", "cy": "some", "di": "no"}  # levels 4, 2, 1, 0
    people = [
        Respondent(name, answers_of({"single": {"choice": choice}}), f"{name}.yaml")
        for name, choice in picked.items()
    ]
    merged, consensus = combine(people, picks)
    # levels 0, 1, 2, 4: the lower median is 1, picked by cy
    assert merged.answers["single"].choice == "some"
    single = next(q for q in consensus.questions if q.id == "single")
    assert single.levels == (4, 2, 1, 0)
    assert (single.combined, single.spread, single.divergent) == (1, 4, True)


def test_a_nonconformity_on_a_question_the_preset_leaves_out_is_refused(tmp_path):
    data = answers_of({}).model_dump(mode="json", exclude_defaults=True)
    data["preset"] = "basic"
    data["targets"] = {"default": 4}
    data["answers"] = {"several": {"choice": ["plan"], "finding": "major"}}
    found = _problems(tmp_path, data)
    assert len(found) == 1, found
    assert re.search(
        r"answers\.several\.finding: a major nonconformity needs a question that applies; the"
        r" preset 'basic' leaves this one out",
        found[0],
    )
    data.pop("preset")  # the same answer where the question applies: no problem
    path = tmp_path / "applies.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    api.validate_file(path, [FIXTURES])


def test_for_several_choices_the_next_step_is_the_choices_not_yet_picked(tmp_path):
    path = tmp_path / "a.yaml"
    answers = answers_of({"several": {"choice": ["plan", "owner"]}})  # (0.25 + 0.5) x 4 = 3
    data = answers.model_dump(mode="json", exclude_defaults=True) | {"targets": {"default": 4}}
    path.write_text(yaml.safe_dump(data), "utf-8")
    api.build_site(path, tmp_path / "site", search=[FIXTURES])
    roadmap = (tmp_path / "site" / "en" / "roadmap" / "index.html").read_text("utf-8")
    assert "Still to add (they add up):</strong> A review" in roadmap
    pages = list((tmp_path / "site" / "en").rglob("index.html"))
    clause = next(p for p in pages if p.parent.name == "1.2").read_text("utf-8")
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", clause))
    assert "(Still to add (they add up)): A review" in plain
    only_plan = answers_of({"several": {"choice": ["plan"]}}).model_dump(
        mode="json", exclude_defaults=True
    )
    path.write_text(yaml.safe_dump(only_plan | {"targets": {"default": 4}}), "utf-8")
    api.build_site(path, tmp_path / "site", search=[FIXTURES])
    roadmap = (tmp_path / "site" / "en" / "roadmap" / "index.html").read_text("utf-8")
    assert "Still to add (they add up):</strong> An owner; A review" in roadmap
