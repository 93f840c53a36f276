"""A checked CISO Assistant library as a bank draft: its top-level nodes as areas, its node
tree as clauses, each assessable node as a question."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from assessment.io.bank_import.ciso_fields import CHOICE_TYPES, Asked
from assessment.io.bank_import.ciso_parse import Library, Node
from assessment.io.bank_import.ciso_scale import Scale
from assessment.io.bank_import.ciso_text import Languages
from assessment.io.bank_import.draft import Data, Draft, both, question_id

_TITLE_FROM_TEXT = 80  # a node with no name is titled by the start of its description
_WEIGHT_RATIONALE = {"zh": "权重取自库", "en": "Weight from the library"}


def _cut(text: str | None) -> str | None:
    if text is None:
        return None
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= _TITLE_FROM_TEXT else flat[: _TITLE_FROM_TEXT - 1] + "…"


def node_title(lang: Languages, node: Node) -> Data:
    """The title "ref_id name", or the name, the ref_id or the description's start alone."""
    zh, en = lang.pair(node.data, "name")
    if not (zh or en):
        zh, en = (_cut(text) for text in lang.pair(node.data, "description"))

    def join(text: str | None) -> str | None:
        return f"{node.ref} {text}" if node.ref and text else text or node.ref

    return both(join(zh), join(en), node.urn.rsplit(":", 1)[-1])


class _Builder:
    def __init__(self, lib: Library, scale: Scale, crosswalk: Mapping[str, Data]) -> None:
        self.lang = lib.lang
        self.scale = scale
        self.crosswalk = crosswalk  # source node urn -> {crosswalk id: [item ids]}
        self.titles = {node.urn: node_title(lib.lang, node) for node in lib.order}
        self.choices_used = 0
        self.choices_unscored = 0

    def title(self, node: Node) -> Data:
        # A copy each time: the YAML writer would give a shared object an anchor, which the
        # bank's reader refuses.
        return dict(self.titles[node.urn])

    def clause(self, node: Node) -> Data:
        out: Data = {"id": node.clause, "title": self.title(node)}
        if node.level == 1:
            out["area"] = node.area
        children = [self.clause(child) for child in node.children]
        if node.own_clause != node.clause:
            children.insert(0, {"id": node.own_clause, "title": self.title(node)})
        if children:
            out["children"] = children
        return out

    def question(self, node: Node) -> Data:
        lang, data, title = self.lang, node.data, self.titles[node.urn]
        out: Data = {"id": node.qid, "clause": node.own_clause}
        if node.weight is not None and node.weight != 1:
            out["weight"] = int(node.weight) if node.weight.is_integer() else node.weight
            out["weight_rationale"] = dict(_WEIGHT_RATIONALE)
        if node.urn in self.crosswalk:
            out["crosswalk"] = self.crosswalk[node.urn]
        field = "description" if lang.has(data, "description") else "name"
        out["text"] = lang.both(data, field, title["en"])
        scored = next(
            (
                a
                for a in node.asked
                if a.kind in CHOICE_TYPES and any(c.add_score is not None for c in a.choices)
            ),
            None,
        )
        if scored is None and any(a.kind in CHOICE_TYPES and a.choices for a in node.asked):
            self.choices_unscored += 1
        out["guidance"] = self.guidance(node, title, scored)
        if lang.has(data, "typical_evidence"):
            out["evidence"] = [{"kind": "record", **lang.both(data, "typical_evidence", "")}]
        if scored is None:
            out["levels"] = {level["level"]: _descriptor(level) for level in self.scale.levels}
        else:
            self.choices_used += 1
            out["choices"] = self.choices(scored)
            if scored.kind == "multiple_choice":
                out["multiple"] = True
        if node.presets:
            out["presets"] = list(node.presets)
        return out

    def choices(self, asked: Asked) -> list[Data]:
        out: list[Data] = []
        taken: set[str] = set()
        for k, choice in enumerate(asked.choices, start=1):
            base = question_id(choice.urn.rsplit(":", 1)[-1]) or f"c{k}"
            cid, n = base, 1
            while cid in taken:
                n += 1
                cid = f"{base[:76]}-{n}"
            taken.add(cid)
            value = (choice.add_score or 0.0) / self.scale.span
            text = self.lang.both(choice.data, "value", cid)
            out.append({"id": cid, "text": text, "value": min(1.0, max(0.0, value))})
        return out

    def guidance(self, node: Node, title: Data, scored: Asked | None) -> Data:
        """The annotation, or a sentence naming the requirement; then what the library asks."""
        zh, en = self.lang.pair(node.data, "annotation")
        lines_zh = [zh or f"对照库中的要求“{title['zh']}”评估本组织的做法。"]
        lines_en = [en or f"Assess the organisation's practice against “{title['en']}”."]
        for asked in node.asked:
            said = self.asked(asked)
            if asked is scored:
                lines_zh.append(f"选项回答：{said['zh']}")
                lines_en.append(f"The choices answer: {said['en']}")
            else:
                lines_zh.append(f"另请询问：{said['zh']}")
                lines_en.append(f"Also ask: {said['en']}")
        return {"zh": "\n".join(lines_zh), "en": "\n".join(lines_en)}

    def asked(self, asked: Asked) -> Data:
        """A question of the library as one line, with its choices where they are not scored."""
        said = self.lang.both(asked.data, "text", asked.urn.rsplit(":", 1)[-1])
        if not asked.choices or any(c.add_score is not None for c in asked.choices):
            return said
        texts = [self.lang.both(c.data, "value", "?") for c in asked.choices]
        return {
            "zh": f"{said['zh']}（{' / '.join(t['zh'] for t in texts)}）",
            "en": f"{said['en']} ({' / '.join(t['en'] for t in texts)})",
        }


def _descriptor(level: Data) -> Data:
    name, meaning = level["name"], level["meaning"]
    return {
        "zh": name["zh"] if name == meaning else f"{name['zh']}：{meaning['zh']}",
        "en": name["en"] if name == meaning else f"{name['en']}: {meaning['en']}",
    }


def build(
    lib: Library,
    scale: Scale,
    bank_id: str,
    version: str,
    crosswalk: Mapping[str, Data] | None = None,
) -> Draft:
    assert lib.ref is not None  # noqa: S101 - read_library reports a library without one
    b = _Builder(lib, scale, crosswalk or {})
    areas = [{"id": root.area, "title": b.title(root)} for root in lib.roots]
    clauses = [b.clause(root) for root in lib.roots]
    questions: dict[str, list[Data]] = {root.area: [] for root in lib.roots}
    stem: dict[str, str] = {}
    for node in lib.order:
        stem[node.urn] = node.area if node.parent is None else stem[node.parent]
        if node.assessable:
            questions[stem[node.urn]].append(b.question(node))
    manifest: Data = {
        "id": bank_id,
        "version": version,
        "standard": {
            "code": lib.ref,
            "title": lib.lang.both(lib.data, "name", lib.ref),
            "kind": "guideline",
        },
        "languages": ["zh", "en"],
        "default_target": scale.default_target,
        "scale": scale.levels,
        "areas": areas,
    }
    if lib.presets:
        manifest["presets"] = lib.presets
    manifest["clauses"] = clauses
    draft = Draft(
        manifest=manifest,
        questions={s: qs for s, qs in questions.items() if qs},
        ref=_text(lib.data.get("urn")),
        provider=_text(lib.data.get("provider")),
        copyright=_text(lib.data.get("copyright")),
    )
    for zh, en in [*scale.notes, *lib.lang.notes()]:
        draft.note(zh, en)
    if lib.unknown_groups:
        names = ", ".join(sorted(lib.unknown_groups))
        draft.note(
            f"库中的节点引用了未定义的实施组（{names}）：这些引用已略去。",
            f"Nodes of the library name implementation groups it does not define ({names}): "
            "those were left out.",
        )
    if lib.cut:
        draft.note(
            f"{lib.cut} 个条款的 ref_id 过长，截断后与其他条款相同：这些条款改用编号。",
            f"{lib.cut} clauses have ref_ids too long to tell apart once cut to a clause id: "
            "they are numbered instead.",
        )
    if b.choices_used:
        draft.note(
            f"{b.choices_used} 个问题按库中的选项作答：每个选项计 add_score / "
            f"({scale.high} − {scale.low}) × 最高等级。",
            f"{b.choices_used} questions are answered by the library's choices: a choice "
            f"scores add_score / ({scale.high} − {scale.low}) of the top level.",
        )
    if b.choices_unscored:
        draft.note(
            f"{b.choices_unscored} 个问题的选项没有 add_score：这些问题按等级作答，选项列在指南中。",
            f"{b.choices_unscored} questions have choices without add_score: they are answered "
            "on the scale, and the choices are listed in their guidance.",
        )
    return draft


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None
