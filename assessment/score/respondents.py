"""Several respondents' answers combined into one assessment, and where they disagree.

Rules (published on the consensus page, pinned by tests/test_respondents.py):
- a question is not applicable when more than half of the respondents who answered it say so;
  otherwise its level is the median of the numeric levels given, the lower median on ties
  (for a question answered by choice: the choice of the answer at that median);
- evidence is the union (first mention first), notes are kept with the respondent's name
  (both from every respondent, whether they rated the question or not),
  na reasons and who decided them are kept with the respondent's name;
- a finding is the lead assessor's (the respondent marked lead, else the first), never a
  vote: other respondents' findings are not taken, and the site says whose file it is from;
  a nonconformity the audit rules forbid at the combined level (no shortfall left, a major
  on 4 or more) is not kept, and the note says so;
- spread = highest − lowest numeric level; a spread of 2 or more is flagged as divergent,
  and so is a question some call not applicable while others rate it.
The action plan is the lead's too (as the findings). Organisation, assessment details,
targets and readiness come from the first respondent;
assessors are the union, the date is the latest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assessment.load.bank import Bank, Level
from assessment.load.crossref import grade_problems
from assessment.load.models.answers import NONCONFORMITIES, Answer, AnswersFile
from assessment.score.scoring import Scorecard, score

DIVERGENCE = 2


@dataclass(frozen=True)
class Respondent:
    name: str
    answers: AnswersFile
    source: str
    lead: bool = False  # the lead assessor: findings are taken from this file only


@dataclass(frozen=True)
class QuestionConsensus:
    id: str
    levels: tuple[Level, ...]  # one per respondent, in respondent order
    combined: Level
    spread: float | None
    divergent: bool


@dataclass(frozen=True)
class Consensus:
    names: tuple[str, ...]
    lead: str  # the lead assessor's name: findings come from this respondent's file
    lead_source: str
    questions: tuple[QuestionConsensus, ...]
    cards: tuple[Scorecard, ...]  # each respondent scored alone, for the heat map

    @property
    def divergent(self) -> tuple[QuestionConsensus, ...]:
        return tuple(q for q in self.questions if q.divergent)


def lower_median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def _combine_answer(
    named: list[tuple[str, Answer]], lead: str, qid: str, bank: Bank, target: int
) -> tuple[Answer | None, QuestionConsensus | None]:
    given = [(name, a) for name, a in named if a.answered]
    # Evidence and notes count from everyone, rated or not: a respondent who could not rate
    # a question may still say why, or what they saw.
    evidence: list[str] = []
    for _, a in named:
        evidence += [item for item in a.evidence if item not in evidence]
    notes = [f"{name}: {a.note}" for name, a in named if a.note]
    if not given:
        if not evidence and not notes:
            return None, None
        return Answer.model_validate({"evidence": evidence, "note": "\n".join(notes)}), None
    # What each answer scores: a level, or a picked choice's value on the same scale.
    rated = sorted(
        ((lv, a) for _, a in given if isinstance(lv := bank.answer_level(qid, a), int | float)),
        key=lambda pair: pair[0],
    )
    numeric = [lv for lv, _ in rated]
    na = [(name, a) for name, a in given if a.level == "na"]
    finding = next((a.finding for name, a in named if name == lead), None)
    fields: dict[str, Any] = {
        "evidence": tuple(evidence),
        "note": "\n".join(notes) or None,
        "finding": finding,
    }
    if len(na) * 2 > len(given):
        fields |= {
            "level": "na",
            "reason": "; ".join(f"{name}: {a.reason}" for name, a in na),
            "decided_by": "; ".join(
                name + (f" ({a.decided_by})" if a.decided_by else "") for name, a in na
            ),
        }
    else:
        # The lower median answer: its level, or for a question answered by choice the
        # choice it picked (a choice between two others' is no one's answer).
        middle = lower_median(numeric)
        median = next(a for lv, a in rated if lv == middle)
        fields |= {"choice": median.choice} if median.picked else {"level": median.level}
    fields |= _kept_finding(fields, lead, qid, bank, target)
    combined = Answer.model_validate(fields)
    spread = max(numeric) - min(numeric) if numeric else None
    disputed = bool(na) and bool(numeric)
    return combined, QuestionConsensus(
        id="",
        levels=(),
        combined=bank.answer_level(qid, combined),
        spread=spread,
        divergent=disputed or (spread is not None and spread >= DIVERGENCE),
    )


def _kept_finding(
    fields: dict[str, Any], lead: str, qid: str, bank: Bank, target: int
) -> dict[str, Any]:
    """The lead's nonconformity stands only where the audit rules allow it at the combined
    level (a vote may lift the level to the target or above); otherwise it is said in the
    note, so the combined file still passes validate and the verdict counts no finding the
    rules forbid."""
    finding = fields["finding"]
    grade = finding if isinstance(finding, str) or finding is None else finding.grade
    if grade not in NONCONFORMITIES:
        return {}
    level = bank.answer_level(qid, Answer.model_validate({**fields, "finding": None}))
    problems = grade_problems(grade, level, bank.strengths[qid], target, bank.max_level)
    if not problems:
        return {}
    said = f"{lead}: {grade} not kept for the combined answer ({problems[0]})"
    return {"finding": None, "note": "\n".join(filter(None, [fields["note"], said]))}


def combine(respondents: Sequence[Respondent], bank: Bank) -> tuple[AnswersFile, Consensus]:
    """The combined answers and where respondents disagree; every respondent answered `bank`
    (the load stage checks it)."""
    if len(respondents) < 2:
        raise ValueError("combining needs at least two respondents")
    first = respondents[0].answers
    lead = next((r for r in respondents if r.lead), respondents[0])
    combined: dict[str, Answer] = {}
    consensus: list[QuestionConsensus] = []
    for q in bank.questions:
        named = [
            (r.name, r.answers.answers[q.id]) for r in respondents if q.id in r.answers.answers
        ]
        target = bank.target_for(q.clause, first)
        answer, agreement = _combine_answer(named, lead.name, q.id, bank, target)
        levels = tuple(bank.answer_level(q.id, r.answers.answers.get(q.id)) for r in respondents)
        if answer is not None:
            combined[q.id] = answer  # with agreement None: notes or evidence, no rating
        if agreement is not None:
            consensus.append(
                QuestionConsensus(
                    q.id, levels, agreement.combined, agreement.spread, agreement.divergent
                )
            )
        else:
            consensus.append(QuestionConsensus(q.id, levels, None, None, False))
    assessors: list[str] = []
    for r in respondents:
        assessors += [a for a in r.answers.assessment.assessors if a not in assessors]
    info = first.assessment.model_copy(
        update={
            "assessors": tuple(assessors),
            "date": max(r.answers.assessment.date for r in respondents),
        }
    )
    # The action plan is the lead's, as the findings are: it is never a vote.
    update = {"assessment": info, "answers": combined, "actions": lead.answers.actions}
    merged = first.model_copy(update=update)
    cards = tuple(score(bank, r.answers) for r in respondents)
    return merged, Consensus(
        names=tuple(r.name for r in respondents),
        lead=lead.name,
        lead_source=lead.source,
        questions=tuple(consensus),
        cards=cards,
    )
