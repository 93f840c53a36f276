"""Combining respondents: medians, applicability votes and divergence, worked by hand."""

from __future__ import annotations

import pytest

from assessment.common.errors import InputError
from assessment.load.models.answers import AnswersFile
from assessment.score.respondents import Respondent, combine, lower_median
from tests.conftest import FIXTURES, MINI_ANSWERS, make_answers


def respondent(name, answers):
    return Respondent(name=name, answers=make_answers("mini", answers), source=f"{name}.yaml")


def test_lower_median():
    assert lower_median([3]) == 3
    assert lower_median([1, 4]) == 1  # lower of the two middle values
    assert lower_median([5, 1, 3]) == 3
    assert lower_median([0, 2, 3, 5]) == 2


def test_combined_levels_and_divergence(mini_bank):
    lead = respondent(
        "Leadership",
        {
            "q1": {"level": 4, "evidence": ["plan"]},
            "q2": {"level": 3},
            "q3": {"level": "na", "reason": "no stores"},
            "q4": {"level": 2},
        },
    )
    front = respondent(
        "Front line",
        {
            "q1": {"level": 1, "evidence": ["plan", "log"], "note": "rarely"},
            "q2": {"level": 3, "finding": "minor"},
            "q3": {"level": 2},
            "q4": {"level": 3, "finding": "ofi"},
        },
    )
    team = respondent(
        "CX team",
        {
            "q1": {"level": 2},
            "q2": {"level": 4, "finding": "major"},
            "q3": {"level": "na", "reason": "online only"},
        },
    )
    merged, consensus = combine([lead, front, team], mini_bank)
    a = merged.answers
    assert a["q1"].level == 2  # median of 4, 1, 2
    assert a["q1"].evidence == ("plan", "log")
    assert a["q1"].note == "Front line: rarely"
    assert a["q2"].level == 3  # median of 3, 3, 4
    assert a["q2"].finding is None  # the lead (the first) raised none: findings are not voted
    assert a["q4"].finding is None
    assert a["q3"].level == "na"  # 2 of 3 say na
    assert a["q3"].reason == "Leadership: no stores; CX team: online only"
    assert a["q3"].decided_by == "Leadership; CX team"
    assert a["q4"].level == 2  # lower median of 2, 3
    assert "q5" not in a
    by_id = {q.id: q for q in consensus.questions}
    assert by_id["q1"].spread == 3
    assert by_id["q1"].divergent
    assert by_id["q2"].spread == 1
    assert not by_id["q2"].divergent
    assert by_id["q3"].divergent  # applicability disputed
    assert by_id["q1"].levels == (4, 1, 2)
    assert by_id["q5"].combined is None
    assert [q.id for q in consensus.divergent] == ["q1", "q3"]
    assert consensus.names == ("Leadership", "Front line", "CX team")
    assert consensus.lead == "Leadership"


def test_findings_are_the_lead_assessors_alone(mini_bank):
    record = {"grade": "minor", "statement": "no complaint log kept", "owner": "Ops"}
    member = respondent("Member", {"q2": {"level": 1, "finding": "major"}, "q4": {"level": 1}})
    lead = Respondent(
        "Lead",
        make_answers("mini", {"q2": {"level": 2, "finding": record}, "q4": {"level": 1}}),
        "lead.yaml",
        lead=True,
    )
    merged, consensus = combine([member, lead], mini_bank)
    assert (consensus.lead, consensus.lead_source) == ("Lead", "lead.yaml")
    assert merged.answers["q2"].grade == "minor"  # the lead's, though the member said major
    assert merged.answers["q2"].record.statement == "no complaint log kept"
    assert merged.answers["q4"].finding is None


def test_na_needs_a_strict_majority(mini_bank):
    one = respondent("A", {"q1": {"level": "na", "reason": "x"}})
    two = respondent("B", {"q1": {"level": 3}})
    merged, _ = combine([one, two], mini_bank)
    assert merged.answers["q1"].level == 3


def test_other_bank_is_refused(tmp_path):
    from click.testing import CliRunner

    from assessment.cli import main

    other = tmp_path / "other.yaml"
    other.write_text(  # valid on its own
        "bank: cxcap\norganisation: {id: tiny, name: T}\nassessment: {title: T, date: 2026-11-01}\n"
    )
    args = ["combine", "--bank-path", str(FIXTURES), str(MINI_ANSWERS), str(other)]
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "combined.yaml")])
    assert result.exit_code == 2
    assert "respondent answers bank 'cxcap', not 'mini'" in result.output
    assert not (tmp_path / "combined.yaml").exists()


def test_notes_and_evidence_count_from_respondents_who_did_not_rate(mini_bank):
    lead = respondent("Leadership", {"q1": {"level": 4, "evidence": ["plan"]}, "q2": {"level": 3}})
    front = respondent(
        "Front line",
        {
            "q1": {"evidence": ["log"], "note": "not visible from here"},  # no level
            "q5": {"note": "never heard of it"},  # no one rated q5
        },
    )
    merged, consensus = combine([lead, front], mini_bank)
    a = merged.answers
    assert a["q1"].level == 4  # the only rating
    assert a["q1"].evidence == ("plan", "log")
    assert a["q1"].note == "Front line: not visible from here"
    assert not a["q5"].answered
    assert a["q5"].note == "Front line: never heard of it"
    q5 = next(q for q in consensus.questions if q.id == "q5")
    assert q5.combined is None
    assert not q5.divergent


def test_combine_names_respondents_apart_and_counts_each_once(tmp_path):
    from click.testing import CliRunner

    from assessment.cli import main

    for folder, note in (("north", "from the north"), ("south", "from the south")):
        (tmp_path / folder).mkdir()
        text = MINI_ANSWERS.read_text(encoding="utf-8")
        text = text.replace("    - minutes\n", f"    - minutes\n    note: {note}\n", 1)
        (tmp_path / folder / "lead.yaml").write_text(text, encoding="utf-8")
    north, south = tmp_path / "north" / "lead.yaml", tmp_path / "south" / "lead.yaml"
    banks = ["--bank-path", str(FIXTURES)]
    out = tmp_path / "combined.yaml"
    twice = CliRunner().invoke(main, ["combine", *banks, str(north), str(north), "--out", str(out)])
    assert twice.exit_code == 2
    assert "given twice" in twice.output
    assert not out.exists()
    result = CliRunner().invoke(
        main, ["combine", *banks, str(north), str(south), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert f"{north.as_posix()}: from the north" in text
    assert f"{south.as_posix()}: from the south" in text


def test_a_lead_nonconformity_the_combined_level_leaves_no_ground_for_is_noted_not_kept(
    mini_bank,
):
    lead = respondent("Lead", {"q4": {"level": 1, "finding": "major"}, "q1": {"level": 1}})
    b = respondent("B", {"q4": {"level": 4}, "q1": {"level": 2, "note": "partly"}})
    c = respondent("C", {"q4": {"level": 5}, "q1": {"level": 2}})
    lead_with_minor = respondent("Lead", {"q1": {"level": 1, "finding": "minor"}})
    merged, _ = combine([lead, b, c], mini_bank)
    q4 = merged.answers["q4"]
    assert q4.level == 4  # median of 1, 4, 5; target 3: no shortfall, and a major needs < 4
    assert q4.finding is None
    assert q4.note == (
        "Lead: major not kept for the combined answer (a major nonconformity on level 4, at or"
        " above its target 3: there is no shortfall to grade)"
    )
    merged, _ = combine([lead_with_minor, b, c], mini_bank)
    assert merged.answers["q1"].level == 2  # below its target 3: the minor stands
    assert merged.answers["q1"].finding == "minor"
    assert merged.answers["q1"].note == "B: partly"


def test_the_action_plan_is_the_lead_assessors_wherever_their_file_stands(mini_bank):
    front = respondent("Front", {"q1": {"level": 2}})
    plan = {"q1": {"owner": "CEO", "due": "2027-03-31", "status": "in_progress"}}
    data = make_answers("mini", {"q1": {"level": 1}}).model_dump(mode="json")
    lead_answers = AnswersFile.model_validate(data | {"actions": plan})
    lead = Respondent(name="Lead", answers=lead_answers, source="lead.yaml", lead=True)
    merged, _ = combine([front, lead], mini_bank)  # the lead is not the first file
    assert merged.actions["q1"].owner == "CEO"
    assert merged.actions["q1"].status == "in_progress"


def test_a_combined_file_written_elsewhere_still_finds_the_survey(tmp_path):
    from click.testing import CliRunner

    from assessment import api
    from assessment.cli import main

    team = tmp_path / "team"
    team.mkdir()
    text = MINI_ANSWERS.read_text(encoding="utf-8").replace(
        "answers:\n", "survey: s.csv\nanswers:\n"
    )
    (team / "lead.yaml").write_text(text, encoding="utf-8")
    (team / "front.yaml").write_text(text, encoding="utf-8")
    (team / "s.csv").write_bytes((FIXTURES / "survey" / "responses.csv").read_bytes())
    for out, named in (
        (team / "combined.yaml", "s.csv"),
        (tmp_path / "reports" / "combined.yaml", "../team/s.csv"),
    ):
        out.parent.mkdir(exist_ok=True)
        args = ["combine", "--bank-path", str(FIXTURES), str(team / "lead.yaml")]
        result = CliRunner().invoke(main, [*args, str(team / "front.yaml"), "--out", str(out)])
        assert result.exit_code == 0, result.output
        read = api.validate_file(out, [FIXTURES], allow_outside=True)
        assert read.answers.survey == named
        assert read.survey is not None
    assert f"the survey ../team/s.csv lies outside the folder of {out}" in result.output
    with pytest.raises(InputError, match="pass --allow-outside"):
        api.validate_file(out, [FIXTURES])
