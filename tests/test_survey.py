"""Survey CSV reading, CX metrics and objectives, checked against numbers worked out by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ConfigDict

from assessment.common.errors import InputError
from assessment.load import survey as survey_mod
from assessment.load import yamlio
from assessment.load.loader import load_assessment
from assessment.load.models.base import Model
from assessment.load.models.objectives import ManualObjective, MetricObjective, Objective
from assessment.load.structure import parse
from assessment.load.survey import Response, Survey, parse_survey, read_survey
from assessment.load.yamlio import Located, load_yaml
from assessment.score.cxmetrics import (
    SurveySummary,
    compute_ces,
    compute_csat,
    compute_nps,
    nps_from_counts,
    quarter,
    summarise,
)
from assessment.score.objectives import (
    compare,
    evaluate_objective,
    evaluate_objectives,
)

FIXTURES = Path(__file__).parent / "fixtures"
SURVEY = FIXTURES / "survey"


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-9)


def messages(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


@pytest.fixture(scope="module")
def summary() -> SurveySummary:
    return summarise(read_survey(SURVEY / "responses.csv"))


# --- metrics -----------------------------------------------------------------------------------


def test_nps_worked_example():
    # 5 promoters, 3 passives, 2 detractors of 10: NPS = 50 % - 20 % = 30.
    # var = (0.5 + 0.2 - 0.3^2) / 10 = 0.061; half-width = 1.96 * sqrt(0.061) * 100 = 48.4084...
    result = compute_nps([10, 10, 9, 9, 9, 8, 7, 7, 3, 6])
    assert (result.n, result.promoters, result.passives, result.detractors) == (10, 5, 3, 2)
    assert result.value == 30.0
    half = 1.96 * math.sqrt(0.061) * 100
    assert half == pytest.approx(48.41, abs=0.005)
    assert result.ci_low == approx(30 - half)
    assert result.ci_high == approx(30 + half)
    assert result.ci_low == pytest.approx(-18.41, abs=0.005)
    assert result.ci_high == pytest.approx(78.41, abs=0.005)


def test_nps_interval_is_clipped_and_collapses_when_unanimous():
    # All 3 promoters: var = (1 + 0 - 1) / 3 = 0, so the interval is the point 100.
    assert compute_nps([9, 10, 10]) == nps_from_counts(3, 0, 0)
    unanimous = compute_nps([9, 10, 10])
    assert (unanimous.value, unanimous.ci_low, unanimous.ci_high) == (100.0, 100.0, 100.0)
    # 1 promoter, 1 detractor: NPS 0, var = (0.5 + 0.5 - 0) / 2 = 0.5,
    # half-width = 1.96 * sqrt(0.5) * 100 = 138.59 > 100, so clipped both ways.
    split = compute_nps([10, 0])
    assert (split.value, split.ci_low, split.ci_high) == (0.0, -100.0, 100.0)


def test_csat_worked_example_with_wilson_interval():
    # 5 of 8 answers are 4 or 5: 62.5 %. Wilson with z = 1.96, z^2 = 3.8416, n = 8:
    # denominator 1 + 3.8416/8 = 1.4802; centre = (0.625 + 3.8416/16) / 1.4802 = 0.584448;
    # half = 1.96/1.4802 * sqrt(0.625*0.375/8 + 3.8416/256) = 1.324145 * 0.210483 = 0.278710;
    # interval 30.574 % .. 86.316 %.
    result = compute_csat([5, 5, 4, 4, 4, 3, 2, None, 1, None])
    assert (result.n, result.satisfied, result.value) == (8, 5, 62.5)
    assert result.ci_low == pytest.approx(30.574, abs=0.001)
    assert result.ci_high == pytest.approx(86.316, abs=0.001)


def test_csat_wilson_stays_open_at_zero():
    # 0 of 5: p = 0, the interval is [0, (z^2/n) / (1 + z^2/n)] = [0, 0.76832/1.76832] = 43.449 %.
    result = compute_csat([1, 2, 3, 3, 1])
    assert (result.value, result.ci_low) == (0.0, 0.0)
    assert result.ci_high == pytest.approx(43.449, abs=0.001)


def test_ces_worked_example():
    # Answers 7,6,6,5,4,5,3,2: sum 38, mean 4.75. Squared deviations sum to 19.5, s^2 = 19.5/7,
    # s = 1.669046; half = 1.96 * 1.669046 / sqrt(8) = 1.156590; interval 3.59341 .. 5.90659.
    result = compute_ces([7, 6, 6, 5, 4, 5, 3, 2])
    assert (result.n, result.value) == (8, 4.75)
    assert result.sd == approx(math.sqrt(19.5 / 7))
    assert result.ci_low == pytest.approx(3.59341, abs=1e-5)
    assert result.ci_high == pytest.approx(5.90659, abs=1e-5)


def test_ces_interval_needs_two_answers_and_stays_on_the_scale():
    single = compute_ces([4])
    assert (single.n, single.value, single.sd, single.ci_low, single.ci_high) == (
        1,
        4.0,
        None,
        None,
        None,
    )
    # 7 and 1: mean 4, s = sqrt(18) = 4.243, half = 1.96 * 4.243 / sqrt(2) = 5.88: clipped to 1..7.
    wide = compute_ces([7, 1])
    assert (wide.value, wide.ci_low, wide.ci_high) == (4.0, 1.0, 7.0)


def test_no_answers_means_no_value_not_zero():
    assert compute_nps([None, None]).value is None
    assert compute_nps([]).ci_low is None
    csat = compute_csat([])
    assert (csat.n, csat.value, csat.ci_low, csat.ci_high) == (0, None, None, None)
    ces = compute_ces([None])
    assert (ces.n, ces.value, ces.sd, ces.ci_low, ces.ci_high) == (0, None, None, None, None)


def test_scores_off_the_scale_are_a_programming_error():
    with pytest.raises(ValueError, match=r"outside 0\.\.10"):
        compute_nps([11])
    with pytest.raises(ValueError, match=r"outside 1\.\.5"):
        compute_csat([0])


def test_quarter():
    assert quarter(dt.date(2026, 1, 1)) == "2026-Q1"
    assert quarter(dt.date(2026, 3, 31)) == "2026-Q1"
    assert quarter(dt.date(2026, 7, 1)) == "2026-Q3"
    assert quarter(dt.date(2026, 12, 31)) == "2026-Q4"


# --- summary -----------------------------------------------------------------------------------


def test_summary_overall(summary):
    # responses.csv: NPS 10,10,9,9,9 | 8,7,7 | 3,6 -> 5/3/2 of 10 -> 30 (as the worked example).
    # CSAT 5,5,4,4,4,3,2,1 (two skipped) -> 62.5 %; CES 7,6,6,5,4,5,3,2 (two skipped) -> 4.75.
    overall = summary.overall
    assert overall.responses == 10
    assert overall.nps == compute_nps([10, 10, 9, 9, 9, 8, 7, 7, 3, 6])
    assert overall.csat == compute_csat([5, 5, 4, 4, 4, 3, 2, 1])
    assert overall.ces == compute_ces([7, 6, 6, 5, 4, 5, 3, 2])
    assert (summary.unsegmented, summary.undated) == (1, 1)
    assert summary.find() is overall


def test_summary_by_segment(summary):
    # Enterprise: NPS 10,10,8,3 -> (2-1)/4 = 25; CSAT 5,5,3,1 -> 50 %; CES 7,6,4,2 -> 4.75.
    # SMB: NPS 9,9,9,6 -> (3-1)/4 = 50; CSAT 4,4,4 -> 100 %; CES 6,5 -> 5.5.
    # 零售: NPS 7 -> 0; no CSAT answer; CES 3. Sorted by code point: Latin before CJK.
    rows = [
        (g.segment, g.period, g.metrics.responses, g.metrics.nps.value, g.metrics.csat.value)
        for g in summary.by_segment
    ]
    assert rows == [
        ("Enterprise", None, 4, 25.0, 50.0),
        ("SMB", None, 4, 50.0, 100.0),
        ("零售", None, 1, 0.0, None),
    ]
    assert [g.metrics.ces.value for g in summary.by_segment] == [4.75, 5.5, 3.0]
    assert summary.find("SMB") == summary.by_segment[1].metrics
    assert summary.find("Nobody") is None


def test_summary_by_quarter(summary):
    # Q1: 2026-01-02 (NPS 7 -> 0). Q2: 2026-04-01 (NPS 3 -> -100).
    # Q3: 07-15, 08-01, 09-30, 07-04 -> NPS 10,10,9,7 -> 75. Q4: 10-01, 12-31, 11-11 -> 9,9,6
    # -> (2-1)/3 = 33.33. The undated Enterprise row is in no quarter.
    rows = [(g.period, g.metrics.responses, g.metrics.nps.value) for g in summary.by_period]
    assert rows == [
        ("2026-Q1", 1, 0.0),
        ("2026-Q2", 1, -100.0),
        ("2026-Q3", 4, 75.0),
        ("2026-Q4", 3, approx(100 / 3)),
    ]
    assert all(g.segment is None for g in summary.by_period)


def test_summary_by_segment_and_quarter(summary):
    # Enterprise in Q3: two promoters (10, 10): NPS 100, var 0; CES 7,6 -> 6.5.
    keys = [(g.segment, g.period) for g in summary.by_segment_period]
    assert keys == [
        ("Enterprise", "2026-Q2"),
        ("Enterprise", "2026-Q3"),
        ("SMB", "2026-Q3"),
        ("SMB", "2026-Q4"),
        ("零售", "2026-Q3"),
    ]
    enterprise_q3 = summary.find("Enterprise", "2026-Q3")
    assert enterprise_q3 is not None
    assert (enterprise_q3.nps.value, enterprise_q3.nps.ci_low, enterprise_q3.ces.value) == (
        100.0,
        100.0,
        6.5,
    )
    assert summary.find("SMB", "2026-Q1") is None


def test_empty_survey_summarises_to_no_data():
    result = summarise(read_survey(SURVEY / "header-only.csv"))
    assert result.overall.responses == 0
    assert result.overall.nps.value is None
    assert result.overall.csat.value is None
    assert result.overall.ces.value is None
    assert (result.by_segment, result.by_period, result.by_segment_period) == ((), (), ())


# --- reading CSV -------------------------------------------------------------------------------


def test_read_survey_columns_any_order_and_case():
    result = read_survey(SURVEY / "responses.csv")
    assert result.columns == ("date", "nps", "csat", "ces", "segment")
    assert len(result.responses) == 10
    # The blank line 9 is skipped; line numbers still count it.
    assert [r.line for r in result.responses] == [2, 3, 4, 5, 6, 7, 8, 10, 11, 12]
    assert result.responses[0] == Response(
        line=2, nps=10, csat=5, ces=7, segment="Enterprise", date=dt.date(2026, 7, 15)
    )
    # Surrounding blanks go; a skipped item is None, not 0.
    assert result.responses[1].segment == "Enterprise"
    assert result.responses[4].ces is None
    assert result.responses[5].date is None
    assert result.responses[6].segment is None


def test_bom_and_crlf_accepted():
    raw = (SURVEY / "bom-crlf.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw  # guards against the fixture being normalised on checkout
    result = read_survey(SURVEY / "bom-crlf.csv")
    assert result.columns == ("nps", "csat", "segment")
    # A quoted cell may span lines; the next row's line number accounts for it.
    assert result.responses == (
        Response(line=2, nps=9, csat=5, segment="line one\nline two"),
        Response(line=4, nps=3, csat=2, segment="零售"),
    )


def test_segment_text_is_kept_as_data():
    text = 'nps,segment\n9,"<script>alert(1)</script>"\n8,"a, ""quoted"" name"\n'
    result = parse_survey(text, "s.csv")
    assert [r.segment for r in result.responses] == [
        "<script>alert(1)</script>",
        'a, "quoted" name',
    ]


def test_bad_values_all_reported_at_once():
    with pytest.raises(InputError) as exc:
        read_survey(SURVEY / "bad-values.csv", "bad-values.csv")
    assert messages(exc) == [
        "bad-values.csv:3:1: nps: 'eleven' is not a whole number from 0 to 10",
        "bad-values.csv:3:2: csat: '0' is out of range: csat is 1 to 5",
        "bad-values.csv:3:5: date: '2026-13-01' is not a day of the calendar",
        "bad-values.csv:4:1: nps: '11' is out of range: nps is 0 to 10",
        "bad-values.csv:4:3: ces: '8' is out of range: ces is 1 to 7",
        "bad-values.csv:4:5: date: '01/07/2026' is not a date in the form YYYY-MM-DD",
        "bad-values.csv:5:1: nps: '9.5' is not a whole number from 0 to 10",
        "bad-values.csv:5:2: csat: '4.0' is not a whole number from 1 to 5",
        "bad-values.csv:5:5: date: '2026-02-30' is not a day of the calendar",
        "bad-values.csv:7:1: nps: '-1' is out of range: nps is 0 to 10",
        "bad-values.csv:7:2: csat: '6' is out of range: csat is 1 to 5",
        "bad-values.csv:7:3: ces: '0' is out of range: ces is 1 to 7",
        "bad-values.csv:7:5: date: '2026-7-1' is not a date in the form YYYY-MM-DD",
        "bad-values.csv:8:3: row: the row has 2 cells but the header names 5 columns",
        "bad-values.csv:9:6: row: the row has 6 cells but the header names 5 columns",
    ]


def test_bad_header_all_reported_at_once():
    with pytest.raises(InputError) as exc:
        read_survey(SURVEY / "bad-header.csv", "bad-header.csv")
    assert messages(exc) == [
        "bad-header.csv:1:2: Foo: unknown column; expected nps, csat, ces, segment, date",
        "bad-header.csv:1:3: nps: duplicate column (first at column 1)",
        "bad-header.csv:1:4: header: column 4 has no name",
        "bad-header.csv:1:5: Region: unknown column; expected nps, csat, ces, segment, date",
    ]


def test_header_without_score_column_and_bad_rows_together():
    with pytest.raises(InputError) as exc:
        parse_survey("segment,date\nA,2026-02-29\n", "s.csv")
    assert messages(exc) == [
        "s.csv:1:1: header: needs at least one score column: nps, csat or ces",
        "s.csv:2:2: date: '2026-02-29' is not a day of the calendar",
    ]


def test_missing_header():
    with pytest.raises(InputError) as exc:
        read_survey(SURVEY / "no-header.csv", "no-header.csv")
    assert messages(exc) == [
        "no-header.csv:1:1: header: missing header: the first line must name the columns "
        "(nps, csat, ces, segment, date) but holds data"
    ]


@pytest.mark.parametrize("text", ["", "\n\n", " , ,\n\n"])
def test_empty_file(tmp_path, text):
    path = tmp_path / "empty.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_survey(path, "empty.csv")
    assert messages(exc) == ["empty.csv:1:1: (document): the file is empty"]


def test_empty_fixture_file():
    with pytest.raises(InputError, match="the file is empty"):
        read_survey(SURVEY / "empty.csv")


def test_malformed_quote_is_located():
    with pytest.raises(InputError) as exc:
        parse_survey('nps\n9\n"1"x\n', "s.csv")
    assert messages(exc) == ["s.csv:3:1: (document): malformed CSV: ',' expected after '\"'"]


def test_too_many_rows(monkeypatch, tmp_path):
    monkeypatch.setattr(survey_mod, "MAX_ROWS", 3)
    path = tmp_path / "big.csv"
    path.write_text("nps\n1\n2\n3\n", encoding="utf-8")
    assert len(read_survey(path).responses) == 3
    path.write_text("nps\n1\n2\n3\n4\n5\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_survey(path, "big.csv")
    assert messages(exc) == [
        "big.csv:5:1: (document): more than 3 rows; split the survey into several files"
    ]


def test_file_over_size_cap(monkeypatch, tmp_path):
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.csv"
    path.write_text("nps\n1\n2\n3\n4\n5\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_survey(path, "big.csv")
    assert messages(exc) == ["big.csv: file is 14 bytes; the limit is 10"]


def test_problem_list_is_capped(monkeypatch):
    monkeypatch.setattr(survey_mod, "MAX_PROBLEMS", 2)
    with pytest.raises(InputError) as exc:
        parse_survey("nps\nx\ny\nz\nw\n", "s.csv")
    assert messages(exc) == [
        "s.csv: 2 more problems not listed (only the first 2 are)",
        "s.csv:2:1: nps: 'x' is not a whole number from 0 to 10",
        "s.csv:3:1: nps: 'y' is not a whole number from 0 to 10",
    ]


def test_invalid_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("nps,segment\n9,Zürich\n".encode("latin-1"))
    with pytest.raises(InputError, match="not valid UTF-8"):
        read_survey(path)


# --- objectives --------------------------------------------------------------------------------


def metric(**fields: object) -> MetricObjective:
    return MetricObjective.model_validate({"id": "o", **fields})


def test_metric_objectives_against_the_survey(summary):
    nps_30 = evaluate_objective(metric(metric="nps", op=">=", value=30), summary)
    assert (nps_30.actual, nps_30.target, nps_30.met, nps_30.n) == (30.0, 30.0, True, 10)
    assert evaluate_objective(metric(metric="nps", op=">", value=30), summary).met is False
    assert evaluate_objective(metric(metric="nps", op="==", value=30), summary).met is True
    # SMB CSAT 4,4,4 -> 100 %.
    smb = evaluate_objective(metric(metric="csat", op=">=", value=85, segment="SMB"), summary)
    assert (smb.actual, smb.met, smb.n) == (100.0, True, 3)
    # Q3 CES 7,6,6,3 -> 5.5.
    q3 = metric(metric="ces", op="<=", value=5, period="2026-Q3")
    assert (evaluate_objective(q3, summary).actual, evaluate_objective(q3, summary).met) == (
        5.5,
        False,
    )
    both = metric(metric="nps", op="<", value=50, segment="SMB", period="2026-Q4")
    assert evaluate_objective(both, summary).actual == approx(100 / 3)
    assert evaluate_objective(both, summary).met is True


def test_metric_objective_without_data_is_undecided(summary):
    for objective in (
        metric(metric="nps", op=">=", value=0, segment="Nobody"),
        metric(metric="csat", op=">=", value=80, segment="零售"),  # segment exists, no CSAT
        metric(metric="ces", op=">=", value=5, period="2025-Q1"),
    ):
        result = evaluate_objective(objective, summary)
        assert (result.actual, result.met, result.n) == (None, None, 0)
    assert evaluate_objective(metric(metric="nps", op=">=", value=0), None).met is None


def test_manual_objectives():
    done = ManualObjective.model_validate(
        {
            "id": "reply-24h",
            "kind": "manual",
            "title": {"zh": "24 小时内答复", "en": "Replied within 24 h"},
            "op": ">=",
            "target": 95,
            "actual": 97,
            "unit": "%",
        }
    )
    result = evaluate_objective(done, None)
    assert (result.actual, result.target, result.met, result.n) == (97.0, 95.0, True, None)
    pending = done.model_copy(update={"actual": None})
    assert evaluate_objective(pending, None).met is None
    # 0.1 + 0.2 is 0.30000000000000004 in floating point; it still equals a target of 0.3.
    noisy = done.model_copy(update={"op": "==", "target": 0.3, "actual": 0.1 + 0.2})
    assert evaluate_objective(noisy, None).met is True


@pytest.mark.parametrize(
    ("actual", "op", "target", "met"),
    [
        (30.0, ">=", 30.0, True),
        (30.0, ">", 30.0, False),
        (30.0, "<=", 30.0, True),
        (30.0, "<", 30.0, False),
        (29.9, ">=", 30.0, False),
        (30.1, ">", 30.0, True),
        (29.9, "<", 30.0, True),
        (0.1 + 0.2, ">", 0.3, False),
        (0.1 + 0.2, "<=", 0.3, True),
    ],
)
def test_compare(actual, op, target, met):
    assert compare(actual, op, target) is met


def test_evaluate_objectives_keeps_order(summary):
    objectives = parse_objectives(
        load_yaml(
            """
objectives:
  - {id: nps-target, metric: nps, op: ">=", value: 30}
  - {id: reply-24h, kind: manual, op: ">=", target: 95, actual: 90, unit: "%",
     title: {zh: 24 小时内答复, en: Replied within 24 h}}
""",
            "goals.yaml",
        )
    )
    assert isinstance(objectives[0], MetricObjective)
    assert isinstance(objectives[1], ManualObjective)
    assert objectives[1].unit == "%"
    results = evaluate_objectives(objectives, summary)
    assert [(r.objective.id, r.met) for r in results] == [
        ("nps-target", True),
        ("reply-24h", False),
    ]


def test_parse_objectives_absent_means_none():
    assert parse_objectives(load_yaml("bank: x\n", "a.yaml")) == ()


def test_parse_objectives_reports_every_problem():
    doc = """objectives:
  - {id: a, metric: nps, op: "=>", value: 30, extra: 1}
  - {id: b, metric: ces, op: "<", value: 9}
  - {id: c, kind: weird}
  - {id: d, kind: manual, op: ">=", target: .nan, title: {zh: 答复}}
  - {id: e, metric: csat, op: "<", value: 50, period: 2026-Q5}
  - {id: f, metric: cex, op: "<", value: "5"}
  - 5
"""
    with pytest.raises(InputError) as exc:
        parse_objectives(load_yaml(doc, "g.yaml"))
    assert messages(exc) == [
        "g.yaml:2:30: objectives[0].op: Input should be '>=', '>', '<=', '<' or '=='",
        "g.yaml:2:47: objectives[0].extra: unknown field",
        "g.yaml:3:42: objectives[1].value: ces runs from 1 to 7, so 9 is out of reach",
        "g.yaml:4:5: objectives[2]: kind must be 'metric' (the default) or 'manual'",
        "g.yaml:5:45: objectives[3].target: Input should be a finite number",
        "g.yaml:5:58: objectives[3].title.en: required field is missing",
        "g.yaml:6:55: objectives[4].period: must be a calendar quarter such as 2026-Q3",
        "g.yaml:7:21: objectives[5].metric: Input should be 'nps', 'csat' or 'ces'",
        "g.yaml:7:42: objectives[5].value: Input should be a valid number",
        "g.yaml:8:5: objectives[6]: expected a mapping of fields (key: value lines)",
    ]


def test_duplicate_objective_ids_are_a_cross_reference_problem(tmp_path):
    answers = tmp_path / "answers.yaml"
    text = (FIXTURES / "mini-answers.yaml").read_text(encoding="utf-8")
    goals = """objectives:
  - {id: a, metric: nps, op: ">=", value: 30}
  - {id: a, kind: manual, op: ">=", target: 95, title: {zh: 答复, en: Replies}}
"""
    answers.write_text(text.replace("answers:\n", goals + "answers:\n", 1), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_assessment(answers, [FIXTURES])
    assert [p.message for p in exc.value.problems] == ["duplicate objective id 'a'"]


class _Plan(Model):
    model_config = ConfigDict(extra="ignore", frozen=True)
    objectives: tuple[Objective, ...] = ()


def parse_objectives(located: Located) -> tuple[Objective, ...]:
    """The objectives of a document through the structure layer, as an answers file's are;
    duplicate ids are a cross reference (checked with the whole answers file)."""
    return parse(located, _Plan).objectives


def test_objective_as_a_field_locates_errors_through_parse():
    # How the answers file will embed objectives: parse.parse must locate errors inside the union.
    doc = """objectives:
  - {id: ok, metric: nps, op: ">=", value: 30}
  - {id: bad, metric: nps, op: ">=", value: 130}
  - {id: m, kind: manual, op: ">=", target: 95}
"""
    with pytest.raises(InputError) as exc:
        parse(load_yaml(doc, "a.yaml"), _Plan)
    assert messages(exc) == [
        "a.yaml:3:45: objectives[1].value: nps runs from -100 to 100, so 130 is out of reach",
        "a.yaml:4:5: objectives[2].title: required field is missing",
    ]
    fixed = doc.replace("130", "30").replace("95}", "95, title: {zh: 答复, en: Replies}}")
    plan = parse(load_yaml(fixed, "a.yaml"), _Plan)
    kinds = [type(o).__name__ for o in plan.objectives]
    assert kinds == ["MetricObjective", "MetricObjective", "ManualObjective"]


# --- properties --------------------------------------------------------------------------------

PROPS = settings(max_examples=200, deadline=None)
nps_answers = st.lists(st.integers(0, 10), min_size=1, max_size=300)


@PROPS
@given(scores=nps_answers)
def test_nps_in_range_and_inside_its_interval(scores):
    result = compute_nps(scores)
    assert result.value is not None
    assert result.ci_low is not None
    assert result.ci_high is not None
    assert -100 <= result.ci_low <= result.value <= result.ci_high <= 100
    assert result.promoters + result.passives + result.detractors == result.n == len(scores)


@PROPS
@given(scores=st.lists(st.integers(0, 10), max_size=300), promoter=st.sampled_from([9, 10]))
def test_adding_a_promoter_never_lowers_nps(scores, promoter):
    before = compute_nps(scores).value
    after = compute_nps([*scores, promoter]).value
    assert after is not None
    assert before is None or after >= before


@PROPS
@given(scores=st.lists(st.integers(1, 5), min_size=1, max_size=300))
def test_csat_inside_its_wilson_interval(scores):
    result = compute_csat(scores)
    assert result.value is not None
    assert result.ci_low is not None
    assert result.ci_high is not None
    assert 0 <= result.ci_low <= result.value + 1e-9
    assert result.value <= result.ci_high + 1e-9 <= 100 + 2e-9


@PROPS
@given(scores=st.lists(st.integers(1, 7), min_size=2, max_size=300))
def test_ces_inside_its_interval(scores):
    result = compute_ces(scores)
    assert result.value is not None
    assert result.ci_low is not None
    assert result.ci_high is not None
    assert 1 <= result.ci_low <= result.value + 1e-9
    assert result.value <= result.ci_high + 1e-9 <= 7 + 2e-9


segments = st.one_of(
    st.none(),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
        max_size=30,
    ),
)
responses = st.builds(
    lambda nps, csat, ces, segment, date: (nps, csat, ces, segment, date),
    st.one_of(st.none(), st.integers(0, 10)),
    st.one_of(st.none(), st.integers(1, 5)),
    st.one_of(st.none(), st.integers(1, 7)),
    segments,
    st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))),
)


@PROPS
@given(rows=st.lists(responses, max_size=40))
def test_csv_round_trip(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["NPS", "CSAT", "CES", "Segment", "Date"])
    for nps, csat, ces, segment, date in rows:
        writer.writerow(
            ["" if v is None else v for v in (nps, csat, ces, segment)]
            + ["" if date is None else date.isoformat()]
        )
    expected = [
        (nps, csat, ces, (segment or "").strip() or None, date)
        for nps, csat, ces, segment, date in rows
    ]
    # A row with nothing in it is a blank line to the reader, not a respondent.
    expected = [row for row in expected if any(v is not None for v in row)]
    result = parse_survey(buffer.getvalue().replace("\r\n", "\n"), "s.csv")
    assert [(r.nps, r.csat, r.ces, r.segment, r.date) for r in result.responses] == expected
    summary = summarise(result)
    assert summary.overall.responses == len(expected)
    assert sum(g.metrics.responses for g in summary.by_segment) + summary.unsegmented == len(
        expected
    )
    assert sum(g.metrics.responses for g in summary.by_period) + summary.undated == len(expected)


def test_survey_is_frozen():
    result = Survey("s", ("nps",), (Response(line=2, nps=9),))
    with pytest.raises(AttributeError):
        result.source = "t"  # type: ignore[misc]


def test_parse_objectives_needs_a_list():
    with pytest.raises(InputError) as exc:
        parse_objectives(load_yaml("objectives: {id: a}\n", "g.yaml"))
    assert messages(exc) == [
        "g.yaml:1:13: objectives: expected a list (items each on a line starting with '- ', or [a, b])"
    ]
