"""Spreadsheet round trip: the questionnaire workbook, reading it back, and the xlsx commands."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.cli import main
from assessment.common.errors import InputError
from assessment.io.xlsx import export_workbook, import_workbook
from assessment.io.xlsx_layout import decode_text, encode_text, sheet_titles
from assessment.load.bank import Bank
from assessment.load.models.answers import Answer, AnswersFile
from assessment.load.models.base import EARLIEST, LATEST, has_words
from tests.conftest import FIXTURES, MINI_ANSWERS, make_answers

BANKS = ["--bank-path", str(FIXTURES)]
LEVEL_COLUMN, FINDING_COLUMN = "J", "N"  # id, clause, question, six descriptors, then the fill-ins


def mini_answers() -> AnswersFile:
    return AnswersFile.model_validate(
        {
            **make_answers("mini", {}).model_dump(),
            "organisation": {"id": "acme", "name": "Acme", "sector": "retail"},
            "assessment": {
                "title": "Audit",
                "date": dt.date(2026, 11, 1),
                "assessors": ["Li Wei", "Ann"],
                "scope": "all sites",
            },
            "targets": {"default": 3, "clauses": {"1.2": 4}},
            "answers": {
                "q1": {"level": 2, "evidence": ["minutes", "  plan v2  "], "note": "=SUM(A1)"},
                "q3": {"level": "na", "reason": "not offered", "finding": "observation"},
                "q4": {"level": 5, "finding": "major", "note": "line one\nline two"},
            },
        }
    )


def listed(answers: AnswersFile, bank: Bank) -> AnswersFile:
    """What import gives back: an entry for every question of the bank, in bank order."""
    every = {q.id: answers.answers.get(q.id, Answer()) for q in bank.questions}
    return answers.model_copy(update={"answers": every})


def save(tmp_path: Path, data: bytes, name: str = "book.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def edit(path: Path, change: Any) -> Path:
    """Open a workbook as a user would, change it, save it again."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def problems_of(excinfo: pytest.ExceptionInfo[InputError]) -> dict[str, str]:
    return {p.path: p.message for p in excinfo.value.problems}


# --- export ------------------------------------------------------------------------------


def test_export_structure(mini_bank, tmp_path):
    wb = openpyxl.load_workbook(save(tmp_path, export_workbook(mini_bank, "en")))
    assert wb.sheetnames == ["Info", "Alpha", "Beta", "Objectives", "Findings", "Actions"]
    info, alpha, beta, objectives, findings, actions = wb.worksheets
    assert actions["A1"].value == "Action for question"
    assert objectives["A1"].value == "Objective id"
    assert objectives.max_row == 1  # a blank questionnaire has no objectives yet
    assert findings["A1"].value == "Finding of question"
    assert findings.max_row == 1
    assert [c.value for c in info[1]] == ["Key", "Field", "Value", "Hint"]
    keys = [row[0] for row in info.iter_rows(min_row=2, values_only=True)]
    assert keys[:5] == [
        "bank",
        "bank.version",
        "bank.content_hash",
        "organisation.id",
        "organisation.name",
    ]
    assert info["C2"].value == "mini"
    assert info["C4"].value == mini_bank.content_hash
    assert [c.value for c in alpha[1]] == [
        "ID", "Clause", "Question", "0 L0", "1 L1", "2 L2", "3 L3", "4 L4", "5 L5",
        "Level", "Reason (if na)", "Evidence (one per line)", "Note", "Finding",
        "Decided by (if na)",
    ]  # fmt: skip
    assert [alpha.cell(row=r, column=1).value for r in range(2, alpha.max_row + 1)] == [
        "q1",
        "q2",
        "q3",
    ]
    assert [beta.cell(row=r, column=1).value for r in range(2, beta.max_row + 1)] == ["q4", "q5"]
    assert alpha["C2"].value == "Question 1?"
    assert alpha["D2"].value == "q1 level 0"
    assert alpha["I2"].value == "q1 level 5"
    assert alpha["D2"].alignment.wrap_text
    assert (info.freeze_panes, alpha.freeze_panes) == ("A2", "D2")
    assert alpha.column_dimensions["C"].width > alpha.column_dimensions["A"].width
    validations = {str(dv.sqref): dv for dv in alpha.data_validations.dataValidation}
    level = validations[f"{LEVEL_COLUMN}2:{LEVEL_COLUMN}4"]
    finding = validations[f"{FINDING_COLUMN}2:{FINDING_COLUMN}4"]
    assert (level.type, level.formula1) == ("list", '"0,1,2,3,4,5,na"')
    assert finding.formula1 == '"conforming,observation,ofi,minor,major"'
    assert level.allow_blank
    assert finding.showErrorMessage


def test_export_headers_in_chinese(mini_bank, tmp_path):
    wb = openpyxl.load_workbook(save(tmp_path, export_workbook(mini_bank, "zh")))
    assert wb.sheetnames == ["Info", "Alpha（中）", "Beta（中）", "目标", "发现记录", "行动计划"]
    assert [c.value for c in wb["Info"][1]] == ["键", "项目", "值", "说明"]
    header = [c.value for c in wb["Alpha（中）"][1]]
    assert header[:4] == ["编号", "条款", "问题", "0 L0（中）"]
    assert header[9:] == [
        "等级",
        "理由（不适用时）",
        "证据（每行一项）",
        "备注",
        "发现",
        "决定人（不适用时）",
    ]
    assert wb["Alpha（中）"]["C2"].value == "Question 1?（中）"
    assert wb["Info"]["C6"].value == "我的组织"


def test_export_prefills_answers_as_text_never_formulas(mini_bank, tmp_path):
    path = save(tmp_path, export_workbook(mini_bank, "en", mini_answers()))
    wb = openpyxl.load_workbook(path)
    alpha = wb["Alpha"]
    assert alpha["J2"].value == 2
    assert alpha["L2"].value == "minutes\n  plan v2  "
    assert (alpha["M2"].value, alpha["M2"].data_type) == ("=SUM(A1)", "s")
    assert alpha["M2"].quotePrefix
    assert (alpha["J4"].value, alpha["K4"].value, alpha["N4"].value) == (
        "na",
        "not offered",
        "observation",
    )
    assert wb["Info"]["C9"].value == dt.datetime(2026, 11, 1)
    assert wb["Info"]["C10"].value == "Li Wei\nAnn"
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_sheet_titles_are_valid_for_excel():
    titles = sheet_titles(
        ["a/b:c*?[x]\\y", "x" * 40, "info", "History", "'quoted'", "", "x" * 40], taken=["Info"]
    )
    assert titles[0] == "a b c x y"
    assert titles[1] == "x" * 31
    assert titles[2] == "info (2)"
    assert titles[3] == "History (2)"
    assert titles[4] == "quoted"
    assert titles[5] == "Sheet 6"
    assert titles[6] == "x" * 27 + " (2)"
    assert all(len(t) <= 31 for t in titles)
    assert len({t.casefold() for t in titles}) == len(titles)


def test_export_is_deterministic(mini_bank, monkeypatch):
    answers = mini_answers()
    first = export_workbook(mini_bank, "en", answers)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 400 * 86400)  # zip entries read the clock
    second = export_workbook(mini_bank, "en", answers)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2026-11-01T00:00:00Z") == 2  # created and modified
    with zipfile.ZipFile(io.BytesIO(export_workbook(mini_bank, "zh"))) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert archive.read("docProps/core.xml").decode().count("2000-01-01T00:00:00Z") == 2


def test_export_refuses_text_too_long_for_a_cell(mini_bank):
    long = make_answers("mini", {"q2": {"level": 1, "evidence": ["a" * 20_000, "b" * 20_000]}})
    with pytest.raises(InputError) as excinfo:
        export_workbook(mini_bank, "en", long, source="acme.yaml")
    assert [str(p) for p in excinfo.value.problems] == [
        "acme.yaml: answers.q2.evidence: too long for a spreadsheet cell (40001 > 32767 characters)"
    ]


# --- import ------------------------------------------------------------------------------


def test_round_trip_of_the_fixture_answers(mini_bank, tmp_path):
    answers = AnswersFile.model_validate(yaml.safe_load(MINI_ANSWERS.read_text(encoding="utf-8")))
    for lang in ("en", "zh"):
        path = save(tmp_path, export_workbook(mini_bank, lang, answers), f"{lang}.xlsx")
        assert import_workbook(path, mini_bank) == listed(answers, mini_bank)


def test_import_finds_questions_by_id_not_position(mini_bank, tmp_path):
    path = save(tmp_path, export_workbook(mini_bank, "en", mini_answers()))

    def put(cell: Any, value: object) -> None:
        # A copied text cell stays text, as in a spreadsheet program; openpyxl would make
        # "=SUM(A1)" a formula.
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"

    def shuffle(wb: Any) -> None:
        alpha, beta = wb["Alpha"], wb["Beta"]
        rows = [[c.value for c in row] for row in alpha.iter_rows(min_row=2)]
        for r, values in enumerate(reversed(rows), 2):  # sorted the other way round
            for c, value in enumerate(values, 1):
                put(alpha.cell(row=r, column=c), value)
        moved = [c.value for c in beta[2]]  # q4 moved to the bottom of the Alpha sheet
        for c, value in enumerate(moved, 1):
            put(alpha.cell(row=6, column=c), value)
            beta.cell(row=2, column=c).value = None

    back = import_workbook(edit(path, shuffle), mini_bank)
    assert back == listed(mini_answers(), mini_bank)


def test_import_identifies_sheets_by_header_not_name(mini_bank, tmp_path):
    path = save(tmp_path, export_workbook(mini_bank, "zh", mini_answers()))

    def rename(wb: Any) -> None:
        wb["Info"].title = "Cover"
        wb["Alpha（中）"].title = "My renamed sheet"
        wb.move_sheet("Cover", offset=2)
        wb["My renamed sheet"]["J3"] = 4
        notes = wb.create_sheet("Scratch")  # an auditor's own sheet is ignored
        notes["A1"] = "todo"

    back = import_workbook(edit(path, rename), mini_bank)
    assert back.answers["q2"].level == 4
    assert back.answers["q1"] == mini_answers().answers["q1"]
    assert back.organisation.name == "Acme"


def test_import_finds_a_header_below_rows_a_user_added_on_top(mini_bank, tmp_path):
    """A title or a note typed above the header must not make a sheet's answers vanish."""
    path = save(tmp_path, export_workbook(mini_bank, "en", mini_answers()))

    def add_titles(wb: Any) -> None:
        for title, rows in (("Alpha", 2), ("Beta", 1), ("Info", 3)):
            wb[title].insert_rows(1, rows)
            wb[title]["A1"] = f"Acme self-check — {title}"
        wb["Beta"].cell(row=2, column=13, value="Memo")  # reported at the header's own row

    with pytest.raises(InputError) as excinfo:
        import_workbook(edit(path, add_titles), mini_bank)
    assert problems_of(excinfo) == {"Beta!A2": "header lacks column(s): Note"}

    edit(path, lambda wb: wb["Beta"].cell(row=2, column=13, value="Note"))
    assert import_workbook(path, mini_bank) == listed(mini_answers(), mini_bank)


def test_import_accepts_numbers_stored_as_text_and_floats(mini_bank, tmp_path):
    path = save(tmp_path, export_workbook(mini_bank, "en", mini_answers()))

    def fill(wb: Any) -> None:
        wb["Alpha"]["J2"] = "3"
        wb["Alpha"]["J3"] = 4.0
        wb["Alpha"]["J4"] = " NA "
        wb["Beta"]["J2"] = " 0 "
        wb["Beta"]["N2"] = "Minor"
        wb["Beta"]["J3"] = None
        wb["Info"]["C12"] = "2"  # targets.default as text

    back = import_workbook(edit(path, fill), mini_bank)
    levels = {qid: a.level for qid, a in back.answers.items()}
    assert levels == {"q1": 3, "q2": 4, "q3": "na", "q4": 0, "q5": None}
    assert back.answers["q4"].finding == "minor"
    assert back.targets.default == 2


def test_import_reports_every_bad_cell_at_once(mini_bank, tmp_path):
    path = save(tmp_path, export_workbook(mini_bank, "en", mini_answers()))

    def spoil(wb: Any) -> None:
        alpha, beta = wb["Alpha"], wb["Beta"]
        alpha["J2"] = "high"  # text in the level column
        alpha["J3"] = 9  # out of range
        alpha["J4"], alpha["K4"] = "na", None  # na without a reason
        alpha["A5"], alpha["J5"] = "q99", 1  # unknown question
        beta["A3"] = "q4"  # q4 twice
        beta["N2"] = "critical"  # unknown finding
        wb["Info"]["C6"] = None  # organisation name left empty
        wb["Info"]["C9"] = "next week"  # not a date

    with pytest.raises(InputError) as excinfo:
        import_workbook(edit(path, spoil), mini_bank)
    assert problems_of(excinfo) == {
        "Alpha!J2": "level 'high' is not a level; use 0..5 or na",
        "Alpha!J3": "level 9 is out of range; use 0..5 or na",
        "Alpha!K4": "level na (not applicable) needs a reason",
        "Alpha!A5": "unknown question 'q99' in bank mini",
        "Beta!A3": "question q4 appears twice (also at Beta!A2)",
        "Beta!N2": "finding 'critical' is not one of conforming, observation, ofi, minor, major",
        "Info!C6": "missing Organisation name (organisation.name)",
        "Info!C9": "date must be YYYY-MM-DD",
    }
    assert "book.xlsx: Alpha!J2: level 'high' is not a level; use 0..5 or na" in str(excinfo.value)


def test_import_reports_missing_info_fields_and_bad_targets(mini_bank, tmp_path):
    path = save(tmp_path, export_workbook(mini_bank, "en", mini_answers()))

    def spoil(wb: Any) -> None:
        info = wb["Info"]
        info.delete_rows(8)  # the assessment.title row
        info["C11"] = 7  # targets.default (moved up a row)
        info["C18"] = "x"  # targets.clauses.1.2
        info["A19"], info["C19"] = "targets.clauses.9", 1
        info["A20"], info["C20"] = "organisation.colour", "blue"
        info["C5"] = "Not An Id"

    with pytest.raises(InputError) as excinfo:
        import_workbook(edit(path, spoil), mini_bank)
    problems = problems_of(excinfo)
    assert problems["Info"] == "missing Assessment title (assessment.title)"
    assert problems["Info!C11"] == "target must be a whole number in 0..5"
    assert problems["Info!C18"] == "target must be a whole number in 0..5"
    assert problems["Info!C19"] == "unknown clause '9'"
    assert problems["Info!A20"] == "unknown Info field 'organisation.colour'"
    assert problems["Info!C5"].startswith("String should match pattern")
    assert len(problems) == 6


def test_import_refuses_a_workbook_for_another_bank(mini_bank, gbt_bank, tmp_path):
    path = save(tmp_path, export_workbook(mini_bank, "en", mini_answers()))
    with pytest.raises(InputError) as excinfo:
        import_workbook(path, gbt_bank)
    assert [str(p) for p in excinfo.value.problems] == [
        "book.xlsx: Info!C2: workbook is for bank 'mini', not 'gbt42509'"
    ]


def test_import_refuses_what_is_not_a_questionnaire(mini_bank, tmp_path):
    with pytest.raises(InputError, match="not an Excel workbook"):
        import_workbook(save(tmp_path, b"PK not really"), mini_bank)
    with pytest.raises(InputError, match="cannot read file"):
        import_workbook(tmp_path / "missing.xlsx", mini_bank)
    blank = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(blank)
    with pytest.raises(InputError) as excinfo:
        import_workbook(blank, mini_bank)
    assert [p.message for p in excinfo.value.problems] == [
        "no Info sheet (a sheet headed Key | Field | Value)"
    ]


def test_import_reports_a_damaged_header(mini_bank, tmp_path):
    path = save(tmp_path, export_workbook(mini_bank, "en", mini_answers()))
    with pytest.raises(InputError) as excinfo:
        import_workbook(
            edit(path, lambda wb: wb["Beta"].cell(row=1, column=13, value="Memo")), mini_bank
        )
    assert problems_of(excinfo) == {"Beta!A1": "header lacks column(s): Note"}


def test_round_trip_caveats(mini_bank, tmp_path):
    answers = make_answers(
        "mini",
        {
            "q1": {"level": 1, "evidence": ["one", ""], "note": ""},
            "q2": {},  # an empty entry means unanswered, as no entry does
        },
    )
    back = import_workbook(save(tmp_path, export_workbook(mini_bank, "en", answers)), mini_bank)
    q1 = answers.answers["q1"].model_copy(update={"evidence": ("one",), "note": None})
    assert back.answers == {q.id: q1 if q.id == "q1" else Answer() for q in mini_bank.questions}


# --- the lossless round trip, over random answers ----------------------------------------

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Pieces that break naive spreadsheet code: escapes, formulas, CR, control characters.
TRICKY = ["_x0041_", "_x005F_", "x005F_", "x", "_x00", "_", "=1+2", "@x", " ", "\r", "\r\n", "\t"]
TRICKY += ["\x01", "\x0b", "\ufffe", "中文", "'", '"', "<&>", "\u2028"]
texts = st.one_of(
    st.text(max_size=12),
    st.lists(st.sampled_from(TRICKY) | st.text(max_size=2), max_size=6).map("".join),
).filter(bool)
lines = texts.filter(lambda s: "\n" not in s and "\r" not in s)
optional = st.none() | texts


grades = st.sampled_from(["conforming", "observation", "ofi", "minor", "major"])


@st.composite
def finding_records(draw: st.DrawFn) -> dict[str, Any]:
    """A finding written the audit way, its life-cycle dates in order."""
    record: dict[str, Any] = {"grade": draw(grades)}
    for key in ("requirement", "evidence", "statement", "correction", "root_cause"):
        record[key] = draw(optional.filter(lambda t: t is None or t.strip() == t))
    record["owner"] = draw(optional.filter(lambda t: t is None or t.strip() == t))
    record["due"] = draw(st.none() | st.dates(EARLIEST, LATEST))
    status = draw(st.sampled_from(["open", "closed", "verified"]))
    record["status"] = status
    if status != "open":
        closed = draw(st.dates(EARLIEST, LATEST - dt.timedelta(days=30)))
        record["closed"] = closed
        if status == "verified":
            record["verified"] = closed + dt.timedelta(days=draw(st.integers(0, 30)))
    return record


@st.composite
def actions(draw: st.DrawFn) -> dict[str, Any]:
    kept = optional.filter(lambda t: t is None or t.strip() == t)
    return {
        "owner": draw(kept),
        "due": draw(st.none() | st.dates(EARLIEST, LATEST)),
        "status": draw(st.sampled_from(["planned", "in_progress", "done", "dropped"])),
        "note": draw(kept),
    }


@st.composite
def answer_files(draw: st.DrawFn, bank: Bank) -> AnswersFile:
    answers: dict[str, dict[str, Any]] = {}
    for question in bank.questions:
        level = draw(st.none() | st.just("na") | st.sampled_from(bank.levels))
        answer = {
            "level": level,
            "reason": draw(texts.filter(has_words) if level == "na" else optional),
            "evidence": draw(st.lists(lines, max_size=3)),
            "note": draw(optional),
            "finding": draw(st.none() | grades | finding_records()),
            "decided_by": draw(optional.filter(lambda t: t is None or t.strip() == t)),
        }
        if any(answer.values()) or draw(st.booleans()):
            answers[question.id] = answer
    return AnswersFile.model_validate(
        {
            "bank": bank.id,
            "organisation": {
                "id": draw(st.from_regex(r"[a-z0-9][a-z0-9._-]{0,12}", fullmatch=True)),
                "name": draw(texts.filter(str.strip)),
                "sector": draw(optional),
            },
            "assessment": {
                "title": draw(texts.filter(str.strip)),
                "date": draw(st.dates(EARLIEST, LATEST)),
                "assessors": draw(st.lists(lines, max_size=3)),
                "scope": draw(optional),
            },
            "targets": {
                "default": draw(st.none() | st.sampled_from(bank.levels)),
                "clauses": draw(
                    st.dictionaries(
                        st.sampled_from(list(bank.clauses)), st.sampled_from(bank.levels)
                    )
                ),
            },
            "readiness": {
                "min_coverage": draw(st.none() | st.floats(0, 1) | st.integers(0, 1)),
                "min_area_score": draw(
                    st.floats(0, bank.max_level) | st.integers(0, bank.max_level)
                ),
                "max_major": draw(st.integers(0, 10**18)),
                "knockout_level": draw(st.none() | st.sampled_from(bank.levels)),
            },
            "survey": draw(st.none() | texts.filter(str.strip).map(str.strip)),
            "objectives": draw(st.lists(objectives(), max_size=3, unique_by=lambda o: o["id"])),
            "answers": answers,
            "actions": draw(
                st.dictionaries(st.sampled_from([q.id for q in bank.questions]), actions())
            ),
        }
    )


@st.composite
def objectives(draw: st.DrawFn) -> dict[str, Any]:
    ident = draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True))
    op = draw(st.sampled_from([">=", ">", "<=", "<", "=="]))
    title = draw(st.none() | st.fixed_dictionaries({"zh": words, "en": words}))
    number = st.floats(-1e6, 1e6, allow_nan=False) | st.integers(-1000, 1000).map(float)
    if draw(st.booleans()):
        found = {"id": ident, "metric": "nps", "op": op, "value": draw(st.floats(-100, 100))}
        found |= {
            "segment": draw(st.none() | words),
            "period": draw(st.none() | st.just("2026-Q3")),
        }
    else:
        found = {"id": ident, "kind": "manual", "op": op, "target": draw(number)}
        found |= {"actual": draw(st.none() | number), "unit": draw(st.none() | st.just(" %"))}
        title = title or {"zh": "目标", "en": "Goal"}
    return {k: v for k, v in (found | {"title": title}).items() if v is not None}


# Names an auditor types: no surrounding blanks (import strips them), no line breaks.
words = lines.map(str.strip).filter(bool)


@SETTINGS
@given(data=st.data(), lang=st.sampled_from(["zh", "en"]))
def test_export_then_import_is_lossless(mini_bank, tmp_path, data, lang):
    """The whole answers file comes back: every field of every section, objectives and the
    survey included, and unanswered questions as empty entries."""
    answers = data.draw(answer_files(mini_bank))
    path = save(tmp_path, export_workbook(mini_bank, lang, answers))
    assert import_workbook(path, mini_bank) == listed(answers, mini_bank)


@given(text=st.text() | st.lists(st.sampled_from(TRICKY), max_size=8).map("".join))
def test_cell_text_escape_round_trips(text):
    encoded = encode_text(text)
    assert "x005F_" not in encoded  # openpyxl's readers delete it
    assert decode_text(encoded) == text
    assert not any(ch in encoded for ch in "\r\x00\x01\x0b\ufffe")


# --- the real bank -------------------------------------------------------------------------


def test_real_bank_round_trip_in_both_languages(gbt_bank, tmp_path):
    choices: list[dict[str, Any]] = [
        {"level": 3, "evidence": ["制度文件", "meeting minutes"]},
        {"level": "na", "reason": "不适用：无线下门店"},
        {"level": 0, "finding": "major", "note": "=no formula"},
        {},
    ]
    answers = make_answers(
        gbt_bank.id,
        {q.id: choices[i % 4] for i, q in enumerate(gbt_bank.questions) if choices[i % 4]},
        {"default": 4, "clauses": {gbt_bank.questions[0].clause: 5}},
    )
    for lang in ("zh", "en"):
        path = save(tmp_path, export_workbook(gbt_bank, lang, answers), f"{lang}.xlsx")
        assert import_workbook(path, gbt_bank) == listed(answers, gbt_bank)
        blank = save(tmp_path, export_workbook(gbt_bank, lang), f"blank-{lang}.xlsx")
        with pytest.raises(InputError) as excinfo:  # the one thing a blank form lacks is a date
            import_workbook(blank, gbt_bank)
        assert [p.message for p in excinfo.value.problems] == [
            "missing Assessment date (assessment.date)"
        ]


# --- command line --------------------------------------------------------------------------


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_export_refuses_to_overwrite_without_force(runner, tmp_path):
    out = tmp_path / "q.xlsx"
    result = runner.invoke(
        main, ["xlsx", "export", *BANKS, "--bank", "mini", "--lang", "zh", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    first = out.read_bytes()
    again = runner.invoke(main, ["xlsx", "export", *BANKS, "--bank", "mini", "--out", str(out)])
    assert again.exit_code == 2
    assert "file exists; use --force" in again.output
    assert out.read_bytes() == first
    forced = runner.invoke(
        main, ["xlsx", "export", *BANKS, "--bank", "mini", "--out", str(out), "--force"]
    )
    assert forced.exit_code == 0
    assert (tmp_path / "q.xlsx.bak").read_bytes() == first


def test_cli_export_with_answers_then_import_passes_validate(runner, tmp_path):
    book, out = tmp_path / "acme.xlsx", tmp_path / "acme.yaml"
    result = runner.invoke(
        main, ["xlsx", "export", *BANKS, "--answers", str(MINI_ANSWERS), "--out", str(book)]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["xlsx", "import", *BANKS, str(book), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "(4/5 questions answered)" in result.output
    validated = runner.invoke(main, ["validate", *BANKS, str(out)])
    assert validated.exit_code == 0, validated.output
    # Every question is listed, as `cxassess new` lists them; q5 was not answered.
    expected = MINI_ANSWERS.read_text(encoding="utf-8") + "  q5:\n    level: null\n"
    assert out.read_text(encoding="utf-8").endswith(expected)
    again = runner.invoke(main, ["xlsx", "import", *BANKS, str(book), "--out", str(out)])
    assert again.exit_code == 2
    assert "file exists" in again.output


def test_cli_export_answers_for_another_bank(runner, tmp_path):
    out = tmp_path / "q.xlsx"
    args = ["xlsx", "export", *BANKS, "--bank", "gbt42509", "--answers", str(MINI_ANSWERS)]
    result = runner.invoke(main, [*args, "--out", str(out)])
    assert result.exit_code == 2
    assert "answers are for bank 'mini', not 'gbt42509'" in result.output
    assert not out.exists()


def test_cli_import_bad_workbook_exits_2_with_every_problem(runner, mini_bank, tmp_path):
    path = save(tmp_path, export_workbook(mini_bank, "en", mini_answers()))

    def spoil(wb: Any) -> None:
        wb["Alpha"]["J2"] = 11
        wb["Beta"]["A2"] = "nope"

    edit(path, spoil)
    out = tmp_path / "out.yaml"
    result = runner.invoke(main, ["xlsx", "import", *BANKS, str(path), "--out", str(out)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert "book.xlsx: Alpha!J2: level 11 is out of range; use 0..5 or na" in lines
    assert "book.xlsx: Beta!A2: unknown question 'nope' in bank mini" in lines
    assert lines[-1] == "2 problem(s) found; nothing was written."
    assert "Traceback" not in result.output
    assert not out.exists()
    garbage = save(tmp_path, b"not a workbook", "garbage.xlsx")
    result = runner.invoke(main, ["xlsx", "import", str(garbage), "--out", str(out)])
    assert result.exit_code == 2
    assert "garbage.xlsx: not an Excel workbook" in result.output


def test_import_elsewhere_says_when_the_survey_is_not_beside_the_file(tmp_path):
    demo = Path(__file__).parent.parent / "examples" / "demo"
    workbook = tmp_path / "lanfeng.xlsx"
    answers = str(demo / "lanfeng-2026-audit.yaml")
    export = CliRunner().invoke(
        main, ["xlsx", "export", "--answers", answers, "--out", str(workbook)]
    )
    assert export.exit_code == 0, export.output
    out = tmp_path / "sub" / "lanfeng.yaml"
    (tmp_path / "sub").mkdir()
    result = CliRunner().invoke(main, ["xlsx", "import", str(workbook), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "note: the answers name the survey 'lanfeng-survey-2026.csv', which is not beside" in (
        result.output
    )
    check = CliRunner().invoke(main, ["validate", str(out)])
    assert check.exit_code == 2
    assert f"{out.name}:" in check.output
    assert ": survey: no survey file" in check.output
    (tmp_path / "sub" / "lanfeng-survey-2026.csv").write_bytes(
        (demo / "lanfeng-survey-2026.csv").read_bytes()
    )
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0


def test_import_says_what_validate_will_refuse_at_its_cells(mini_bank, tmp_path):
    from assessment.io.xlsx import import_file

    path = save(tmp_path, export_workbook(mini_bank, "en", mini_answers()))

    def spoil(wb: Any) -> None:
        wb["Beta"]["J2"] = 5  # q4 keeps its major finding, now on level 5

    out = tmp_path / "back.yaml"
    result = import_file(edit(path, spoil), out, search=[FIXTURES])
    suffix = f" (validate will refuse this; mend it in the workbook or in {out})"
    assert result.notes == (
        "book.xlsx: Beta!N2: a major nonconformity on level 5, at or above its target 3:"
        " there is no shortfall to grade" + suffix,
        "book.xlsx: Beta!N2: a major nonconformity on level 5 (4 or more)" + suffix,
    )
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["answers"]["q4"]["level"] == 5
    check = CliRunner().invoke(main, ["validate", str(out), "--bank-path", str(FIXTURES)])
    assert check.exit_code == 2  # as the notes said


def test_the_preset_and_codes_typed_with_a_stray_space_come_back(tmp_path):
    from assessment.load.loader import load_bank

    picks = load_bank("picks", [FIXTURES])
    answers = make_answers("picks", {"ladder": {"level": 3}}).model_copy(update={"preset": "basic"})
    path = save(tmp_path, export_workbook(picks, "en", answers))
    assert import_workbook(path, picks).preset == "basic"

    def spaced(wb: Any) -> None:
        info = wb["Info"]
        for row in info.iter_rows(min_row=2):
            if row[0].value == "organisation.id":
                row[2].value = "acme "

    assert import_workbook(edit(path, spaced), picks).organisation.id == "acme"


def _with_results(path: Path, results: dict[str, tuple[str, str]]) -> Path:
    """The workbook as a calculating spreadsheet program saves it: each formula cell of the
    Alpha sheet named in `results` gets its result stored beside it ((type, value))."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet2.xml"  # Alpha
    text = parts[sheet].decode("utf-8")
    for ref, (kind, value) in results.items():
        pattern = rf'<c r="{ref}"( s="\d+")?><f>(.*?)</f><v></v></c>'
        text, count = re.subn(
            pattern, rf'<c r="{ref}"\1 t="{kind}"><f>\2</f><v>{value}</v></c>', text
        )
        assert count == 1, ref
    parts[sheet] = text.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def test_a_formula_is_read_as_its_result_and_one_without_a_result_is_reported(mini_bank, tmp_path):
    path = save(tmp_path, export_workbook(mini_bank, "en", mini_answers()))
    header = [c.value for c in openpyxl.load_workbook(path)["Alpha"][1]]
    note = openpyxl.utils.get_column_letter(header.index("Note") + 1)

    def formulas(wb: Any) -> None:
        wb["Alpha"][f"{LEVEL_COLUMN}2"] = "=1+2"
        wb["Alpha"][f"{note}2"] = '="see "&"plan"'
        wb["Alpha"][f"{LEVEL_COLUMN}3"] = "=2*2"

    edit(path, formulas)
    with pytest.raises(InputError) as excinfo:  # as a program that does not calculate saves it
        import_workbook(path, mini_bank)
    found = problems_of(excinfo)
    assert set(found) == {f"Alpha!{LEVEL_COLUMN}2", f"Alpha!{note}2", f"Alpha!{LEVEL_COLUMN}3"}
    assert all("a formula with no calculated value" in m for m in found.values())

    _with_results(
        path,
        {
            f"{LEVEL_COLUMN}2": ("n", "3"),
            f"{note}2": ("str", "see plan"),
            f"{LEVEL_COLUMN}3": ("n", "4"),
        },
    )
    back = import_workbook(path, mini_bank)
    assert back.answers["q1"].level == 3
    assert back.answers["q1"].note == "see plan"
    assert back.answers["q2"].level == 4
    assert (
        back.answers["q1"].evidence == mini_answers().answers["q1"].evidence
    )  # the rest as it was
