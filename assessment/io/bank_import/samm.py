"""OWASP SAMM core model (the YAML files of github.com/owaspsamm/core, folder model/) -> a
bank draft: business functions become areas and top clauses, security practices and their
streams the clauses below, each SAMM question a question answered by its answer set's
choices. Weights keep SAMM's roll-up (see _weights)."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

from assessment.common.errors import InputError
from assessment.common.files import read_user_file
from assessment.io.bank_import.draft import Data, Draft, both, question_id
from assessment.io.bank_import.samm_model import Function, Question, Tree, resolve
from assessment.io.bank_import.samm_read import Model, display, read_model
from assessment.load.yamlio import MAX_FILE_BYTES

DEFAULT_VERSION = "2.0"
LICENSES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "license.txt", "License.txt")

ROLL_UP = both(
    "保留 SAMM 的汇总方式：一个流的得分是其各题所选答案分值之和（每个成熟度等级一题，故为"
    " 0–3），一个实践取其各流的平均，一个业务职能取其各实践的平均；每道题的权重给它相应的份额，"
    "因此各页面上的加权平均与 SAMM 的得分一致。",
    "SAMM's roll-up kept: a stream scores the sum of its answers' values (one question per"
    " maturity level, so 0–3), a practice the mean of its streams, a business function the"
    " mean of its practices; each question's weight gives it that share, so the weighted"
    " means on every page equal SAMM's scores.",
    "",
)
ANSWERED = both(
    "上述一致以每道题都已作答为前提：cxassess 计算平均时不计未作答的题，而不是按 0 计。",
    "The scores agree with SAMM's when every question is answered: cxassess leaves an"
    " unanswered question out of the means instead of counting it as 0.",
    "",
)
NO_CHINESE = both(
    "SAMM 模型没有中文文本：本题库的中文内容暂用英文原文，待译。",
    "The SAMM model has no Chinese text: every Chinese text of this bank repeats the"
    " English one until it is translated.",
    "",
)
RATIONALE = both(
    "此权重保持 SAMM 的等份汇总：每个流在其实践中、每个实践在其业务职能中、每个业务职能在总分中"
    "所占份额相同。",
    "This weight keeps SAMM's equal shares: each stream counts the same in its practice,"
    " each practice in its business function, and each function in the overall score.",
    "",
)


def convert(model_dir: Path, bank_id: str = "samm") -> tuple[Draft, list[tuple[str, bytes]]]:
    """The draft of a bank from a SAMM model folder (or a folder holding model/), and every
    file read as (path relative to the model folder, bytes). Raises InputError with every
    problem found, each at its file, line and column."""
    model = read_model(model_dir)
    tree = resolve(model)
    questions = _questions(tree, model)
    copyright_line = _copyright(model)
    model.fail_if_any()
    version = tree.version or DEFAULT_VERSION
    top = len(tree.levels)
    draft = Draft(
        manifest={
            "id": bank_id,
            "version": version,
            "standard": {
                "code": "OWASP SAMM",
                "title": both(
                    "OWASP 软件保障成熟度模型", "OWASP Software Assurance Maturity Model", ""
                ),
                "kind": "guideline",
            },
            "languages": ["zh", "en"],
            "default_target": min(2, top),
            "scale": _scale(tree),
            "areas": [
                {"id": _area(f), "title": both(None, f.name, f.clause)} for f in tree.functions
            ],
            "principles": [],
            "clauses": [_clause(f) for f in tree.functions],
        },
        questions=questions,
        ref="OWASP SAMM" + (f" {tree.version}" if tree.version else ""),
        provider="OWASP",
        copyright=copyright_line,
    )
    draft.notes += [dict(ROLL_UP), dict(ANSWERED), dict(NO_CHINESE)]
    if tree.version is None:
        draft.note(
            f"模型未注明版本（其业务职能中的 model: SAMM20）；题库版本记为 {DEFAULT_VERSION}。",
            f"The model names no version (model: SAMM20 in its business functions); the"
            f" bank's version is set to {DEFAULT_VERSION}.",
        )
    for function in tree.functions:
        for practice in function.practices:
            for stream in practice.streams:
                _note_stream(draft, stream.clause, stream.name, len(stream.questions), top)
    return draft, model.files


def _area(function: Function) -> str:
    return question_id(function.name) or function.clause.lower()


def _scale(tree: Tree) -> list[Data]:
    scale: list[Data] = [
        {
            "level": 0,
            "name": both("未开展", "Not in place", ""),
            "meaning": both(
                "成熟度 1 级的活动都还没有开展。",
                "None of the activities of maturity level 1 is in place.",
                "",
            ),
        }
    ]
    for number, about in tree.levels.items():
        name = f"Maturity level {number}"
        scale.append(
            {
                "level": number,
                "name": both(f"成熟度 {number} 级", name, name),
                "meaning": both(None, about, name),
            }
        )
    return scale


def _clause(function: Function) -> Data:
    return {
        "id": function.clause,
        "title": both(None, function.name, function.clause),
        "area": _area(function),
        "children": [
            {
                "id": practice.clause,
                "title": both(None, practice.name, practice.clause),
                "children": [
                    {"id": s.clause, "title": both(None, s.name, s.clause)}
                    for s in practice.streams
                ],
            }
            for practice in function.practices
        ],
    }


def _weights(tree: Tree) -> dict[int, int]:
    """SAMM scores a stream by the sum of its answers, a practice by the mean of its
    streams, a function by the mean of its practices, the whole by the mean of functions;
    cxassess scores every group by the weighted mean over its questions. A question weighted
    1 / (questions in its stream x streams in its practice x practices in its function)
    makes the two agree at every level, each function's weights adding up to the same.
    Streams and practices without a question have no score to average and are not counted.
    The shares are scaled to the smallest whole numbers (all 1 in a regular model)."""
    shares: dict[int, Fraction] = {}
    for function in tree.functions:
        practices = [p for p in function.practices if any(s.questions for s in p.streams)]
        for practice in practices:
            streams = [s for s in practice.streams if s.questions]
            for stream in streams:
                for q in stream.questions:
                    count = len(stream.questions) * len(streams) * len(practices)
                    shares[id(q)] = Fraction(1, count)
    scale = math.lcm(*(s.denominator for s in shares.values())) if shares else 1
    whole = {key: int(share * scale) for key, share in shares.items()}
    divisor = math.gcd(*whole.values()) if whole else 1
    return {key: w // divisor for key, w in whole.items()}


def _questions(tree: Tree, model: Model) -> dict[str, list[Data]]:
    weights = _weights(tree)
    seen: dict[str, Question] = {}
    out: dict[str, list[Data]] = {}
    for function in tree.functions:
        for practice in function.practices:
            for stream in practice.streams:
                for q in stream.questions:
                    same_level = [o for o in stream.questions if o.level == q.level]
                    ref = f"{function.clause}-{practice.short}-{q.level}-{stream.letter}"
                    if len(same_level) > 1:  # several questions at one level: number them
                        ref += f"-{same_level.index(q) + 1}"
                    ident = question_id(ref)
                    if ident in seen:
                        where = seen[ident].entity.where
                        message = f"gives question id {ident!r}, as {where} does"
                        model.problems.append(q.entity.problem(("activity",), message))
                        continue
                    seen[ident] = q
                    made = _question(q, ident, weights[id(q)])
                    out.setdefault(function.clause.lower(), []).append(made)
    return out


def _question(q: Question, ident: str, weight: int) -> Data:
    # Every dict is the question's own: the writer would dump a shared one as a YAML
    # anchor and alias, which the bank loader refuses.
    title = q.activity.rstrip(" .")
    guidance = f"Maturity level {q.level}: {title}." + (f" {q.about}" if q.about else "")
    made: Data = {"id": ident, "clause": q.stream.clause}
    if weight != 1:
        made["weight"] = weight
        made["weight_rationale"] = dict(RATIONALE)
    made["text"] = both(None, q.text, ident)
    made["guidance"] = both(None, guidance, ident)
    made["evidence"] = [{"kind": "record", "zh": c, "en": c} for c in q.quality]
    made["choices"] = [{**c, "text": dict(c["text"])} for c in q.choices]
    return made


def _note_stream(draft: Draft, clause: str, name: str, count: int, levels: int) -> None:
    """A stream scores SAMM's sum of values only with one question per maturity level: the
    mean of n levels of value x top equals the sum of the n values just when n is the top."""
    if count == levels:
        return
    if count == 0:
        draft.note(
            f"流 {clause}（{name}）没有题目：它不计入其实践的平均，而 SAMM 会按 0 计。",
            f"Stream {clause} ({name}) has no question: it is left out of its practice's"
            " mean, where SAMM would count it as 0.",
        )
        return
    draft.note(
        f"流 {clause}（{name}）有 {count} 道题，而不是每个成熟度等级一题（{levels} 道）："
        f"其得分是各答案在 0–{levels} 分制上的平均，而不是 SAMM 的分值之和。",
        f"Stream {clause} ({name}) has {count} questions, not one per maturity level"
        f" ({levels}): its score is the mean of its answers on the 0–{levels} scale, not"
        " SAMM's sum of their values.",
    )


def _copyright(model: Model) -> str | None:
    """The first line of the licence beside the model folder, read as one of its files."""
    for name in LICENSES:
        path = model.folder.parent / name
        if not path.is_file():
            continue
        try:
            raw = read_user_file(path, display(path), MAX_FILE_BYTES)
        except InputError as exc:
            model.problems.extend(exc.problems)
            return None
        model.files.append((f"../{name}", raw))
        text = raw.decode("utf-8-sig", errors="replace")
        return next((line.strip() for line in text.splitlines() if line.strip()), None)
    return None
