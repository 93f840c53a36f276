"""A fresh answers file listing every question of a bank, ready to fill in."""

from __future__ import annotations

import datetime as dt
import json

from assessment.load.bank import Bank


def _comment(text: str) -> str:
    return " ".join(text.split())


def placeholder_title(bank: Bank, lang: str) -> str:
    """The assessment title a fresh answers file or workbook starts with: the bank's
    standard, whatever framework it is."""
    code = bank.manifest.standard.code
    return f"{code} 自评" if lang == "zh" else f"{code} self-assessment"


def answers_template(bank: Bank, lang: str = "en", today: dt.date | None = None) -> str:
    day = (today or dt.date.today()).isoformat()
    top = bank.max_level
    lines = [
        f"# Answers for {bank.manifest.standard.code} ({bank.id} {bank.version}).",
        f"# level: 0..{top}, or na with a reason; leave null while unanswered.",
        *(
            ["# choice: where a question lists choices, the id of the one that fits."]
            if bank.has_choices
            else []
        ),
        "# finding: conforming | observation | ofi | minor | major (optional).",
        f"bank: {bank.id}",
        "organisation:",
        "  id: my-organisation",
        '  name: "My organisation"',
        '  sector: ""',
        "assessment:",
        f"  title: {json.dumps(placeholder_title(bank, lang), ensure_ascii=False)}",
        f"  date: {day}",
        "  assessors: []",
        '  scope: ""',
        "targets:",
        f"  default: {bank.manifest.default_target}",
        "  clauses: {}",
        "answers:",
    ]
    current = None
    for q in bank.questions:
        if q.clause != current:
            current = q.clause
            title = bank.clauses[q.clause].title.get(lang)
            lines.append(f"  # {q.clause} {_comment(title)}")
        lines.append(f"  # {_comment(q.text.get(lang))}")
        for level in sorted(q.levels):
            lines.append(f"  #   {level}: {_comment(q.levels[level].get(lang))}")
        for c in q.choices:
            worth = f"{c.value * top:g}"
            lines.append(f"  #   {c.id}: {_comment(c.text.get(lang))} (= {worth})")
        lines.append(f"  {json.dumps(q.id)}:")
        if q.choices:
            several = " (a list: several may be picked)" if q.multiple else ""
            lines.append(f"    choice: null  # one of the ids above{several}, or level: na")
        else:
            lines.append("    level: null")
        lines.append("    evidence: []")
        lines.append('    note: ""')
    return "\n".join(lines) + "\n"
