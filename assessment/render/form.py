"""The offline form's data: the bank in one language as JSON, safe inside a <script>."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from assessment.load.bank import Bank
from assessment.load.models.bank import Choice
from assessment.load.models.base import Text

_FORM_JSON: dict[tuple[str, str], Markup] = {}


def form_json(bank: Bank, lang: str) -> Markup:
    """Every organisation on a bank embeds the same form data: made once per bank version."""
    key = (bank.content_hash, lang)
    if key not in _FORM_JSON:
        _FORM_JSON[key] = _script_json(form_payload(bank, lang))
    return _FORM_JSON[key]


def _script_json(data: Any) -> Markup:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, code in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, code)
    return Markup(text)  # noqa: S704 - JSON with every character that could end the script escaped


def _choice(choice: Choice, lang: str) -> dict[str, Any]:
    return {"id": choice.id, "text": choice.text.get(lang), "value": choice.value}


def form_payload(bank: Bank, lang: str) -> dict[str, Any]:
    """What the offline form needs: clauses in order with their questions and descriptors."""

    def pick(text: Text) -> str:
        return text.get(lang)

    clauses = []
    for node in bank.clauses.values():
        questions = [q for q in bank.questions if q.clause == node.id]
        if not questions:
            continue
        clauses.append(
            {
                "id": node.id,
                "title": pick(node.title),
                "lineage": list(bank.lineage(node.id)),
                "questions": [
                    {
                        "id": q.id,
                        "text": pick(q.text),
                        "guidance": pick(q.guidance),
                        "levels": [pick(q.levels[level]) for level in sorted(q.levels)],
                        **({"choices": [_choice(c, lang) for c in q.choices]} if q.choices else {}),
                        **({"multiple": True} if q.multiple else {}),
                        # What the audit rules need, so that an export cxassess refuses is
                        # stopped in the browser with the reason.
                        **({"knockout": True} if q.knockout else {}),
                        **({"strength": strength} if (strength := bank.strengths[q.id]) else {}),
                        **({"presets": list(q.presets)} if bank.manifest.presets else {}),
                    }
                    for q in questions
                ],
            }
        )
    return {
        "bank": bank.id,
        "version": bank.version,
        "lang": lang,
        "scale": [{"level": s.level, "name": pick(s.name)} for s in bank.manifest.scale],
        "default_target": bank.manifest.default_target,
        "clauses": clauses,
    }
