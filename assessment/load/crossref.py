"""Cross-reference layer: ids exist, are unique and lie in range. Runs after structure passed."""

from __future__ import annotations

from collections.abc import Sequence

from assessment.common.errors import Problem, did_you_mean
from assessment.load.bank import Bank, Level, clause_nodes
from assessment.load.models.answers import NONCONFORMITIES, Answer, AnswersFile, FindingRecord
from assessment.load.models.bank import Manifest, QuestionFile
from assessment.load.yamlio import Located


def check_manifest(manifest: Manifest, src: Located) -> list[Problem]:
    problems: list[Problem] = []
    levels = [s.level for s in manifest.scale]
    if levels != list(range(len(levels))):
        problems.append(src.problem(("scale",), "levels must run 0, 1, 2 … without gaps, in order"))
    if not 0 <= manifest.default_target <= max(levels):
        problems.append(src.problem(("default_target",), f"must lie in 0..{max(levels)}"))
    area_ids = [a.id for a in manifest.areas]
    problems += _duplicates(area_ids, src, "areas")
    problems += _duplicates([p.id for p in manifest.principles], src, "principles")
    qmp = (
        {item.id for item in manifest.crosswalks["qmp"].items}
        if "qmp" in manifest.crosswalks
        else None
    )
    for i, principle in enumerate(manifest.principles):
        for code in principle.qmp:
            if qmp is not None and code not in qmp:
                problems.append(src.problem(("principles", i, "qmp"), f"unknown qmp id {code!r}"))
    seen: set[str] = set()
    for node in clause_nodes(manifest):
        if node.id in seen:
            problems.append(src.problem(("clauses",), f"clause id {node.id!r} appears twice"))
        seen.add(node.id)
        if node.source.area is not None and node.source.area not in area_ids:
            problems.append(
                src.problem(("clauses",), f"clause {node.id}: unknown area {node.area!r}")
            )
        if node.is_leaf and node.area is None:
            problems.append(src.problem(("clauses",), f"clause {node.id} belongs to no area"))
        point_ids = [p.id for p in node.source.points]
        if len(set(point_ids)) != len(point_ids):
            problems.append(src.problem(("clauses",), f"clause {node.id}: duplicate point ids"))
    return problems


def check_questions(
    manifest: Manifest, files: Sequence[tuple[QuestionFile, Located]]
) -> list[Problem]:
    problems: list[Problem] = []
    nodes = {n.id: n for n in clause_nodes(manifest)}
    principles = {p.id for p in manifest.principles}
    crosswalks = {key: {i.id for i in cw.items} for key, cw in manifest.crosswalks.items()}
    levels = {s.level for s in manifest.scale}
    presets = {p.id for p in manifest.presets}
    first_seen: dict[str, str] = {}
    for qfile, src in files:
        for i, q in enumerate(qfile.questions):
            at = ("questions", i)
            if q.id in first_seen:
                problems.append(
                    src.problem(
                        (*at, "id"), f"duplicate question id {q.id!r} (first in {first_seen[q.id]})"
                    )
                )
            first_seen.setdefault(q.id, f"{src.file}:{src.mark((*at, 'id'))[0]}")
            node = nodes.get(q.clause)
            if node is None:
                problems.append(
                    src.problem(
                        (*at, "clause"),
                        f"unknown clause {q.clause!r}" + did_you_mean(q.clause, nodes),
                    )
                )
            elif not node.is_leaf:
                problems.append(
                    src.problem(
                        (*at, "clause"), f"clause {q.clause} has sub-clauses; use a leaf clause"
                    )
                )
            else:
                points = {p.id for p in node.source.points}
                for j, point in enumerate(q.covers):
                    if point not in points:
                        problems.append(
                            src.problem(
                                (*at, "covers", j),
                                f"clause {q.clause} has no point {point!r}"
                                + did_you_mean(point, points),
                            )
                        )
            for j, principle in enumerate(q.principles):
                if principle not in principles:
                    problems.append(
                        src.problem(
                            (*at, "principles", j),
                            f"unknown principle {principle!r}"
                            + did_you_mean(principle, principles),
                        )
                    )
            for key, codes in q.crosswalk.items():
                if key not in crosswalks:
                    problems.append(
                        src.problem((*at, "crosswalk", key), f"unknown crosswalk {key!r}")
                    )
                    continue
                for j, code in enumerate(codes):
                    if code not in crosswalks[key]:
                        problems.append(
                            src.problem((*at, "crosswalk", key, j), f"unknown {key} id {code!r}")
                        )
            if q.levels and set(q.levels) != levels:
                problems.append(
                    src.problem(
                        (*at, "levels"), f"needs exactly one descriptor per level {sorted(levels)}"
                    )
                )
            problems += _duplicates([c.id for c in q.choices], src, (*at, "choices"))
            for j, preset in enumerate(q.presets):
                if preset not in presets:
                    problems.append(
                        src.problem(
                            (*at, "presets", j),
                            f"unknown preset {preset!r}" + did_you_mean(preset, presets),
                        )
                    )
            if q.weight != 1 and q.weight_rationale is None:
                problems.append(
                    src.problem((*at, "weight"), "a weight other than 1 needs weight_rationale")
                )
    return problems


def _duplicates(ids: list[str], src: Located, key: str | tuple[str | int, ...]) -> list[Problem]:
    seen: set[str] = set()
    out: list[Problem] = []
    at = (key,) if isinstance(key, str) else key
    for i, ident in enumerate(ids):
        if ident in seen:
            out.append(src.problem((*at, i, "id"), f"duplicate id {ident!r}"))
        seen.add(ident)
    return out


def check_answers(answers: AnswersFile, src: Located, bank: Bank) -> list[Problem]:
    problems: list[Problem] = []
    if answers.bank != bank.id:
        problems.append(
            src.problem(("bank",), f"answers are for bank {answers.bank!r}, not {bank.id!r}")
        )
        return problems
    top = bank.max_level
    for qid, answer in answers.answers.items():
        if qid not in bank.question_index:
            problems.append(_unknown_question(src, "answers", qid, bank, "unknown question"))
        if isinstance(answer.level, int) and answer.level not in bank.levels:
            problems.append(src.problem(("answers", qid, "level"), f"level must be 0..{top} or na"))
        elif qid in bank.question_index:
            # The audit rules read the level a choice scores: only once the choice is known.
            wrong_choice = _check_choice(qid, answer, src, bank)
            problems += wrong_choice or _check_answer(qid, answers, src, bank)
    if answers.preset is not None and answers.preset not in bank.presets:
        problems.append(
            src.problem(
                ("preset",),
                f"bank {bank.id} has no preset {answers.preset!r}"
                + did_you_mean(answers.preset, bank.presets),
            )
        )
    default = answers.targets.default
    if default is not None and not 0 <= default <= top:
        problems.append(src.problem(("targets", "default"), f"target must lie in 0..{top}"))
    for clause_id, target in answers.targets.clauses.items():
        if clause_id not in bank.clauses:
            problems.append(
                src.problem(
                    ("targets", "clauses", clause_id),
                    f"unknown clause {clause_id!r}" + did_you_mean(clause_id, bank.clauses),
                    key=True,
                )
            )
        elif not 0 <= target <= top:
            problems.append(
                src.problem(("targets", "clauses", clause_id), f"target must lie in 0..{top}")
            )
    for qid in answers.actions:
        if qid not in bank.question_index:
            what = "an action for unknown question"
            problems.append(_unknown_question(src, "actions", qid, bank, what))
    seen: set[str] = set()
    for i, objective in enumerate(answers.objectives):
        if objective.id in seen:
            problems.append(
                src.problem(("objectives", i, "id"), f"duplicate objective id {objective.id!r}")
            )
        seen.add(objective.id)
    for key in ("min_area_score", "knockout_level"):
        value = getattr(answers.readiness, key)
        if value is not None and value > top:
            problems.append(src.problem(("readiness", key), f"must lie in 0..{top}"))
    return problems


def _unknown_question(src: Located, section: str, qid: str, bank: Bank, what: str) -> Problem:
    """A key naming no question of the bank, with the nearest id it could have meant."""
    message = f"{what} {qid!r} in bank {bank.id}" + did_you_mean(qid, bank.question_index)
    return src.problem((section, qid), message, key=True)


def _check_choice(qid: str, answer: Answer, src: Located, bank: Bank) -> list[Problem]:
    """A question with scored choices is answered with one of them (several where it says
    multiple), a question with a level ladder with a level."""
    question = bank.question_index[qid]
    at: tuple[str, ...] = ("answers", qid)
    known = {c.id for c in question.choices}
    if not known:
        if answer.choice is not None:
            return [src.problem((*at, "choice"), "this question has no choices: give a level")]
        return []
    if isinstance(answer.level, int):
        listed = ", ".join(sorted(known))
        return [src.problem((*at, "level"), f"this question is answered by choice ({listed})")]
    out = []
    if not question.multiple and not isinstance(answer.choice, str | None):
        out.append(src.problem((*at, "choice"), "pick one choice: this question takes one"))
    for j, picked in enumerate(answer.picked):
        if picked not in known:
            where: tuple[str | int, ...] = (*at, "choice")
            if not isinstance(answer.choice, str):
                where = (*where, j)
            message = f"unknown choice {picked!r}" + did_you_mean(picked, known)
            out.append(src.problem(where, message))
    return out


def grade_problems(
    grade: str,
    level: Level,
    strength: str | None,
    target: int,
    max_level: int,
    *,
    excluded_by: str | None = None,
) -> list[str]:
    """Why a nonconformity of this grade cannot stand on this level (none: it can). Only a
    shortfall against a 'shall' provision is a nonconformity, only where the level falls
    short of the target, and a major not on a level of 4 or more. excluded_by: the preset
    that leaves the question out (it does not apply)."""
    out = []
    if strength in ("should", "may"):
        out.append(
            f"a {grade} nonconformity needs a 'shall' provision; this question covers "
            f"'{strength}' provisions only, so grade it observation or ofi"
        )
    if excluded_by is not None:
        out.append(
            f"a {grade} nonconformity needs a question that applies; the preset "
            f"{excluded_by!r} leaves this one out"
        )
    elif not isinstance(level, int | float):
        out.append(f"a {grade} nonconformity needs a level (0..{max_level})")
    elif level >= target:
        out.append(
            f"a {grade} nonconformity on level {level:g}, at or above its target "
            f"{target}: there is no shortfall to grade"
        )
    if grade == "major" and isinstance(level, int | float) and level >= 4:
        out.append(f"a major nonconformity on level {level:g} (4 or more)")
    return out


def _check_answer(qid: str, answers: AnswersFile, src: Located, bank: Bank) -> list[Problem]:
    """The audit rules one answer must keep: a knock-out question always applies; only a
    shortfall against a 'shall' provision is a nonconformity, and only where the level falls
    short of the target; a major nonconformity is not raised on a level of 4 or more; a
    finding's life cycle lies after the assessment."""
    answer = answers.answers[qid]
    question = bank.question_index[qid]
    at: tuple[str, ...] = ("answers", qid)
    out: list[Problem] = []
    if answer.level == "na" and question.knockout:
        out.append(
            src.problem(
                (*at, "level"),
                "a knock-out question cannot be na: it always applies (give a level)",
            )
        )
    level = bank.level_of(qid, answers)
    grade = answer.grade
    finding_at = (
        (*at, "finding", "grade")
        if isinstance(answer.finding, FindingRecord)
        else (
            *at,
            "finding",
        )
    )
    if grade in NONCONFORMITIES:
        excluded = answers.preset if level == "na" and answer.level != "na" else None
        out += [
            src.problem(finding_at, message)
            for message in grade_problems(
                grade, level, bank.strengths[qid], bank.target_for(question.clause, answers),
                bank.max_level, excluded_by=excluded,
            )
        ]  # fmt: skip
    record = answer.finding if isinstance(answer.finding, FindingRecord) else None
    if record is not None:
        day = answers.assessment.date
        for key in ("closed", "verified"):
            when = getattr(record, key)
            if when is not None and when < day:
                out.append(
                    src.problem(
                        (*at, "finding", key),
                        f"{key} {when} is before the assessment date {day}",
                    )
                )
    return out
