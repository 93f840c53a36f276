"""What export and import of questionnaire workbooks agree on: columns, labels, Info rows, text.

Text cells use the OOXML escape that Excel itself uses (ST_Xstring): a character XML cannot
carry becomes _xHHHH_, which Excel shows as the character and import decodes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assessment.load.models.answers import Finding

# Excel's limit on one cell; openpyxl does not enforce it and Excel repairs (truncates) the file.
CELL_MAX = 32_767
INFO_SHEET = "Info"

# Column roles of a question sheet, labelled (en, zh). Import finds columns by these labels in
# either language, so a sheet can be renamed, reordered or opened in the other language.
COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("ID", "编号"),
    "clause": ("Clause", "条款"),
    "question": ("Question", "问题"),
    "level": ("Level", "等级"),
    "reason": ("Reason (if na)", "理由（不适用时）"),
    "evidence": ("Evidence (one per line)", "证据（每行一项）"),
    "note": ("Note", "备注"),
    "finding": ("Finding", "发现"),
    "decided_by": ("Decided by (if na)", "决定人（不适用时）"),
}
FILL = ("level", "reason", "evidence", "note", "finding")
OPTIONAL_FILL = ("decided_by",)  # read where present: workbooks of earlier versions lack it
# Lightest to gravest, the order an auditor reads the drop-down in.
FINDING_ORDER: tuple[Finding, ...] = ("conforming", "observation", "ofi", "minor", "major")
INFO_COLUMNS: dict[str, tuple[str, str]] = {
    "key": ("Key", "键"),
    "field": ("Field", "项目"),
    "value": ("Value", "值"),
    "hint": ("Hint", "说明"),
}


@dataclass(frozen=True)
class InfoField:
    key: str
    label: tuple[str, str]
    hint: tuple[str, str] = ("", "")
    required: bool = False


KEEP = ("do not change", "请勿修改")
INFO_FIELDS = (
    InfoField("bank", ("Bank", "题库"), KEEP, required=True),
    InfoField("bank.version", ("Bank version", "题库版本"), KEEP),
    InfoField("bank.content_hash", ("Bank content hash", "题库内容哈希"), KEEP),
    InfoField(
        "organisation.id",
        ("Organisation id", "组织标识"),
        ("lower-case letters, digits, . _ -", "小写字母、数字及 . _ -"),
        required=True,
    ),
    InfoField("organisation.name", ("Organisation name", "组织名称"), required=True),
    InfoField("organisation.sector", ("Sector", "行业")),
    InfoField("assessment.title", ("Assessment title", "评估名称"), required=True),
    InfoField("assessment.date", ("Assessment date", "评估日期"), ("YYYY-MM-DD",) * 2, True),
    InfoField("assessment.assessors", ("Assessors", "评估人员"), ("one per line", "每行一人")),
    InfoField("assessment.scope", ("Scope", "范围")),
    InfoField("targets.default", ("Default target level", "默认目标等级")),
    InfoField(
        "readiness.min_coverage",
        ("Readiness: minimum coverage", "准备度：最低覆盖率"),
        ("0..1",) * 2,
    ),
    InfoField(
        "readiness.min_area_score", ("Readiness: minimum area score", "准备度：领域最低得分")
    ),
    InfoField("readiness.max_major", ("Readiness: most major findings", "准备度：严重不符合上限")),
    InfoField(
        "readiness.knockout_level",
        ("Readiness: lowest level of a knock-out question", "准备度：否决项最低等级"),
    ),
    InfoField(
        "survey",
        ("Survey file (CSV)", "调查数据文件（CSV）"),
        ("beside the answers file", "与答卷文件同一文件夹"),
    ),
    InfoField(
        "preset",
        ("Preset (the bank's question group in scope)", "预设（适用的题库问题组）"),
        ("empty: every question", "留空：全部问题"),
    ),
)
INFO_INDEX = {f.key: f for f in INFO_FIELDS}

# The Objectives sheet (GB/T 42509 6.1.4): one row per CXM objective, either a survey metric
# (metric, op, value, optional segment and period) or a manual one (op, target, actual, unit).
OBJECTIVES_SHEET = ("Objectives", "目标")
OBJECTIVE_COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("Objective id", "目标编号"),
    "kind": ("Kind (metric or manual)", "类型（metric 或 manual）"),
    "metric": ("Metric (nps, csat, ces)", "指标（nps、csat、ces）"),
    "op": ("Operator (>=, >, <=, <, ==)", "比较（>=、>、<=、<、==）"),
    "value": ("Metric target", "指标目标值"),
    "segment": ("Segment", "细分群体"),
    "period": ("Quarter (YYYY-Qn)", "季度（YYYY-Qn）"),
    "target": ("Manual target", "人工目标值"),
    "actual": ("Manual actual", "人工实际值"),
    "unit": ("Unit", "单位"),
    "title.zh": ("Title (Chinese)", "名称（中文）"),
    "title.en": ("Title (English)", "名称（英文）"),
}
OBJECTIVE_NUMBERS = frozenset({"value", "target", "actual"})

# The Findings sheet: the rest of a finding's record, one row per finding.
FINDINGS_SHEET = ("Findings", "发现记录")
FINDING_COLUMNS: dict[str, tuple[str, str]] = {
    "question": ("Finding of question", "所属问题编号"),
    "requirement": ("Requirement", "要求"),
    "evidence": ("Objective evidence", "客观证据"),
    "statement": ("Statement", "不符合陈述"),
    "correction": ("Correction", "纠正"),
    "root_cause": ("Root cause", "根本原因"),
    "corrective_action": ("Corrective action", "纠正措施"),
    "owner": ("Owner", "责任人"),
    "due": ("Due (YYYY-MM-DD)", "完成期限（YYYY-MM-DD）"),
    "status": ("Status (open, closed, verified)", "状态（open、closed、verified）"),
    "closed": ("Closed (YYYY-MM-DD)", "关闭日期（YYYY-MM-DD）"),
    "verified": ("Verified (YYYY-MM-DD)", "验证日期（YYYY-MM-DD）"),
}

# The Actions sheet: the action plan, one row per question that has an action.
ACTIONS_SHEET = ("Actions", "行动计划")
ACTION_COLUMNS: dict[str, tuple[str, str]] = {
    "question": ("Action for question", "行动所属问题编号"),
    "owner": ("Owner", "责任人"),
    "due": ("Due (YYYY-MM-DD)", "完成期限（YYYY-MM-DD）"),
    "status": (
        "Status (planned, in_progress, done, dropped)",
        "状态（planned、in_progress、done、dropped）",
    ),
    "note": ("Note", "备注"),
}
TARGET_PREFIX = "targets.clauses."


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" else pair[0]


def _normal(header: object) -> str:
    return " ".join(str(header).split()).casefold() if isinstance(header, str) else ""


def _lookup(table: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {_normal(text): role for role, pair in table.items() for text in pair}


_ROLES = _lookup(COLUMNS)
_INFO_ROLES = _lookup(INFO_COLUMNS)
_OBJECTIVE_ROLES = _lookup(OBJECTIVE_COLUMNS)
_RECORD_ROLES = {"finding": _lookup(FINDING_COLUMNS), "action": _lookup(ACTION_COLUMNS)}


def column_role(header: object) -> str | None:
    return _ROLES.get(_normal(header))


def info_role(header: object) -> str | None:
    return _INFO_ROLES.get(_normal(header))


def objective_role(header: object) -> str | None:
    return _OBJECTIVE_ROLES.get(_normal(header))


def record_role(kind: str, header: object) -> str | None:
    """A column's role in a Findings (kind "finding") or Actions ("action") sheet."""
    return _RECORD_ROLES[kind].get(_normal(header))


# Characters XML 1.0 cannot carry, and CR, which every XML reader turns into LF.
_UNSAFE = "\x00-\x08\x0b-\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff"
# Literal text must never look like an escape. The usual way, escaping "_" as _x005F_, does
# not survive openpyxl, whose readers delete every "x005F_". So the "x" is escaped instead
# (_x0078_) wherever it follows an underscore or an escape, or would spell "x005F".
_ENCODE = re.compile(f"[{_UNSAFE}]|(?<=[_{_UNSAFE}])x|x(?=005F)")
_DECODE = re.compile("_x([0-9A-Fa-f]{4})_")


def encode_text(text: str) -> str:
    return _ENCODE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def decode_text(text: str) -> str:
    return _DECODE.sub(lambda m: chr(int(m.group(1), 16)), text)


def split_lines(text: str) -> tuple[str, ...]:
    """List items of a cell, one per line; empty lines are left out."""
    return tuple(line for line in re.split(r"\r\n|\r|\n", text) if line)


_BAD_TITLE = re.compile(f"[\\[\\]:*?/\\\\{_UNSAFE}]")
_RESERVED_TITLES = {"history"}  # Excel keeps this name for its change history


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # Excel counts UTF-16 units


def _fit(text: str, limit: int) -> str:
    while _units(text) > limit:
        text = text[:-1]
    return text.rstrip(" '")


def sheet_titles(names: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """Valid, distinct Excel sheet titles (≤31 units, none of []:*?/\\, no edge apostrophes)."""
    used = {t.casefold() for t in taken} | _RESERVED_TITLES
    titles = []
    for number, name in enumerate(names, 1):
        base = " ".join(_BAD_TITLE.sub(" ", name).split()).strip(" '") or f"Sheet {number}"
        title, n = _fit(base, 31), 1
        while not title or title.casefold() in used:
            n += 1
            suffix = f" ({n})"
            title = _fit(base, 31 - len(suffix)) + suffix
        used.add(title.casefold())
        titles.append(title)
    return titles
