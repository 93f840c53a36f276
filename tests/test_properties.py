"""Properties over random answers: scores stay in range, rise with levels, files round-trip."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.io.answers import dump_answers
from assessment.load.bank import Bank
from assessment.load.models.answers import AnswersFile
from assessment.load.structure import parse
from assessment.load.yamlio import load_yaml
from assessment.score.scoring import score
from tests.conftest import make_answers

QUESTIONS = ["q1", "q2", "q3", "q4", "q5"]
levels = st.one_of(st.none(), st.just("na"), st.integers(0, 5))
answer_sets = st.dictionaries(st.sampled_from(QUESTIONS), levels)


def to_answers(chosen: dict[str, object]) -> dict[str, dict[str, object]]:
    return {
        qid: ({"level": "na", "reason": "n/a here"} if level == "na" else {"level": level})
        for qid, level in chosen.items()
    }


SETTINGS = settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(chosen=answer_sets, default=st.integers(0, 5))
def test_scores_stay_in_range(mini_bank, chosen, default):
    card = score(mini_bank, make_answers("mini", to_answers(chosen), {"default": default}))
    for group in (card.overall, *card.areas, *card.clauses, *card.principles):
        if group.score is None:
            assert group.answered == 0
        else:
            assert 0 <= group.score <= 5
            assert 0 <= group.percent <= 100
            assert group.stage in range(6)
            assert -5 <= group.gap <= 5
        if group.coverage is not None:
            assert 0 <= group.coverage <= 1
    for q in card.questions:
        assert q.priority is None or q.priority >= 0


weights = st.one_of(
    st.sampled_from([1.0, 2.0, 0.5, 0.1, 0.3, 2.5, 100.0]),
    st.floats(min_value=0.001, max_value=100, allow_nan=False, allow_infinity=False),
)


@SETTINGS
@given(chosen=answer_sets, chosen_weights=st.lists(weights, min_size=5, max_size=5))
def test_group_scores_are_the_exact_weighted_means_rounded_once(mini_bank, chosen, chosen_weights):
    """Whatever the weights (0.1 has no exact binary form), a group's score and target are
    sum(w * x) / sum(w) worked out exactly and rounded once to a float."""
    pairs = zip(mini_bank.questions, chosen_weights, strict=True)
    questions = tuple(q.model_copy(update={"weight": w}) for q, w in pairs)
    bank = Bank(mini_bank.manifest, questions, "weights-" + repr(chosen_weights))
    answers = make_answers("mini", to_answers(chosen), {"default": 4, "clauses": {"2": 1}})
    card = score(bank, answers)
    groups = [card.overall, *card.areas, *card.clauses, *card.principles]
    members = {"overall": list(card.questions)}
    for q in card.questions:
        for clause in bank.lineage(q.clause):
            members.setdefault(clause, []).append(q)
        members.setdefault(q.area, []).append(q)
        for p in q.principles:
            members.setdefault(p, []).append(q)
    for group in groups:
        answered = [q for q in members.get(group.id, []) if isinstance(q.level, int)]
        if not answered:
            assert group.score is None
            continue
        weight = sum(Fraction(q.weight) for q in answered)
        assert group.score == float(sum(Fraction(q.weight) * q.level for q in answered) / weight)
        assert group.target == float(sum(Fraction(q.weight) * q.target for q in answered) / weight)


@SETTINGS
@given(
    chosen=answer_sets, question=st.sampled_from(QUESTIONS), low=st.integers(0, 4), data=st.data()
)
def test_raising_a_level_never_lowers_a_score(mini_bank, chosen, question, low, data):
    high = data.draw(st.integers(low + 1, 5))
    before = score(mini_bank, make_answers("mini", to_answers({**chosen, question: low})))
    after = score(mini_bank, make_answers("mini", to_answers({**chosen, question: high})))
    pairs = zip(
        (before.overall, *before.areas, *before.clauses, *before.principles),
        (after.overall, *after.areas, *after.clauses, *after.principles),
        strict=True,
    )
    for old, new in pairs:
        assert (old.score is None) == (new.score is None)
        if old.score is not None:
            assert new.score >= old.score - 1e-12
    assert after.question(question).priority <= before.question(question).priority


texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
# an evidence item is one line (the model refuses CR and LF in it)
one_line_texts = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r\n"), max_size=40
)
answer_values = st.one_of(
    st.builds(
        lambda level, ev, note: {"level": level, "evidence": ev, "note": note},
        st.integers(0, 5),
        st.lists(one_line_texts, max_size=3),
        st.one_of(st.none(), texts),
    ),
    st.builds(lambda reason: {"level": "na", "reason": "x" + reason}, texts),
)


@settings(max_examples=100)
@given(
    name=texts.filter(lambda s: s.strip()),
    answers=st.dictionaries(st.sampled_from(QUESTIONS), answer_values),
    day=st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
)
def test_answers_file_round_trips_through_yaml(name, answers, day):
    original = AnswersFile.model_validate(
        {
            "bank": "mini",
            "organisation": {"id": "org", "name": name},
            "assessment": {"title": "t", "date": day},
            "answers": answers,
        }
    )
    text = dump_answers(original)
    assert parse(load_yaml(text, "round.yaml"), AnswersFile) == original


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(first=st.sampled_from("-?:"), rest=st.text(min_size=1, max_size=20))
def test_text_starting_with_a_yaml_indicator_is_written_quoted(first, rest):
    """Offline forms saved before they read plain "-x" refuse a file holding one: every such
    string cxassess writes is quoted, and still reads back as it was."""
    import yaml

    value = first + rest
    original = AnswersFile.model_validate(
        {
            "bank": "mini",
            "organisation": {"id": "org", "name": value},
            "assessment": {"title": "t", "date": dt.date(2026, 1, 1)},
        }
    )
    text = dump_answers(original)
    node = yaml.compose(text)
    organisation = {k.value: v for k, v in node.value}["organisation"]
    name = {k.value: v for k, v in organisation.value}["name"]
    assert name.style in ("'", '"')
    assert parse(load_yaml(text, "quoted.yaml"), AnswersFile) == original
