"""Importing a large framework and building a site on it: a seeded CISO Assistant library
of N requirement nodes (the ISO 27001 library has ~100; this goes to 500 and beyond),
imported, answered by a seeded organisation, built. Prints one JSON line.

    python -m benchmarks.bank_import --nodes 500
    python -m benchmarks.bank_import --nodes 2000 --seed 7

Stages: generate (writing the library, not timed against the tool), import (read, convert,
check and write the bank: what `cxassess bank import` does), answer (a fresh answers file,
filled), build (`cxassess build`: load, score, render, MkDocs).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from assessment.api import build_site, import_bank
from assessment.io.template import answers_template
from assessment.load.loader import load_bank

WORDS = [
    "plan",
    "check",
    "record",
    "review",
    "owner",
    "risk",
    "supplier",
    "access",
    "change",
    "incident",
    "backup",
]


def _words(pick: random.Random, n: int) -> str:
    return " ".join(pick.choice(WORDS) for _ in range(n))


def library(nodes: int, seed: int) -> dict[str, Any]:
    """A framework of `nodes` requirement nodes, three deep: a tenth of them sections, the rest
    assessable requirements; every text in zh and en; one in seven with a scored question."""
    pick = random.Random(seed)
    top = max(1, nodes // 50)
    middle = max(top, nodes // 10)
    urn = "urn:bench:risk:req_node:bench"
    out: list[dict[str, Any]] = []
    for i in range(top):
        out.append({"urn": f"{urn}:{i}", "depth": 1, "assessable": False, "ref_id": f"S{i}",
                    "name": _words(pick, 3)})  # fmt: skip
    for j in range(middle - top):
        parent = j % top
        out.append({"urn": f"{urn}:{parent}.{j}", "parent_urn": f"{urn}:{parent}", "depth": 2,
                    "assessable": False, "ref_id": f"S{parent}.{j}", "name": _words(pick, 4)})  # fmt: skip
    sections = [n for n in out if n["depth"] == 2]
    for k in range(nodes - len(out)):
        section = sections[k % len(sections)]
        node: dict[str, Any] = {
            "urn": f"{section['urn']}.{k}",
            "parent_urn": section["urn"],
            "depth": 3,
            "assessable": True,
            "ref_id": f"{section['ref_id']}.{k}",
            "description": _words(pick, 12),
            "annotation": _words(pick, 20),
            "typical_evidence": _words(pick, 6),
            "implementation_groups": ["ig1"] if k % 3 else ["ig1", "ig2"],
            "translations": {
                "zh": {
                    "description": "要求 " + _words(pick, 6),
                    "annotation": "指南 " + _words(pick, 8),
                },
                "en": {"description": _words(pick, 12), "annotation": _words(pick, 20)},
            },
        }
        if k % 7 == 0:
            node["questions"] = {
                f"{node['urn']}:q": {
                    "type": "unique_choice",
                    "text": _words(pick, 8),
                    "choices": [
                        {"urn": f"{node['urn']}:q:c{c}", "value": _words(pick, 2), "add_score": c}
                        for c in range(4)
                    ],
                }
            }
        out.append(node)
    return {
        "urn": "urn:bench:risk:library:bench",
        "locale": "en",
        "ref_id": "BENCH-1",
        "name": "Benchmark framework",
        "description": "Generated for benchmarks/bank_import.py",
        "copyright": "Generated; no rights reserved",
        "version": 1,
        "provider": "cxassess benchmarks",
        "translations": {"zh": {"name": "基准框架", "description": "基准测试生成"}},
        "objects": {
            "framework": {
                "urn": "urn:bench:risk:framework:bench",
                "ref_id": "BENCH-1",
                "name": "Benchmark framework",
                "min_score": 0,
                "max_score": 3,
                "scores_definition": [
                    {"score": s, "name": f"Score {s}", "description": _words(pick, 5)}
                    for s in range(4)
                ],
                "implementation_groups_definition": [
                    {"ref_id": "ig1", "name": "Group 1"},
                    {"ref_id": "ig2", "name": "Group 2"},
                ],
                "requirement_nodes": out,
            }
        },
    }


def _answered(text: str, pick: random.Random, bank: Any) -> str:
    questions = iter(bank.questions)

    def fill(match: re.Match[str]) -> str:
        q = next(questions)
        if q.choices:
            return f"choice: {pick.choice(q.choices).id}"
        return f"level: {pick.randint(0, bank.max_level)}"

    return re.sub(r"(?:level|choice): null[^\n]*", fill, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    seconds: dict[str, float] = {}
    result: dict[str, Any] = {"benchmark": "bank_import", "nodes": args.nodes, "seed": args.seed}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        source = root / "library.yaml"
        source.write_text(
            yaml.safe_dump(library(args.nodes, args.seed), allow_unicode=True), "utf-8"
        )
        seconds["generate"] = time.perf_counter() - start
        result["library_kb"] = round(source.stat().st_size / 1024, 1)

        start = time.perf_counter()
        done = import_bank("ciso-assistant", source, root / "banks" / "bench", bank_id="bench")
        seconds["import"] = time.perf_counter() - start

        start = time.perf_counter()
        bank = load_bank(done.out)
        text = answers_template(bank, "en")
        answers = root / "answers.yaml"
        answers.write_text(_answered(text, random.Random(args.seed), bank), "utf-8")
        seconds["answer"] = time.perf_counter() - start

        start = time.perf_counter()
        build_site(answers, root / "site", search=[root / "banks"], cache=False)
        seconds["build"] = time.perf_counter() - start
        result["questions"] = len(bank.questions)
        result["clauses"] = len(bank.clauses)
        result["html_pages"] = sum(1 for _ in (root / "site").rglob("*.html"))
    result["import_share"] = round(seconds["import"] / (seconds["import"] + seconds["build"]), 3)
    result["seconds"] = {k: round(v, 3) for k, v in seconds.items()}
    result["python"] = platform.python_version()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
