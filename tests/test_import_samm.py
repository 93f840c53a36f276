"""The SAMM importer on the invented model in tests/data/samm/model.

The model: business function Planning (P) with practices Risk Sketching (RS) and Supplier
Review (SR), business function Running (R) with practice Backup Drills (BD); each practice
has streams A and B and one question per stream and maturity level 1..3 (18 questions).
P's and SR's questions use answer set as-frequency (orders 0..3: No 0, Now and then 0.25,
Most of the time 0.5, Every time 1), BD's as-coverage (orders 1..4: Nowhere 0, A few systems
0.25, Most systems 0.5, Everywhere 1; listed out of order in its file).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from assessment.common.errors import InputError, Problem
from assessment.io.bank_import.samm import convert
from assessment.io.bank_import.write import Imported, source_hash, write_bank
from assessment.load.models.bank import Manifest, Question
from assessment.score.scoring import Scorecard, score
from tests.conftest import make_answers

MODEL = Path(__file__).parent / "data" / "samm" / "model"
PRACTICES = {"P": ("RS", "SR"), "R": ("BD",)}
STREAMS = ["P.RS.A", "P.RS.B", "P.SR.A", "P.SR.B", "R.BD.A", "R.BD.B"]

# One organisation's picks, with the value each scores in SAMM.
ANSWERS = {
    "p-rs-1-a": "a3",  # 1
    "p-rs-2-a": "a2",  # 0.5
    "p-rs-3-a": "a0",  # 0
    "p-rs-1-b": "a1",  # 0.25
    "p-rs-2-b": "a1",  # 0.25
    "p-rs-3-b": "a0",  # 0
    "p-sr-1-a": "a3",  # 1
    "p-sr-2-a": "a3",  # 1
    "p-sr-3-a": "a2",  # 0.5
    "p-sr-1-b": "a2",  # 0.5
    "p-sr-2-b": "a0",  # 0
    "p-sr-3-b": "a0",  # 0
    "r-bd-1-a": "a4",  # 1
    "r-bd-2-a": "a4",  # 1
    "r-bd-3-a": "a4",  # 1
    "r-bd-1-b": "a3",  # 0.5
    "r-bd-2-b": "a2",  # 0.25
    "r-bd-3-b": "a1",  # 0
}


def copy_model(tmp_path: Path) -> Path:
    """A copy of the fixture as a checkout of owaspsamm/core would hold it: core/model/."""
    target = tmp_path / "core" / "model"
    shutil.copytree(MODEL, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def locate(path: Path, fragment: str, value: str | None = None) -> tuple[int, int]:
    """1-based line and column of `value` (of the fragment where None) on the first line
    holding `fragment`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if fragment in line:
            start = line.index(fragment)
            return number, line.index(value or fragment, start) + 1
    raise AssertionError(f"{fragment!r} not in {path}")


def first_key(path: Path) -> tuple[int, int]:
    """Where the file's mapping starts: a missing key is reported there."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line and not line.startswith(("#", "---")):
            return number, 1
    raise AssertionError(f"no keys in {path}")


def write(tmp_path: Path, model: Path = MODEL, name: str = "samm") -> Imported:
    draft, files = convert(model)
    return write_bank(draft, "samm", "model", files, tmp_path / name, force=False)


def card_for(imported: Imported, picks: dict[str, str]) -> Scorecard:
    answers = make_answers("samm", {q: {"choice": c} for q, c in picks.items()})
    return score(imported.bank, answers)


def questions_of(draft_questions: dict[str, list[dict]]) -> dict[str, dict]:
    return {q["id"]: q for qs in draft_questions.values() for q in qs}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    return write(tmp_path_factory.mktemp("samm"))


# ---------------------------------------------------------------- the draft and the bank


def test_draft_is_a_valid_manifest_and_valid_questions():
    draft, _ = convert(MODEL)
    manifest = Manifest.model_validate(draft.manifest)
    assert manifest.id == "samm"
    assert manifest.version == "2.1"  # from `model: SAMM21` in both business functions
    assert manifest.standard.code == "OWASP SAMM"
    assert manifest.standard.kind == "guideline"
    assert manifest.default_target == 2
    assert manifest.principles == ()
    assert sorted(draft.questions) == ["p", "r"]  # one file per business function
    for questions in draft.questions.values():
        for q in questions:
            assert "levels" not in q
            Question.model_validate(q)
    assert (draft.ref, draft.provider, draft.copyright) == ("OWASP SAMM 2.1", "OWASP", None)


def test_scale_is_level_0_then_the_maturity_levels(imported):
    scale = imported.bank.manifest.scale
    assert [s.level for s in scale] == [0, 1, 2, 3]
    assert scale[0].name.en == "Not in place"
    assert scale[0].name.zh == "未开展"
    assert scale[2].name.en == "Maturity level 2"
    # The model's description in both languages: it has no Chinese.
    assert scale[2].meaning.en == "Done on a schedule, the same way each time."
    assert scale[2].meaning.zh == scale[2].meaning.en


def test_clause_tree_is_function_practice_stream(imported):
    tree = [
        (f.id, f.area, [(p.id, [s.id for s in p.children]) for p in f.children])
        for f in imported.bank.manifest.clauses
    ]
    assert tree == [
        ("P", "planning", [("P.RS", ["P.RS.A", "P.RS.B"]), ("P.SR", ["P.SR.A", "P.SR.B"])]),
        ("R", "running", [("R.BD", ["R.BD.A", "R.BD.B"])]),
    ]
    assert [(a.id, a.title.en) for a in imported.bank.manifest.areas] == [
        ("planning", "Planning"),
        ("running", "Running"),
    ]
    titles = {c.id: c.title.en for f in imported.bank.manifest.clauses for c in f.children}
    assert titles == {"P.RS": "Risk Sketching", "P.SR": "Supplier Review", "R.BD": "Backup Drills"}


def test_one_question_per_stream_and_maturity_level(imported):
    expected = [
        f"{f.lower()}-{p.lower()}-{level}-{letter.lower()}"
        for f, practices in PRACTICES.items()
        for p in practices
        for letter in "AB"
        for level in (1, 2, 3)
    ]
    assert [q.id for q in imported.bank.questions] == expected
    for q in imported.bank.questions:
        f, p, _, letter = q.id.upper().split("-")
        assert q.clause == f"{f}.{p}.{letter}"


def test_choices_are_the_answer_set_in_its_order(imported):
    index = imported.bank.question_index
    frequency = [(c.id, c.text.en, c.value) for c in index["p-rs-1-a"].choices]
    # `text: No` is read as written, not as YAML's boolean false.
    assert frequency == [
        ("a0", "No", 0),
        ("a1", "Now and then", 0.25),
        ("a2", "Most of the time", 0.5),
        ("a3", "Every time", 1),
    ]
    coverage = [(c.id, c.text.en, c.value) for c in index["r-bd-2-b"].choices]
    assert coverage == [
        ("a1", "Nowhere", 0),
        ("a2", "A few systems", 0.25),
        ("a3", "Most systems", 0.5),
        ("a4", "Everywhere", 1),
    ]


def test_text_guidance_and_evidence(imported):
    index = imported.bank.question_index
    q = index["p-rs-2-a"]
    assert q.text.en == "Is a misuse sketch made for every release?"
    # Only the first paragraph of the activity's long description (it has no short one).
    assert q.guidance.en == (
        "Maturity level 2: Sketch misuse per release. Before each release the team spends"
        " an hour on how the new parts could be abused."
    )
    assert [(e.kind, e.en) for e in q.evidence] == [
        ("record", "Each release has a sketch"),
        ("record", "Someone outside the team reads it"),
    ]
    assert q.text.zh == q.text.en
    assert index["r-bd-1-a"].guidance.en == (
        "Maturity level 1: Try a restore. Try a restore as a routine step."
    )
    assert index["r-bd-3-b"].evidence == ()  # its question lists no quality criteria


def test_weights_give_each_function_an_equal_share(imported):
    # w = 1 / (questions in stream x streams in practice x practices in function):
    # P: 1 / (3 x 2 x 2) = 1/12, R: 1 / (3 x 2 x 1) = 1/6; x 12 -> 1 and 2.
    weights = {q.id: q.weight for q in imported.bank.questions}
    assert {w for q, w in weights.items() if q.startswith("p-")} == {1}
    assert {w for q, w in weights.items() if q.startswith("r-")} == {2}
    assert sum(w for q, w in weights.items() if q.startswith("p-")) == sum(
        w for q, w in weights.items() if q.startswith("r-")
    )
    for q in imported.bank.questions:
        assert (q.weight_rationale is not None) == (q.weight != 1)


def test_a_regular_model_has_no_weights(tmp_path):
    # Without Supplier Review both functions have one practice: every weight is 1.
    model = copy_model(tmp_path)
    for path in model.rglob("*"):
        if path.name.startswith(("P-SR", "P-Supplier-Review")):
            path.unlink()
    draft, _ = convert(model)
    questions = questions_of(draft.questions)
    assert len(questions) == 12
    assert all("weight" not in q and "weight_rationale" not in q for q in questions.values())


def test_scores_equal_samm_roll_up(imported):
    card = card_for(imported, ANSWERS)
    # SAMM by hand. Streams sum their values:
    #   P.RS.A 1 + 0.5 + 0 = 1.5, P.RS.B 0.25 + 0.25 + 0 = 0.5,
    #   P.SR.A 1 + 1 + 0.5 = 2.5, P.SR.B 0.5 + 0 + 0 = 0.5,
    #   R.BD.A 1 + 1 + 1 = 3, R.BD.B 0.5 + 0.25 + 0 = 0.75.
    # Practices: P.RS (1.5 + 0.5) / 2 = 1, P.SR (2.5 + 0.5) / 2 = 1.5, R.BD (3 + 0.75) / 2
    # = 1.875. Functions: P (1 + 1.5) / 2 = 1.25, R = 1.875. Overall (1.25 + 1.875) / 2
    # = 1.5625.
    streams = {"P.RS.A": 1.5, "P.RS.B": 0.5, "P.SR.A": 2.5, "P.SR.B": 0.5}
    streams |= {"R.BD.A": 3.0, "R.BD.B": 0.75}
    for clause, expected in streams.items():
        assert card.clause(clause).score == pytest.approx(expected), clause
    for clause, expected in {"P.RS": 1.0, "P.SR": 1.5, "R.BD": 1.875}.items():
        assert card.clause(clause).score == pytest.approx(expected), clause
    assert card.clause("P").score == pytest.approx(1.25)
    assert card.area("planning").score == pytest.approx(1.25)
    assert card.area("running").score == pytest.approx(1.875)
    assert card.overall.score == pytest.approx(1.5625)
    # Without the weights the overall would be the plain mean of the 18 levels:
    # 3 x (1.5 + 0.5 + 2.5 + 0.5 + 3 + 0.75) / 18 = 1.458…, not SAMM's.
    assert card.overall.score != pytest.approx(3 * 8.75 / 18)


def test_notes_keep_the_roll_up_and_the_missing_chinese():
    draft, _ = convert(MODEL)
    english = [n["en"] for n in draft.notes]
    assert any(n.startswith("SAMM's roll-up kept: a stream scores the sum") for n in english)
    assert any("no Chinese text" in n for n in english)
    assert not any(n.startswith("Stream ") for n in english)  # every stream is regular
    assert all(n["zh"] and n["zh"] != n["en"] for n in draft.notes)


# ---------------------------------------------------------------- irregular models


def test_a_stream_short_of_a_question(tmp_path):
    model = copy_model(tmp_path)
    (model / "questions" / "P-RS-3-B.yml").unlink()
    imported = write(tmp_path, model)
    # Shares: P.RS.A 1/(3x2x2) = 1/12, P.RS.B 1/(2x2x2) = 1/8, P.SR 1/12, R.BD 1/(3x2x1)
    # = 1/6; x 24 (their LCM) -> 2, 3, 2, 4.
    weights = {q.id: q.weight for q in imported.bank.questions}
    expected = {"p-rs-1-a": 2, "p-rs-1-b": 3, "p-rs-2-b": 3, "p-sr-3-b": 2, "r-bd-2-a": 4}
    assert {q: weights[q] for q in expected} == expected
    assert "p-rs-3-b" not in weights
    assert all(q.weight_rationale is not None for q in imported.bank.questions)
    card = card_for(imported, {q: c for q, c in ANSWERS.items() if q != "p-rs-3-b"})
    # The short stream scores the mean of its levels, value x 3: (0.75 + 0.75) / 2 = 0.75,
    # not SAMM's sum 0.25 + 0.25 = 0.5 (the draft says so). Above it SAMM's roll-up holds:
    # P.RS (1.5 + 0.75) / 2 = 1.125, P (1.125 + 1.5) / 2 = 1.3125, R 1.875, overall
    # (1.3125 + 1.875) / 2 = 1.59375.
    assert card.clause("P.RS.B").score == pytest.approx(0.75)
    assert card.clause("P.RS").score == pytest.approx(1.125)
    assert card.clause("P.SR").score == pytest.approx(1.5)
    assert card.area("planning").score == pytest.approx(1.3125)
    assert card.area("running").score == pytest.approx(1.875)
    assert card.overall.score == pytest.approx(1.59375)
    notes = [n for n in imported.notes if n.startswith("Stream ")]
    assert notes == [
        "Stream P.RS.B (Risk Register) has 2 questions, not one per maturity level (3): its"
        " score is the mean of its answers on the 0–3 scale, not SAMM's sum of their values."
    ]


def test_two_questions_on_one_activity(tmp_path):
    model = copy_model(tmp_path)
    second = model / "questions" / "P-RS-1-A-2.yml"
    shutil.copy(model / "questions" / "P-RS-1-A.yml", second)
    edit(second, "id: qu-rs-1-a", "id: qu-rs-1-a-again")
    edit(second, "order: 1", "order: 2")
    imported = write(tmp_path, model)
    ids = [q.id for q in imported.bank.questions if q.clause == "P.RS.A"]
    assert ids == ["p-rs-1-a-1", "p-rs-1-a-2", "p-rs-2-a", "p-rs-3-a"]
    # Shares: P.RS.A 1/(4x2x2) = 1/16, P.RS.B and P.SR 1/12, R.BD 1/6; x 48 -> 3, 4, 8.
    weights = {q.clause: q.weight for q in imported.bank.questions}
    assert weights == {"P.RS.A": 3, "P.RS.B": 4, "P.SR.A": 4, "P.SR.B": 4, "R.BD.A": 8, "R.BD.B": 8}
    picks = {("p-rs-1-a-1" if q == "p-rs-1-a" else q): c for q, c in ANSWERS.items()}
    card = card_for(imported, picks | {"p-rs-1-a-2": "a1"})
    # P.RS.A: levels 3, 0.75, 1.5, 0 -> 1.3125; P.RS (1.3125 + 0.5) / 2 = 0.90625;
    # P (0.90625 + 1.5) / 2 = 1.203125; overall (1.203125 + 1.875) / 2 = 1.5390625.
    assert card.clause("P.RS").score == pytest.approx(0.90625)
    assert card.overall.score == pytest.approx(1.5390625)


def test_the_model_folder_or_its_parent_and_the_licence(tmp_path):
    model = copy_model(tmp_path)
    licence = model.parent / "LICENSE"
    licence.write_text("\nInvented Licence 1.0\nsecond line\n", encoding="utf-8")
    from_parent, files = convert(model.parent)
    from_model, _ = convert(model)
    assert from_parent == from_model
    assert from_parent.copyright == "Invented Licence 1.0"
    assert ("../LICENSE", licence.read_bytes()) in files


def test_yaml_suffix_and_unknown_keys_are_accepted(tmp_path):
    model = copy_model(tmp_path)
    question = model / "questions" / "R-BD-1-A.yml"
    edit(question, "order: 1", "order: 1\nassignee: someone\nprogress: {done: 2}")
    question.rename(question.with_suffix(".yaml"))
    draft, files = convert(model)
    assert "r-bd-1-a" in questions_of(draft.questions)
    assert "questions/R-BD-1-A.yaml" in dict(files)


def test_version_falls_back_to_2_0(tmp_path):
    model = copy_model(tmp_path)
    for name in ("Planning", "Running"):
        edit(model / "business_functions" / f"{name}.yml", "model: SAMM21\n", "")
    draft, _ = convert(model)
    assert draft.manifest["version"] == "2.0"
    assert draft.ref == "OWASP SAMM"
    assert any("names no version" in n["en"] for n in draft.notes)


# ---------------------------------------------------------------- the source and writing


def test_files_are_every_model_file_with_its_bytes():
    _, files = convert(MODEL)
    on_disk = {
        p.relative_to(MODEL).as_posix(): p.read_bytes()
        for p in MODEL.rglob("*.yml")
        if p.parent != MODEL
    }
    assert dict(files) == on_disk
    assert len(files) == 2 + 3 + 6 + 3 + 9 + 18 + 18 + 2


def test_source_hash_changes_with_one_model_file(tmp_path):
    model = copy_model(tmp_path)
    first = write(tmp_path, model, "first")
    written = yaml.safe_load((first.out / "manifest.yaml").read_text(encoding="utf-8"))
    _, files = convert(model)
    assert written["source"]["format"] == "samm"
    assert written["source"]["sha256"] == source_hash(files)
    edit(model / "answer_sets" / "F.yml", "text: Now and then", "text: Now and again")
    _, changed = convert(model)
    assert source_hash(changed) != source_hash(files)


def test_write_refuses_an_existing_folder_unless_forced(tmp_path):
    first = write(tmp_path, MODEL)
    model = copy_model(tmp_path)
    (model / "questions" / "P-RS-3-B.yml").unlink()
    draft, files = convert(model)
    with pytest.raises(InputError) as refused:
        write_bank(draft, "samm", "model", files, first.out, force=False)
    assert [p.message for p in refused.value.problems] == [
        "exists; use --force to replace it (it is kept aside)"
    ]
    assert len(list((first.out / "questions").glob("*.yaml"))) == 2
    forced = write_bank(draft, "samm", "model", files, first.out, force=True)
    assert forced.backup == tmp_path / "samm.bak"
    kept = yaml.safe_load((forced.backup / "questions" / "p.yaml").read_text(encoding="utf-8"))
    now = yaml.safe_load((first.out / "questions" / "p.yaml").read_text(encoding="utf-8"))
    assert (len(kept["questions"]), len(now["questions"])) == (12, 11)


# ---------------------------------------------------------------- problems


def test_every_problem_at_once_with_its_place(tmp_path):
    model = copy_model(tmp_path)
    files = {
        "question": model / "questions" / "P-RS-1-A.yml",
        "practice": model / "security_practices" / "P-Supplier-Review.yml",
        "activity": model / "activities" / "R-BD-2-B.yml",
        "copy": model / "answer_sets" / "F2.yml",
        "empty": model / "answer_sets" / "E.yml",
        "no set": model / "questions" / "R-BD-1-A.yml",
        "coverage": model / "answer_sets" / "C.yml",
        "stream": model / "streams" / "P-RS-B.yml",
        "no text": model / "questions" / "P-RS-2-A.yml",
        "clash": model / "business_functions" / "Preparation.yml",
    }
    edit(files["question"], "answerSet: as-frequency", "answerSet: as-frequncy")
    edit(files["practice"], "function: fn-planning", "function: fn-planing")
    edit(files["activity"], "stream: st-bd-b", "stream: st-bd-x")
    shutil.copy(model / "answer_sets" / "F.yml", files["copy"])
    files["empty"].write_text("id: as-empty\nvalues: []\n", encoding="utf-8")
    edit(files["no set"], "answerSet: as-coverage\n", "")
    edit(files["coverage"], "value: 0.5", "value: 1.5")
    edit(files["stream"], "name: Risk Register\n", "")
    edit(files["no text"], "text: Is a misuse sketch made for every release?\n", "")
    files["clash"].write_text("id: fn-prep\nname: Preparation\norder: 3\n", encoding="utf-8")
    planning = model / "business_functions" / "Planning.yml"
    frequency = model / "answer_sets" / "F.yml"
    id_line = {path: locate(path, "id:")[0] for path in (planning, frequency)}
    expected = [
        (
            files["question"],
            locate(files["question"], "answerSet:", "as-frequncy"),
            "no answer set has id 'as-frequncy' (did you mean 'as-frequency'?)",
        ),
        (
            files["practice"],
            locate(files["practice"], "function:", "fn-planing"),
            "no business function has id 'fn-planing' (did you mean 'fn-planning'?)",
        ),
        (files["activity"], locate(files["activity"], "stream:", "st-bd-x"), "no stream has id"),
        (
            files["copy"],
            locate(files["copy"], "id: as-frequency", "as-frequency"),
            f"duplicate answer set id 'as-frequency' (first in {frequency}:{id_line[frequency]})",
        ),
        (files["empty"], locate(files["empty"], "values:", "[]"), "has no values"),
        (files["no set"], first_key(files["no set"]), "missing 'answerSet'"),
        (
            files["coverage"],
            locate(files["coverage"], "value: 1.5", "1.5"),
            "value 1.5 is outside 0..1",
        ),
        (files["stream"], first_key(files["stream"]), "missing 'name'"),
        (files["no text"], first_key(files["no text"]), "missing 'text'"),
        (
            files["clash"],
            locate(files["clash"], "name:", "Preparation"),
            f"the name 'Preparation' gives clause id 'P', as {planning}:{id_line[planning]} does",
        ),
    ]
    with pytest.raises(InputError) as caught:
        convert(model)
    problems = caught.value.problems
    assert len(problems) == len(expected), "\n".join(map(str, problems))
    for path, (line, col), message in expected:
        found = [p for p in problems if p.file == str(path) and (p.line, p.col) == (line, col)]
        assert len(found) == 1, f"{path}:{line}:{col} not in\n" + "\n".join(map(str, problems))
        assert message in found[0].message
        assert str(found[0]).startswith(f"{path}:{line}:{col}: ")


def test_an_unreadable_file_does_not_make_its_links_unknown(tmp_path):
    model = copy_model(tmp_path)
    broken = model / "answer_sets" / "F.yml"
    broken.write_text("id: as-frequency\nvalues: [\n", encoding="utf-8")
    activity = model / "activities" / "P-SR-1-A.yml"
    edit(activity, "stream: st-sr-a", "stream: st-sr-z")
    with pytest.raises(InputError) as caught:
        convert(model)
    problems = caught.value.problems
    # The YAML error, and the activity's link; not twelve questions naming as-frequency.
    assert [p.file for p in problems] == [str(activity), str(broken)]
    assert problems[1].message.startswith("invalid YAML")
    assert (problems[0].line, problems[0].col) == locate(activity, "stream:", "st-sr-z")


def test_a_folder_without_model_files(tmp_path):
    (tmp_path / "notes.txt").write_text("not a model", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        convert(tmp_path)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.col, problem.path) == (str(tmp_path), 0, 0, "")
    assert problem.message.startswith("no SAMM model files")


def test_a_missing_kind_is_one_problem(tmp_path):
    model = copy_model(tmp_path)
    shutil.rmtree(model / "answer_sets")
    with pytest.raises(InputError) as caught:
        convert(model)
    assert caught.value.problems == (
        Problem(str(model / "answer_sets"), 0, 0, "", "no answer set files (answer_sets/*.yml)"),
    )


def test_clashing_stream_letters_and_maturity_gaps(tmp_path):
    model = copy_model(tmp_path)
    stream = model / "streams" / "R-BD-B.yml"
    edit(stream, "letter: B", "letter: A")
    level = model / "maturity_levels" / "level-3.yml"
    edit(level, "number: 3", "number: 4")
    with pytest.raises(InputError) as caught:
        convert(model)
    by_file = {p.file: p for p in caught.value.problems}
    first = model / "streams" / "R-BD-A.yml"
    assert by_file[str(stream)].message == (
        f"letter 'A' gives clause id 'R.BD.A', as {first}:{locate(first, 'id:')[0]} does"
    )
    assert (by_file[str(stream)].line, by_file[str(stream)].col) == locate(stream, "letter:", "A")
    gap = next(p for p in caught.value.problems if "without gaps" in p.message)
    assert "[1, 2, 4]" in gap.message
