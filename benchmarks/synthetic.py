"""Seeded synthetic organisations answering a bank: same seed, same files."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml

from assessment.io.answers import dump_answers
from assessment.load.bank import Bank
from assessment.load.models.answers import AnswersFile

FINDINGS = ["conforming", "observation", "ofi", "minor", "major", None, None, None]


def synthetic_answers(bank: Bank, index: int, seed: int) -> AnswersFile:
    rng = random.Random(seed * 1_000_003 + index)
    strength = rng.uniform(0.5, 4.5)
    answers: dict[str, dict[str, object]] = {}
    for q in bank.questions:
        roll = rng.random()
        if roll < 0.03 and not q.knockout:  # a knock-out question always applies
            answers[q.id] = {"level": "na", "reason": "Outside the scope of this organisation."}
            continue
        if roll < 0.06:
            continue  # left unanswered
        level = max(0, min(bank.max_level, round(rng.gauss(strength, 1.0))))
        answers[q.id] = {
            "level": level,
            "evidence": [f"Record {rng.randrange(1000, 9999)}", "Interview with the process owner"],
            "note": "Synthetic answer for benchmarking.",
            "finding": _gradable(rng.choice(FINDINGS), level, q.id, bank),
        }
    return AnswersFile.model_validate(
        {
            "bank": bank.id,
            "organisation": {"id": f"org-{index:04d}", "name": f"Synthetic organisation {index}"},
            "assessment": {
                "title": "Benchmark",
                "date": dt.date(2026, 1, 1) + dt.timedelta(days=index % 300),
            },
            "answers": answers,
        }
    )


def _gradable(finding: str | None, level: int, question_id: str, bank: Bank) -> str | None:
    """The drawn grade where the audit rules allow it (a nonconformity needs a shortfall
    against a 'shall' provision, a major a level below 4), else an observation."""
    if finding not in ("minor", "major"):
        return finding
    shortfall = level < bank.manifest.default_target and (finding == "minor" or level < 4)
    binding = bank.strengths[question_id] not in ("should", "may")
    return finding if shortfall and binding else "observation"


def write_organisations(bank: Bank, count: int, seed: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"org-{index:04d}.yaml"
        path.write_text(dump_answers(synthetic_answers(bank, index, seed)), encoding="utf-8")
        paths.append(path)
    return paths


def write_project(bank: Bank, count: int, seed: int, folder: Path) -> Path:
    """What `cxassess build` takes for these organisations: the answers file of one, or a
    project file listing them all."""
    paths = write_organisations(bank, count, seed, folder)
    if count == 1:
        return paths[0]
    project = {
        "title": "Benchmark portfolio",
        "default_lang": "zh",
        "organisations": [
            {"id": f"org-{index:04d}", "rounds": [{"answers": path.name}]}
            for index, path in enumerate(paths)
        ],
    }
    target = folder / "cxassess.yaml"
    target.write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    return target
